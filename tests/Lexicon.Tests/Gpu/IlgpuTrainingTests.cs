using Lexicon.Data;
using Lexicon.Kernels;
using Lexicon.Kernels.Cpu;
using Lexicon.Model;
using Lexicon.Synthetic;
using Lexicon.Tests.Support;
using Lexicon.Training;
using Xunit.Abstractions;

namespace Lexicon.Tests.Gpu;

/// <summary>The same small training run on the ILGPU kernels (CPU accelerator) and on the CPU backend: the kernels agree
/// to fp32 rounding, so after 50 steps (AuxK included once latents die) the losses and weights still agree closely, with
/// and without lookup tables.</summary>
public sealed class IlgpuTrainingTests(ITestOutputHelper output)
{
    private const int Steps = 50;

    [Fact]
    public void Fifty_steps_on_ilgpu_cpu_end_where_the_cpu_backend_does()
    {
        using var scratch = new Scratch();
        SyntheticWorld.Generate(new SynthOptions { Layers = 2, DModel = 16, Vocab = 64, Tokens = 20_000, Features = 16 }, scratch.Root);
        using var store = ActivationStore.Open(scratch.Root);
        var config = new TrainConfig { Data = scratch.Root, Layer = 1, Latents = 64, K = 4, Batch = 64, Tokens = Steps * 64L, DeadTokens = 256 }
            .Resolve(store.D, store.TokenCount);

        var (cpuLoss, cpuWeights, _) = Train(new CpuKernels(), store, config);
        var (gpuLoss, gpuWeights, _) = Train(Backends.Create("ilgpu-cpu"), store, config);
        output.WriteLine($"final loss after {Steps} steps: cpu {cpuLoss:R}, ilgpu-cpu {gpuLoss:R}");

        Assert.True(Math.Abs(gpuLoss - cpuLoss) <= 1e-3 * cpuLoss, $"final loss: ilgpu-cpu {gpuLoss:R}, cpu {cpuLoss:R}");
        AssertClose(cpuWeights.WDec, gpuWeights.WDec, "W_dec");
        AssertClose(cpuWeights.WEnc, gpuWeights.WEnc, "W_enc");
        AssertClose(cpuWeights.BDec, gpuWeights.BDec, "b_dec");
    }

    [Fact]
    public void Fifty_steps_with_unigram_and_bigram_tables_on_ilgpu_cpu_end_where_the_cpu_backend_does()
    {
        using var scratch = new Scratch();
        SyntheticWorld.Generate(new SynthOptions { Layers = 2, DModel = 16, Vocab = 64, Tokens = 20_000, Features = 16 }, scratch.Root);
        using var store = ActivationStore.Open(scratch.Root);
        var config = new TrainConfig
        {
            Data = scratch.Root, Layer = 1, Latents = 64, K = 4, Batch = 64, Tokens = Steps * 64L, DeadTokens = 256,
            Tables = "unigram;bigram", TableRows = 256, SubtractTables = true,
        }.Resolve(store.D, store.TokenCount);

        var (cpuLoss, cpuWeights, cpuTables) = Train(new CpuKernels(), store, config);
        var (gpuLoss, gpuWeights, gpuTables) = Train(Backends.Create("ilgpu-cpu"), store, config);
        output.WriteLine($"final loss after {Steps} steps with tables: cpu {cpuLoss:R}, ilgpu-cpu {gpuLoss:R}");

        Assert.True(Math.Abs(gpuLoss - cpuLoss) <= 1e-3 * cpuLoss, $"final loss: ilgpu-cpu {gpuLoss:R}, cpu {cpuLoss:R}");
        AssertClose(cpuWeights.WDec, gpuWeights.WDec, "W_dec");
        AssertClose(cpuTables!.Values, gpuTables!.Values, "tables");
    }

    private static (double Loss, SaeWeights Weights, TableWeights? Tables) Train(IKernels kernels, ActivationStore store, ResolvedTrainConfig config)
    {
        using (kernels)
        using (var trainer = new Trainer(kernels, store, config))
        {
            var last = trainer.Run(Steps);
            Assert.Equal(Steps, last.Step);
            return (last.Loss, trainer.Weights(), trainer.Tables());
        }
    }

    /// <summary>Loosely: rounding differences grow through 50 Adam steps, and a near-tie in top-k may flip.</summary>
    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        double scale = expected.Max(Math.Abs), worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-2 * scale, $"{what}: largest difference {worst:E2}, {worst / scale:E2} of the largest weight");
    }
}
