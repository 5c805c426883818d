namespace Lexicon.Benchmarks;

/// <summary>Accumulated time of one kernel with the work its cost model says it did.</summary>
public sealed class OpTiming(string name)
{
    public string Name { get; } = name;
    public long Calls { get; set; }
    public double Seconds { get; set; }
    public double Flops { get; set; }
    public double Bytes { get; set; }

    public double Gflops => Flops / Math.Max(1e-12, Seconds) / 1e9;
    public double GBytesPerSecond => Bytes / Math.Max(1e-12, Seconds) / 1e9;

    /// <summary>Time the roofline allows (the slower of compute at peak and traffic at full bandwidth) over the time taken.</summary>
    public double RooflineFraction(double peakGflops, double bandwidthGBs) =>
        Math.Max(Flops / (peakGflops * 1e9), Bytes / (bandwidthGBs * 1e9)) / Math.Max(1e-12, Seconds);

    /// <summary>compute or memory: which roof binds.</summary>
    public string Bound(double peakGflops, double bandwidthGBs) =>
        Flops / (peakGflops * 1e9) >= Bytes / (bandwidthGBs * 1e9) ? "compute" : "memory";
}
