using Lexicon.Suite;

namespace Lexicon.Cli.Commands.Results;

/// <summary>suite --json: where it is, whether every layer is done, and each finished layer's summary (as in suite.json).</summary>
public sealed record SuiteResult(string Out, bool Complete, int[] CompletedLayers, SuiteLayerSummary[] Layers);
