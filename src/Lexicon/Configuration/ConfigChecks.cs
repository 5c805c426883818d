using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Lexicon.Configuration;

/// <summary>Runs the <see cref="CheckAttribute"/>s of a config: on one value as a flag is parsed, or on every property of
/// a config read back from a file (where the message names the file and the JSON field).</summary>
public static class ConfigChecks
{
    /// <summary>The first problem of a value against a property's checks, as "must be ..., got X"; null if none.</summary>
    public static string? Problem(PropertyInfo property, object? value)
    {
        if (value is null) return null;
        foreach (var check in property.GetCustomAttributes<CheckAttribute>())
            if (check.Problem(value) is { } problem) return $"{problem}, got {Show(value)}";
        return null;
    }

    /// <summary>Throws <see cref="BadInputException"/> naming <paramref name="file"/> and the field of the first property
    /// out of range (nested configs are checked too, as "outer.inner").</summary>
    public static void Validate(object config, string file, string prefix = "")
    {
        foreach (var property in config.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || !property.CanWrite) continue;
            object? value = property.GetValue(config);
            string field = prefix + JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);
            if (Problem(property, value) is { } problem) throw new BadInputException(file, $"{field} {problem}");
            if (value is not null && property.PropertyType.IsClass && property.PropertyType != typeof(string)
                && property.PropertyType.GetProperties().Any(p => p.IsDefined(typeof(CheckAttribute), true)))
                Validate(value, file, field + ".");
        }
    }

    /// <summary>Throws <see cref="BadInputException"/> naming the flag of the first [Flag] property out of range (a
    /// config built in code rather than parsed from the command line gets the same rules).</summary>
    public static void ValidateFlags(object config)
    {
        foreach (var property in config.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (property.GetCustomAttribute<FlagAttribute>() is { } flag && Problem(property, property.GetValue(config)) is { } problem)
                throw new BadInputException(flag.Name, problem);
    }

    private static string Show(object value) => value switch
    {
        string s => $"'{s}'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
