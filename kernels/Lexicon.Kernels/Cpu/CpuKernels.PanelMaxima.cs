namespace Lexicon.Kernels.Cpu;

/// <summary>
/// The top-k's first pass fused into the encoder GEMM: the GEMM's epilogue writes, per row, the maximum of each
/// 32-latent panel of pre, and a <see cref="TopK"/> on exactly that pre reads only the panels that can hold a winner.
/// The maxima are remembered for the pre view the last EncoderGemm produced and forgotten on any other kernel call (any
/// of them could write that memory) and on any host write to its array (<see cref="CpuArray{T}.Version"/>), so TopK
/// never trusts maxima of memory that changed since; without them it computes the maxima from the row itself.
/// </summary>
public sealed unsafe partial class CpuKernels
{
    private CpuArray<float>? _panelMaxima;
    private CpuArray<float>? _maximaOf;
    private long _maximaOffset, _maximaVersion;
    private int _maximaRows, _maximaLatents;

    /// <summary>Room for the panel maxima of a [rows, latents] pre; the caller then records what they describe.</summary>
    private float* PanelMaximaFor(int rows, int latents)
    {
        ForgetPanelMaxima();
        return Workspace(ref _panelMaxima, (long)rows * Cpu.TopK.Panels(latents));
    }

    private void RememberPanelMaxima(View<float> pre, int rows, int latents)
    {
        _maximaOf = (CpuArray<float>)pre.Array;
        _maximaOffset = pre.Offset;
        _maximaVersion = _maximaOf.Version;
        _maximaRows = rows;
        _maximaLatents = latents;
    }

    /// <summary>The remembered maxima if they describe the first <paramref name="rows"/> rows of this pre, else null.</summary>
    private float* PanelMaximaOf(View<float> pre, int rows, int latents) =>
        _maximaOf is not null && ReferenceEquals(pre.Array, _maximaOf) && pre.Offset == _maximaOffset && _maximaOf.Version == _maximaVersion
        && latents == _maximaLatents && rows <= _maximaRows
            ? _panelMaxima!.Pointer
            : null;

    private void ForgetPanelMaxima() => _maximaOf = null;
}
