using System.CommandLine;
using System.Reflection;
using Lexicon.Configuration;

namespace Lexicon.Cli;

/// <summary>
/// Command-line flags made from a config type's <see cref="FlagAttribute"/> properties: name and help from the
/// attribute, the default from the config a command starts from, and the range from the property's
/// <see cref="CheckAttribute"/>s, checked as the command line is parsed (exit 2 naming the flag before any work).
/// </summary>
public sealed class ConfigFlags<T> where T : class
{
    private readonly List<(PropertyInfo Property, Option Option, Func<ParseResult, object?> Read)> _flags = [];

    public ConfigFlags(T defaults)
    {
        var make = typeof(ConfigFlags<T>).GetMethod(nameof(Make), BindingFlags.NonPublic | BindingFlags.Static)!;
        // Base types' properties first, so a derived config's flags come after the shared ones (GetProperties lists them last).
        foreach (var property in typeof(T).GetProperties().OrderBy(p => Depth(p.DeclaringType)))
        {
            if (property.GetCustomAttribute<FlagAttribute>() is not { } flag) continue;
            var (option, read) = ((Option, Func<ParseResult, object?>))make.MakeGenericMethod(property.PropertyType)
                .Invoke(null, [property, flag, property.GetValue(defaults)])!;
            _flags.Add((property, option, read));
        }
    }

    public Option[] All => [.. _flags.Select(f => f.Option)];

    /// <summary>The flag of a property, by the property's name (nameof(TrainConfig.Latents)).</summary>
    public Option this[string property] => _flags.Single(f => f.Property.Name == property).Option;

    /// <summary>A copy of <paramref name="onto"/> with every flag's value (given or default) set.</summary>
    public T Read(ParseResult parse, T onto)
    {
        var copy = (T)typeof(T).GetMethod("<Clone>$")!.Invoke(onto, null)!;
        foreach (var (property, _, read) in _flags) property.SetValue(copy, read(parse));
        return copy;
    }

    private static int Depth(Type? type) => type is null ? 0 : 1 + Depth(type.BaseType);

    private static (Option, Func<ParseResult, object?>) Make<TValue>(PropertyInfo property, FlagAttribute flag, TValue defaultValue)
    {
        var option = new Option<TValue>(flag.Name) { Description = flag.Description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (Options.TryValue<TValue>(result, out var value) && ConfigChecks.Problem(property, value) is { } problem)
                result.AddError($"{flag.Name} {problem}");
        });
        return (option, parse => parse.GetValue(option));
    }
}
