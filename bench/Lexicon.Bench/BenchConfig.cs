using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Lexicon.Bench;

/// <summary>Few iterations (a kernel call takes tens of milliseconds) and GFLOP/s and GB/s columns.</summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(10));
        AddColumn(new CostColumn(bytes: false), new CostColumn(bytes: true));
        Add(DefaultConfig.Instance);
    }
}
