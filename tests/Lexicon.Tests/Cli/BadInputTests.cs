using Lexicon.Data.Formats;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Cli;

/// <summary>
/// Bad input gets a one-line message naming the file and the problem, exit code 2, and loses nothing: an existing
/// checkpoint at --out is left exactly as it was.
/// </summary>
public sealed class BadInputTests : IClassFixture<BadInputTests.World>
{
    private readonly World _world;

    public BadInputTests(World world) => _world = world;

    /// <summary>A valid small store and a checkpoint trained on it, made once for the class.</summary>
    public sealed class World : IDisposable
    {
        public World()
        {
            Ok(CliRunner.Run("synth", "--out", Scratch["W"], "--layer-count", "2", "--d-model", "16", "--vocab", "64", "--tokens", "4096", "--features", "16"));
            Ok(CliRunner.Run("synth", "--out", Scratch["W24"], "--layer-count", "2", "--d-model", "24", "--vocab", "64", "--tokens", "2048", "--features", "16"));
            Ok(CliRunner.Run("train", "--data", Scratch["W"], "--layer", "1", "--latents", "16", "--k", "2", "--batch", "512", "--train-tokens", "4096", "--out", Scratch["S"]));
        }

        public Scratch Scratch { get; } = new();

        public void Dispose() => Scratch.Dispose();
    }

    [Fact]
    public void Truncated_layer_file()
    {
        var store = CopyOfStore();
        using (var f = File.OpenWrite(Path.Combine(store, "layer_01.npy"))) f.SetLength(f.Length - 100);
        ExpectRejected(Train(store), "layer_01.npy", "truncated");
    }

    [Fact]
    public void Wrong_dtype_of_layer_file()
    {
        var store = CopyOfStore();
        Npy.Write<int>(Path.Combine(store, "layer_01.npy"), new int[4096 * 16], [4096, 16]);
        ExpectRejected(Train(store), "layer_01.npy", "int32");
    }

    [Fact]
    public void Dtype_disagreeing_with_manifest()
    {
        var store = CopyOfStore();
        Npy.Write<Half>(Path.Combine(store, "layer_01.npy"), new Half[4096 * 16], [4096, 16]);
        ExpectRejected(Train(store), "layer_01.npy", "float16");
    }

    [Fact]
    public void A_bad_simd_width_in_the_environment_is_exit_2_naming_the_variable()
    {
        var result = CliRunner.RunWith(new Dictionary<string, string> { ["LEXICON_SIMD"] = "999" }, "eval", "--sae", _world.Scratch["S"],
            "--data", _world.Scratch["W"]);
        ExpectRejected(result, "LEXICON_SIMD", "999");
    }

    [Fact]
    public void An_unknown_tuning_setting_in_the_environment_is_exit_2_naming_the_variable()
    {
        var result = CliRunner.RunWith(new Dictionary<string, string> { ["LEXICON_TUNING"] = "sometimes" }, "eval", "--sae", _world.Scratch["S"],
            "--data", _world.Scratch["W"]);
        ExpectRejected(result, "LEXICON_TUNING", "sometimes");
    }

    [Fact]
    public void Width_mismatch_between_checkpoint_and_store()
    {
        ExpectRejected(CliRunner.Run("train", "--resume", _world.Scratch["S"], "--data", _world.Scratch["W24"]), "layer_01.npy", "d_in 16");
        ExpectRejected(CliRunner.Run("eval", "--sae", _world.Scratch["S"], "--data", _world.Scratch["W24"]), "manifest.json", "d_in 16");
    }

    [Fact]
    public void NaN_activation()
    {
        var store = CopyOfStore();
        string path = Path.Combine(store, "layer_01.npy");
        long offset = Npy.ReadHeader(path).DataOffset + (1234L * 16 + 5) * sizeof(float);
        using (var f = File.OpenWrite(path))
        {
            f.Position = offset;
            f.Write(BitConverter.GetBytes(float.NaN));
        }
        ExpectRejected(Train(store), "layer_01.npy", "NaN activation at row 1234, column 5");
    }

    [Fact]
    public void Token_id_beyond_vocabulary()
    {
        var store = CopyOfStore();
        string path = Path.Combine(store, "tokens.npy");
        var tokens = Npy.ReadInts(path);
        tokens[77] = 64;
        Npy.Write<int>(path, tokens, [tokens.Length]);
        ExpectRejected(Train(store), "tokens.npy", "token id 64 at row 77");
    }

    [Fact]
    public void Missing_manifest()
    {
        var store = CopyOfStore();
        File.Delete(Path.Combine(store, "manifest.json"));
        ExpectRejected(Train(store), "manifest.json", "no such file");
    }

    [Fact]
    public void Missing_checkpoint_and_bad_flags()
    {
        ExpectRejected(CliRunner.Run("eval", "--sae", _world.Scratch["nowhere"], "--data", _world.Scratch["W"]), "nowhere", "no such");
        ExpectRejected(CliRunner.Run("train", "--data", _world.Scratch["W"], "--layer", "1", "--latents", "16", "--k", "17", "--out", _world.Scratch["S"]),
            "--k", "latents = 16");
        ExpectRejected(CliRunner.Run("train", "--data", _world.Scratch["W"], "--layer", "5", "--out", _world.Scratch["S"]), "manifest.json", "layer 5");
        ExpectRejected(CliRunner.Run("train", "--no-such-flag"), "--no-such-flag", "");
    }

    [Theory]
    [InlineData("\"model\": 123", "'model' must be a string")]
    [InlineData("\"bidirectional\": \"yes\"", "'bidirectional' must be true or false")]
    [InlineData("\"tokenizer\": [1]", "'tokenizer' must be a string")]
    [InlineData("\"d_model\": 16, \"d_model\": 16", "Duplicate")]
    public void Manifest_fields_of_the_wrong_type(string field, string problem)
    {
        var store = CopyOfStore();
        string path = Path.Combine(store, "manifest.json");
        string text = File.ReadAllText(path);
        string key = field[..(field.IndexOf(':'))];
        text = System.Text.RegularExpressions.Regex.Replace(text, key + @": [^,\n]+", field, System.Text.RegularExpressions.RegexOptions.None);
        if (!text.Contains(field)) text = text.Replace("{", "{ " + field + ",");
        File.WriteAllText(path, text);
        ExpectRejected(Train(store), "manifest.json", problem);
    }

    [Fact]
    public void A_checkpoint_file_with_a_key_given_twice()
    {
        string copy = CopyOfCheckpoint();
        string cfg = Path.Combine(copy, "cfg.json");
        File.WriteAllText(cfg, File.ReadAllText(cfg).Replace("{", "{ \"k\": 2,"));
        ExpectRejected(CliRunner.Run("eval", "--sae", copy, "--data", _world.Scratch["W"]), "cfg.json", "Duplicate");
    }

    [Theory]
    [InlineData("\"batch\": 512", "\"batch\": -512", "config.batch must be at least 1")]
    [InlineData("\"learning_rate\": ", "\"learning_rate\": 5, \"x\": ", "config.learning_rate must be in (0, 1]")]
    [InlineData("\"beta2\": 0.999", "\"beta2\": 1.5", "config.beta2 must be in [0, 1)")]
    [InlineData("\"table_init\": \"mean\"", "\"table_init\": \"magic\"", "config.table_init must be")]
    public void A_checkpoint_config_out_of_range(string from, string to, string problem)
    {
        string copy = CopyOfCheckpoint();
        string path = Path.Combine(copy, "lexicon.json");
        string text = File.ReadAllText(path);
        Assert.Contains(from, text);
        File.WriteAllText(path, text.Replace(from, to));
        ExpectRejected(CliRunner.Run("train", "--resume", copy), "lexicon.json", problem);
    }

    [Theory]
    [InlineData("tokens")]
    [InlineData("aux_k")]
    public void A_checkpoint_config_that_leaves_a_resolved_value_out(string field)
    {
        string copy = CopyOfCheckpoint();
        string path = Path.Combine(copy, "lexicon.json");
        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.True(root["config"]!.AsObject().Remove(field));
        File.WriteAllText(path, root.ToJsonString());
        ExpectRejected(CliRunner.Run("train", "--resume", copy), "lexicon.json", $"missing required properties including: '{field}'");
    }

    [Fact]
    public void Weights_too_large_to_reconstruct_with()
    {
        string copy = CopyOfCheckpoint();
        string path = Path.Combine(copy, "sae_weights.safetensors");
        for (int i = 0; i < 16; i++) StateFile.Rewrite(path, "W_dec", i, 3e38);
        ExpectRejected(CliRunner.Run("eval", "--sae", copy, "--data", _world.Scratch["W"]), "sae_weights.safetensors", "too large for a trained SAE");
    }

    [Fact]
    public void A_store_whose_tokens_are_all_special()
    {
        var store = CopyOfStore();
        string path = Path.Combine(store, "manifest.json");
        var ids = string.Join(", ", Enumerable.Range(0, 64));
        File.WriteAllText(path, File.ReadAllText(path).Replace("{", "{ \"special_token_ids\": [" + ids + "],"));
        ExpectRejected(Train(store), "manifest.json", "no rows left to train on");
    }

    private string CopyOfCheckpoint()
    {
        string copy = _world.Scratch[$"ckpt-{Guid.NewGuid():N}"];
        Scratch.CopyTree(_world.Scratch["S"], copy);
        return copy;
    }

    private string CopyOfStore()
    {
        string copy = _world.Scratch[$"bad-{Guid.NewGuid():N}"];
        Scratch.CopyTree(_world.Scratch["W"], copy);
        return copy;
    }

    /// <summary>Trains onto the world's checkpoint with --force, so a failure found only mid-run must put it back.</summary>
    private CliResult Train(string store) =>
        CliRunner.Run("train", "--data", store, "--layer", "1", "--latents", "16", "--k", "2", "--batch", "512", "--train-tokens", "4096", "--out", _world.Scratch["S"],
            "--force");

    private void ExpectRejected(CliResult result, string file, string problem)
    {
        // Every case runs against the same checkpoint: it must come out of each exactly as it went in.
        Assert.True(result.ExitCode == 2, result.ToString());
        string message = result.Stderr.Trim();
        Assert.DoesNotContain('\n', message);
        Assert.Contains(file, message);
        Assert.Contains(problem, message);
        Assert.Equal(_checkpointBefore ??= Scratch.Fingerprint(_world.Scratch["S"]), Scratch.Fingerprint(_world.Scratch["S"]));
    }

    private string? _checkpointBefore;

    private static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
