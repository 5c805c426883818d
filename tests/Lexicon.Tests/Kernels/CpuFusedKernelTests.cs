using Lexicon.Kernels;
using Lexicon.Kernels.Cpu;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Kernels;

/// <summary>
/// The CPU backend's fused and batched paths against the reference: the top-k that reads the panel maxima the encoder
/// GEMM's epilogue left (and must not trust them once pre changed), and the sparse kernels at sizes where their
/// four-rows-per-pass, prefetching, streaming-store and balanced-split paths all run (rows off the 6-row tile, latents
/// off the 32-latent panel, d off the 16-lane vector, k = 1, B = 1).
/// </summary>
public sealed class CpuFusedKernelTests : IDisposable
{
    private readonly CpuKernels _k = new();

    public void Dispose() => _k.Dispose();

    /// <summary>rows, d, latents, k.</summary>
    public static TheoryData<int, int, int, int> GemmTopKShapes => new()
    {
        { 1, 16, 32, 1 },
        { 1, 7, 33, 2 },
        { 7, 65, 97, 1 },
        { 13, 100, 70, 32 },
        { 61, 130, 1100, 5 },
        { 37, 48, 2000, 32 },
        { 203, 24, 4101, 32 },
        { 50, 33, 6144, 1 },
        { 11, 40, 1024, 64 },
        { 8, 1024, 800, 4 },
        { 19, 2000, 200, 8 },
    };

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
        var expectedIndex = new int[rows * k];
        var expectedValue = new double[rows * k];
        Ref.TopK.Run(Compare.ToDouble(pre.ToArray()), rows, latents, k, expectedIndex, expectedValue);
        Compare.Equal(expectedIndex, index.ToArray(), $"index ({what})", r);
        Compare.Close(expectedValue, value.ToArray(), $"value ({what})", r, 0);
    }

    [Theory, MemberData(nameof(GemmTopKShapes))]
    public void TopK_after_EncoderGemm_uses_its_panel_maxima_and_matches_reference(int rows, int d, int latents, int k)
    {
        var r = new TestRandom(700 + latents);
        foreach (bool sparse in new[] { false, true })
        {
            var (xc, wEnc, bEnc) = EncoderInputs(r, rows, d, latents, sparse);
            var pre = New<float>((long)rows * latents);
            _k.EncoderGemm(Up(xc), Up(wEnc), Up(bEnc), pre, rows, d, latents);
            var expectedPre = new double[rows * latents];
            Ref.EncoderGemm.Run(Compare.ToDouble(xc), Compare.ToDouble(wEnc), Compare.ToDouble(bEnc), expectedPre, rows, d, latents);
            Compare.Close(expectedPre, pre.ToArray(), "pre", r);
            // Up() above made new arrays after the GEMM, but none of them is pre's: the maxima still hold.
            CheckTopK(pre, rows, latents, k, r, sparse ? "few positive" : "half positive");
        }
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

    [Fact]
    public void TopK_after_EncoderGemm_on_fewer_rows_and_a_view_inside_a_larger_array()
    {
        var r = new TestRandom(710);
        const int rows = 29, d = 40, latents = 3000, k = 16;
        var (xc, wEnc, bEnc) = EncoderInputs(r, rows, d, latents, false);
        var buffer = _k.Allocate<float>(5 + (long)rows * latents);
        var pre = buffer.Slice(5, (long)rows * latents);
        _k.EncoderGemm(Up(xc), Up(wEnc), Up(bEnc), pre, rows, d, latents);
        CheckTopK(pre.Slice(0, 11L * latents), 11, latents, k, r, "first 11 rows");
    }

    [Fact]
    public void TopK_does_not_trust_the_maxima_once_the_host_wrote_pre()
    {
        var r = new TestRandom(720);
        const int rows = 13, d = 24, latents = 2048, k = 8;
        var (xc, wEnc, bEnc) = EncoderInputs(r, rows, d, latents, false);
        var pre = New<float>((long)rows * latents);
        _k.EncoderGemm(Up(xc), Up(wEnc), Up(bEnc), pre, rows, d, latents);
        // New winners in panels the maxima call cold.
        var changed = pre.ToArray();
        for (int b = 0; b < rows; b++)
            for (int j = 0; j < k; j++) changed[b * latents + 37 * j + b] = 100 + j;
        pre.CopyFromHost(changed);
        CheckTopK(pre, rows, latents, k, r, "after CopyFromHost");

        _k.EncoderGemm(Up(xc), Up(wEnc), Up(bEnc), pre, rows, d, latents);
        pre.Array.Clear();
        CheckTopK(pre, rows, latents, k, r, "after Clear");
    }

    [Fact]
    public void TopK_does_not_trust_the_maxima_once_another_kernel_ran()
    {
        var r = new TestRandom(730);
        const int rows = 9, d = 32, latents = 1600, k = 4;
        var (xc, wEnc, bEnc) = EncoderInputs(r, rows, d, latents, false);
        var pre = New<float>((long)rows * latents);
        _k.EncoderGemm(Up(xc), Up(wEnc), Up(bEnc), pre, rows, d, latents);
        // A kernel writing into pre (here y += 50·x over the whole matrix, x zero but for a few lanes per row).
        var bump = new float[rows * latents];
        for (int b = 0; b < rows; b++)
            for (int j = 0; j < 2 * k; j++) bump[b * latents + (latents - 1 - 53 * j - b)] = 1;
        ((ITableKernels)_k).AddScaled(Up(bump), 50, pre, (long)rows * latents);
        CheckTopK(pre, rows, latents, k, r, "after AddScaled into pre");
    }

    [Fact]
    public void TopK_of_another_array_after_EncoderGemm_ignores_the_maxima()
    {
        var r = new TestRandom(740);
        const int rows = 7, d = 16, latents = 2500, k = 32;
        var (xc, wEnc, bEnc) = EncoderInputs(r, rows, d, latents, false);
        var pre = New<float>((long)rows * latents);
        _k.EncoderGemm(Up(xc), Up(wEnc), Up(bEnc), pre, rows, d, latents);
        // Negative values too: not a ReLU output.
        var other = Up(r.Normal(rows * latents));
        CheckTopK(other, rows, latents, k, r, "another array");
    }

    [Theory]
    [InlineData(1, 700, 1)]
    [InlineData(6, 1024, 32)]
    [InlineData(17, 3333, 7)]
    [InlineData(5, 64, 32)]
    public void TopK_without_maxima_handles_negative_rows_and_few_panels(int rows, int latents, int k)
    {
        var r = new TestRandom(750 + k);
        CheckTopK(Up(r.Normal(rows * latents)), rows, latents, k, r, "gaussian, negatives kept");
        CheckTopK(Up(r.Normal(rows * latents).Select(v => -Math.Abs(v)).ToArray()), rows, latents, k, r, "all negative");
        CheckTopK(Up(new float[rows * latents]), rows, latents, k, r, "all zero");
    }

    /// <summary>rows, d, latents, k: enough entries per latent and per token for the four-row passes, the prefetch
    /// distance and several balanced chunks.</summary>
    public static TheoryData<int, int, int, int> SparseShapes => new()
    {
        { 1, 33, 40, 1 },
        { 1, 384, 100, 32 },
        { 97, 17, 60, 7 },
        { 211, 200, 300, 32 },
        { 130, 48, 50, 13 },
    };

    private static (int[] Index, float[] Value) Selection(TestRandom r, int rows, int latents, int k)
    {
        var index = new int[rows * k];
        var value = new float[rows * k];
        for (int b = 0; b < rows; b++)
        {
            var chosen = Enumerable.Range(0, latents).OrderBy(_ => r.Next(1 << 20)).Take(k).ToArray();
            for (int j = 0; j < k; j++)
            {
                bool empty = j >= chosen.Length || (k > 2 && r.Next(5) == 0);
                index[b * k + j] = empty ? -1 : chosen[j];
                value[b * k + j] = empty ? 0 : (float)(r.NextDouble() - 0.2);
            }
        }
        return (index, value);
    }

    [Theory]
    [InlineData(500, 300, 32)]
    [InlineData(257, 61, 16)]
    [InlineData(1000, 100, 1)]
    public void GroupByLatent_with_many_entries_per_latent_matches_reference(int rows, int latents, int k)
    {
        // Entries ≥ 8 per latent: counted and placed by several ranges in parallel (on a multi-core machine).
        var r = new TestRandom(780);
        var (index, _) = Selection(r, rows, latents, k);
        var start = New<int>(latents + 1);
        var order = New<int>(index.Length);
        _k.GroupByLatent(Up(index), index.Length, latents, start, order);
        var expectedStart = new int[latents + 1];
        var expectedOrder = new int[index.Length];
        Ref.GroupByLatent.Run(index, index.Length, latents, expectedStart, expectedOrder);
        Compare.Equal(expectedStart, start.ToArray(), "start", r);
        Compare.Equal(expectedOrder[..expectedStart[latents]], order.ToArray(), "order", r);
    }

    [Theory, MemberData(nameof(SparseShapes))]
    public void SparseDecode_and_LatentGrad_match_reference(int rows, int d, int latents, int k)
    {
        var r = new TestRandom(760);
        var (index, value) = Selection(r, rows, latents, k);
        var w = r.UnitRows(latents, d);
        var bias = r.Normal(d);
        var output = New<float>(rows * d);
        _k.SparseDecode(Up(index), Up(value), rows, k, Up(w), Up(bias), output, d);
        var expected = new double[rows * d];
        Ref.SparseDecode.Run(index, Compare.ToDouble(value), rows, k, Compare.ToDouble(w), Compare.ToDouble(bias), expected, d);
        Compare.Close(expected, output.ToArray(), "output", r);

        var grad = r.Normal(rows * d);
        var gAct = Up(r.Normal(rows * k)); // stale values must be overwritten
        _k.LatentGrad(Up(index), Up(value), rows, k, Up(w), Up(grad), d, gAct);
        var expectedGAct = new double[rows * k];
        Ref.LatentGrad.Run(index, Compare.ToDouble(value), rows, k, Compare.ToDouble(w), Compare.ToDouble(grad), d, expectedGAct);
        Compare.Close(expectedGAct, gAct.ToArray(), "gAct", r);
    }

    [Theory, MemberData(nameof(SparseShapes))]
    public void SparseWeightGrads_and_DecoderBiasGrad_match_reference_and_repeat_bit_for_bit(int rows, int d, int latents, int k)
    {
        var r = new TestRandom(770);
        int kAux = 1 + r.Next(5);
        var (mainIndex, mainValue) = Selection(r, rows, latents, k);
        var (auxIndex, auxValue) = Selection(r, rows, latents, kAux);
        // A few hot latents, as real feature frequencies are: one chunk holds most entries.
        for (int e = 0; e < mainIndex.Length; e += 3)
            if (mainIndex[e] >= 0 && !mainIndex.AsSpan(e / k * k, k).Contains(0)) mainIndex[e] = 0;
        int[] index = [.. mainIndex, .. auxIndex];
        float[] value = [.. mainValue, .. auxValue];
        var gAct = r.Normal(index.Length);
        var grad = r.Normal(rows * d);
        var auxGrad = r.Normal(rows * d);
        var xc = r.Normal(rows * d);
        var start = New<int>(latents + 1);
        var order = New<int>(index.Length);
        _k.GroupByLatent(Up(index), index.Length, latents, start, order);
        var wEnc = r.Normal(latents * d);
        float[]? firstWEnc = null, firstWDec = null, firstBDec = null;
        for (int run = 0; run < 2; run++)
        {
            // Stale values (different each run) must be overwritten, not accumulated into.
            var dWEnc = Up(r.Normal(latents * d));
            var dBEnc = Up(r.Normal(latents));
            var dWDec = Up(r.Normal(latents * d));
            var dBDec = Up(r.Normal(d));
            _k.SparseWeightGrads(start, order, Up(value), Up(gAct), rows, k, kAux, Up(grad), Up(auxGrad), Up(xc), d, latents, dWEnc, dBEnc, dWDec);
            _k.DecoderBiasGrad(Up(grad), rows, Up(wEnc), dBEnc, latents, d, dBDec);
            if (run == 0)
            {
                var eWEnc = new double[latents * d];
                var eBEnc = new double[latents];
                var eWDec = new double[latents * d];
                Ref.SparseWeightGrads.Run(index, Compare.ToDouble(value), Compare.ToDouble(gAct), rows, k, kAux,
                    Compare.ToDouble(grad), Compare.ToDouble(auxGrad), Compare.ToDouble(xc), d, latents, eWEnc, eBEnc, eWDec);
                Compare.Close(eWEnc, dWEnc.ToArray(), "dWEnc", r);
                Compare.Close(eBEnc, dBEnc.ToArray(), "dBEnc", r);
                Compare.Close(eWDec, dWDec.ToArray(), "dWDec", r);
                var eBDec = new double[d];
                Ref.DecoderBiasGrad.Run(Compare.ToDouble(grad), rows, Compare.ToDouble(wEnc), Compare.ToDouble(dBEnc.ToArray()), latents, d, eBDec);
                Compare.Close(eBDec, dBDec.ToArray(), "dBDec", r);
                (firstWEnc, firstWDec, firstBDec) = (dWEnc.ToArray(), dWDec.ToArray(), dBDec.ToArray());
            }
            else
            {
                Assert.Equal(firstWEnc, dWEnc.ToArray());
                Assert.Equal(firstWDec, dWDec.ToArray());
                Assert.Equal(firstBDec, dBDec.ToArray());
            }
        }
    }
}
