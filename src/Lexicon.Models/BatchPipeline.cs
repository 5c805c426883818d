using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Lexicon.Data;

namespace Lexicon.Models;

/// <summary>
/// Collects packed sequences into batches of one length (at most <c>maxSequences</c> each) and runs them on every core
/// at once: one worker thread per core runs every W-th batch single-threaded through a session of its own (side-by-side
/// runs need no per-operator synchronisation, and measured faster than one run split across the cores), and a writer
/// thread appends the batches to the store in their order (tokens, positions 0 at each [CLS], float16 hidden states),
/// so that the file writes overlap the forward passes. The first failure on any thread stops them all and is rethrown.
/// </summary>
internal sealed class BatchPipeline : IDisposable
{
    private readonly MiniLmGraph _graph;
    private readonly StoreWriter _writer;
    private readonly int _maxSequences;
    private readonly IProgress<long>? _progress;
    private readonly CancellationTokenSource _cancel = new();
    private readonly BatchWorker[] _workers;
    private readonly BlockingCollection<BatchWorker> _order = new();
    private readonly Thread _writerThread;
    private readonly int[] _tokens;
    private Exception? _failure;
    private int _sequences;
    private int _length;
    private long _batches;

    /// <param name="graph">The model each worker makes its single-threaded session of.</param>
    /// <param name="progress">Tokens written so far, after each batch, from the writer thread.</param>
    public BatchPipeline(MiniLmGraph graph, StoreWriter writer, int maxSequences, int maxLength, int workers, IProgress<long>? progress)
    {
        _graph = graph;
        _writer = writer;
        _maxSequences = maxSequences;
        _progress = progress;
        _tokens = new int[maxSequences * maxLength];
        _workers = [.. Enumerable.Range(0, workers).Select(_ =>
            new BatchWorker(() => new MiniLmEncoder(graph, threads: 1, flushDenormals: true), maxSequences, maxLength, _cancel.Token, Fail))];
        _writerThread = new Thread(WriteLoop) { IsBackground = true, Name = "lexicon extract writer" };
        _writerThread.Start();
    }

    /// <summary>Sequences added so far.</summary>
    public int Sequences { get; private set; }

    public void Add(int[] sequence)
    {
        if (_sequences > 0 && (sequence.Length != _length || _sequences == _maxSequences)) Flush();
        _length = sequence.Length;
        sequence.CopyTo(_tokens, _sequences * _length);
        _sequences++;
        Sequences++;
    }

    /// <summary>Waits until every batch is in the store; rethrows the first failure.</summary>
    public void Finish()
    {
        Flush();
        foreach (var worker in _workers) worker.Complete();
        _order.CompleteAdding();
        _writerThread.Join();
        foreach (var worker in _workers) worker.Join();
        ThrowIfFailed();
    }

    public void Dispose()
    {
        _cancel.Cancel();
        _writerThread.Join();
        foreach (var worker in _workers)
        {
            worker.Join();
            worker.Dispose();
        }
        _order.Dispose();
        _cancel.Dispose();
    }

    /// <summary>Hands the batch collected so far to the next worker in turn.</summary>
    private void Flush()
    {
        if (_sequences == 0) return;
        var job = new BatchJob(_tokens[..(_sequences * _length)], _length);
        var worker = _workers[_batches++ % _workers.Length];
        try
        {
            _order.Add(worker, _cancel.Token);
            worker.Submit(job);
        }
        catch (OperationCanceledException) when (_failure is not null)
        {
            ThrowIfFailed();
        }
        _sequences = 0;
    }

    private void WriteLoop()
    {
        try
        {
            long written = 0;
            foreach (var worker in _order.GetConsumingEnumerable(_cancel.Token))
            {
                var job = worker.TakeDone();
                var batch = job.Result!;
                try
                {
                    Write(job, batch);
                }
                finally
                {
                    worker.Release(batch);
                }
                written += job.Tokens.Length;
                _progress?.Report(written);
            }
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            // Another thread failed and said so.
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private void Write(BatchJob job, EncoderBatch batch)
    {
        var positions = new int[job.Tokens.Length];
        for (int i = 0; i < positions.Length; i++) positions[i] = i % job.Length;
        _writer.AppendTokens(job.Tokens, positions);
        for (int i = 0; i < _graph.HiddenStates.Count; i++)
            _writer.AppendRows(_graph.HiddenStates[i], batch.HiddenState(i));
    }

    private void Fail(Exception e)
    {
        Interlocked.CompareExchange(ref _failure, e, null);
        _cancel.Cancel();
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
        if (_cancel.IsCancellationRequested) throw new OperationCanceledException();
    }
}
