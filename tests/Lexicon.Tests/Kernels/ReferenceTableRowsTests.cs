using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Kernels;

/// <summary>The reference itself, once (the backends are checked against it in <see cref="TableKernelSuite"/>): a
/// table's rows stay inside that table, for exact and hashed keys alike.</summary>
public sealed class ReferenceTableRowsTests
{
    [Theory, MemberData(nameof(TableKernelSuite.Shapes), MemberType = typeof(TableKernelSuite))]
    public void Reference_TableRows_fall_inside_their_own_table(int rows, int d, int exactRows, int hashedRows)
    {
        _ = d;
        var (unigram, bigram) = TableKernelSuite.RandomKeys(new TestRandom(305), rows, exactRows);
        var output = new int[rows * 3];
        Ref.TableRows.Run(unigram, rows, 1, 1, exactRows, 0, 0, output, 3, 0);
        Ref.TableRows.Run(bigram, rows, 2, 2, hashedRows, exactRows, 12345, output, 3, 1);
        for (int b = 0; b < rows; b++)
        {
            Assert.InRange(output[b * 3], 0, exactRows - 1);
            for (int s = 1; s < 3; s++)
                if (output[b * 3 + s] >= 0) Assert.InRange(output[b * 3 + s], exactRows, exactRows + hashedRows - 1);
        }
    }
}
