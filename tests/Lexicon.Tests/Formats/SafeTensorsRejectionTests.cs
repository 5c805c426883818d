using System.Buffers.Binary;
using Lexicon.Data.Formats;

namespace Lexicon.Tests.Formats;

public sealed class SafeTensorsRejectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    private void AssertRejected(byte[] bytes, string problem)
    {
        string path = _dir.File("bad.safetensors");
        File.WriteAllBytes(path, bytes);
        TestFiles.AssertRejected(path, problem, () => SafeTensorsFile.Open(path).Dispose());
    }

    private void AssertRejected(string json, int dataBytes, string problem) =>
        AssertRejected(TestFiles.BuildSafeTensors(json, new byte[dataBytes]), problem);

    [Fact]
    public void OverlappingTensors() => AssertRejected(
        "{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 4, 12) + "}", 12,
        "tensor 'b' (data_offsets [4, 12]) overlaps the previous tensor, which ends at 8");

    [Fact]
    public void HoleBetweenTensors() => AssertRejected(
        "{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 12, 20) + "}", 20,
        "hole of 4 bytes before tensor 'b' (data_offsets [12, 20])");

    [Fact]
    public void HoleAtTheStart() => AssertRejected(
        "{" + Entry("a", "I64", "[1]", 4, 12) + "}", 12, "hole of 4 bytes before tensor 'a' (data_offsets [4, 12])");

    [Fact]
    public void TrailingBytes() => AssertRejected(
        "{" + Entry("a", "I32", "[1]", 0, 4) + "}", 8, "4 trailing bytes after the last tensor");

    [Fact]
    public void TruncatedData() => AssertRejected(
        "{" + Entry("a", "F32", "[2]", 0, 8) + "}", 4, "truncated: the tensors need 8 bytes of data but only 4 bytes follow the header");

    [Fact]
    public void HeaderLengthLargerThanTheFile()
    {
        byte[] bytes = TestFiles.BuildSafeTensors("{}", new byte[42]);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1000);
        AssertRejected(bytes, "header length 1000 is larger than the 50 bytes that follow it");
    }

    [Fact]
    public void HeaderLengthOverTheLimit()
    {
        byte[] bytes = TestFiles.BuildSafeTensors("{}", []);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        AssertRejected(bytes, "header length 18446744073709551615 exceeds the 100 MB limit");
    }

    [Fact]
    public void FileShorterThanTheLengthField() =>
        AssertRejected([1, 2, 3], "truncated: the file has 3 bytes, too few for the 8-byte header length");

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"text\"")]
    [InlineData(" {}")]
    [InlineData("")]
    public void HeaderThatIsNotAnObject(string json) =>
        AssertRejected(json, 0, "header is not a json object (it must start with '{')");

    [Theory]
    [InlineData("{\"a\":", "line 1, byte 9")] // the end of the space padding
    [InlineData("{\"a\":{}}}", "line 1, byte 9")]
    [InlineData("{\"a\":{}}\0", "line 1, byte 9")]
    [InlineData("{\"a\":\n[[[[[[[[[[]]]]]]]]]]}", "line 2, byte 8")]
    public void InvalidJson(string json, string where) =>
        AssertRejected(json, 0, $"header is not valid json ({where})");

    [Fact]
    public void InvalidUtf8()
    {
        byte[] bytes = TestFiles.BuildSafeTensors("{\"__metadata__\":{\"k\":\"xx\"}}", []);
        bytes[8 + 22] = 0xC3;
        bytes[8 + 23] = 0x28;
        AssertRejected(bytes, "header is not valid utf-8");
    }

    [Fact]
    public void LoneSurrogateEscape() => AssertRejected(
        "{\"\\ud800\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", 0,
        "header holds a string with an invalid escape sequence");

    [Theory]
    [InlineData("{\"a\":5}", "tensor 'a' is not a json object")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", "tensor 'a' is missing field 'data_offsets'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", "tensor 'a' is missing field 'shape'")]
    [InlineData("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "tensor 'a' is missing field 'dtype'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"extra\":1}}", "tensor 'a' has an unexpected field 'extra'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "tensor 'a' has a duplicate field 'dtype'")]
    [InlineData("{\"a\":{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}}", "dtype of tensor 'a' is not a string")]
    [InlineData("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", "unsupported dtype 'F64' for tensor 'a'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "tensor 'a' has shape [3] of F32 (12 bytes) but data_offsets [0, 8] span 8 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", "shape of tensor 'a' holds '-2', not a non-negative integer")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", "shape of tensor 'a' holds '2.0', not a non-negative integer")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", "shape of tensor 'a' holds '\"2\"', not a non-negative integer")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", "shape of tensor 'a' is not a list")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,8]}}", "data_offsets of tensor 'a' has 3 entries instead of 2")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", "tensor 'a' has data_offsets [8, 0] that end before they begin")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,99999999999999999999]}}", "data_offsets of tensor 'a' holds '99999999999999999999', not a non-negative integer")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", "shape [4611686018427387904, 4] of tensor 'a' is too large (its byte size overflows 64 bits)")]
    [InlineData("{\"a\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[8,16]}}", "duplicate tensor 'a'")]
    [InlineData("{\"__metadata__\":{\"k\":1}}", "__metadata__ value of 'k' is not a string")]
    [InlineData("{\"__metadata__\":[]}", "__metadata__ is not a json object")]
    [InlineData("{\"__metadata__\":{},\"__metadata__\":{}}", "duplicate __metadata__")]
    [InlineData("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", "duplicate __metadata__ key 'k'")]
    [InlineData("{\"a\\nb\":5}", "tensor 'a?b' is not a json object")]
    public void InvalidEntries(string json, string problem) => AssertRejected(json, 16, problem);

    [Fact]
    public void TooManyDimensions() => AssertRejected(
        "{" + Entry("a", "F32", "[" + string.Join(",", Enumerable.Repeat("1", 65)) + "]", 0, 4) + "}", 4,
        "shape of tensor 'a' has 65 dimensions (at most 64)");
}
