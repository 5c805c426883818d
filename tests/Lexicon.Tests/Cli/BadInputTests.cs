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
            Ok(CliRunner.Run("synth", "--out", Scratch["W"], "--layers", "2", "--d-model", "16", "--vocab", "64", "--tokens", "4096", "--features", "16"));
            Ok(CliRunner.Run("synth", "--out", Scratch["W24"], "--layers", "2", "--d-model", "24", "--vocab", "64", "--tokens", "2048", "--features", "16"));
            Ok(CliRunner.Run("train", "--data", Scratch["W"], "--layer", "1", "--latents", "16", "--k", "2", "--batch", "512", "--tokens", "4096", "--out", Scratch["S"]));
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
    public void Width_mismatch_between_checkpoint_and_store()
    {
        ExpectRejected(CliRunner.Run("train", "--resume", _world.Scratch["S"], "--data", _world.Scratch["W24"]), "layer_01.npy", "d_in 16");
        ExpectRejected(CliRunner.Run("eval", "--sae", _world.Scratch["S"], "--data", _world.Scratch["W24"]), "layer_01.npy", "d_in 16");
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

    private string CopyOfStore()
    {
        string copy = _world.Scratch[$"bad-{Guid.NewGuid():N}"];
        Scratch.CopyTree(_world.Scratch["W"], copy);
        return copy;
    }

    private CliResult Train(string store) =>
        CliRunner.Run("train", "--data", store, "--layer", "1", "--latents", "16", "--k", "2", "--batch", "512", "--tokens", "4096", "--out", _world.Scratch["S"]);

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
