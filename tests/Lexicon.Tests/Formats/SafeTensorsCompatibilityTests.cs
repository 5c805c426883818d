using Lexicon.Data.Formats;

namespace Lexicon.Tests.Formats;

/// <summary>Files laid out as the reference Python/Rust implementation writes them.</summary>
public sealed class SafeTensorsCompatibilityTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary><c>safetensors.torch.save_file({"a": torch.tensor([1.0, -2.5])}, f, metadata={"format": "pt"})</c>.</summary>
    private static byte[] ReferenceFile()
    {
        const string json = "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        Assert.Equal(85, json.Length);
        var bytes = new List<byte> { 88, 0, 0, 0, 0, 0, 0, 0 };      // header length: 85 rounded up to 88, u64 LE
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(json));
        bytes.AddRange([0x20, 0x20, 0x20]);                         // padded with spaces to a multiple of 8
        bytes.AddRange(TestFiles.Floats(1.0f, -2.5f));
        return [.. bytes];
    }

    [Fact]
    public void ReadsTheReferenceLayout()
    {
        string path = _dir.File("ref.safetensors");
        File.WriteAllBytes(path, ReferenceFile());

        using SafeTensorsFile file = SafeTensorsFile.Open(path);
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt" }, file.Metadata);
        SafeTensorInfo a = Assert.Single(file.Tensors.Values);
        Assert.Equal(("a", DType.Float32, 0L, 8L, 2L), (a.Name, a.DType, a.Begin, a.End, a.ElementCount));
        Assert.Equal([2L], a.Shape);
        Assert.Equal([1.0f, -2.5f], file.ReadFloats("a"));
    }

    [Fact]
    public void WritesTheReferenceLayout()
    {
        var writer = new SafeTensorsWriter();
        writer.Metadata["format"] = "pt";
        writer.Add("a", [1.0f, -2.5f], [2]);
        string path = _dir.File("ours.safetensors");
        writer.Write(path);
        Assert.Equal(ReferenceFile(), File.ReadAllBytes(path));
    }

    [Fact]
    public void AcceptsUnpaddedHeadersAnyKeyOrderAndWhitespace()
    {
        byte[] bytes = TestFiles.BuildSafeTensors(
            "{ \"b\" : {\"data_offsets\": [2, 6], \"shape\": [2], \"dtype\": \"BF16\"},\n \"a\": {\"shape\": [], \"dtype\": \"F16\", \"data_offsets\": [0, 2]} }",
            [0x00, 0x3C, 0xC0, 0x3F, 0x20, 0xC0]);
        string path = _dir.File("loose.safetensors");
        File.WriteAllBytes(path, bytes);

        using SafeTensorsFile file = SafeTensorsFile.Open(path);
        Assert.Equal(["b", "a"], file.Tensors.Keys);
        Assert.Empty(file.Metadata);
        Assert.Equal([1f], file.ReadFloats("a"));
        Assert.Equal([1.5f, -2.5f], file.ReadFloats("b"));
    }
}
