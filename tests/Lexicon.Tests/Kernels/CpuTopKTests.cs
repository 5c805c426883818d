using Lexicon.Kernels.Cpu;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Kernels;

/// <summary>The CPU top-k's segment-threshold path, which only wide rows take (latents ≥ 32·k), against the reference:
/// Gaussian rows, rows mostly zero after ReLU (the threshold falls to 0 and many zeros tie), and rows of few distinct
/// values (ties at the threshold itself) — at every vector width.</summary>
public sealed class CpuTopKTests
{
    /// <summary>width, rows, latents, k.</summary>
    public static TheoryData<SimdWidth, int, int, int> Cases() =>
        WidthCases.Of([SimdWidth.V512, SimdWidth.V256, SimdWidth.V128, SimdWidth.Scalar], (3, 2000, 1), (5, 2048, 7), (4, 6144, 32), (2, 4100, 64));

    [Theory, MemberData(nameof(Cases))]
    public void Wide_rows_match_reference(SimdWidth width, int rows, int latents, int k)
    {
        using var forced = SimdIsa.Force(width);
        var r = new TestRandom(400 + k);
        foreach (string kind in new[] { "gaussian", "sparse", "few values" })
        {
            var pre = kind switch
            {
                "gaussian" => r.Normal(rows * latents).Select(v => Math.Max(v, 0)).ToArray(),
                "sparse" => r.Normal(rows * latents).Select(v => v > 2.5f ? v : 0).ToArray(),
                _ => r.Normal(rows * latents).Select(v => (float)Math.Round(Math.Max(v, 0) * 2) / 2).ToArray(),
            };
            using var kernels = new CpuKernels();
            var preView = kernels.Allocate<float>(pre.Length);
            preView.CopyFromHost(pre);
            var index = kernels.Allocate<int>(rows * k);
            var value = kernels.Allocate<float>(rows * k);
            kernels.TopK(preView.All, rows, latents, k, index.All, value.All);
            var expectedIndex = new int[rows * k];
            var expectedValue = new double[rows * k];
            Ref.TopK.Run(Compare.ToDouble(pre), rows, latents, k, expectedIndex, expectedValue);
            Compare.Equal(expectedIndex, index.ToArray(), $"index ({kind})", r);
            Compare.Close(expectedValue, value.ToArray(), $"value ({kind})", r, 0);
        }
    }
}
