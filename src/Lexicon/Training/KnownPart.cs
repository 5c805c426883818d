using Lexicon.Kernels;
using Lexicon.Model;

namespace Lexicon.Training;

/// <summary>
/// What the model already knows, as one component of a step: the lookup tables and the feature pool (either, both or
/// neither), each <see cref="SparseRows"/>. Forward, their rows summed into <see cref="Known"/> are added to the
/// reconstruction (and, with Subtract, removed from the encoder's input); backward, each part takes the gradient that
/// reaches it; update, each takes its lazy Adam step. Owns its parts.
/// </summary>
public sealed class KnownPart : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public KnownPart(IKernels kernels, int capacity, int d, DeviceTables? tables = null, DevicePool? pool = null, bool subtract = false)
    {
        Tables = tables;
        Pool = pool;
        Parts = new SparseRows?[] { tables, pool }.OfType<SparseRows>().ToArray();
        Subtract = subtract && Parts.Count > 0;
        if (Parts.Count == 0) return;
        long rowsByD = (long)capacity * d;
        Known = Own(kernels.Allocate<float>(rowsByD));
        if (!Subtract) return;
        Source = Own(kernels.Allocate<float>(rowsByD));
        SourceAux = Own(kernels.Allocate<float>(rowsByD));
    }

    public static KnownPart None(IKernels kernels) => new(kernels, 0, 0);

    public DeviceTables? Tables { get; }
    public DevicePool? Pool { get; }

    /// <summary>The parts in the order their rows are summed: tables, then pool.</summary>
    public IReadOnlyList<SparseRows> Parts { get; }

    public bool IsEmpty => Parts.Count == 0;

    /// <summary>The known part is also removed from the encoder's input.</summary>
    public bool Subtract { get; }

    /// <summary>Per token, the hard-coded part of the reconstruction: the tables' rows plus the pooled features.</summary>
    public DeviceArray<float>? Known { get; }

    // With Subtract, the gradient reaching the encoder's input through the main and AuxK selections.
    private DeviceArray<float>? Source { get; }
    private DeviceArray<float>? SourceAux { get; }

    /// <summary>Known = Σ parts' rows for the batch; with Subtract, xc −= Known.</summary>
    public void Forward(IKernels k, BatchViews v)
    {
        if (IsEmpty) return;
        var known = Known!.Slice(0, v.N);
        for (int p = 0; p < Parts.Count; p++) Parts[p].AddTo(known, v.Rows, overwrite: p == 0);
        if (Subtract) k.AddScaled(known, -1, v.Xc, v.N);
    }

    /// <summary>x̂ += Known.</summary>
    public void AddTo(IKernels k, View<float> xHat, long n)
    {
        if (!IsEmpty) k.AddScaled(Known!.Slice(0, n), 1, xHat, n);
    }

    /// <summary>
    /// The parts' touched rows' gradients: a row reaches the loss through the reconstruction (the loss gradient of each
    /// token that selected it) and, with Subtract, through the encoder's input (minus the gradient there,
    /// Σ_j gAct·W_enc[latent]: a sparse decode of gAct through W_enc).
    /// </summary>
    /// <param name="partition">Where the encoder's latents live: with <see cref="Subtract"/> the path back through the
    /// encoder sums over every rank's latents (a decode through W_enc).</param>
    public void Backward(IKernels k, BatchViews v, int auxUsed, View<float> wEnc, IPartition? partition = null)
    {
        partition ??= WholeBatch.Instance;
        if (IsEmpty) return;
        var source = v.Grad;
        float scale = 1;
        if (Subtract)
        {
            var toInput = Source!.Slice(0, v.N);
            partition.Decode(k, v.MainIndex, v.MainGAct, v.Rows, v.K, wEnc, default, toInput, v.D);
            if (auxUsed > 0)
            {
                var auxToInput = SourceAux!.Slice(0, v.N);
                partition.Decode(k, v.AuxIndex(auxUsed), v.AuxGAct(auxUsed), v.Rows, auxUsed, wEnc, default, auxToInput, v.D);
                k.AddScaled(auxToInput, 1, toInput, v.N);
            }
            k.AddScaled(v.Grad, -1, toInput, v.N);
            (source, scale) = (toInput, -1);
        }
        foreach (var part in Parts) part.Backward(source, scale, v.Rows);
    }

    /// <summary>Each part's lazy Adam step (shape: the SAE's learning rate over its peak, which scales each part's own).</summary>
    public void Update(float shape)
    {
        foreach (var part in Parts) part.Update(shape);
    }

    public void Dispose()
    {
        foreach (var array in _owned) array.Dispose();
        foreach (var part in Parts) part.Dispose();
    }

    private DeviceArray<T> Own<T>(DeviceArray<T> array) where T : unmanaged
    {
        _owned.Add(array);
        return array;
    }
}
