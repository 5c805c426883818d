using Lexicon.Kernels.Cpu;

namespace Lexicon.Tests.Kernels;

/// <summary>Theory data for the tests that force each vector width: every width crossed with every shape.</summary>
internal static class WidthCases
{
    public static TheoryData<SimdWidth, int, int, int> Of(SimdWidth[] widths, params (int, int, int)[] shapes)
    {
        var cases = new TheoryData<SimdWidth, int, int, int>();
        foreach (var width in widths)
            foreach (var (a, b, c) in shapes)
                cases.Add(width, a, b, c);
        return cases;
    }
}
