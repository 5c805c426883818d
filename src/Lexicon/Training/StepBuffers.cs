using Lexicon.Kernels;
using Lexicon.Model;

namespace Lexicon.Training;

/// <summary>
/// One batch's working memory for the SAE on the backend, allocated once for the largest batch (the known part owns
/// its own, <see cref="KnownPart"/>). Selections keep the main top-k and the AuxK entries in one buffer (main first),
/// so one grouping and one gradient pass serve both; <see cref="For"/> cuts a batch's views.
/// </summary>
public sealed class StepBuffers : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public StepBuffers(IKernels kernels, SaeShape shape, int capacity, int k, int kAux)
    {
        Capacity = capacity;
        D = shape.D;
        Latents = shape.Latents;
        K = k;
        KAux = kAux;
        long rowsByD = (long)capacity * shape.D;
        long entries = (long)capacity * (k + kAux);
        X = Own(kernels.Allocate<float>(rowsByD));
        Xc = Own(kernels.Allocate<float>(rowsByD));
        Pre = Own(kernels.Allocate<float>((long)capacity * shape.Latents));
        Index = Own(kernels.Allocate<int>(entries));
        Value = Own(kernels.Allocate<float>(entries));
        GAct = Own(kernels.Allocate<float>(entries));
        Order = Own(kernels.Allocate<int>(entries));
        Start = Own(kernels.Allocate<int>(shape.Latents + 1L));
        XHat = Own(kernels.Allocate<float>(rowsByD));
        Residual = Own(kernels.Allocate<float>(rowsByD));
        Grad = Own(kernels.Allocate<float>(rowsByD));
        AuxHat = Own(kernels.Allocate<float>(rowsByD));
        AuxResidual = Own(kernels.Allocate<float>(rowsByD));
        AuxGrad = Own(kernels.Allocate<float>(rowsByD));
        RowError = Own(kernels.Allocate<float>(capacity));
        RowTarget = Own(kernels.Allocate<float>(capacity));
        AuxRowError = Own(kernels.Allocate<float>(capacity));
    }

    public int Capacity { get; }
    public int D { get; }
    public int Latents { get; }
    public int K { get; }
    public int KAux { get; }
    public DeviceArray<float> X { get; }
    public DeviceArray<float> Xc { get; }
    public DeviceArray<float> Pre { get; }
    public DeviceArray<int> Index { get; }
    public DeviceArray<float> Value { get; }
    public DeviceArray<float> GAct { get; }
    public DeviceArray<int> Order { get; }
    public DeviceArray<int> Start { get; }
    public DeviceArray<float> XHat { get; }
    public DeviceArray<float> Residual { get; }
    public DeviceArray<float> Grad { get; }
    public DeviceArray<float> AuxHat { get; }
    public DeviceArray<float> AuxResidual { get; }
    public DeviceArray<float> AuxGrad { get; }
    public DeviceArray<float> RowError { get; }
    public DeviceArray<float> RowTarget { get; }
    public DeviceArray<float> AuxRowError { get; }

    /// <summary>The views of a batch of <paramref name="rows"/> tokens.</summary>
    public BatchViews For(int rows) => new(this, rows);

    public void Dispose()
    {
        foreach (var array in _owned) array.Dispose();
    }

    private DeviceArray<T> Own<T>(DeviceArray<T> array) where T : unmanaged
    {
        _owned.Add(array);
        return array;
    }
}
