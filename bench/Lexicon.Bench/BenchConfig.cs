using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Lexicon.Bench;

/// <summary>Few, long iterations (a kernel call is tens of milliseconds) and a GFLOP/s column.</summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(10).WithInvocationCount(1).WithUnrollFactor(1));
        AddColumn(new GflopsColumn());
        Add(DefaultConfig.Instance);
    }
}
