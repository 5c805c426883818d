using Lexicon.Kernels;
using Lexicon.Kernels.Gpu;
using Lexicon.Tests.Kernels;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Gpu;

/// <summary>
/// The ILGPU EncodeTopK through each kept variant — the default reads the panel maxima the GEMM's epilogue writes
/// (<see cref="PanelTopK"/>) — against the reference, on rows where the panels apply and where they do not (no more
/// panels than k, or too many for shared memory), with ties and with rows of fewer than k positive values (which send
/// a row to the whole-row select); and the panel top-k given maxima it did not compute, which shows that it reads them.
/// </summary>
public abstract class PanelTopKSuite(BackendFixture shared, string device) : BackendSuite(shared)
{
    /// <summary>rows, d, latents, k: rows across the GEMM's tiles, latents off the 32-latent panel, k = 1, B = 1, one row
    /// wider than <see cref="PanelTopK.MaxPanels"/> panels and one of no more panels than k.</summary>
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 1, 16, 100, 1 },
        { 37, 20, 1000, 8 },
        { 130, 9, 2081, 31 },
        { 5, 7, 5000, 3 },
        { 3, 5, 32 * PanelTopK.MaxPanels + 40, 2 },
        { 9, 11, 320, 12 },
    };

    public enum Inputs { HalfPositive, FewPositive, Ties, NonePositive }

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void EncodeTopK_matches_reference_for_every_kind_of_row(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(1900 + latents);
        foreach (var inputs in Enum.GetValues<Inputs>()) Check(K, r, rows, d, latents, k, inputs, "default");
    }

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void Every_kept_variant_of_EncodeTopK_matches_reference(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(1950 + latents);
        foreach (var variant in IlgpuVariants.Of(nameof(IKernels.EncodeTopK)))
        {
            using var kernels = Backends.Create(device, nameof(IKernels.EncodeTopK), variant.Number);
            Check(kernels, r, rows, d, latents, k, Inputs.HalfPositive, variant.Name);
        }
    }

    /// <summary>Maxima that hide each row's panel holding its largest value: the panel top-k then returns exactly the
    /// reference top-k of the other panels (one that ignored the maxima would find the value).</summary>
    [SkippableTheory]
    [InlineData(7, 900, 4)]
    [InlineData(1, 70, 1)]
    [InlineData(33, 2049, 16)]
    public void Panel_top_k_reads_only_the_panels_its_maxima_allow(int rows, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(1990 + latents);
        var pre = r.Normal(rows * latents).Select(v => MathF.Max(v, 0)).ToArray();
        int panels = EncoderGemm.Panels(latents);
        var keys = new uint[rows * panels];
        var visible = (float[])pre.Clone();
        for (int b = 0; b < rows; b++)
        {
            var row = pre.AsSpan(b * latents, latents);
            int hidden = row.IndexOf(row.ToArray().Max()) / EncoderGemm.Panel;
            for (int p = 0; p < panels; p++)
            {
                var panel = row.Slice(p * EncoderGemm.Panel, Math.Min(EncoderGemm.Panel, latents - p * EncoderGemm.Panel));
                keys[b * panels + p] = p == hidden ? 0 : TopK.Key(panel.ToArray().Max());
            }
            // Below every ReLU output: the reference then ranks the hidden panel last, after k other values.
            for (int m = hidden * EncoderGemm.Panel; m < Math.Min(latents, (hidden + 1) * EncoderGemm.Panel); m++) visible[b * latents + m] = -1;
        }
        var kernels = (IlgpuKernels)K;
        using var preArray = Device(kernels, pre);
        using var keyArray = Device(kernels, keys);
        using var index = new IlgpuArray<int>(kernels, rows * k);
        using var value = new IlgpuArray<float>(kernels, rows * k);
        new PanelTopK(kernels.Accelerator, Launch.For(kernels.Accelerator)).Run(preArray.View, keyArray.View, rows, latents, k, index.View, value.View);
        Selections.CheckTopKOf(visible, rows, latents, k, index.All, value.All, r, "hidden top panel");
    }

    private static IlgpuArray<T> Device<T>(IlgpuKernels kernels, T[] data) where T : unmanaged
    {
        var array = new IlgpuArray<T>(kernels, data.Length);
        array.CopyFromHost(data);
        return array;
    }

    private static void Check(IKernels kernels, TestRandom r, int rows, int d, int latents, int k, Inputs inputs, string what)
    {
        var (xc, wEnc, bEnc) = EncoderInputs(r, rows, d, latents, inputs);
        var pre = kernels.New<float>((long)rows * latents);
        var index = kernels.New<int>(rows * k);
        var value = kernels.New<float>(rows * k);
        kernels.EncodeTopK(kernels.Up(xc), kernels.Up(wEnc), kernels.Up(bEnc), pre, rows, d, latents, k, index, value);
        var expectedPre = new double[rows * latents];
        Ref.EncoderGemm.Run(Compare.ToDouble(xc), Compare.ToDouble(wEnc), Compare.ToDouble(bEnc), expectedPre, rows, d, latents);
        Compare.Close(expectedPre, pre.ToArray(), $"pre ({what}, {inputs})", r);
        // The selection is exactly the top-k of the fp32 pre it came from (a near tie may order otherwise in float64).
        Selections.CheckTopKOf(pre.ToArray(), rows, latents, k, index, value, r, $"{what}, {inputs}");
    }

    /// <summary>About half positive (as in training); few positive (rows with fewer than k non-zeros: ties at 0); ties
    /// everywhere (W_enc zero, biases from three values, so every row is its biases); or none positive (every latent a
    /// candidate: more than shared memory holds once a row has over 2048 latents).</summary>
    private static (float[] Xc, float[] WEnc, float[] BEnc) EncoderInputs(TestRandom r, int rows, int d, int latents, Inputs inputs)
    {
        var xc = r.Normal(rows * d);
        var wEnc = inputs == Inputs.Ties ? new float[latents * d] : r.Normal(latents * d, 1 / Math.Sqrt(d));
        var bEnc = inputs switch
        {
            Inputs.FewPositive => r.Normal(latents, 0.3).Select(b => b - 2.5f).ToArray(),
            Inputs.NonePositive => r.Normal(latents, 0.3).Select(b => b - 100f).ToArray(),
            Inputs.Ties => r.Uniform(latents, 0, 3).Select(u => MathF.Floor(u) * 0.25f).ToArray(),
            _ => r.Normal(latents, 0.1),
        };
        return (xc, wEnc, bEnc);
    }
}

public sealed class IlgpuCpuPanelTopKTests(IlgpuCpuBackend backend) : PanelTopKSuite(backend, "ilgpu-cpu"), IClassFixture<IlgpuCpuBackend>;

public sealed class OpenClPanelTopKTests(OpenClBackend backend) : PanelTopKSuite(backend, "opencl"), IClassFixture<OpenClBackend>;

public sealed class CudaPanelTopKTests(CudaBackend backend) : PanelTopKSuite(backend, "cuda"), IClassFixture<CudaBackend>;
