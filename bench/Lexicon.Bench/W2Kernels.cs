using BenchmarkDotNet.Attributes;
using Lexicon.Kernels;
using Lexicon.Kernels.Cpu;

namespace Lexicon.Bench;

/// <summary>
/// The encoder GEMM, top-k and the sparse backward at W2 (d 384, M 6144, k 32, B 4096) on the CPU backend, on random
/// inputs shaped like training's (unit decoder rows, encoder = decoder, Gaussian activations).
/// </summary>
public class W2Kernels
{
    private const int D = 384, M = 6144, K = 32, B = 4096;
    private const double GemmFlops = 2.0 * B * D * M;
    private const double BackwardFlops = 2.0 * B * K * D + 4.0 * B * K * D + 2.0 * (B * D + (double)M * D);

    private CpuKernels _kernels = null!;
    private View<float> _xc, _wEnc, _bEnc, _pre, _value, _gAct, _grad, _dWEnc, _dBEnc, _dWDec, _dBDec;
    private View<int> _index, _start, _order;

    [GlobalSetup]
    public void Setup()
    {
        _kernels = new CpuKernels();
        var rng = Rng.Derive(42, 1);
        float[] Gaussian(long n, double scale = 1)
        {
            var a = new float[n];
            for (long i = 0; i < n; i++) a[i] = (float)(scale * rng.NextGaussian());
            return a;
        }
        View<T> Up<T>(T[] data) where T : unmanaged
        {
            var array = _kernels.Allocate<T>(data.Length);
            array.CopyFromHost(data);
            return array.All;
        }
        _xc = Up(Gaussian((long)B * D));
        _wEnc = Up(Gaussian((long)M * D, 1 / Math.Sqrt(D)));
        _bEnc = Up(new float[M]);
        _pre = _kernels.Allocate<float>((long)B * M).All;
        _index = _kernels.Allocate<int>((long)B * K).All;
        _value = _kernels.Allocate<float>((long)B * K).All;
        _gAct = _kernels.Allocate<float>((long)B * K).All;
        _grad = Up(Gaussian((long)B * D, 1e-3));
        _start = _kernels.Allocate<int>(M + 1).All;
        _order = _kernels.Allocate<int>((long)B * K).All;
        _dWEnc = _kernels.Allocate<float>((long)M * D).All;
        _dBEnc = _kernels.Allocate<float>(M).All;
        _dWDec = _kernels.Allocate<float>((long)M * D).All;
        _dBDec = _kernels.Allocate<float>(D).All;
        _kernels.EncoderGemm(_xc, _wEnc, _bEnc, _pre, B, D, M);
        _kernels.TopK(_pre, B, M, K, _index, _value);
    }

    [GlobalCleanup]
    public void Cleanup() => _kernels.Dispose();

    [Benchmark, Flops(GemmFlops)]
    public void EncoderGemm() => _kernels.EncoderGemm(_xc, _wEnc, _bEnc, _pre, B, D, M);

    [Benchmark, Flops((double)B * M)]
    public void TopK() => _kernels.TopK(_pre, B, M, K, _index, _value);

    /// <summary>LatentGrad, grouping, the per-latent weight gradients and the decoder-bias gradient.</summary>
    [Benchmark, Flops(BackwardFlops)]
    public void SparseBackward()
    {
        _kernels.LatentGrad(_index, _value, B, K, _wEnc, _grad, D, _gAct);
        _kernels.GroupByRow(_index, B * K, M, _start, _order);
        _kernels.SparseWeightGrads(_start, _order, _value, _gAct, B, K, 0, _grad, default, _xc, D, M, _dWEnc, _dBEnc, _dWDec);
        _kernels.DecoderBiasGrad(_grad, B, _wEnc, _dBEnc, M, D, _dBDec);
    }
}
