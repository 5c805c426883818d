using System.Globalization;

namespace Lexicon.Configuration;

/// <summary>A config property's range, written once beside it: checked on the flag as it is parsed and on the config
/// when it is read back from a file (<see cref="ConfigChecks"/>). An unset (null) value is always fine.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true)]
public abstract class CheckAttribute : Attribute
{
    /// <summary>What is wrong with the value ("must be at least 1"), or null if nothing is.</summary>
    public abstract string? Problem(object value);

    protected static string? NotFinite(object value, out double number)
    {
        number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        return double.IsFinite(number) ? null : "must be a finite number";
    }

    protected static string Format(double v) => v.ToString("G", CultureInfo.InvariantCulture);
}

/// <summary>A number no smaller than Min.</summary>
public sealed class AtLeastAttribute(double min) : CheckAttribute
{
    public override string? Problem(object value) =>
        NotFinite(value, out double v) ?? (v < min ? $"must be at least {Format(min)}" : null);
}

/// <summary>A number in [Min, Max], either end open if asked.</summary>
public sealed class InRangeAttribute(double min, double max) : CheckAttribute
{
    public bool MinExclusive { get; init; }
    public bool MaxExclusive { get; init; }

    public override string? Problem(object value)
    {
        if (NotFinite(value, out double v) is { } problem) return problem;
        bool ok = (MinExclusive ? v > min : v >= min) && (MaxExclusive ? v < max : v <= max);
        return ok ? null : $"must be in {(MinExclusive ? '(' : '[')}{Format(min)}, {Format(max)}{(MaxExclusive ? ')' : ']')}";
    }
}

/// <summary>One of a fixed set of words.</summary>
public sealed class OneOfAttribute(params string[] values) : CheckAttribute
{
    public override string? Problem(object value) =>
        values.Contains(value as string) ? null : $"must be {string.Join(", ", values[..^1])} or {values[^1]}";
}

/// <summary>A string with something in it.</summary>
public sealed class NotEmptyAttribute : CheckAttribute
{
    public override string? Problem(object value) => string.IsNullOrWhiteSpace(value as string) ? "must not be empty" : null;
}
