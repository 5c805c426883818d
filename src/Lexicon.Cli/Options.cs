using System.CommandLine;
using Lexicon.Configuration;
using Lexicon.Kernels;
using KernelPrecision = Lexicon.Kernels.Precision;

namespace Lexicon.Cli;

/// <summary>Option constructors with the defaults and ranges written once, beside the flag (the ranges are
/// <see cref="CheckAttribute"/>s, as on config properties, and are checked as the command line is parsed).</summary>
public static class Options
{
    public static Option<T> Make<T>(string name, string description, T defaultValue, params CheckAttribute[] checks) =>
        Checked(new Option<T>(name) { Description = description, DefaultValueFactory = _ => defaultValue }, checks);

    /// <summary>A flag with no default value (null when not given).</summary>
    public static Option<T> Optional<T>(string name, string description, params CheckAttribute[] checks) =>
        Checked(new Option<T>(name) { Description = description }, checks);

    public static Option<string> Required(string name, string description) =>
        Checked(new Option<string>(name) { Description = description, Required = true }, [new NotEmptyAttribute()]);

    /// <summary>A directory or file named by the user: present or not, never empty.</summary>
    public static Option<string?> Path(string name, string description) => Optional<string?>(name, description, new NotEmptyAttribute());

    /// <summary>--out of the verbs that write an activation store (synth, extract).</summary>
    public static Option<string> StoreOut() =>
        Required("--out", "Directory to write the store into: new, empty, or (with --force) a Lexicon store to replace");

    public static Option<bool> Force(string what) =>
        new("--force") { Description = $"Replace {what} at --out (only one Lexicon wrote, holding nothing else; kept until this run has finished)" };

    public static readonly Option<string?> Split = Optional<string?>("--split",
        "Rows to measure on: heldout, train or all (default: the held-out rows of the model's own store; all rows of another store)",
        new OneOfAttribute("heldout", "train", "all"));

    public static readonly Option<string?> Device = new("--device")
    {
        Description = "Backend: cuda, opencl, ilgpu-cpu or cpu (managed SIMD); default the first CUDA device, else cpu; see `lexicon devices`",
    };

    public static readonly Option<string?> Precision = Optional<string?>("--precision",
        "The encoder GEMM's inputs: fp32 (default), or tf32 or bf16 (rounded so, on CUDA tensor cores, fp32 accumulation)",
        new OneOfAttribute("fp32", "tf32", "bf16"));

    /// <summary>The backend --device and --precision ask for (where a verb has no --precision: fp32).</summary>
    internal static IKernels Kernels(ParseResult p) => Backends.Create(p.GetValue(Device), PrecisionOf(p));

    internal static KernelPrecision PrecisionOf(ParseResult p) =>
        p.GetResult(Precision) is null ? KernelPrecision.Fp32 : Precisions.Parse(p.GetValue(Precision) ?? "fp32")!.Value;

    /// <summary>The option's value, or false when it does not parse (the parser reports that on its own).</summary>
    internal static bool TryValue<T>(System.CommandLine.Parsing.OptionResult result, out T? value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    private static Option<T> Checked<T>(Option<T> option, CheckAttribute[] checks)
    {
        if (checks.Length == 0) return option;
        option.Validators.Add(result =>
        {
            // A value that did not parse is reported by the parser itself.
            if (!TryValue<T>(result, out var value) || value is null) return;
            foreach (var check in checks)
                if (check.Problem(value) is { } problem)
                {
                    result.AddError($"{option.Name} {problem}, got {value}");
                    return;
                }
        });
        return option;
    }
}

/// <summary>Short names for the checks flags carry.</summary>
public static class Check
{
    public static CheckAttribute AtLeast(double min) => new AtLeastAttribute(min);
    public static CheckAttribute InRange(double min, double max) => new InRangeAttribute(min, max);
    public static CheckAttribute Positive => new InRangeAttribute(0, double.MaxValue) { MinExclusive = true };
    public static CheckAttribute Layer => new InRangeAttribute(0, 99);
    public static CheckAttribute NotEmpty => new NotEmptyAttribute();
}
