namespace Lexicon.Kernels.Cpu;

/// <summary>The CPU kernel is the reference's code run on fp32 buffers: B·k + M scalar steps per batch leave nothing for
/// a second, faster source to win (see <see cref="Reference.UpdateDeadLatents"/>).</summary>
public static class UpdateDeadLatents
{
    public static int Run(ReadOnlySpan<int> index, ReadOnlySpan<float> value, int rows, int k, int latents,
        Span<int> sinceFired, int deadAfter, Span<int> dead) =>
        Reference.UpdateDeadLatents.Run(index, value, rows, k, latents, sinceFired, deadAfter, dead);
}
