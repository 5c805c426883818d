using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Kernels;

namespace Lexicon.Suite;

/// <summary>
/// A suite's pooled features with their activations on a given store. On the store it was trained on they are the codes
/// cached at training; on another store each source's codes are computed there, in birth order, as training computed
/// them (the enriched SAE with its tables and the pool it trained against; layer L's SAE with its tables and the pool of
/// the sources born before L, their codes on this store), and cached in codes/store-ID/ under the store's identity, so a store never sees another's codes.
/// </summary>
public static class SuiteCodes
{
    /// <param name="cache">Whether to read and write the per-store cache (a suite on a read-only disk is computed each time).</param>
    public static List<PoolSource> For(IKernels kernels, string root, SuiteManifest manifest, ActivationStore store, bool cache = true,
        Action<string>? onSource = null)
    {
        if (IsOwnStore(manifest, store))
        {
            var own = manifest.Sources.Select(record => SuiteFiles.ReadCodes(root, record)).ToList();
            if (own.Count > 0 && own[0].CodeIndex.Length / own[0].K != store.TokenCount)
                throw new BadInputException(store.Directory, "the suite's cached codes do not fit its own store (another number of tokens)");
            return own;
        }
        string key = StoreKey(store);
        var sources = new List<PoolSource>();
        foreach (var record in manifest.Sources)
        {
            var cached = cache ? Cached(root, record, key, store) : null;
            if (cached is null)
            {
                onSource?.Invoke(record.Name);
                cached = Compute(kernels, root, manifest, record, sources, store, out var shares);
                if (cache) Save(root, cached, shares, key);
            }
            sources.Add(cached);
        }
        return sources;
    }

    public static bool IsOwnStore(SuiteManifest manifest, ActivationStore store) => manifest.Store is null || manifest.Store.Identity == store.Identity;

    /// <summary>The cache folder's name for a store: its identity's hex digits.</summary>
    public static string StoreKey(ActivationStore store) => store.Identity.Split(':')[^1];

    private static PoolSource Compute(IKernels kernels, string root, SuiteManifest manifest, SuiteSourceRecord record,
        List<PoolSource> earlier, ActivationStore store, out double[] shares)
    {
        bool enriched = record.Name == SuiteConfig.EnrichedSource;
        var checkpoint = Checkpoint.Load(enriched ? SuiteFiles.EnrichedDirectory(root) : SuiteFiles.LayerDirectory(root, record.BirthLayer));
        checkpoint.RequireSameModel(store);
        var trained = SuiteFiles.ReadCodes(root, record);
        var pool = SuiteEvaluation.TrainedPool(earlier.Where(s => enriched ? SuiteTrainer.InEnrichedPool(s, manifest.Config, record.BirthLayer)
            : SuiteTrainer.InPool(s, manifest.Config, record.BirthLayer)), manifest.Config, record.BirthLayer, checkpoint.Directory, store).Pool;
        var codes = CodeExtractor.Run(kernels, checkpoint.Weights, checkpoint.SaeLens.K, store, record.BirthLayer, checkpoint.Known(pool),
            checkpoint.NormalizeTokens);
        shares = codes.LatentShares;
        var source = new PoolSource(record.Name, record.BirthLayer, record.Latents, record.K, store.D, trained.BirthDecoder, codes.Index, codes.Value);
        record.Death.CopyTo(source.Death, 0);
        return source;
    }

    private static PoolSource? Cached(string root, SuiteSourceRecord record, string key, ActivationStore store)
    {
        if (!File.Exists(SuiteFiles.CodesFile(root, record.Name, key))) return null;
        var source = SuiteFiles.ReadCodes(root, record, key);
        return source.CodeIndex.Length / source.K == store.TokenCount && source.D == store.D ? source : null;
    }

    private static void Save(string root, PoolSource source, double[] shares, string key)
    {
        try
        {
            SuiteFiles.WriteCodes(root, source, shares, key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"lexicon: warning: could not cache {source.Name}'s codes for store {key} in {root} ({e.Message}); they will be computed again");
        }
    }
}
