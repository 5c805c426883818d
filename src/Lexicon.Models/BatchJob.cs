namespace Lexicon.Models;

/// <summary>One batch on its way through <see cref="BatchPipeline"/>: its tokens (sequences of <see cref="Length"/>
/// each), and once run, the buffers holding its hidden states.</summary>
internal sealed class BatchJob(int[] tokens, int length)
{
    public int[] Tokens { get; } = tokens;
    public int Length { get; } = length;
    public int Sequences => Tokens.Length / Length;
    public EncoderBatch? Result { get; set; }
}
