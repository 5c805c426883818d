using System.Collections.Concurrent;

namespace Lexicon.Models;

/// <summary>
/// A thread that runs the batches handed to it, in order, through an encoder it makes on that thread and disposes when
/// it ends, so that the session's denormals-as-zero stays on this thread (1–2% faster forward passes, three paired runs;
/// the flags must not reach a thread that trains afterwards). It owns two sets of full-size buffers, so it can run one
/// batch while its previous one waits to be written; a batch of another shape (the last ones) gets buffers of its own,
/// disposed once written.
/// </summary>
internal sealed class BatchWorker : IDisposable
{
    private const int BufferSets = 2;

    private readonly Func<MiniLmEncoder> _createEncoder;
    private readonly int _fullSequences;
    private readonly int _fullLength;
    private readonly CancellationToken _cancel;
    private readonly Action<Exception> _fail;
    private readonly BlockingCollection<BatchJob> _jobs = new(boundedCapacity: 1);
    private readonly BlockingCollection<BatchJob> _done = new();
    private readonly BlockingCollection<EncoderBatch> _free = new();
    private readonly Thread _thread;
    private int _created;

    public BatchWorker(Func<MiniLmEncoder> createEncoder, int fullSequences, int fullLength, CancellationToken cancel, Action<Exception> fail)
    {
        _createEncoder = createEncoder;
        _fullSequences = fullSequences;
        _fullLength = fullLength;
        _cancel = cancel;
        _fail = fail;
        _thread = new Thread(Loop) { IsBackground = true, Name = "lexicon extract worker" };
        _thread.Start();
    }

    public void Submit(BatchJob job) => _jobs.Add(job, _cancel);

    /// <summary>No more jobs: the thread ends after the last one.</summary>
    public void Complete() => _jobs.CompleteAdding();

    /// <summary>The oldest job run and not yet taken, waiting for it if need be.</summary>
    public BatchJob TakeDone() => _done.Take(_cancel);

    /// <summary>Hands back a written job's buffers.</summary>
    public void Release(EncoderBatch batch)
    {
        if (IsFullSize(batch.Sequences, batch.Length)) _free.Add(batch);
        else batch.Dispose();
    }

    public void Join() => _thread.Join();

    public void Dispose()
    {
        foreach (var job in _done) job.Result?.Dispose();
        foreach (var batch in _free) batch.Dispose();
        _jobs.Dispose();
        _done.Dispose();
        _free.Dispose();
    }

    private void Loop()
    {
        try
        {
            using var encoder = _createEncoder();
            foreach (var job in _jobs.GetConsumingEnumerable(_cancel))
            {
                var batch = Buffers(encoder, job);
                try
                {
                    batch.SetTokens(job.Tokens);
                    encoder.Run(batch);
                }
                catch
                {
                    batch.Dispose();
                    throw;
                }
                job.Result = batch;
                _done.Add(job, _cancel);
            }
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            // Another thread failed and said so.
        }
        catch (Exception e)
        {
            _fail(e);
        }
    }

    private EncoderBatch Buffers(MiniLmEncoder encoder, BatchJob job)
    {
        if (!IsFullSize(job.Sequences, job.Length)) return encoder.CreateBatch(job.Sequences, job.Length);
        if (_created < BufferSets)
        {
            _created++;
            return encoder.CreateBatch(job.Sequences, job.Length);
        }
        return _free.Take(_cancel);
    }

    private bool IsFullSize(int sequences, int length) => sequences == _fullSequences && length == _fullLength;
}
