namespace Lexicon.Data.Formats;

/// <summary>Sizes and on-disk names of <see cref="DType"/> values.</summary>
public static class DTypes
{
    public static int SizeOf(DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float16 or DType.BFloat16 => 2,
        DType.Int64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>The lower-case name used in error messages ("float16").</summary>
    internal static string Name(DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float16 => "float16",
        DType.BFloat16 => "bfloat16",
        DType.Int32 => "int32",
        DType.Int64 => "int64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>The numpy descr of a little-endian array; BFloat16 has none.</summary>
    internal static string NpyDescr(DType dtype) => dtype switch
    {
        DType.Float32 => "<f4",
        DType.Float16 => "<f2",
        DType.Int32 => "<i4",
        DType.Int64 => "<i8",
        _ => throw new ArgumentException($"{Name(dtype)} cannot be stored in a .npy file", nameof(dtype)),
    };

    internal static bool TryParseNpyDescr(string descr, out DType dtype)
    {
        switch (descr)
        {
            case "<f4": dtype = DType.Float32; return true;
            case "<f2": dtype = DType.Float16; return true;
            case "<i4": dtype = DType.Int32; return true;
            case "<i8": dtype = DType.Int64; return true;
            default: dtype = default; return false;
        }
    }

    internal static string SafeTensorsName(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float16 => "F16",
        DType.BFloat16 => "BF16",
        DType.Int32 => "I32",
        DType.Int64 => "I64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    internal static bool TryParseSafeTensorsName(string name, out DType dtype)
    {
        switch (name)
        {
            case "F32": dtype = DType.Float32; return true;
            case "F16": dtype = DType.Float16; return true;
            case "BF16": dtype = DType.BFloat16; return true;
            case "I32": dtype = DType.Int32; return true;
            case "I64": dtype = DType.Int64; return true;
            default: dtype = default; return false;
        }
    }
}
