namespace Lexicon.Kernels.Ops;

/// <summary>Rows of one lookup table for each token's key (see <see cref="IKernels.TableRows"/>).</summary>
public static class TableRows
{
    public static void Check(ref View<int> keys, int rows, int keyLength, int hashes, int tableRows, ref View<int> output, int stride, int column)
    {
        if (hashes is not (1 or 2) || keyLength < 1 || (hashes == 1 && keyLength != 1) || column < 0 || column + hashes > stride || tableRows < 1)
            throw new ArgumentException($"a table takes 1 exact slot (key length 1) or 2 hashed slots of at least one row; got {hashes} slots, " +
                $"key length {keyLength}, {tableRows} rows, column {column} of {stride}");
        keys = keys.Need(Sizes.Matrix(rows, keyLength, nameof(rows), nameof(keyLength)), nameof(keys));
        output = output.Need((long)rows * stride, nameof(output));
    }

    /// <summary>A hash step per key token and slot; the keys read, the rows written.</summary>
    public static OpCost Cost(int rows, int keyLength, int hashes) => OpCost.Of((double)rows * keyLength * hashes, (double)rows * (keyLength + hashes));
}
