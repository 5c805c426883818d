using System.Diagnostics;
using System.Text.Json.Nodes;
using Lexicon.Kernels;
using Lexicon.Kernels.Cpu;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Kernels;

/// <summary>The GEMM tuner: no shape it can choose changes a bit of the result, and the command line probes within
/// its budget, caches the choice, reads it back, and takes the defaults when told to.</summary>
public sealed unsafe class CpuTuningTests
{
    /// <summary>width, rows, d, latents.</summary>
    public static TheoryData<SimdWidth, int, int, int> Cases() =>
        WidthCases.Of([SimdWidth.V512, SimdWidth.V256, SimdWidth.V128, SimdWidth.Scalar], (1, 5, 33), (29, 70, 200), (61, 130, 1100));

    public static TheoryData<SimdWidth> Widths() => [SimdWidth.V512, SimdWidth.V256, SimdWidth.V128, SimdWidth.Scalar];

    [Theory, MemberData(nameof(Cases))]
    public void Every_tile_height_block_and_prefetch_gives_the_default_shape_bits_and_matches_reference(SimdWidth width, int rows, int d, int latents) =>
        AssertDefaultBits(width, new TestRandom(700 + rows), rows, d, latents, matchReference: true,
            from tile in Tiles from block in new[] { 16 * 1024, 256 * 1024, 1 << 20 } from ahead in new[] { 0, 256, 512, 1024, 2048 }
            select new GemmShape(tile, block, ahead));

    /// <summary>Cutting d into depth blocks (the partial sums stored and reloaded between them) keeps every bit, at every
    /// tile height, with blocks longer than d, dividing it, and leaving a ragged last block.</summary>
    [Theory, MemberData(nameof(Cases))]
    public void Every_depth_block_gives_the_default_shape_bits(SimdWidth width, int rows, int d, int latents) =>
        AssertDefaultBits(width, new TestRandom(900 + d), rows, d, latents, matchReference: false,
            from tile in Tiles from depth in new[] { 1, 3, 16, 64, 128, 256 } from ahead in new[] { 0, 512 }
            select new GemmShape(tile, 16 * 1024, ahead, depth));

    private static readonly int[] Tiles = [4, 6, 8, 12, 14];

    /// <summary>A random problem's pre and panel maxima at every shape are the default shape's bits (and, if asked, the
    /// default's pre is close to the float64 reference).</summary>
    private static void AssertDefaultBits(SimdWidth width, TestRandom r, int rows, int d, int latents, bool matchReference, IEnumerable<GemmShape> shapes)
    {
        using var forced = SimdIsa.Force(width);
        var xc = r.Normal(rows * d);
        var wEnc = r.Normal(latents * d, 1 / Math.Sqrt(d));
        var bEnc = r.Normal(latents, 0.1);
        var (expectedPre, expectedMax) = Gemm(xc, wEnc, bEnc, rows, d, latents, GemmShape.Default);
        if (matchReference)
        {
            var reference = new double[rows * latents];
            Ref.EncoderGemm.Run(Compare.ToDouble(xc), Compare.ToDouble(wEnc), Compare.ToDouble(bEnc), reference, rows, d, latents);
            Compare.Close(reference, expectedPre, "pre (default shape)", r);
        }
        foreach (var shape in shapes)
        {
            var (pre, max) = Gemm(xc, wEnc, bEnc, rows, d, latents, shape);
            Assert.True(expectedPre.AsSpan().SequenceEqual(pre), $"pre differs at {shape} ({width})");
            Assert.True(expectedMax.AsSpan().SequenceEqual(max), $"panel maxima differ at {shape} ({width})");
        }
    }

    /// <summary>Every gather prefetch distance the tuner can choose gives SparseDecode's and LatentGrad's default bits, at
    /// every width (prefetching is a hint).</summary>
    [Theory, MemberData(nameof(Widths))]
    public void Every_gather_prefetch_distance_gives_the_default_bits(SimdWidth width)
    {
        using var forced = SimdIsa.Force(width);
        const int rows = 37, k = 5, d = 70, latents = 300;
        var r = new TestRandom(17);
        var index = new int[rows * k];
        for (int e = 0; e < index.Length; e++) index[e] = e % 7 == 3 ? -1 : (e * 131 + 7) % latents;
        var value = r.Normal(rows * k);
        var w = r.Normal(latents * d);
        var bias = r.Normal(d);
        var grad = r.Normal(rows * d);
        (float[] Output, float[] GAct) Run(int distance)
        {
            var output = new float[rows * d];
            var gAct = new float[rows * k];
            fixed (int* i = index)
            fixed (float* v = value, wp = w, b = bias, g = grad, o = output, ga = gAct)
            {
                SparseDecode.Run(i, v, rows, k, wp, b, o, d, distance);
                LatentGrad.Run(i, v, rows, k, wp, g, d, ga, distance);
            }
            return (output, gAct);
        }
        var expected = Run(Simd.PrefetchDistance);
        foreach (int distance in new[] { 1, 2, 4, 8, 64 })
        {
            var (output, gAct) = Run(distance);
            Assert.True(expected.Output.AsSpan().SequenceEqual(output), $"SparseDecode differs {distance} ahead ({width})");
            Assert.True(expected.GAct.AsSpan().SequenceEqual(gAct), $"LatentGrad differs {distance} ahead ({width})");
        }
    }

    /// <summary>Every SparseWeightGrads prefetch distance the tuner can choose (and one past the entries) gives the
    /// default's bits, main and AuxK entries alike, at every width.</summary>
    [Theory, MemberData(nameof(Widths))]
    public void Every_weight_grad_prefetch_distance_gives_the_default_bits(SimdWidth width)
    {
        using var forced = SimdIsa.Force(width);
        const int rows = 29, k = 4, kAux = 3, d = 45, latents = 130;
        var r = new TestRandom(23);
        var index = new int[rows * (k + kAux)];
        for (int e = 0; e < index.Length; e++) index[e] = e % 9 == 4 ? -1 : (e * 37 + 11) % latents;
        var value = r.Normal(index.Length);
        var gAct = r.Normal(index.Length);
        var grad = r.Normal(rows * d);
        var auxGrad = r.Normal(rows * d);
        var xc = r.Normal(rows * d);
        var start = new int[latents + 1];
        var order = new int[index.Length];
        fixed (int* i = index, st = start, o = order) GroupByRow.Run(i, index.Length, latents, st, o);
        float[] Run(int distance)
        {
            var grads = new float[2 * latents * d + latents];
            fixed (int* st = start, o = order)
            fixed (float* v = value, ga = gAct, g = grad, ag = auxGrad, x = xc, out0 = grads)
                SparseWeightGrads.Run(st, o, v, ga, rows, k, kAux, g, ag, x, d, latents, out0, out0 + 2 * latents * d, out0 + latents * d, distance);
            return grads;
        }
        var expected = Run(0);
        foreach (int distance in new[] { 2, 4, 8, 1000 })
            Assert.True(expected.AsSpan().SequenceEqual(Run(distance)), $"SparseWeightGrads differs {distance} ahead ({width})");
    }

    /// <summary>The epilogue's ReLU at its edges, at every width: a −0 or negative bias on a zero input comes out +0 (as
    /// IEEE max(x, +0) does), a positive one itself, and a NaN input gives NaN.</summary>
    [Theory, MemberData(nameof(Widths))]
    public void Gemm_relu_gives_plus_zero_for_negative_and_minus_zero_biases_and_keeps_NaN(SimdWidth width)
    {
        using var forced = SimdIsa.Force(width);
        const int rows = 7, d = 5, latents = 70;
        var xc = new float[rows * d]; // zero inputs: pre = ReLU(0·w + b) = ReLU(b) exactly, but for the NaN row
        xc[3 * d + 2] = float.NaN;
        var wEnc = new TestRandom(3).Normal(latents * d);
        var bEnc = new float[latents];
        for (int m = 0; m < latents; m++) bEnc[m] = (m % 3) switch { 0 => -0f, 1 => -1.5f - m, _ => 0.25f * m };
        var (pre, _) = Gemm(xc, wEnc, bEnc, rows, d, latents, GemmShape.Default);
        for (int b = 0; b < rows; b++)
            for (int m = 0; m < latents; m++)
            {
                float got = pre[b * latents + m];
                if (b == 3) Assert.True(float.IsNaN(got), $"row 3 (NaN input), latent {m}: {got} ({width})");
                else
                {
                    float expected = m % 3 == 2 ? bEnc[m] : 0f;
                    Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(got),
                        $"row {b}, latent {m}: {got} (bits {BitConverter.SingleToInt32Bits(got):X8}), expected {expected} ({width})");
                }
            }
    }

    /// <summary>The epilogue's panel maxima, NaN lanes included, are what the IEEE maximum of each strip's two ReLU'd
    /// halves, reduced by the width's HorizontalMax and raised strip by strip, gives: NaN biases at latents in either
    /// half of a strip, at every width.</summary>
    [Theory, MemberData(nameof(Widths))]
    public void Gemm_panel_maxima_with_NaN_lanes_match_an_IEEE_maximum_of_the_halves(SimdWidth width)
    {
        using var forced = SimdIsa.Force(width);
        const int rows = 13, d = 6, latents = 256;
        var r = new TestRandom(11);
        var xc = r.Normal(rows * d);
        var wEnc = r.Normal(latents * d, 0.5);
        var bEnc = r.Normal(latents, 0.1);
        foreach (int m in new[] { 1, 19, 36, 40, 75, 97, 130, 131, 200, 255 }) bEnc[m] = float.NaN;
        var (pre, max) = Gemm(xc, wEnc, bEnc, rows, d, latents, GemmShape.Default);
        var expected = width switch
        {
            SimdWidth.V512 => Maxima<System.Runtime.Intrinsics.Vector512<float>, Simd512>(pre, rows, latents),
            SimdWidth.V256 => Maxima<System.Runtime.Intrinsics.Vector256<float>, Simd256>(pre, rows, latents),
            SimdWidth.V128 => Maxima<System.Runtime.Intrinsics.Vector128<float>, Simd128>(pre, rows, latents),
            _ => Maxima<float, SimdScalar>(pre, rows, latents),
        };
        for (int i = 0; i < max.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(max[i]),
                $"row {i / (latents / TopK.PanelWidth)}, panel {i % (latents / TopK.PanelWidth)}: {max[i]}, expected {expected[i]} ({width})");
    }

    private static float[] Maxima<V, S>(float[] pre, int rows, int latents) where V : struct where S : struct, ISimd<V>
    {
        int panels = latents / TopK.PanelWidth, n = S.Count;
        var maxima = new float[rows * panels];
        fixed (float* p = pre)
            for (int b = 0; b < rows; b++)
                for (int q = 0; q < panels; q++)
                    for (int column = 0; column < TopK.PanelWidth; column += 2 * n)
                    {
                        float* at = p + b * latents + q * TopK.PanelWidth + column;
                        float m = S.HorizontalMax(S.Max(S.Load(at), S.Load(at + n)));
                        ref float slot = ref maxima[b * panels + q];
                        slot = column == 0 || m > slot ? m : slot;
                    }
        return maxima;
    }

    private static (float[] Pre, float[] Max) Gemm(float[] xc, float[] wEnc, float[] bEnc, int rows, int d, int latents, GemmShape shape)
    {
        var pre = new float[rows * latents];
        var max = new float[rows * TopK.Panels(latents)];
        var blocks = GC.AllocateArray<float>((int)EncoderGemm.PackedWeightLength(d, latents, shape) + 16, pinned: true);
        var input = new float[EncoderGemm.PackedInputLength(rows, d)];
        fixed (float* x = xc, w = wEnc, b = bEnc, p = pre, m = max, bl = blocks, i = input)
            EncoderGemm.Run(x, w, b, p, rows, d, latents, bl, i, m, shape);
        return (pre, max);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("  ", false)]
    [InlineData("defaults", true)]
    [InlineData(" Defaults ", true)]
    public void LEXICON_TUNING_is_unset_to_tune_or_defaults(string? value, bool defaults) => Assert.Equal(defaults, CpuTuning.TakesDefaults(value));

    [Theory]
    [InlineData("default")]
    [InlineData("off")]
    public void Any_other_LEXICON_TUNING_is_rejected_naming_it(string value) =>
        Assert.Contains($"'{value}'", Assert.Throws<ArgumentException>(() => CpuTuning.TakesDefaults(value)).Message);

    [Fact]
    public void Tune_probes_within_two_seconds_caches_the_choice_and_bench_reads_it_back()
    {
        string cache = Directory.CreateTempSubdirectory("lexicon-tuning-").FullName;
        try
        {
            var tune = Lexicon(cache, null, "tune", "--json");
            var tuning = tune["tuning"]!.AsObject();
            Assert.Equal("probe", (string?)tuning["source"]);
            Assert.InRange((double)tuning["probe_seconds"]!, 0.01, 2.5);
            Assert.Contains((int)tuning["gemm_tile_rows"]!, CpuTuning.RowCandidates());
            string path = (string)tuning["cache_path"]!;
            Assert.StartsWith(cache, path);
            Assert.True(File.Exists(path), path);

            var bench = Lexicon(cache, null, "bench", "--op", "Center", "--steps", "1", "--json")["tuning"]!.AsObject();
            Assert.Equal("cache", (string?)bench["source"]);
            Assert.Equal((int)tuning["gemm_tile_rows"]!, (int)bench["gemm_tile_rows"]!);
            Assert.Equal((int)tuning["gemm_block_bytes"]!, (int)bench["gemm_block_bytes"]!);
            Assert.Equal((int)tuning["gemm_prefetch_bytes"]!, (int)bench["gemm_prefetch_bytes"]!);
            Assert.Contains((int)tuning["gemm_prefetch_bytes"]!, CpuTuning.PrefetchCandidates());
            Assert.Contains((int)tuning["gemm_depth_block"]!, CpuTuning.DepthCandidates());
            Assert.Equal((int)tuning["gemm_depth_block"]!, (int)bench["gemm_depth_block"]!);
            Assert.Contains((int)tuning["gather_prefetch_entries"]!, CpuTuning.GatherCandidates());
            Assert.Equal((int)tuning["gather_prefetch_entries"]!, (int)bench["gather_prefetch_entries"]!);
            Assert.NotEmpty(tuning["gather_trials"]!.AsArray());
            Assert.Contains((int)tuning["weight_grad_prefetch_entries"]!, CpuTuning.WeightGradCandidates());
            Assert.Equal((int)tuning["weight_grad_prefetch_entries"]!, (int)bench["weight_grad_prefetch_entries"]!);
            Assert.NotEmpty(tuning["weight_grad_trials"]!.AsArray());

            var defaults = Lexicon(cache, "defaults", "bench", "--op", "Center", "--steps", "1", "--json")["tuning"]!.AsObject();
            Assert.Equal("defaults", (string?)defaults["source"]);
            Assert.Equal(GemmShape.Default.Rows, (int)defaults["gemm_tile_rows"]!);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    /// <summary>`lexicon args --json` with its cache directory and LEXICON_TUNING set (null: unset).</summary>
    internal static JsonObject Lexicon(string cacheHome, string? tuning, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Lexicon.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["XDG_CACHE_HOME"] = cacheHome;
        if (tuning is null) start.Environment.Remove(CpuTuning.EnvironmentVariable);
        else start.Environment[CpuTuning.EnvironmentVariable] = tuning;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), $"lexicon {string.Join(' ', args)} did not finish");
        Assert.True(process.ExitCode == 0, $"lexicon {string.Join(' ', args)}: exit {process.ExitCode}\n{stderr.Result}");
        return JsonNode.Parse(stdout.Result.TrimEnd().Split('\n')[^1])!.AsObject();
    }
}
