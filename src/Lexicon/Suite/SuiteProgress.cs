namespace Lexicon.Suite;

/// <summary>What the suite is doing: which stage (a layer, or the enriched SAE at its layer) and how far along.</summary>
public readonly record struct SuiteProgress(string Stage, double Fraction, string Status);
