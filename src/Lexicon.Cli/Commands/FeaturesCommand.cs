using System.CommandLine;
using Lexicon.Cli.Commands.Results;
using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Features;
using Lexicon.Output;
using Lexicon.Suite;

namespace Lexicon.Cli.Commands;

/// <summary>
/// <c>lexicon features</c>: a static site of what each feature of an SAE or a suite is, read off a store: index.html (a
/// sortable, filterable table, a search by token), a page per feature that fired (top contexts shaded by activation,
/// samples below the top, its activation histogram, nearest tokens, a pooled feature's trajectory) and features.json.
/// </summary>
public static class FeaturesCommand
{
    private static readonly Option<string?> Sae = Options.Path("--sae", "Checkpoint directory");
    private static readonly Option<string?> SuiteDir = Options.Path("--suite", "Suite directory");
    private static readonly Option<string> Data = Options.Required("--data", "Activation store to read the features off (the model's own or another of the same model)");
    private static readonly Option<string> Out = Options.Required("--out", "Site directory: new, empty, or (with --force) a feature site to replace");
    private static readonly Option<bool> Force = Options.Force("a feature site");
    private static readonly Option<int> Top = Options.Make("--top", "Top contexts per feature", 10, Check.InRange(1, 50));
    private static readonly Option<int> Radius = Options.Make("--radius", "Tokens shown either side of a context's row", 10, Check.InRange(0, 64));

    public static Command Create() => Verb.Create("features",
        "A static site of an SAE's or a suite's features on a store: index.html, a page per feature, features.json", Run,
        Sae, SuiteDir, Data, Out, Force, Top, Radius, Options.Device);

    private static FeaturesResult Run(ParseResult p, CancellationToken cancel)
    {
        string? sae = p.GetValue(Sae), suite = p.GetValue(SuiteDir);
        if (sae is null == suite is null) throw new BadInputException("--sae/--suite", "give exactly one of --sae DIR and --suite DIR");
        string data = p.GetValue(Data)!;
        using var store = ActivationStore.Open(data);
        var checkpoint = sae is null ? null : Checkpoint.Load(sae);
        if (suite is not null) SuiteFiles.RequireManifest(suite);
        using var claim = OutputDirectory.Claim(p.GetValue(Out), new OutputRequest("--out", OutputKind.FeatureSite)
        {
            Force = p.GetValue(Force),
            Inputs = [("--data", data), (sae is null ? "--suite" : "--sae", sae ?? suite!)],
        });
        using var kernels = Backends.Create(p.GetValue(Options.Device));
        var limits = new ScanLimits { Top = p.GetValue(Top) };
        var site = checkpoint is not null
            ? Build(new SiteInput(Path.GetFileName(Path.GetFullPath(sae!)), store.Directory, store.Manifest.Model, store.Tokens, store.Positions,
                store.Manifest.SpecialTokens, StoreVocabulary.For(store.Manifest), SiteSources.OfSae(kernels, checkpoint, store, "--sae"), null)
            { Limits = limits, Radius = p.GetValue(Radius) }, claim.Path)
            : ForSuite(kernels, suite!, store, claim.Path, limits, p.GetValue(Radius));
        claim.Commit();
        if (!p.GetValue(Verb.Json)) Console.WriteLine($"features: {site.Live:N0} fired, {site.Dead:N0} never did; site: {site.Index}");
        return new FeaturesResult(site.Index, site.Live, site.Dead);
    }

    /// <summary>The site of a suite's features (own latents of every layer, the enriched SAE's, with their trajectories),
    /// written into root (claimed by the caller).</summary>
    public static BuiltSite ForSuite(Lexicon.Kernels.IKernels kernels, string suite, ActivationStore store, string root, ScanLimits? limits = null,
        int radius = 10)
    {
        var families = ProgressBar.Run("feature site: codes", report => SiteSources.OfSuite(kernels, suite, store, stage => report(0, stage)));
        var input = new SiteInput(Path.GetFileName(Path.GetFullPath(suite)), store.Directory, store.Manifest.Model, store.Tokens, store.Positions,
            store.Manifest.SpecialTokens, StoreVocabulary.For(store.Manifest), families, SuiteTrace.Load(suite))
        {
            Limits = limits ?? new ScanLimits(),
            Radius = radius,
        };
        return Build(input, root);
    }

    private static BuiltSite Build(SiteInput input, string root) =>
        ProgressBar.Run("feature site", report => FeatureSite.Build(input, root, stage => report(0, stage)));
}
