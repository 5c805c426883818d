using Lexicon.Synthetic;

namespace Lexicon.Tests.Synthetic;

public sealed class SynthOptionsTests
{
    [Fact]
    public void Defaults_are_the_documented_world()
    {
        var o = new SynthOptions();
        Assert.Equal((4, 64, 512, 200_000L, 256, 0L, 64, "float32"),
            (o.Layers, o.DModel, o.Vocab, o.Tokens, o.Features, o.Seed, o.SequenceLength, o.DType));
        Assert.Equal((1.1, 0.5, 4, 0.3, 0.5, 0.45, 0.3, 1e-3, 3e-2, 0.05),
            (o.ZipfExponent, o.FreshTokenProbability, o.Successors, o.TokenDrift, o.BigramNorm, o.FeatureDrift,
                o.FadingShare, o.MinFiringProbability, o.MaxFiringProbability, o.NoiseSigma));
        o.Validate();
    }

    public static TheoryData<string, SynthOptions> BadOptions => new()
    {
        { "--layer-count", new SynthOptions { Layers = 0 } },
        { "--layer-count", new SynthOptions { Layers = 100 } },
        { "--d-model", new SynthOptions { DModel = 0 } },
        { "--vocab", new SynthOptions { Vocab = 7 } },
        { "--tokens", new SynthOptions { Tokens = 0 } },
        { "--tokens", new SynthOptions { Tokens = 1L << 31 } },
        { "--features", new SynthOptions { Features = -1 } },
        { "--sequence-length", new SynthOptions { SequenceLength = 0 } },
        { "--dtype", new SynthOptions { DType = "bfloat16" } },
        { "--vocab × --d-model", new SynthOptions { Vocab = 1 << 20, DModel = 1 << 12 } },
        { "--zipf-exponent", new SynthOptions { ZipfExponent = double.NaN } },
        { "--fresh-token-probability", new SynthOptions { FreshTokenProbability = 1.5 } },
        { "--successors", new SynthOptions { Successors = 0 } },
        { "--token-drift", new SynthOptions { TokenDrift = -0.1 } },
        { "--fading-share", new SynthOptions { FadingShare = -0.1 } },
        { "--min-firing-probability", new SynthOptions { MinFiringProbability = 0 } },
        { "--max-firing-probability", new SynthOptions { MaxFiringProbability = 1e-4 } },
        { "--noise", new SynthOptions { NoiseSigma = -1 } },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Nonsense_is_rejected_naming_the_flag(string flag, SynthOptions options)
    {
        var error = Assert.Throws<BadInputException>(options.Validate);
        Assert.StartsWith(flag + " ", error.Problem);

        // Generate validates before touching the target.
        string target = TempWorld.NewDirectory();
        Assert.Throws<BadInputException>(() => SyntheticWorld.Generate(options, target));
        Assert.False(Directory.Exists(target));
    }
}
