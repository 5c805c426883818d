using Lexicon.Kernels;

namespace Lexicon.Training;

/// <summary>One batch's views of <see cref="StepBuffers"/>, cut once for its row count, so a step reads like its math.
/// Selections keep the main top-k and the AuxK entries in one buffer (main first).</summary>
public sealed class BatchViews(StepBuffers b, int rows)
{
    public int Rows { get; } = rows;
    public int D { get; } = b.D;
    public int K { get; } = b.K;

    /// <summary>Rows × d.</summary>
    public long N { get; } = (long)rows * b.D;

    public View<float> X { get; } = b.X.Slice(0, (long)rows * b.D);
    public View<float> Xc { get; } = b.Xc.Slice(0, (long)rows * b.D);
    public View<float> Pre { get; } = b.Pre.Slice(0, (long)rows * b.Latents);
    public View<float> XHat { get; } = b.XHat.Slice(0, (long)rows * b.D);
    public View<float> Residual { get; } = b.Residual.Slice(0, (long)rows * b.D);
    public View<float> Grad { get; } = b.Grad.Slice(0, (long)rows * b.D);
    public View<float> AuxHat { get; } = b.AuxHat.Slice(0, (long)rows * b.D);
    public View<float> AuxResidual { get; } = b.AuxResidual.Slice(0, (long)rows * b.D);
    public View<float> AuxGrad { get; } = b.AuxGrad.Slice(0, (long)rows * b.D);
    public View<float> RowError { get; } = b.RowError.Slice(0, rows);
    public View<float> RowTarget { get; } = b.RowTarget.Slice(0, rows);
    public View<float> AuxRowError { get; } = b.AuxRowError.Slice(0, rows);
    public View<int> MainIndex { get; } = b.Index.Slice(0, (long)rows * b.K);
    public View<float> MainValue { get; } = b.Value.Slice(0, (long)rows * b.K);
    public View<float> MainGAct { get; } = b.GAct.Slice(0, (long)rows * b.K);

    /// <summary>Per latent, where its entries start in <see cref="Order"/> ([latents + 1]).</summary>
    public View<int> Start { get; } = b.Start.All;

    public View<int> AuxIndex(int kAux) => b.Index.Slice((long)Rows * K, (long)Rows * kAux);
    public View<float> AuxValue(int kAux) => b.Value.Slice((long)Rows * K, (long)Rows * kAux);
    public View<float> AuxGAct(int kAux) => b.GAct.Slice((long)Rows * K, (long)Rows * kAux);

    /// <summary>Main and AuxK entries together (rows × (k + kAux)): index, value, their gradients, their order by latent.</summary>
    public long Entries(int kAux) => (long)Rows * (K + kAux);
    public View<int> Index(int kAux) => b.Index.Slice(0, Entries(kAux));
    public View<float> Value(int kAux) => b.Value.Slice(0, Entries(kAux));
    public View<float> GAct(int kAux) => b.GAct.Slice(0, Entries(kAux));
    public View<int> Order(int kAux) => b.Order.Slice(0, Entries(kAux));
}
