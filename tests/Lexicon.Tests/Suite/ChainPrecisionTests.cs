using Lexicon.Suite;
using Lexicon.Synthetic;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Suite;

/// <summary>Chain precision counts a trace that follows its planted feature's drifting direction as staying on it, one
/// that jumps to another planted feature as not, and leaves out a trace that starts on no planted feature.</summary>
public sealed class ChainPrecisionTests
{
    [Fact]
    public void A_trace_that_jumps_to_another_planted_feature_does_not_stay()
    {
        using var scratch = new Scratch();
        SyntheticWorld.Generate(new SynthOptions { Layers = 3, DModel = 16, Vocab = 16, Tokens = 1000, Features = 12, FadingShare = 0 }, scratch["W"]);
        var truth = GroundTruth.Load(Path.Combine(scratch["W"], GroundTruth.FileName));
        // Two features born at the first layer, alive to the end (no feature fades).
        var born = Enumerable.Range(0, truth.Features).Where(f => truth.Birth[f] == 0).ToArray();
        Assert.True(born.Length >= 2, "the world needs two features born at layer 0");
        var (f, g) = (born[0], born[1]);

        var follows = Trace(0, l => Direction(truth, f, l));
        var jumps = Trace(1, l => Direction(truth, l == 0 ? g : f, l));
        var nothing = Trace(2, _ => Enumerable.Repeat(0f, truth.D).ToArray());
        var result = ChainPrecision.Measure(SuiteTrace.Of([follows, jumps, nothing], [0, 1, 2], null), truth);

        Assert.Equal(2, result.Chains);
        Assert.Equal(1, result.Stayed);
        Assert.Equal(0.5, result.Precision);
    }

    private static FeatureTrace Trace(int latent, Func<int, float[]> direction)
    {
        var trace = new FeatureTrace("L00", latent, 0, null, 10, []);
        for (int layer = 0; layer < 3; layer++) trace.Directions[layer] = direction(layer);
        return trace;
    }

    private static float[] Direction(GroundTruth truth, int feature, int layer) =>
        truth.FeatureDirections(layer).AsSpan(feature * truth.D, truth.D).ToArray();
}
