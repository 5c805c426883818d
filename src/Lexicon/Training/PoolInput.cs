namespace Lexicon.Training;

/// <summary>
/// A layer's feature pool as the trainer and evaluator take it: the decoder rows to start from ([Rows, d]), and for
/// every store row its pooled activations — at most Active (index into the pool's rows, -1 for none; value), laid out
/// [tokens, Active] — computed beforehand by the encoders of the layers where the features were born.
/// </summary>
public sealed record PoolInput(int Rows, int Active, float[] Values, int[] Index, float[] Value, float LearningRate)
{
    /// <summary>Copies the pooled activations of the given store rows into [count, Active] host buffers.</summary>
    public void Gather(ReadOnlySpan<long> rows, int count, Span<int> index, Span<float> value)
    {
        for (int b = 0; b < count; b++)
        {
            Index.AsSpan((int)(rows[b] * Active), Active).CopyTo(index.Slice(b * Active, Active));
            Value.AsSpan((int)(rows[b] * Active), Active).CopyTo(value.Slice(b * Active, Active));
        }
    }
}
