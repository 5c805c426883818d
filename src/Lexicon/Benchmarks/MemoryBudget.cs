namespace Lexicon.Benchmarks;

/// <summary>
/// What a training step must hold, from the shapes alone (4 bytes per value, int or float): the SAE's parameters,
/// their gradients and both Adam moments (plus the dead-latent counters); the unigram table, its two lazy-Adam moments
/// and per-row step counts; and one batch's buffers as <see cref="Training.StepBuffers"/> allocates them (inputs,
/// centred inputs, the B×M pre-activations, the main + AuxK selection with its gradients and grouping, reconstruction,
/// residual and gradient rows for the main and AuxK terms, the table's keys, rows, grouping and row gradients, the known
/// part). The process's peak resident memory is judged against this sum (issue 7: at most 1.5× of it); what a backend
/// adds (the CPU GEMM's packed input and block buffers, the panel maxima) and the runtime itself must fit in the 0.5×.
/// </summary>
public sealed record MemoryBudget(long ParameterBytes, long TableBytes, long BatchBytes)
{
    public long Bytes => ParameterBytes + TableBytes + BatchBytes;

    public static MemoryBudget For(Workload w, int kAux, bool unigramTable)
    {
        long d = w.D, m = w.Latents, b = w.Batch;
        var layout = new Model.ParameterLayout(new Model.SaeShape(w.D, w.Latents));
        long parameters = 4 * layout.Length + 2 * m + 1; // parameters, gradients, two moments; since-fired, dead, dead count
        long table = unigramTable ? 3 * w.Vocab * d + w.Vocab : 0; // values, two moments, row steps
        long entries = b * (w.K + kAux);
        long batch = 8 * b * d      // x, xc, x̂, residual, grad; AuxK: x̂, residual, grad
            + b * m                 // pre-activations
            + 4 * entries + m + 1   // index, value, gAct, order; start
            + 3 * b;                // row error, row target, AuxK row error
        if (unigramTable)
            batch += b + b + w.Vocab + 1 + b + b + b * d + 1 // keys, row index, start, order, touched, row gradients, count
                + 3 * b * d;                                  // known part, its gradient sources (main and AuxK)
        return new MemoryBudget(4 * parameters, 4 * table, 4 * batch);
    }
}

/// <summary>The process's peak resident memory (Linux: VmHWM of /proc/self/status; elsewhere the runtime's peak working set).</summary>
public static class PeakMemory
{
    public static long Bytes()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
            foreach (var line in File.ReadLines(status))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) * 1024;
        return System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
