namespace Lexicon.Kernels.Cpu;

/// <summary>The tuner's rule against luck: a noisy machine can crown a candidate in one timing, and the choice is
/// cached, so the winner is timed again alternately with the default and kept only if its median speed over
/// <see cref="Rounds"/> rounds beats the default's by <see cref="Margin"/>.</summary>
public static class ProbeRounds
{
    public const int Rounds = 5;
    public const double Margin = 0.03;

    /// <param name="candidate">One timed call of the candidate, as a speed (higher is better).</param>
    /// <param name="baseline">One timed call of the default, as the same speed.</param>
    public static bool Beats(Func<double> candidate, Func<double> baseline)
    {
        var candidates = new double[Rounds];
        var baselines = new double[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            baselines[round] = baseline();
            candidates[round] = candidate();
        }
        Array.Sort(candidates);
        Array.Sort(baselines);
        return candidates[Rounds / 2] > baselines[Rounds / 2] * (1 + Margin);
    }
}
