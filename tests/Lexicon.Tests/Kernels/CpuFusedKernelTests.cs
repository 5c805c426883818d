using Lexicon.Kernels;
using Lexicon.Kernels.Cpu;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Kernels;

/// <summary>
/// The CPU backend's fused and batched paths against the reference: EncodeTopK, whose top-k reads the panel maxima the
/// GEMM's epilogue leaves, and the sparse kernels at sizes where their four-rows-per-pass, prefetching, streaming-store
/// and balanced-split paths all run (rows off the 6-row tile, latents off the 32-latent panel, d off the 16-lane
/// vector, k = 1, B = 1).
/// </summary>
public sealed partial class CpuFusedKernelTests : IDisposable
{
    private readonly CpuKernels _k = new();

    public void Dispose() => _k.Dispose();

    /// <summary>rows, d, latents, k: the shared kernel shapes, then wide rows (the segment-threshold top-k), long rows and
    /// sizes off the GEMM's tiles.</summary>
    public static TheoryData<int, int, int, int> GemmTopKShapes
    {
        get
        {
            var shapes = new TheoryData<int, int, int, int>();
            foreach (object[] s in KernelSuite.Shapes) shapes.Add((int)s[0], (int)s[1], (int)s[2], (int)s[3]);
            foreach (var (rows, d, latents, k) in new[] { (1, 7, 33, 2), (37, 48, 2000, 32), (203, 24, 4101, 32), (50, 33, 6144, 1),
                         (11, 40, 1024, 64), (8, 1024, 800, 4), (19, 2000, 200, 8) })
                shapes.Add(rows, d, latents, k);
            return shapes;
        }
    }

    private View<T> Up<T>(T[] data) where T : unmanaged => _k.Up(data);

    private View<T> New<T>(long length) where T : unmanaged => _k.New<T>(length);

    /// <summary>Encoder inputs whose pre-activations are about half positive (as in training) plus, with
    /// <paramref name="sparse"/>, a bias that leaves few latents positive (rows with fewer than k non-zeros: ties at 0).</summary>
    private static (float[] Xc, float[] WEnc, float[] BEnc) EncoderInputs(TestRandom r, int rows, int d, int latents, bool sparse)
    {
        var xc = r.Normal(rows * d);
        var wEnc = r.Normal(latents * d, 1 / Math.Sqrt(d));
        var bEnc = r.Normal(latents, sparse ? 0.3 : 0.1);
        if (sparse)
            for (int m = 0; m < latents; m++) bEnc[m] -= 2.5f;
        return (xc, wEnc, bEnc);
    }

    private void CheckTopK(View<float> pre, int rows, int latents, int k, TestRandom r, string what)
    {
        var index = New<int>(rows * k);
        var value = New<float>(rows * k);
        _k.TopK(pre, rows, latents, k, index, value);
        Selections.CheckTopKOf(pre.ToArray(), rows, latents, k, index, value, r, what);
    }

    /// <summary>EncodeTopK against the reference: pre against the float64 GEMM, the selection exactly the reference top-k
    /// of that pre (a near tie in fp32 may order differently from one in float64).</summary>
    private void CheckEncodeTopK(float[] xc, float[] wEnc, float[] bEnc, View<float> pre, int rows, int d, int latents, int k, TestRandom r, string what,
        IKernels? kernels = null)
    {
        kernels ??= _k;
        var index = kernels.New<int>(rows * k);
        var value = kernels.New<float>(rows * k);
        kernels.EncodeTopK(kernels.Up(xc), kernels.Up(wEnc), kernels.Up(bEnc), pre, rows, d, latents, k, index, value);
        CheckPre(xc, wEnc, bEnc, pre, rows, d, latents, r, what);
        Selections.CheckTopKOf(pre.ToArray(), rows, latents, k, index, value, r, what);
    }

    private static void CheckPre(float[] xc, float[] wEnc, float[] bEnc, View<float> pre, int rows, int d, int latents, TestRandom r, string what)
    {
        var expectedPre = new double[rows * latents];
        Ref.EncoderGemm.Run(Compare.ToDouble(xc), Compare.ToDouble(wEnc), Compare.ToDouble(bEnc), expectedPre, rows, d, latents);
        Compare.Close(expectedPre, pre.ToArray(), $"pre ({what})", r);
    }

    [Theory, MemberData(nameof(GemmTopKShapes))]
    public void Every_kept_variant_of_EncoderGemm_and_EncodeTopK_matches_reference(int rows, int d, int latents, int k)
    {
        var r = new TestRandom(715 + latents);
        var (xc, wEnc, bEnc) = EncoderInputs(r, rows, d, latents, false);
        foreach (var variant in CpuVariants.Of(nameof(IKernels.EncoderGemm)))
        {
            using var kernels = new CpuKernels(nameof(IKernels.EncoderGemm), variant.Number);
            var pre = kernels.New<float>((long)rows * latents);
            kernels.EncoderGemm(kernels.Up(xc), kernels.Up(wEnc), kernels.Up(bEnc), pre, rows, d, latents);
            CheckPre(xc, wEnc, bEnc, pre, rows, d, latents, r, variant.Name);
        }
        foreach (var variant in CpuVariants.Of(nameof(IKernels.EncodeTopK)))
        {
            using var kernels = new CpuKernels(nameof(IKernels.EncodeTopK), variant.Number);
            CheckEncodeTopK(xc, wEnc, bEnc, kernels.New<float>((long)rows * latents), rows, d, latents, k, r, variant.Name, kernels);
        }
    }

    [Theory, MemberData(nameof(GemmTopKShapes))]
    public void EncodeTopK_matches_reference(int rows, int d, int latents, int k)
    {
        var r = new TestRandom(700 + latents);
        foreach (bool sparse in new[] { false, true })
        {
            var (xc, wEnc, bEnc) = EncoderInputs(r, rows, d, latents, sparse);
            CheckEncodeTopK(xc, wEnc, bEnc, New<float>((long)rows * latents), rows, d, latents, k, r, sparse ? "few positive" : "half positive");
        }
    }

    [Fact]
    public void EncodeTopK_into_a_view_inside_a_larger_array_matches_reference()
    {
        var r = new TestRandom(710);
        const int rows = 29, d = 40, latents = 3000, k = 16;
        var (xc, wEnc, bEnc) = EncoderInputs(r, rows, d, latents, false);
        var buffer = _k.Allocate<float>(5 + (long)rows * latents);
        CheckEncodeTopK(xc, wEnc, bEnc, buffer.Slice(5, (long)rows * latents), rows, d, latents, k, r, "at offset 5");
    }

    /// <summary>Maxima that hide, in each row, the panel holding its largest value: a top-k that reads them skips that
    /// panel and returns exactly the reference top-k of the other panels (one that ignored them would find the value).</summary>
    [Theory]
    [InlineData(7, 2048, 4)]
    [InlineData(20, 6144, 32)]
    [InlineData(3, 1000, 1)]
    public unsafe void TopK_reads_only_the_panels_whose_given_maxima_reach_its_threshold(int rows, int latents, int k)
    {
        var r = new TestRandom(720 + k);
        var pre = r.Normal(rows * latents).Select(v => Math.Max(v, 0)).ToArray();
        int panels = TopK.Panels(latents);
        var maxima = new float[rows * panels];
        var visible = Compare.ToDouble(pre);
        for (int b = 0; b < rows; b++)
        {
            int best = 0;
            for (int m = 0; m < latents; m++)
            {
                maxima[b * panels + m / TopK.PanelWidth] = Math.Max(maxima[b * panels + m / TopK.PanelWidth], pre[b * latents + m]);
                if (pre[b * latents + m] > pre[b * latents + best]) best = m;
            }
            int hidden = best / TopK.PanelWidth;
            maxima[b * panels + hidden] = 0;
            for (int m = hidden * TopK.PanelWidth; m < Math.Min(latents, (hidden + 1) * TopK.PanelWidth); m++) visible[b * latents + m] = -1;
        }
        var index = new int[rows * k];
        var value = new float[rows * k];
        fixed (float* p = pre, mx = maxima, v = value)
        fixed (int* i = index)
            TopK.Run(p, rows, latents, k, i, v, mx);
        var expectedIndex = new int[rows * k];
        var expectedValue = new double[rows * k];
        Ref.TopK.Run(visible, rows, latents, k, expectedIndex, expectedValue);
        Compare.Equal(expectedIndex, index, "index (the hidden panels left out)", r);
        Compare.Close(expectedValue, value, "value (the hidden panels left out)", r, 0);
    }

    /// <summary>The fused call hands the GEMM's maxima to its top-k: it reads only the few panels they allow, where a top-k
    /// of the same pre on its own reads every panel of every row to find the maxima.</summary>
    [Theory]
    [InlineData(37, 48, 2000, 32)]
    [InlineData(50, 33, 6144, 1)]
    [InlineData(203, 24, 4101, 8)]
    public unsafe void EncodeTopK_reads_fewer_panels_of_pre_than_TopK_alone(int rows, int d, int latents, int k)
    {
        var r = new TestRandom(730 + k);
        var (xc, wEnc, bEnc) = EncoderInputs(r, rows, d, latents, false);
        int panels = TopK.Panels(latents);
        var pre = new float[rows * latents];
        var index = new int[rows * k];
        var value = new float[rows * k];
        var blocks = new float[EncoderGemm.PackedWeightLength(d, latents)];
        var packedInput = new float[EncoderGemm.PackedInputLength(rows, d)];
        var maxima = new float[EncodeTopK.PanelMaximaLength(rows, latents)];
        long fused, alone;
        fixed (float* x = xc, w = wEnc, b = bEnc, p = pre, v = value, pw = blocks, pi = packedInput, mx = maxima)
        fixed (int* i = index)
        {
            fused = EncodeTopK.Run(x, w, b, p, rows, d, latents, k, i, v, pw, pi, mx);
            alone = TopK.Run(p, rows, latents, k, i, v);
        }
        Assert.Equal((long)rows * panels, alone);
        Assert.InRange(fused, rows, alone - rows); // at least one panel of every row left unread
    }

    [Theory, MemberData(nameof(GemmTopKShapes))]
    public unsafe void Gemm1Packed_matches_reference_and_EncoderGemm_bit_for_bit_with_the_same_panel_maxima(int rows, int d, int latents, int k)
    {
        _ = k;
        var r = new TestRandom(705 + latents);
        var (xc, wEnc, bEnc) = EncoderInputs(r, rows, d, latents, false);
        int panels = TopK.Panels(latents);
        var pre1 = new float[rows * latents];
        var pre2 = new float[rows * latents];
        var max1 = new float[rows * panels];
        var max2 = new float[rows * panels];
        var packed1 = new float[Gemm1Packed.PackedWeightLength(d, latents)];
        var packed2 = new float[EncoderGemm.PackedWeightLength(d, latents)];
        var input = new float[EncoderGemm.PackedInputLength(rows, d)];
        fixed (float* x = xc, w = wEnc, b = bEnc, p1 = pre1, p2 = pre2, m1 = max1, m2 = max2, pw1 = packed1, pw2 = packed2, pi = input)
        {
            Gemm1Packed.Run(x, w, b, p1, rows, d, latents, pw1, pi, m1);
            EncoderGemm.Run(x, w, b, p2, rows, d, latents, pw2, pi, m2);
        }
        var expected = new double[rows * latents];
        Ref.EncoderGemm.Run(Compare.ToDouble(xc), Compare.ToDouble(wEnc), Compare.ToDouble(bEnc), expected, rows, d, latents);
        Compare.Close(expected, pre1, "pre (Gemm1Packed)", r);
        Assert.Equal(pre1, pre2);
        Assert.Equal(max1, max2);
        for (int row = 0; row < rows; row++)
            for (int p = 0; p < panels; p++)
            {
                float max = 0;
                for (int m = p * TopK.PanelWidth; m < Math.Min(latents, (p + 1) * TopK.PanelWidth); m++) max = Math.Max(max, pre1[row * latents + m]);
                Assert.Equal(max, max1[row * panels + p]);
            }
    }

    [Theory]
    [InlineData(1, 700, 1)]
    [InlineData(6, 1024, 32)]
    [InlineData(17, 3333, 7)]
    [InlineData(5, 64, 32)]
    public void TopK_handles_negative_rows_and_few_panels(int rows, int latents, int k)
    {
        var r = new TestRandom(750 + k);
        CheckTopK(Up(r.Normal(rows * latents)), rows, latents, k, r, "gaussian, negatives kept");
        CheckTopK(Up(r.Normal(rows * latents).Select(v => -Math.Abs(v)).ToArray()), rows, latents, k, r, "all negative");
        CheckTopK(Up(new float[rows * latents]), rows, latents, k, r, "all zero");
    }
}
