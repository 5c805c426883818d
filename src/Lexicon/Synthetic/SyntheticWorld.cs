using Lexicon.Output;
using System.Numerics.Tensors;
using Lexicon.Data;

namespace Lexicon.Synthetic;

/// <summary>
/// Writes a synthetic activation store with known structure (DESIGN.md §6):
/// x_l[t] = E_l[tok] + BigramNorm·G_l[pair] (layers ≥ 1) + Σ_f a_f(t)·D_{f,l} + noise,
/// plus ground_truth.safetensors. Tokens are streamed in blocks, so memory is one block of rows per layer; the
/// layers of a block are computed in parallel from their own noise streams, so the output is bit-identical for a
/// seed however many cores run it.
/// </summary>
public static class SyntheticWorld
{
    /// <summary>Tokens per block: the unit of streaming, parallelism and noise streams (changing it changes worlds).</summary>
    private const int BlockTokens = 4096;

    /// <summary>Generates the world into <paramref name="outDirectory"/>, replacing it whole (or leaving it untouched
    /// on failure). Progress reports the fraction of tokens written, 0..1.</summary>
    public static StoreManifest Generate(SynthOptions options, string outDirectory, IProgress<double>? progress = null)
    {
        options.Validate();
        var world = PlantedWorld.Draw(options);
        var template = new StoreManifest(options.DModel, [.. Enumerable.Range(0, options.Layers)], options.Tokens,
            options.Vocab, options.DType, Model: "synthetic", Bidirectional: false, Tokenizer: "synthetic");
        StoreManifest? manifest = null;
        AtomicDirectory.Write(outDirectory, temp =>
        {
            using (var writer = new StoreWriter(temp, template, options.HeldOut, options.Seed))
            {
                WriteTokens(world, writer, progress);
                manifest = writer.Complete();
            }
            world.Save(Path.Combine(temp, GroundTruth.FileName));
        });
        return manifest!;
    }

    private static void WriteTokens(PlantedWorld world, StoreWriter writer, IProgress<double>? progress)
    {
        SynthOptions o = world.Options;
        var tokenStream = new TokenStream(world);
        var firingSampler = new FiringSampler(world);
        var tokens = new int[BlockTokens];
        var positions = new int[BlockTokens];
        var bigrams = new int[BlockTokens];
        var firings = new List<Firing>();
        var rows = new float[o.Layers][];
        for (int layer = 0; layer < o.Layers; layer++)
            rows[layer] = new float[BlockTokens * o.DModel];

        for (long start = 0, block = 0; start < o.Tokens; start += BlockTokens, block++)
        {
            int count = (int)Math.Min(BlockTokens, o.Tokens - start);
            tokenStream.Next(tokens.AsSpan(0, count), positions.AsSpan(0, count), bigrams.AsSpan(0, count));
            firings.Clear();
            firingSampler.Collect(start, count, firings);
            long blockIndex = block;
            Parallel.For(0, o.Layers, layer =>
                FillRows(world, layer, blockIndex, tokens.AsSpan(0, count), bigrams.AsSpan(0, count), firings,
                    rows[layer].AsSpan(0, count * o.DModel)));

            writer.AppendTokens(tokens.AsSpan(0, count), positions.AsSpan(0, count));
            for (int layer = 0; layer < o.Layers; layer++)
                writer.AppendRows(layer, rows[layer].AsSpan(0, count * o.DModel));
            progress?.Report((double)(start + count) / o.Tokens);
        }
    }

    /// <summary>One layer's rows of one block, summed in a fixed order: token, bigram, features, noise.</summary>
    private static void FillRows(PlantedWorld world, int layer, long block, ReadOnlySpan<int> tokens,
        ReadOnlySpan<int> bigrams, List<Firing> firings, Span<float> rows)
    {
        SynthOptions o = world.Options;
        int d = o.DModel;
        float[] tokenTable = world.TokenTables[layer];
        float[] bigramTable = world.BigramTables[layer];
        float[] directions = world.FeatureDirections[layer];
        for (int i = 0; i < tokens.Length; i++)
        {
            Span<float> row = rows.Slice(i * d, d);
            tokenTable.AsSpan(tokens[i] * d, d).CopyTo(row);
            // §6: no bigram term at layer 0.
            if (layer > 0 && bigrams[i] >= 0)
                TensorPrimitives.MultiplyAdd(bigramTable.AsSpan(bigrams[i] * d, d), (float)o.BigramNorm, row, row);
        }
        foreach (Firing firing in firings)
        {
            if (!world.IsAlive(firing.Feature, layer)) continue;
            Span<float> row = rows.Slice(firing.Row * d, d);
            TensorPrimitives.MultiplyAdd(directions.AsSpan(firing.Feature * d, d), firing.Magnitude, row, row);
        }
        if (o.NoiseSigma > 0)
        {
            var rng = Rng.Derive(o.Seed, StreamTag.Noise, layer, block);
            for (int j = 0; j < rows.Length; j++)
                rows[j] += (float)(o.NoiseSigma * rng.NextGaussian());
        }
    }
}
