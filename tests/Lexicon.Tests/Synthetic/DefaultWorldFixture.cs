using Lexicon.Data;
using Lexicon.Synthetic;

namespace Lexicon.Tests.Synthetic;

/// <summary>The documented default world (fewer tokens, to stay fast), generated once for the tests that read it.</summary>
public sealed class DefaultWorldFixture : IDisposable
{
    public const int Tokens = 100_000;

    private readonly TempWorld _world = new(new SynthOptions { Tokens = Tokens });

    public DefaultWorldFixture() => Store = ActivationStore.Open(_world.Directory);

    public SynthOptions Options => _world.Options;
    public StoreManifest Manifest => _world.Manifest;
    public ActivationStore Store { get; }
    public GroundTruth Truth => _world.Truth;

    public void Dispose()
    {
        Store.Dispose();
        _world.Dispose();
    }
}
