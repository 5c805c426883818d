using System.Numerics.Tensors;

namespace Lexicon.Kernels.Cpu;

/// <summary>xc[b] = x[b] − bDec.</summary>
public static unsafe class Center
{
    public static void Run(float* x, float* bDec, float* xc, int rows, int d)
    {
        CpuParallel.For(rows, 64, (b0, b1) =>
        {
            var bias = new ReadOnlySpan<float>(bDec, d);
            for (int b = b0; b < b1; b++)
                TensorPrimitives.Subtract(new ReadOnlySpan<float>(x + (long)b * d, d), bias, new Span<float>(xc + (long)b * d, d));
        });
    }
}
