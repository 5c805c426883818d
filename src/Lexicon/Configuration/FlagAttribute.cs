namespace Lexicon.Configuration;

/// <summary>Marks a config property as a command-line flag: its name and help text. The flag's default is the
/// property's value in the config a command starts from, and its range is the property's <see cref="CheckAttribute"/>s.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FlagAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;
    public string Description { get; } = description;
}
