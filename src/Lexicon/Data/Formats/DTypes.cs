namespace Lexicon.Data.Formats;

/// <summary>Sizes and on-disk names of <see cref="DType"/> values, each written once in <see cref="All"/>.</summary>
public static class DTypes
{
    /// <param name="Name">The lower-case name used in error messages ("float16").</param>
    /// <param name="NpyDescr">The numpy descr of a little-endian array; BFloat16 has none.</param>
    private sealed record Entry(DType DType, int Size, string Name, string? NpyDescr, string SafeTensorsName);

    private static readonly Entry[] All =
    [
        new(DType.Float32, 4, "float32", "<f4", "F32"),
        new(DType.Float16, 2, "float16", "<f2", "F16"),
        new(DType.BFloat16, 2, "bfloat16", null, "BF16"),
        new(DType.Int32, 4, "int32", "<i4", "I32"),
        new(DType.Int64, 8, "int64", "<i8", "I64"),
    ];

    public static int SizeOf(DType dtype) => Of(dtype).Size;

    /// <summary>The lower-case name used in error messages ("float16").</summary>
    internal static string Name(DType dtype) => Of(dtype).Name;

    /// <summary>The numpy descr of a little-endian array; BFloat16 has none.</summary>
    internal static string NpyDescr(DType dtype) =>
        Of(dtype).NpyDescr ?? throw new ArgumentException($"{Name(dtype)} cannot be stored in a .npy file", nameof(dtype));

    internal static bool TryParseNpyDescr(string descr, out DType dtype) => TryFind(e => e.NpyDescr == descr, out dtype);

    internal static string SafeTensorsName(DType dtype) => Of(dtype).SafeTensorsName;

    internal static bool TryParseSafeTensorsName(string name, out DType dtype) => TryFind(e => e.SafeTensorsName == name, out dtype);

    private static Entry Of(DType dtype) =>
        Array.Find(All, e => e.DType == dtype) ?? throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype");

    private static bool TryFind(Predicate<Entry> match, out DType dtype)
    {
        var entry = Array.Find(All, match);
        dtype = entry?.DType ?? default;
        return entry is not null;
    }
}
