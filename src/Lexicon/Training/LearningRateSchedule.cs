namespace Lexicon.Training;

/// <summary>Linear warm-up to the peak, constant, then a linear decay to zero over the last share of the steps.</summary>
public readonly record struct LearningRateSchedule(float Peak, int WarmupSteps, long TotalSteps, float DecayFraction)
{
    /// <summary>The rate for step s (1-based).</summary>
    public float At(long step)
    {
        double rate = Peak;
        if (WarmupSteps > 0 && step <= WarmupSteps) rate *= (double)step / WarmupSteps;
        long decaySteps = (long)(DecayFraction * TotalSteps);
        long decayStart = TotalSteps - decaySteps;
        if (decaySteps > 0 && step > decayStart) rate *= Math.Max(0, (double)(TotalSteps - step + 1) / (decaySteps + 1));
        return (float)rate;
    }
}
