namespace Lexicon.Data.Formats;

/// <summary>A validated .npy header: C-order, little-endian, <see cref="DataOffset"/> bytes from the file start.
/// Row-oriented views treat the first axis as rows and flatten the rest into one row.</summary>
public sealed record NpyHeader(DType DType, long[] Shape, long DataOffset, int Version)
{
    /// <summary>A 0-D array is one row of one value.</summary>
    public long RowCount => Shape.Length == 0 ? 1 : Shape[0];

    /// <summary>The product of every dimension after the first; 1 for 0-D and 1-D arrays.</summary>
    public long RowLength
    {
        get
        {
            long length = 1;
            for (int i = 1; i < Shape.Length; i++)
                length = checked(length * Shape[i]);
            return length;
        }
    }

    public long ElementCount => checked(RowCount * RowLength);
}
