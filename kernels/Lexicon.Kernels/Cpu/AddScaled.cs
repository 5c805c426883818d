using System.Numerics.Tensors;

namespace Lexicon.Kernels.Cpu;

/// <summary>y += alpha·x.</summary>
public static unsafe class AddScaled
{
    public static void Run(float* x, float alpha, float* y, long n)
    {
        const int chunk = 1 << 16;
        CpuParallel.For((int)((n + chunk - 1) / chunk), 1, (c0, c1) =>
        {
            for (long start = (long)c0 * chunk; start < Math.Min(n, (long)c1 * chunk); start += chunk)
            {
                int length = (int)Math.Min(chunk, n - start);
                var target = new Span<float>(y + start, length);
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(x + start, length), alpha, target, target);
            }
        });
    }
}
