using System.Text.Json.Nodes;
using Lexicon.Kernels.Cpu;

namespace Lexicon.Tests.Kernels;

/// <summary>A tuning cache entry that is not one this version wrote — another version, a value no candidate has, a
/// hand edit that broke the JSON — is probed again and replaced, never used. (Each edit costs a bench run of ~5 s, so
/// one field per kind of check: the version, a candidate list, a range.)</summary>
public sealed class TuningCacheTests
{
    [Fact]
    public void A_foreign_cache_entry_is_probed_again_and_replaced()
    {
        string cache = Directory.CreateTempSubdirectory("lexicon-tuning-").FullName;
        try
        {
            var tuning = CpuTuningTests.Lexicon(cache, null, "tune", "--json")["tuning"]!.AsObject();
            string path = (string)tuning["cache_path"]!;
            string written = File.ReadAllText(path);
            var edits = new (string What, Func<string, string> Edit)[]
            {
                ("another version", Set("Version", 4)),
                ("a depth block no candidate has", Set("DepthBlock", 77)),
                ("probe latents out of range", Set("ProbeLatents", 1 << 20)),
                ("broken JSON", text => text[..(text.Length / 2)]),
            };
            foreach (var (what, edit) in edits)
            {
                File.WriteAllText(path, edit(written));
                var bench = CpuTuningTests.Lexicon(cache, null, "bench", "--op", "Center", "--steps", "1", "--json")["tuning"]!.AsObject();
                Assert.True((string?)bench["source"] == "probe", $"{what}: used the entry ({bench["source"]})");
                var entry = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
                Assert.Contains((int)entry["DepthBlock"]!, CpuTuning.DepthCandidates());
                Assert.Contains((int)entry["Rows"]!, CpuTuning.RowCandidates());
                Assert.Equal((int)bench["gemm_tile_rows"]!, (int)entry["Rows"]!);
            }
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    private static Func<string, string> Set(string field, int value) => text =>
    {
        var entry = JsonNode.Parse(text)!.AsObject();
        Assert.True(entry.ContainsKey(field), $"the cache entry has no {field}");
        entry[field] = value;
        return entry.ToJsonString();
    };
}
