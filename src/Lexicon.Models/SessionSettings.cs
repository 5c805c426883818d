using Microsoft.ML.OnnxRuntime;

namespace Lexicon.Models;

/// <summary>How every MiniLM session runs: fully optimised, one inter-op thread, the intra-op threads asked for
/// (0: one per core), errors only in the log.</summary>
internal static class SessionSettings
{
    public static SessionOptions Create(int threads) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        IntraOpNumThreads = threads > 0 ? threads : Environment.ProcessorCount,
        InterOpNumThreads = 1,
        LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
    };
}
