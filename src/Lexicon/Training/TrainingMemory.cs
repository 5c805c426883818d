using Lexicon.Model;

namespace Lexicon.Training;

/// <summary>
/// What a training run will hold, from the shapes alone, computed before anything is allocated (4 bytes per value):
/// on the backend the SAE's parameters with gradients and two Adam moments, one batch's buffers as
/// <see cref="StepBuffers"/> allocates them, the tables and the pool with their lazy-Adam state; on the host the shuffle
/// buffer, the initialisation sample and the copies a checkpoint makes. A run that cannot fit is refused with what it
/// needs and what there is, instead of growing until the kernel kills it.
/// </summary>
public sealed record TrainingMemory(long Parameters, long Batch, long Tables, long Pool, long Host)
{
    public long Device => Parameters + Batch + Tables + Pool;

    public static TrainingMemory For(ResolvedTrainConfig c, int d, TableLayout layout, int poolRows = 0, int poolActive = 0)
    {
        long m = c.Latents, b = c.Batch, dd = d;
        long p = new ParameterLayout(new SaeShape(d, c.Latents)).Length;
        long entries = b * (c.K + c.AuxK);
        long batch = 8 * b * dd + b * m + 4 * entries + m + 3 * b + m * dd + b * dd; // + the CPU GEMM's packed operands
        long tables = 0;
        if (!layout.IsEmpty)
        {
            long slots = b * layout.Slots;
            tables = 3L * layout.TotalRows * dd + layout.TotalRows + b * layout.KeyWidth + 3 * slots + slots * dd + 3 * b * dd;
        }
        long pooled = b * poolActive;
        long pool = poolRows == 0 ? 0 : 3L * poolRows * dd + poolRows + 4 * pooled + pooled * dd + 3 * b * dd;
        long shuffle = (long)c.ShuffleBuffer * dd;
        long host = shuffle + b * dd + 2 * b + c.InitSample * dd + 4 * p + (layout.IsEmpty ? 0 : 4L * layout.TotalRows * dd) + 2L * poolRows * dd;
        return new TrainingMemory(4 * (4 * p + 2 * m), 4 * batch, 4 * tables, 4 * pool, 4 * host);
    }

    /// <summary>Throws <see cref="BadInputException"/> when the run needs more than the machine has: everything on the
    /// host for a backend in host memory, else the host part here and the device part against the device.</summary>
    public void Check(bool deviceIsHost, long? deviceBytes)
    {
        long host = deviceIsHost ? Device + Host : Host;
        long available = AvailableHostBytes();
        if (host > available)
            throw new BadInputException(Biggest(), $"this run needs {Gib(host)} of memory ({Breakdown()}) and {Gib(available)} is available");
        if (!deviceIsHost && deviceBytes is { } device && Device > device)
            throw new BadInputException(Biggest(), $"this run needs {Gib(Device)} of device memory ({Breakdown()}) and the device has {Gib(device)}");
    }

    /// <summary>Memory the operating system can give this process now: MemAvailable on Linux, within the runtime's
    /// limit (a container's, if any).</summary>
    public static long AvailableHostBytes()
    {
        long limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        const string meminfo = "/proc/meminfo";
        if (File.Exists(meminfo))
            foreach (var line in File.ReadLines(meminfo))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                    && long.TryParse(line["MemAvailable:".Length..].Trim().Split(' ')[0], out long kb))
                    return Math.Min(limit, kb * 1024);
        return limit;
    }

    private string Biggest() =>
        new[] { ("--latents", Parameters), ("--batch", Batch), ("--tables/--table-rows", Tables), ("--shuffle-buffer", Host) }.MaxBy(x => x.Item2).Item1;

    private string Breakdown() =>
        $"parameters and Adam state {Gib(Parameters)}, batch buffers {Gib(Batch)}, tables {Gib(Tables)}, pool {Gib(Pool)}, host buffers {Gib(Host)}";

    private static string Gib(long bytes) => $"{bytes / (double)(1L << 30):F2} GiB";
}
