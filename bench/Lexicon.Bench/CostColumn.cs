using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Lexicon.Benchmarks;

namespace Lexicon.Bench;

/// <summary>GFLOP/s or GB/s of a <see cref="W2Kernels"/> case: its operation's cost model (Ops/, the one
/// <c>lexicon bench</c> charges) at W2 over the mean time.</summary>
public sealed class CostColumn(bool bytes) : IColumn
{
    public string Id => bytes ? "GBs" : "GFLOPs";
    public string ColumnName => bytes ? "GB/s" : "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => bytes ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => bytes ? "Bytes moved per second (cost model of DESIGN.md §3)" : "Useful FLOPs per second (cost model of DESIGN.md §3)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (benchmarkCase.Parameters[nameof(W2Kernels.Op)] is not string op || report?.ResultStatistics is null) return "-";
        var cost = OpCase.Find(op).Cost(Workload.W2);
        return ((bytes ? cost.Bytes : cost.Flops) / (report.ResultStatistics.Mean * 1e-9) / 1e9).ToString("F1");
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
