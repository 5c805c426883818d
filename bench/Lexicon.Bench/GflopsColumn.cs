using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Lexicon.Bench;

/// <summary>Marks a benchmark with the FLOPs one invocation does, for the GFLOP/s column.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FlopsAttribute(double flops) : Attribute
{
    public double Flops { get; } = flops;
}

/// <summary>GFLOP/s from a benchmark's <see cref="FlopsAttribute"/> and its mean time.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => "GFLOPs";
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Useful FLOPs per second (cost model of DESIGN.md §3)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var flops = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttributes(typeof(FlopsAttribute), false).OfType<FlopsAttribute>().FirstOrDefault();
        var report = summary[benchmarkCase];
        if (flops is null || report?.ResultStatistics is null) return "-";
        return (flops.Flops / (report.ResultStatistics.Mean * 1e-9) / 1e9).ToString("F1");
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
