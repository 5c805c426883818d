using System.Diagnostics;
using System.Globalization;

namespace Lexicon.Distributed;

/// <summary>
/// The ranks of an MPI job (MPI_COMM_WORLD), when this process was launched by mpiexec with more than one: who this
/// rank is, and the few collectives training needs. Every collective is posted nonblocking and polled against
/// <see cref="Timeout"/>: a rank that died or hangs ends the job with a message and MPI_Abort, never a hang.
/// Without mpiexec <see cref="Current"/> is null and libmpich is never loaded.
/// </summary>
public sealed unsafe class World
{
    /// <summary>Seconds a rank waits for the others at a collective before it ends the job (default 60).</summary>
    public const string TimeoutVariable = "LEXICON_MPI_TIMEOUT";

    private World(int rank, int size, TimeSpan timeout)
    {
        Rank = rank;
        Size = size;
        Timeout = timeout;
    }

    /// <summary>This process's job, once <see cref="Join"/> found one; null in a plain run.</summary>
    public static World? Current { get; private set; }

    public int Rank { get; }
    public int Size { get; }
    public TimeSpan Timeout { get; }

    /// <summary>Rank 0: the one that writes outputs and prints.</summary>
    public bool IsLead => Rank == 0;

    /// <summary>Training has exchanged data: a failure from here on is this rank's alone, and ends the job.</summary>
    public bool Started { get; private set; }

    /// <summary>Marks the start of training's exchanges (see <see cref="Started"/>).</summary>
    public void Start() => Started = true;

    /// <summary>Payload this rank has received from the others in <see cref="Allgather{T}"/>s.</summary>
    public long ReceivedBytes { get; private set; }

    /// <summary>Initialises MPI when mpiexec launched this process as one of several ranks (MPICH's Hydra sets
    /// PMI_RANK and PMI_SIZE); otherwise does nothing and returns null.</summary>
    public static World? Join()
    {
        if (Current is not null) return Current;
        string? sizeText = Environment.GetEnvironmentVariable("PMI_SIZE");
        if (Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is { } ompi && ompi != "1" && sizeText is null)
            throw new BadInputException("mpiexec", "this is Open MPI's launcher; lexicon binds MPICH (run it with mpiexec.mpich)");
        if (sizeText is null || !int.TryParse(sizeText, CultureInfo.InvariantCulture, out int expected) || expected <= 1) return null;
        var timeout = ReadTimeout();
        try
        {
            Check(MpiLibrary.Initialized(out int already), "MPI_Initialized");
            if (already == 0) Check(MpiLibrary.InitThread(null, null, MpiLibrary.ThreadSerialized, out _), "MPI_Init_thread");
        }
        catch (DllNotFoundException)
        {
            throw new BadInputException("mpiexec", $"this process is one of {expected} MPI ranks, but {MpiLibrary.Name} cannot be loaded " +
                "(install MPICH: apt-get install mpich)");
        }
        Check(MpiLibrary.CommRank(MpiLibrary.CommWorld, out int rank), "MPI_Comm_rank");
        Check(MpiLibrary.CommSize(MpiLibrary.CommWorld, out int size), "MPI_Comm_size");
        return Current = new World(rank, size, timeout);
    }

    private static TimeSpan ReadTimeout()
    {
        string? text = Environment.GetEnvironmentVariable(TimeoutVariable);
        if (text is null) return TimeSpan.FromSeconds(60);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !(seconds > 0) || seconds > 86400)
            throw new BadInputException(TimeoutVariable, $"must be seconds in (0, 86400], got '{text}'");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>In place: rank r's <paramref name="counts"/>[r] elements sit at their offset (the sum of the counts before
    /// it) in <paramref name="all"/>; afterwards every rank holds every block.</summary>
    /// <param name="afterWork">The others may still be at work of their own (a layer each), for as long as that takes:
    /// wait without <see cref="Timeout"/>. A rank that dies still ends the job (mpiexec ends the others).</param>
    public void Allgather<T>(Span<T> all, ReadOnlySpan<int> counts, string what, bool afterWork = false) where T : unmanaged
    {
        if (counts.Length != Size) throw new ArgumentException($"{counts.Length} counts for {Size} ranks", nameof(counts));
        var bytes = new int[Size];
        var offsets = new int[Size];
        long offset = 0;
        for (int r = 0; r < Size; r++)
        {
            long length = (long)counts[r] * sizeof(T);
            if (offset + length > int.MaxValue) throw new ArgumentException($"{what}: more than 2 GiB in one exchange", nameof(counts));
            (bytes[r], offsets[r]) = ((int)length, (int)offset);
            offset += length;
        }
        if (offset > (long)all.Length * sizeof(T)) throw new ArgumentException($"{what}: the blocks overrun the buffer", nameof(all));
        fixed (T* buffer = all)
        fixed (int* b = bytes, o = offsets)
        {
            Check(MpiLibrary.Iallgatherv(MpiLibrary.InPlace, 0, MpiLibrary.Byte, buffer, b, o, MpiLibrary.Byte, MpiLibrary.CommWorld,
                out int request), what);
            Wait(request, what, afterWork);
        }
        ReceivedBytes += offset - bytes[Rank];
    }

    /// <summary>Every rank's bytes, of any length (this rank's <paramref name="own"/> among them), on every rank, in rank
    /// order: the lengths are gathered first, then the blocks.</summary>
    /// <param name="afterWork">As in <see cref="Allgather{T}"/>: the others may be at work of their own.</param>
    public byte[][] AllgatherBlocks(ReadOnlySpan<byte> own, string what, bool afterWork = false)
    {
        var lengths = new int[Size];
        lengths[Rank] = own.Length;
        Allgather(lengths.AsSpan(), Enumerable.Repeat(1, Size).ToArray(), $"{what}: sizes", afterWork);
        var all = new byte[lengths.Sum(l => (long)l)];
        int offset = lengths.Take(Rank).Sum();
        own.CopyTo(all.AsSpan(offset));
        Allgather(all.AsSpan(), lengths, what);
        var blocks = new byte[Size][];
        offset = 0;
        for (int r = 0; r < Size; r++)
        {
            blocks[r] = all.AsSpan(offset, lengths[r]).ToArray();
            offset += lengths[r];
        }
        return blocks;
    }

    /// <summary>Runs <paramref name="work"/> on the lead alone, and every rank learns how it went: the lead rethrows its
    /// failure, the others throw <see cref="LeadFailedException"/>, so no rank waits for a lead that has given up.</summary>
    public void OnLead(Action work, string what)
    {
        Exception? error = null;
        if (IsLead)
        {
            try { work(); }
            catch (Exception e) { error = e; }
        }
        long failed = Max(error is null ? 0 : error is BadInputException ? 2 : 1, what);
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        if (failed != 0) throw new LeadFailedException(badInput: failed == 2);
    }

    /// <summary>The largest of every rank's value (an agreement: 0 everywhere, or some rank's failure code).</summary>
    public long Max(long value, string what)
    {
        long result = 0;
        Check(MpiLibrary.Iallreduce(&value, &result, 1, MpiLibrary.LongLong, MpiLibrary.Max, MpiLibrary.CommWorld, out int request), what);
        Wait(request, what);
        return result;
    }

    /// <param name="afterWork">As in <see cref="Allgather{T}"/>: the others may be at work of their own.</param>
    public void Barrier(string what, bool afterWork = false)
    {
        Check(MpiLibrary.Ibarrier(MpiLibrary.CommWorld, out int request), what);
        Wait(request, what, afterWork);
    }

    /// <summary>The end of this process under mpiexec. A failure after training started is this rank's alone: the job is
    /// aborted (the others may wait in a collective). Otherwise every rank meets here and MPI is finalised.</summary>
    public int End(int code)
    {
        if (code != 0 && Started) Abort(code);
        Barrier("the end of the run");
        Check(MpiLibrary.FinalizeMpi(), "MPI_Finalize");
        Current = null;
        return code;
    }

    /// <summary>Ends every rank of the job with this exit code.</summary>
    public void Abort(int code)
    {
        Console.Error.Flush();
        // mpiexec forwards a rank's stderr through a pipe and stops reading it when the abort reaches it: a moment's
        // grace lets the message that says why arrive first.
        Thread.Sleep(500);
        MpiLibrary.Abort(MpiLibrary.CommWorld, code);
        Environment.Exit(code); // MPI_Abort does not return; in case it does
    }

    private void Wait(int request, string what, bool afterWork = false)
    {
        long deadline = afterWork ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(Timeout.TotalSeconds * Stopwatch.Frequency);
        var spin = new SpinWait();
        while (true)
        {
            // MPICH progresses a nonblocking collective inside MPI_Test: polling is what moves it.
            Check(MpiLibrary.Test(ref request, out int done, MpiLibrary.StatusIgnore), what);
            if (done != 0) return;
            if (Stopwatch.GetTimestamp() > deadline)
            {
                Console.Error.WriteLine($"lexicon: rank {Rank} of {Size}: {what}: the other ranks did not answer within {Timeout.TotalSeconds:0.#} s " +
                    $"({TimeoutVariable}); one has died or hangs; ending the job");
                Abort(1);
            }
            // A wait for others' work can be long: sleep between polls, leaving the core to a rank still at work.
            if (afterWork) Thread.Sleep(5);
            else spin.SpinOnce();
        }
    }

    private static void Check(int status, string what)
    {
        // MPICH's default handler (errors are fatal) ends the job before a call returns an error; this catches the rest.
        if (status != MpiLibrary.Success) throw new InvalidOperationException($"{what}: MPI error {status}");
    }
}
