using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Kernels;
using Lexicon.Suite;

namespace Lexicon.Features;

/// <summary>
/// The feature families of an SAE or a suite with their codes on a store, computed as <c>encode</c> and <c>eval</c>
/// compute them: an SAE's own latents through <see cref="CodeExtractor"/>, a suite's sources through
/// <see cref="SuiteCodes"/> (cached codes on its own store, computed and cached for another). Each family's nearest-token
/// basis is its checkpoint's unigram table where it has one, else the store's per-token mean at its birth layer.
/// </summary>
public static class SiteSources
{
    public static IReadOnlyList<FeatureFamily> OfSae(IKernels kernels, LoadedCheckpoint checkpoint, ActivationStore store, string flag)
    {
        checkpoint.RequireSameModel(store);
        int layer = checkpoint.Config?.Layer ?? throw new BadInputException(flag, $"{checkpoint.Directory} was not written by Lexicon and names no layer");
        store.Layer(layer);
        var codes = CodeExtractor.Run(kernels, checkpoint.Weights, checkpoint.SaeLens.K, store, layer, checkpoint.Known(),
            checkpoint.NormalizeTokens);
        var source = new PoolSource(SuiteConfig.SourceName(layer), layer, checkpoint.Weights.Latents, checkpoint.SaeLens.K, store.D,
            checkpoint.Weights.WDec, codes.Index, codes.Value);
        return [new FeatureFamily(source, Basis(checkpoint, store, layer))];
    }

    public static IReadOnlyList<FeatureFamily> OfSuite(IKernels kernels, string root, ActivationStore store, Action<string>? onStage = null)
    {
        var manifest = SuiteFiles.RequireManifest(root);
        if (manifest.CompletedLayers.Length == 0) throw new BadInputException(root, "the suite has no finished layer yet");
        var sources = SuiteCodes.For(kernels, root, manifest, store, onSource: name => onStage?.Invoke($"codes of {name} on this store"));
        var families = new List<FeatureFamily>();
        foreach (var source in sources.OrderBy(s => s.BirthLayer).ThenBy(s => s.Name == SuiteConfig.EnrichedSource ? 0 : 1))
        {
            var checkpoint = Checkpoint.Load(source.Name == SuiteConfig.EnrichedSource
                ? SuiteFiles.EnrichedDirectory(root) : SuiteFiles.LayerDirectory(root, source.BirthLayer));
            checkpoint.RequireSameModel(store);
            families.Add(new FeatureFamily(source, Basis(checkpoint, store, source.BirthLayer)));
        }
        return families;
    }

    private static TokenBasis Basis(LoadedCheckpoint checkpoint, ActivationStore store, int layer)
    {
        var skip = FeatureCollector.SkippedRows(store.Tokens, store.Manifest.SpecialTokens);
        return TokenBasis.FromTable(checkpoint.Tables, layer, store.Tokens, skip) ?? TokenBasis.Means(store, layer, skip);
    }
}
