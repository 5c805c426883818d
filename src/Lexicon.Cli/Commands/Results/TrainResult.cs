using System.Text.Json.Serialization;
using Lexicon.Training;

namespace Lexicon.Cli.Commands.Results;

/// <summary>train --json: the run summary (as in lexicon.json), then where the checkpoint is and whether the run is done.</summary>
public sealed record TrainResult : TrainingSummary
{
    public TrainResult(TrainingSummary summary, string @out, bool finished) : base(summary)
    {
        Out = @out;
        Finished = finished;
    }

    // After the summary's fields (a derived record's own properties would otherwise come first).
    [JsonPropertyOrder(1)] public string Out { get; }
    [JsonPropertyOrder(1)] public bool Finished { get; }
}

/// <summary>train --compare --json: the plain and the tokenized SAE, where each ended and how fast the tokenized one got there.</summary>
public sealed record CompareResult(string Out, string Tables, string Split, bool InSample, string Metric, double PlainFvu, double TokenizedFvu,
    double PlainNmse, double TokenizedNmse, long PlainTokens, double? TokenizedTokensToPlainFinal, double? TokensToPlainFinalRatio, int EvalTokens,
    IReadOnlyList<object[]> PlainCurve, IReadOnlyList<object[]> TokenizedCurve)
{
    /// <summary>[tokens, fvu, nmse] per evaluation.</summary>
    public static IReadOnlyList<object[]> Curve(IReadOnlyList<CurvePoint> curve) => [.. curve.Select(c => new object[] { c.Tokens, c.Fvu, c.Nmse })];
}
