using System.CommandLine;

namespace Lexicon.Cli;

/// <summary>Option constructors with the defaults written once.</summary>
public static class Options
{
    public static Option<T> Make<T>(string name, string description, T defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    public static Option<T> Make<T>(string name, string description) => new(name) { Description = description };

    public static Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };

    public static readonly Option<string?> Device = new("--device")
    {
        Description = "Backend: cuda, opencl, ilgpu-cpu or cpu (managed SIMD); default the first CUDA device, else cpu; see `lexicon devices`",
    };
}
