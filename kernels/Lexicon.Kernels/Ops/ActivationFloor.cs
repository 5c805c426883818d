namespace Lexicon.Kernels.Ops;

/// <summary>value[i] = value[i] ≥ floor ? value[i] : 0 (see <see cref="IKernels.ActivationFloor"/>).</summary>
public static class ActivationFloor
{
    public static void Check(ref View<float> value, long n, float floor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (!(floor >= 0) || !float.IsFinite(floor)) throw new ArgumentOutOfRangeException(nameof(floor), $"floor must be finite and ≥ 0, got {floor}");
        value = value.Need(n, nameof(value));
    }

    /// <summary>A compare an element, read and written.</summary>
    public static OpCost Cost(long n) => OpCost.Of(n, 8.0 * n);
}
