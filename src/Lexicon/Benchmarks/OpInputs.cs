using Lexicon.Kernels;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Benchmarks;

/// <summary>Fresh random inputs for one call on a backend, shaped by a workload: the building blocks every
/// <see cref="OpCase"/> draws from.</summary>
public sealed class OpInputs(IKernels kernels, Workload workload, Rng rng)
{
    public IKernels K => kernels;
    public Workload W => workload;
    public Rng Rng => rng;

    public Operand<T> Upload<T>(T[] host) where T : unmanaged
    {
        var array = kernels.Allocate<T>(Math.Max(1, host.LongLength));
        array.CopyFromHost(host);
        return new Operand<T>(host, array.Slice(0, host.LongLength));
    }

    public Operand<float> Zeros(long n) => Upload(new float[n]);

    public Operand<int> IntZeros(long n) => Upload(new int[n]);

    public Operand<float> Normal(long n, double scale = 1) => Upload(Fill(n, () => (float)(scale * rng.NextGaussian())));

    public Operand<float> Uniform(long n, double low, double high) => Upload(Fill(n, () => (float)(low + (high - low) * rng.NextDouble())));

    /// <summary>ReLU'd Gaussians: about half exact zeros, as the encoder leaves pre.</summary>
    public Operand<float> Relu(long n) => Upload(Fill(n, () => (float)Math.Max(0, rng.NextGaussian())));

    /// <summary>[rows, d] of unit-norm rows, as the decoder's.</summary>
    public Operand<float> UnitRows(int rows, int d)
    {
        var w = Fill((long)rows * d, () => (float)rng.NextGaussian());
        for (long r = 0; r < rows; r++)
        {
            var row = w.AsSpan((int)(r * d), d);
            float norm = (float)Math.Sqrt(row.ToArray().Sum(v => (double)v * v));
            for (int i = 0; i < d; i++) row[i] /= norm;
        }
        return Upload(w);
    }

    /// <summary>A top-k-like selection: per row k (≤ latents) distinct latents of [0, latents) with positive values;
    /// every <paramref name="emptyEvery"/>-th slot empty (-1, 0) when given.</summary>
    public (Operand<int> Index, Operand<float> Value) Selection(int rows, int k, int latents, int emptyEvery = 0)
    {
        var index = new int[(long)rows * k];
        var value = new float[index.Length];
        var pick = new HashSet<int>();
        for (int b = 0; b < rows; b++)
        {
            pick.Clear();
            for (int j = 0; j < k; j++)
            {
                long e = (long)b * k + j;
                int m;
                do m = rng.NextInt(latents); while (!pick.Add(m));
                bool empty = emptyEvery > 0 && e % emptyEvery == emptyEvery - 1;
                index[e] = empty ? -1 : m;
                value[e] = empty ? 0 : (float)(0.1 + rng.NextDouble());
            }
        }
        return (Upload(index), Upload(value));
    }

    /// <summary>The entries of index grouped by row, as <see cref="IKernels.GroupByRow"/> leaves them (start, order).</summary>
    public (Operand<int> Start, Operand<int> Order) Grouped(int[] index, int rowCount)
    {
        var start = new int[rowCount + 1L];
        var order = new int[index.Length];
        Ref.GroupByRow.Run(index, index.Length, rowCount, start, order);
        return (Upload(start), Upload(order));
    }

    private static T[] Fill<T>(long n, Func<T> next)
    {
        var a = new T[n];
        for (long i = 0; i < n; i++) a[i] = next();
        return a;
    }
}
