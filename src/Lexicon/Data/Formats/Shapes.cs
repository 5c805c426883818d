using System.Text;

namespace Lexicon.Data.Formats;

/// <summary>Overflow-checked shape arithmetic and shape formatting for messages and headers.</summary>
internal static class Shapes
{
    /// <summary>The element and byte counts of <paramref name="shape"/>, or false when a dimension is negative or the
    /// product of the non-zero dimensions times <paramref name="itemSize"/> overflows a long (numpy's rule, so that
    /// any partial product, such as a row length, also fits).</summary>
    public static bool TryByteCount(ReadOnlySpan<long> shape, int itemSize, out long elements, out long bytes)
    {
        elements = 0;
        bytes = 0;
        bool empty = false;
        long product = itemSize;
        foreach (long dim in shape)
        {
            if (dim < 0)
                return false;
            if (dim == 0)
            {
                empty = true;
                continue;
            }

            if (product > long.MaxValue / dim)
                return false;
            product *= dim;
        }

        if (!empty)
        {
            bytes = product;
            elements = product / itemSize;
        }

        return true;
    }

    /// <summary>Python tuple syntax, as in a .npy header: "()", "(5,)", "(3, 4)".</summary>
    public static string Tuple(ReadOnlySpan<long> shape) =>
        shape.Length == 1 ? $"({shape[0]},)" : "(" + Join(shape) + ")";

    /// <summary>JSON list syntax, as in a safetensors header: "[]", "[5]", "[3, 4]".</summary>
    public static string List(ReadOnlySpan<long> shape) => "[" + Join(shape) + "]";

    private static string Join(ReadOnlySpan<long> shape)
    {
        var text = new StringBuilder();
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0)
                text.Append(", ");
            text.Append(shape[i]);
        }

        return text.ToString();
    }
}
