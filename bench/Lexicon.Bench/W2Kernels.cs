using BenchmarkDotNet.Attributes;
using Lexicon.Benchmarks;
using Lexicon.Kernels.Cpu;

namespace Lexicon.Bench;

/// <summary>
/// The heavy operations of a W2 training step (d 384, M 6144, k 32, B 4096) on the CPU backend, each on the inputs
/// <c>lexicon bench --op</c> prepares for it (<see cref="OpCase"/>) and under its name there and in <c>lexicon bench</c>'s
/// per-kernel table: EncodeTopK is what a training step runs (the GEMM with its fused top-k); EncoderGemm and TopK are
/// its two halves alone (TopK then finds the panel maxima itself). Nothing is carried from one call to the next.
/// </summary>
public class W2Kernels
{
    public static IEnumerable<string> Operations =>
        ["EncodeTopK", "EncoderGemm", "TopK", "MaskedTopK", "SparseDecode", "LatentGrad", "GroupByRow", "SparseWeightGrads", "DecoderBiasGrad", "Adam"];

    private CpuKernels _kernels = null!;
    private OpTrial _trial = null!;

    [ParamsSource(nameof(Operations))]
    public string Op { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _kernels = new CpuKernels();
        _trial = OpCase.Find(Op).Prepare(new OpInputs(_kernels, Workload.W2, Rng.Derive(42, 1)));
    }

    [GlobalCleanup]
    public void Cleanup() => _kernels.Dispose();

    [Benchmark]
    public void Run() => _trial.Run();
}
