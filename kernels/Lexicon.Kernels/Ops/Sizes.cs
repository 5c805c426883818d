namespace Lexicon.Kernels.Ops;

/// <summary>The size checks the operations share.</summary>
internal static class Sizes
{
    /// <summary>rows × width elements, both non-negative.</summary>
    public static long Matrix(int rows, int width, string rowsName, string widthName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows, rowsName);
        ArgumentOutOfRangeException.ThrowIfNegative(width, widthName);
        return (long)rows * width;
    }
}
