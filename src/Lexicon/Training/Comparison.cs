using Lexicon.Data;
using Lexicon.Kernels;
using Lexicon.Metrics;

namespace Lexicon.Training;

/// <summary>FVU and NMSE on the comparison's fixed evaluation sample after a number of training tokens.</summary>
public readonly record struct CurvePoint(long Tokens, double Fvu, double Nmse);

/// <summary>A plain and a tokenized SAE trained on the same batches, and how fast each got where, measured on
/// <see cref="Split"/> (held-out rows where the store has them).</summary>
public sealed record ComparisonResult(IReadOnlyList<CurvePoint> Plain, IReadOnlyList<CurvePoint> Tokenized, long PlainTokens,
    double? TokenizedTokensToPlainFinal, Split Split, int EvalTokens)
{
    public double PlainNmse => Plain[^1].Nmse;
    public double TokenizedNmse => Tokenized[^1].Nmse;
    public double PlainFvu => Plain[^1].Fvu;
    public double TokenizedFvu => Tokenized[^1].Fvu;

    /// <summary>Tokens the tokenized SAE needed to reach the plain SAE's final FVU, over the tokens the plain SAE used.</summary>
    public double? TokensToPlainFinalRatio => TokenizedTokensToPlainFinal / PlainTokens;
}

/// <summary>
/// <c>lexicon train --compare</c>: trains the plain SAE and the tokenized one with the same seed (so the same batches in
/// the same order), evaluating both on one fixed sample of the store's held-out rows (of its training rows, where it holds
/// none out) every 1/points of the run, and reports where each ended and how many tokens the tokenized one needed to
/// reach the plain one's final FVU (interpolated between evaluations). FVU, not NMSE, because it is what training
/// minimises (summed squared error): where token norms vary the two disagree.
/// </summary>
public static class Comparison
{
    public static ComparisonResult Run(IKernels kernels, ActivationStore store, ResolvedTrainConfig plain, ResolvedTrainConfig tokenized,
        int evalTokens, int points, Action<Trainer>? onFinished = null, Action<string, double>? progress = null, ITokenActivations? model = null)
    {
        var split = store.HasHeldOut ? Split.HeldOut : Split.Train;
        var rows = StoreRows.Of(store, split, plain.IncludeSpecialTokens);
        var rng = Rng.Derive(plain.Seed, 0xC0_4FA2E);
        var sample = Enumerable.Range(0, Math.Min(evalTokens, rows.Length)).Select(_ => rows[rng.NextLong(rows.Length)]).Order().ToArray();
        var plainCurve = Curve(kernels, store, plain, sample, points, onFinished, f => progress?.Invoke("plain", f), model);
        var tokenizedCurve = Curve(kernels, store, tokenized, sample, points, onFinished, f => progress?.Invoke("tokenized", f), model);
        return new ComparisonResult(plainCurve, tokenizedCurve, plainCurve[^1].Tokens, TokensToReach(tokenizedCurve, plainCurve[^1].Fvu),
            split, sample.Length);
    }

    /// <summary>The first crossing of the target FVU, linearly interpolated between the two evaluations around it.</summary>
    public static double? TokensToReach(IReadOnlyList<CurvePoint> curve, double target)
    {
        for (int i = 0; i < curve.Count; i++)
        {
            if (curve[i].Fvu > target) continue;
            if (i == 0) return curve[0].Tokens;
            var (a, b) = (curve[i - 1], curve[i]);
            return a.Tokens + (b.Tokens - a.Tokens) * (a.Fvu - target) / (a.Fvu - b.Fvu);
        }
        return null;
    }

    private static List<CurvePoint> Curve(IKernels kernels, ActivationStore store, ResolvedTrainConfig config, long[] sample, int points,
        Action<Trainer>? onFinished, Action<double> progress, ITokenActivations? model)
    {
        using var trainer = new Trainer(kernels, store, config, model: model);
        long every = Math.Max(1, config.TotalSteps / points);
        var curve = new List<CurvePoint> { Evaluate(kernels, store, trainer, sample, 0) };
        while (!trainer.Finished)
        {
            var last = trainer.Run(every);
            curve.Add(Evaluate(kernels, store, trainer, sample, last.TokensSeen));
            progress((double)trainer.Step / config.TotalSteps);
        }
        onFinished?.Invoke(trainer);
        return curve;
    }

    private static CurvePoint Evaluate(IKernels kernels, ActivationStore store, Trainer trainer, long[] sample, long tokens)
    {
        var result = Evaluator.Run(kernels, trainer.Weights(), trainer.Config.K, store, trainer.Config.Layer, new EvalOptions
        {
            Known = new KnownWeights(trainer.Tables(), null, trainer.Config.SubtractTables), Rows = sample, Normalize = trainer.Config.NormalizeTokens,
        });
        return new CurvePoint(tokens, result.Fvu, result.Nmse);
    }
}
