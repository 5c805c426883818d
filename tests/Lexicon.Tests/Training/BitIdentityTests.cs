using System.Security.Cryptography;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Training;

/// <summary>
/// Refactors keep results bit-identical: a plain run, a tokenized run (unigram;bigram) and a 4-layer suite on a small
/// planted world write exactly the safetensors recorded here, on `cpu` and `ilgpu-cpu`. The child processes are pinned
/// (128-bit SIMD, default GEMM tiles, 2 threads) so the recorded bytes do not depend on this machine's vector width or
/// core count. A deliberate numeric change updates a hash here and says so in its commit.
/// </summary>
public sealed class BitIdentityTests
{
    private static readonly Dictionary<string, string> Pinned = new()
    {
        ["LEXICON_SIMD"] = "128",
        ["LEXICON_TUNING"] = "defaults",
        ["DOTNET_PROCESSOR_COUNT"] = "2",
    };

    private static readonly Dictionary<string, string> Expected = new()
    {
        ["plain/cpu"] = "49C0D030A5D978E4",
        ["plain/ilgpu-cpu"] = "7D20B37F4F67BB0F",
        ["tokenized/cpu"] = "E94B041F050B9443",
        ["tokenized/ilgpu-cpu"] = "6E3034678874495C",
        ["suite/cpu"] = "A530E8DCF8BDD38A",
        ["suite/ilgpu-cpu"] = "40B68A6E9E5404F8",
    };

    [Theory]
    [InlineData("plain", "cpu")]
    [InlineData("plain", "ilgpu-cpu")]
    [InlineData("tokenized", "cpu")]
    [InlineData("tokenized", "ilgpu-cpu")]
    [InlineData("suite", "cpu")]
    [InlineData("suite", "ilgpu-cpu")]
    public void RunWritesTheRecordedSafetensors(string run, string device)
    {
        using var scratch = new Scratch();
        Ok(CliRunner.RunWith(Pinned, "synth", "--out", scratch["w"], "--layer-count", "4", "--d-model", "32", "--vocab", "96",
            "--tokens", "3072", "--features", "48", "--seed", "3", "--heldout", "0"));
        string[] common = ["--data", scratch["w"], "--latents", "64", "--k", "4", "--batch", "256", "--train-tokens", "3072",
            "--device", device, "--out", scratch["out"]];
        Ok(run switch
        {
            "plain" => CliRunner.RunWith(Pinned, ["train", "--layer", "1", .. common]),
            "tokenized" => CliRunner.RunWith(Pinned, ["train", "--layer", "1", "--tables", "unigram;bigram", "--table-rows", "512", .. common]),
            // The hashes were recorded under the norm criterion of pruning. ILGPU's CPU emulator launches slowly: five SAEs and their code extraction take minutes on 2 busy cores.
            _ => CliRunner.RunWith(Pinned, TimeSpan.FromMinutes(12), ["suite", "--layers", "0-3", "--table-rows", "512", "--pool-death", "norm", .. common]),
        });
        Assert.Equal(Expected[$"{run}/{device}"], Hash(scratch["out"]));
    }

    private static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    /// <summary>One SHA-256 over every safetensors file of the output, by relative path in order.</summary>
    private static string Hash(string root)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.GetFiles(root, "*.safetensors", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f))
                     .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.'))).Order(StringComparer.Ordinal))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(file + "\n"));
            sha.AppendData(File.ReadAllBytes(Path.Combine(root, file)));
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..16];
    }
}
