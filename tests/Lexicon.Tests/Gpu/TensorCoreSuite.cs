using ILGPU;
using ILGPU.Runtime;
using Lexicon.Kernels;
using Lexicon.Kernels.Gpu;
using Lexicon.Tests.Kernels;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Gpu;

/// <summary>
/// The encoder GEMM with TF32 or BF16 inputs (<c>--precision tf32|bf16</c>): against the float64 reference of the same
/// rounding within 1e-5 of the output's largest magnitude (the products of rounded values are exact in fp32: only the
/// sums' order and rounding differ), and against the fp32 reference within the precision's bound, 2u of Σ|x·w| per
/// output (u = 2⁻¹¹, 2⁻⁸); through EncodeTopK, its selection exactly the top-k of the pre it wrote. On CUDA the
/// instruction; on the 32-lane emulator the same kernel with the product computed from the tiles.
/// </summary>
public abstract class TensorCoreSuite(BackendFixture backend, Precision precision) : BackendSuite(backend)
{
    private const double SameRoundingTolerance = 1e-5;

    /// <summary>rows, d, latents: B = 1, one latent, sizes off the 128 × 128 tile and the 16-wide slice, several tiles.</summary>
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 },
        { 5, 7, 33 },
        { 37, 48, 200 },
        { 1, 300, 1 },
        { 130, 37, 259 },
        { 257, 9, 129 },
        { 61, 130, 1100 },
    };

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void Gemm_matches_the_reference_of_its_rounding_and_the_fp32_bound(int rows, int d, int latents)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(31);
        var (xc, wEnc, bEnc) = Inputs(r, rows, d, latents);
        var pre = New<float>((long)rows * latents);
        K.EncoderGemm(Up(xc), Up(wEnc), Up(bEnc), pre, rows, d, latents);
        var got = pre.ToArray();
        var rounded = new double[rows * latents];
        Ref.EncoderGemm.Run(Compare.ToDouble(xc), Compare.ToDouble(wEnc), Compare.ToDouble(bEnc), rounded, rows, d, latents, precision);
        Compare.Close(rounded, got, $"pre ({Precisions.Name(precision)} reference)", r, SameRoundingTolerance);
        CheckFp32Bound(xc, wEnc, bEnc, got, rows, d, latents, r);
    }

    [SkippableFact]
    public void Rounded_reference_differs_from_fp32_where_the_suite_compares_it()
    {
        Skip.If(SkipReason is not null, SkipReason);
        // Else an fp32 kernel would pass the same-rounding comparison above.
        var r = new TestRandom(32);
        var (xc, wEnc, bEnc) = Inputs(r, 37, 48, 200);
        var fp32 = new double[37 * 200];
        var tf32 = new double[37 * 200];
        Ref.EncoderGemm.Run(Compare.ToDouble(xc), Compare.ToDouble(wEnc), Compare.ToDouble(bEnc), fp32, 37, 48, 200);
        Ref.EncoderGemm.Run(Compare.ToDouble(xc), Compare.ToDouble(wEnc), Compare.ToDouble(bEnc), tf32, 37, 48, 200, precision);
        double scale = fp32.Max(Math.Abs), largest = fp32.Zip(tf32, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(largest > 10 * SameRoundingTolerance * scale, $"{Precisions.Name(precision)} and fp32 differ by at most {largest / scale:E2} of the output");
    }

    /// <summary>Rows with more panels than k (the panel maxima path) and with fewer (every latent).</summary>
    [SkippableTheory]
    [InlineData(61, 130, 1100, 5)]
    [InlineData(37, 48, 200, 8)]
    [InlineData(13, 100, 70, 32)]
    [InlineData(1, 16, 32, 1)]
    public void Encode_topk_selects_the_topk_of_its_pre(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(33);
        var (xc, wEnc, bEnc) = Inputs(r, rows, d, latents);
        var pre = New<float>((long)rows * latents);
        var index = New<int>(rows * k);
        var value = New<float>(rows * k);
        K.EncodeTopK(Up(xc), Up(wEnc), Up(bEnc), pre, rows, d, latents, k, index, value);
        var rounded = new double[rows * latents];
        Ref.EncoderGemm.Run(Compare.ToDouble(xc), Compare.ToDouble(wEnc), Compare.ToDouble(bEnc), rounded, rows, d, latents, precision);
        Compare.Close(rounded, pre.ToArray(), "pre", r, SameRoundingTolerance);
        Selections.CheckTopKOf(pre.ToArray(), rows, latents, k, index, value, r, Precisions.Name(precision));
    }

    /// <summary>One warp's product (16 × 8 over 8 words: 8 k in TF32, 16 in BF16) from fragments read as the GEMM reads
    /// them, added to C: on CUDA the instruction, so this pins the fragment layout to the hardware's; on the emulator the
    /// shuffles.</summary>
    [SkippableFact]
    public void One_mma_of_fragments_adds_a_times_b_to_c()
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(34);
        int depth = precision == Precision.Bf16 ? 16 : 8;
        var a = r.Normal(16 * depth).Select(v => Precisions.Round(precision, v)).ToArray();
        var b = r.Normal(8 * depth).Select(v => Precisions.Round(precision, v)).ToArray();
        var c = r.Normal(16 * 8);
        var accelerator = ((IlgpuKernels)K).Accelerator;
        using var aWords = accelerator.Allocate1D(Words(a));
        using var bWords = accelerator.Allocate1D(Words(b));
        using var cValues = accelerator.Allocate1D(c);
        var kernel = accelerator.LoadStreamKernel<ArrayView<uint>, ArrayView<uint>, ArrayView<float>, int>(OneMma);
        kernel(new KernelConfig(1, 32), aWords.View, bWords.View, cValues.View, precision == Precision.Bf16 ? 1 : 0);
        var expected = new double[16 * 8];
        for (int row = 0; row < 16; row++)
            for (int n = 0; n < 8; n++)
            {
                expected[row * 8 + n] = c[row * 8 + n];
                for (int k = 0; k < depth; k++) expected[row * 8 + n] += (double)a[row * depth + k] * b[n * depth + k];
            }
        Compare.Close(expected, cValues.GetAsArray1D(), "c", r, SameRoundingTolerance);
    }

    /// <summary>Row-major values as the tiles' words: one TF32 value each, or two BF16 (the lower k low).</summary>
    private uint[] Words(float[] values) => precision == Precision.Bf16
        ? [.. Enumerable.Range(0, values.Length / 2).Select(i =>
            BitConverter.SingleToUInt32Bits(values[2 * i]) >> 16 | BitConverter.SingleToUInt32Bits(values[2 * i + 1]) & 0xFFFF0000u)]
        : [.. values.Select(BitConverter.SingleToUInt32Bits)];

    /// <summary>A: 16 rows of 8 words, B: 8 latents of 8 words, C: 16 × 8 row-major, as the accumulator's lanes hold it.</summary>
    private static void OneMma(ArrayView<uint> a, ArrayView<uint> b, ArrayView<float> c, int bf16)
    {
        int lane = Group.IdxX, g = lane / 4, t = lane % 4, low = g * 8 + 2 * t, high = low + 64;
        var accumulator = new Accumulator { C0 = c[low], C1 = c[low + 1], C2 = c[high], C3 = c[high + 1] };
        Mma.Run(ref accumulator, Fragments.A(a, 8, 0, 0, g, t), Fragments.B(b, 8, 0, 0, g, t), bf16 != 0);
        c[low] = accumulator.C0;
        c[low + 1] = accumulator.C1;
        c[high] = accumulator.C2;
        c[high + 1] = accumulator.C3;
    }

    /// <summary>The same small training run (AuxK included once latents die) with the encoder at this precision and on
    /// the CPU backend in fp32 ends within 1 % of fp32's loss; each run's summary names its precision.</summary>
    [SkippableFact]
    public void Training_ends_within_one_percent_of_the_fp32_loss()
    {
        Skip.If(SkipReason is not null, SkipReason);
        const int steps = 40;
        using var scratch = new Lexicon.Tests.Support.Scratch();
        Lexicon.Synthetic.SyntheticWorld.Generate(new Lexicon.Synthetic.SynthOptions { Layers = 2, DModel = 32, Vocab = 64, Tokens = 8_000, Features = 24 }, scratch.Root);
        using var store = Lexicon.Data.ActivationStore.Open(scratch.Root);
        var config = new Lexicon.Training.TrainConfig { Data = scratch.Root, Layer = 1, Latents = 128, K = 4, Batch = 64, Tokens = steps * 64L, DeadTokens = 256 }
            .Resolve(store.D, store.TokenCount);
        double Loss(IKernels kernels)
        {
            using var trainer = new Lexicon.Training.Trainer(kernels, store, config);
            var last = trainer.Run(steps);
            // What lexicon.json's summary records.
            Assert.Equal(Precisions.Name(kernels.Precision), last.Summary.Precision);
            return last.Loss;
        }
        using var fp32 = new Lexicon.Kernels.Cpu.CpuKernels();
        double expected = Loss(fp32), rounded = Loss(K);
        Assert.True(Math.Abs(rounded - expected) <= 0.01 * expected,
            $"final loss after {steps} steps: {Precisions.Name(precision)} {rounded:R}, fp32 {expected:R}");
    }

    /// <summary>The peak probe runs and gives a positive rate (on CUDA only: on the emulator each shuffle is a barrier).</summary>
    [SkippableFact]
    public void Tensor_core_peak_is_measured()
    {
        Skip.If(SkipReason is not null, SkipReason);
        Skip.If(!K.Name.StartsWith("cuda", StringComparison.Ordinal), "the probe's shuffles take minutes on the emulator");
        double gflops = new Lexicon.Benchmarks.IlgpuRoofline((IlgpuKernels)K).MeasureGemmPeakGflops();
        Assert.True(gflops > 0 && double.IsFinite(gflops), $"{gflops} GFLOP/s");
    }

    [SkippableFact]
    public void Backend_reports_tf32()
    {
        Skip.If(SkipReason is not null, SkipReason);
        Assert.Equal(precision, K.Precision);
    }

    private static (float[] Xc, float[] WEnc, float[] BEnc) Inputs(TestRandom r, int rows, int d, int latents) =>
        (r.Normal(rows * d), r.Normal(latents * d, 1 / Math.Sqrt(d)), r.Normal(latents, 0.1));

    /// <summary>Each input's rounding is within u of it, so each product within 2u + u² of |x·w|; ReLU does not widen
    /// it. Plus fp32's own 1e-5 of the output.</summary>
    private void CheckFp32Bound(float[] xc, float[] wEnc, float[] bEnc, float[] got, int rows, int d, int latents, TestRandom r)
    {
        double u = Precisions.UnitRoundoff(precision), scale = 1e-30;
        var exact = new double[rows * latents];
        Ref.EncoderGemm.Run(Compare.ToDouble(xc), Compare.ToDouble(wEnc), Compare.ToDouble(bEnc), exact, rows, d, latents);
        scale = Math.Max(scale, exact.Max(Math.Abs));
        for (int b = 0; b < rows; b++)
            for (int m = 0; m < latents; m++)
            {
                double magnitude = 0;
                for (int i = 0; i < d; i++) magnitude += Math.Abs((double)xc[b * d + i] * wEnc[m * d + i]);
                double bound = (2 * u + u * u) * magnitude + SameRoundingTolerance * scale, error = Math.Abs(got[b * latents + m] - exact[b * latents + m]);
                if (!(error <= bound))
                    Assert.Fail($"pre[{b}, {m}]: {got[b * latents + m]:R} is {error:E2} from fp32's {exact[b * latents + m]:R}, over the bound {bound:E2} {r.Replay}");
            }
    }
}

public sealed class Warp32EmulatorTf32Tests(Warp32EmulatorTf32Backend backend) : TensorCoreSuite(backend, Precision.Tf32), IClassFixture<Warp32EmulatorTf32Backend>;

public sealed class Warp32EmulatorBf16Tests(Warp32EmulatorBf16Backend backend) : TensorCoreSuite(backend, Precision.Bf16), IClassFixture<Warp32EmulatorBf16Backend>;

public sealed class CudaTf32TensorCoreTests(CudaTf32Backend backend) : TensorCoreSuite(backend, Precision.Tf32), IClassFixture<CudaTf32Backend>;

public sealed class CudaBf16TensorCoreTests(CudaBf16Backend backend) : TensorCoreSuite(backend, Precision.Bf16), IClassFixture<CudaBf16Backend>;
