using System.Reflection;

namespace Lexicon.Features;

/// <summary>What a built site holds: where its index is, and each live feature's label (id with top tokens), for the
/// report's plots.</summary>
public sealed record BuiltSite(string Index, int Live, int Dead, IReadOnlyDictionary<string, string> Labels);

/// <summary>
/// The feature site, a static directory that opens from disk with no server and nothing fetched from the network:
/// index.html, one page per feature that fired under f/, features.json, the one script and stylesheet every page
/// shares (site.js, site.css, embedded in this assembly) and site.json, its marker. Written into a directory the caller
/// has claimed.
/// </summary>
public static class FeatureSite
{
    public static BuiltSite Build(SiteInput input, string root, Action<string>? onStage = null)
    {
        Directory.CreateDirectory(root);
        // The marker first, so a directory a killed run left is still recognised as a feature site and can be replaced.
        Output.OutputKind.FeatureSite.WriteMarker(root);
        onStage?.Invoke("scanning codes");
        var collected = FeatureCollector.Run(input);
        onStage?.Invoke($"writing {collected.Live.Count:N0} pages");
        string pages = Path.Combine(root, "f");
        if (Directory.Exists(pages)) Directory.Delete(pages, recursive: true);
        Directory.CreateDirectory(pages);
        foreach (var feature in collected.Live) FeaturePage.Write(Path.Combine(root, feature.Page), feature, input, collected);
        foreach (string asset in new[] { "site.js", "site.css" }) WriteAsset(asset, Path.Combine(root, asset));
        IndexPage.Write(Path.Combine(root, IndexPage.FileName), input, collected);
        FeaturesJson.Write(Path.Combine(root, FeaturesJson.FileName), input, collected);
        return new BuiltSite(Path.GetFullPath(Path.Combine(root, IndexPage.FileName)), collected.Live.Count, collected.Dead.Count,
            collected.Live.ToDictionary(f => f.Id, f => PageShell.Label(f, input.Vocabulary)));
    }

    private static void WriteAsset(string name, string path)
    {
        using var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Lexicon.Features.Assets.{name}")
            ?? throw new InvalidOperationException($"the site's {name} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}");
        using var file = File.Create(path);
        resource.CopyTo(file);
    }
}
