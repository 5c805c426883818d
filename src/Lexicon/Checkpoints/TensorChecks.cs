using System.Numerics.Tensors;

namespace Lexicon.Checkpoints;

/// <summary>Checks on tensors read back from a file, reported against the file and the tensor's name.</summary>
public static class TensorChecks
{
    public static void Finite(ReadOnlySpan<float> values, string path, string name)
    {
        // x·0 is 0 for finite x and NaN for NaN or ±Inf, so one SIMD sum detects both (a sum that overflows is
        // caught too, and then the values themselves are looked at).
        if (values.Length > 0 && !float.IsFinite(TensorPrimitives.Sum(values) * 0) && Any(values, v => !float.IsFinite(v)))
            throw new BadInputException(path, $"'{name}' holds NaN or infinite values");
    }

    /// <summary>Trained weights are of order one (unit-norm decoder rows, encoder rows scaled to the data, tables at
    /// activation scale); a value beyond this is a corrupt file, and reconstructing with it would overflow float32.</summary>
    public const float PlausibleMagnitude = 1e10f;

    public static void Plausible(ReadOnlySpan<float> values, string path, string name)
    {
        Finite(values, path, name);
        if (values.Length == 0) return;
        float largest = Math.Max(TensorPrimitives.Max(values), -TensorPrimitives.Min(values));
        if (largest > PlausibleMagnitude)
            throw new BadInputException(path, $"'{name}' holds a value of magnitude {largest:G3}, too large for a trained SAE (at most {PlausibleMagnitude:G0})");
    }

    public static void NotNegative(ReadOnlySpan<float> values, string path, string name)
    {
        Finite(values, path, name);
        if (values.Length > 0 && TensorPrimitives.Min(values) < 0) throw new BadInputException(path, $"'{name}' holds negative values");
    }

    public static void NotNegative(ReadOnlySpan<int> values, string path, string name)
    {
        if (values.Length > 0 && TensorPrimitives.Min(values) < 0) throw new BadInputException(path, $"'{name}' holds negative values");
    }

    private static bool Any(ReadOnlySpan<float> values, Func<float, bool> test)
    {
        foreach (float v in values)
            if (test(v)) return true;
        return false;
    }
}
