using BenchmarkDotNet.Running;

namespace Lexicon.Bench;

/// <summary>BenchmarkDotNet for the operations that dominate a step, at the W2 shape:
/// <c>dotnet run -c Release --project bench/Lexicon.Bench -- --filter '*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new BenchConfig());
}
