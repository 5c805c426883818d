using Lexicon.Suite;

namespace Lexicon.Features;

/// <summary>A family of features as the site reads it: a source's codes on the store (own latents of a layer, or the
/// enriched SAE's) and the token vectors its decoder rows are compared with.</summary>
public sealed record FeatureFamily(PoolSource Codes, TokenBasis Basis);

/// <summary>Contexts drawn from one band of activation values below a feature's top ones.</summary>
public sealed record BandContexts(QuantileBand Band, Context[] Samples);

/// <summary>
/// One feature that fired, as its page shows it: its stable id (<see cref="FeatureReadout.Id"/>), birth and death,
/// how it fires (summary, top contexts, samples below the top), the tokens it fires on most, the tokens nearest its
/// decoder direction, and (a pooled feature of a suite) its trajectory through the later layers.
/// </summary>
public sealed record SiteFeature(string Source, int Latent, int BirthLayer, int? DeathLayer, LatentSummary Summary, Context[] Top,
    BandContexts[] Bands, int[] TopTokens, NearToken[] Nearest, TokenBasis Basis, FeatureTrace? Trace)
{
    public string Id => FeatureReadout.Id(Source, Latent);

    /// <summary>Its page, relative to the site's root (no ':' in a file name: a relative URL would read it as a scheme).</summary>
    public string Page => $"f/{Source}-{Latent}.html";

    /// <summary>The share of the store's (non-special) rows it fires on.</summary>
    public double Density(long rows) => rows == 0 ? 0 : (double)Summary.Firings / rows;
}
