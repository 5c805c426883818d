using Lexicon.Output;
using System.Diagnostics;
using Lexicon.Data;

namespace Lexicon.Models;

/// <summary>
/// Writes an activation store (DESIGN.md §4) of all-MiniLM-L6-v2's hidden states on a text: tokenized, packed into
/// sequences of up to 256 tokens (<see cref="ExtractOptions.MaxLength"/>), run in batches on every core, stored as
/// float16 with [CLS] and [SEP] named as special tokens. The store replaces the target directory whole, or not at all.
/// </summary>
public static class ActivationExtractor
{
    /// <param name="lines">The text, a line at a time; pulled only as far as the token budget reaches.</param>
    /// <param name="source">What the text is (its files, the corpus), for messages.</param>
    /// <param name="progress">Tokens in the store so far, after each batch (from the writer thread).</param>
    public static ExtractResult Extract(IEnumerable<string> lines, string source, ExtractOptions options, string outDirectory,
        IProgress<long>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var tokenizer = MiniLmTokenizer.Create();
        // One single-threaded session per core, side by side, each made on its worker's thread (see BatchPipeline).
        var graph = MiniLmGraph.For(options.Layers);
        double loadSeconds = clock.Elapsed.TotalSeconds;
        var template = new StoreManifest(MiniLm.DModel, options.Layers, 0, tokenizer.VocabularySize, "float16",
            MiniLm.ModelName, Bidirectional: true, MiniLm.TokenizerName, tokenizer.SpecialTokenIds);
        StoreManifest? manifest = null;
        int sequences = 0;
        AtomicDirectory.Write(outDirectory, temp =>
        {
            using var writer = new StoreWriter(temp, template, options.HeldOut, options.Seed);
            using var batches = new BatchPipeline(graph, writer, options.BatchSequences, options.MaxLength, Environment.ProcessorCount, progress);
            var packer = new SequencePacker(tokenizer.ClsId, tokenizer.SepId, options.MaxLength);
            foreach (int[] sequence in packer.Pack(lines.Select(tokenizer.Encode), options.Tokens))
            {
                cancel.ThrowIfCancellationRequested();
                batches.Add(sequence);
            }
            batches.Finish();
            if (writer.TokensWritten == 0) throw new BadInputException(source, "holds no text that the tokenizer turns into tokens");
            sequences = batches.Sequences;
            manifest = writer.Complete();
        });
        return new ExtractResult(manifest!, sequences, loadSeconds, clock.Elapsed.TotalSeconds);
    }
}
