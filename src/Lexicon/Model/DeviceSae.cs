using Lexicon.Kernels;

namespace Lexicon.Model;

/// <summary>An SAE's parameters on a backend: one allocation, with a view per tensor.</summary>
public sealed class DeviceSae : IDisposable
{
    public DeviceSae(IKernels kernels, SaeShape shape)
    {
        Kernels = kernels;
        Layout = new ParameterLayout(shape);
        Parameters = kernels.Allocate<float>(Layout.Length);
        WEnc = View(Parameters, Layout.WEnc);
        BEnc = View(Parameters, Layout.BEnc);
        WDec = View(Parameters, Layout.WDec);
        BDec = View(Parameters, Layout.BDec);
    }

    public IKernels Kernels { get; }
    public ParameterLayout Layout { get; }
    public SaeShape Shape => Layout.Shape;
    public DeviceArray<float> Parameters { get; }
    public View<float> WEnc { get; }
    public View<float> BEnc { get; }
    public View<float> WDec { get; }
    public View<float> BDec { get; }

    /// <summary>The least activation at which a latent fires (0: plain TopK); taken from the weights loaded.</summary>
    public float MinActivation { get; private set; }

    /// <summary>Zeroes the selected values below <see cref="MinActivation"/>, after the top-k: those slots did not fire.</summary>
    public void ApplyFloor(View<float> value, long n)
    {
        if (MinActivation > 0) Kernels.ActivationFloor(value, n, MinActivation);
    }

    /// <summary>The view of a parameter-shaped buffer (gradients, moments) for one tensor.</summary>
    public static View<float> View(DeviceArray<float> flat, Segment segment) => flat.Slice(segment.Offset, segment.Length);

    public void Load(SaeWeights weights)
    {
        if (weights.Shape != Shape) throw new ArgumentException($"weights of shape {weights.Shape} loaded into an SAE of shape {Shape}");
        var flat = new float[Layout.Length];
        weights.WriteTo(flat, Layout);
        Parameters.CopyFromHost(flat);
        MinActivation = weights.MinActivation;
    }

    public SaeWeights Read() => SaeWeights.ReadFrom(Parameters.ToArray(), Layout) with { MinActivation = MinActivation };

    public void Dispose() => Parameters.Dispose();
}
