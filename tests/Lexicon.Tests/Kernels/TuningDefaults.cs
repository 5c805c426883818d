using System.Runtime.CompilerServices;
using Lexicon.Kernels.Cpu;

namespace Lexicon.Tests.Kernels;

internal static class TuningDefaults
{
    /// <summary>Every `lexicon` process a test starts inherits LEXICON_TUNING=defaults: tests run the default GEMM shape
    /// and never probe or write the user's tuning cache (the tuning tests set their own environment).</summary>
    [ModuleInitializer]
    internal static void TakeDefaults() => Environment.SetEnvironmentVariable(CpuTuning.EnvironmentVariable, "defaults");
}
