using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;

namespace Lexicon.Data.Formats;

/// <summary>The validated header of a safetensors file, checked by the official rules: a bounded UTF-8 JSON object
/// of tensor entries with exactly dtype, shape and data_offsets, sizes that match shapes, and tensors that tile the
/// data buffer exactly (no overlap, no hole, nothing left over); plus an optional string → string __metadata__.</summary>
internal sealed class SafeTensorsHeader
{
    /// <summary>The official limit on the header length.</summary>
    private const long MaxHeaderLength = 100_000_000;

    /// <summary>No real tensor has more; a longer shape is corrupt and would make error messages huge.</summary>
    private const int MaxDimensions = 64;

    private const string MetadataKey = "__metadata__";

    private SafeTensorsHeader(Dictionary<string, SafeTensorInfo> tensors, Dictionary<string, string> metadata, long dataStart)
    {
        Tensors = tensors;
        Metadata = metadata;
        DataStart = dataStart;
    }

    /// <summary>Tensors in header order.</summary>
    public Dictionary<string, SafeTensorInfo> Tensors { get; }
    public Dictionary<string, string> Metadata { get; }

    /// <summary>File offset of the data buffer, to which tensor offsets are relative.</summary>
    public long DataStart { get; }

    /// <summary>Reads and validates the header of the safetensors file held by <paramref name="stream"/> (seekable,
    /// exactly the file); <paramref name="file"/> names it in errors.</summary>
    public static SafeTensorsHeader Read(Stream stream, string file)
    {
        long length = stream.Length;
        if (length < 8)
            throw new BadInputException(file, $"truncated: the file has {length} bytes, too few for the 8-byte header length");
        stream.Position = 0;
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderLength)
            throw new BadInputException(file, $"header length {headerLength} exceeds the 100 MB limit");
        if ((long)headerLength > length - 8)
            throw new BadInputException(file, $"header length {headerLength} is larger than the {length - 8} bytes that follow it");

        var json = new byte[headerLength];
        stream.ReadExactly(json);
        var tensors = new Dictionary<string, SafeTensorInfo>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        ParseJson(json, tensors, metadata, file);
        CheckLayout(tensors.Values, length - 8 - (long)headerLength, file);
        return new SafeTensorsHeader(tensors, metadata, 8 + (long)headerLength);
    }

    private static void ParseJson(byte[] json, Dictionary<string, SafeTensorInfo> tensors, Dictionary<string, string> metadata, string file)
    {
        if (json.Length == 0 || json[0] != (byte)'{')
            throw new BadInputException(file, "header is not a json object (it must start with '{')");
        if (!Utf8.IsValid(json))
            throw new BadInputException(file, "header is not valid utf-8");
        try
        {
            using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
            bool sawMetadata = false;
            foreach (JsonProperty entry in document.RootElement.EnumerateObject())
            {
                if (entry.NameEquals(MetadataKey))
                {
                    if (sawMetadata)
                        throw new BadInputException(file, "duplicate __metadata__");
                    sawMetadata = true;
                    ParseMetadata(entry.Value, metadata, file);
                }
                else if (!tensors.TryAdd(entry.Name, ParseTensor(entry.Name, entry.Value, file)))
                {
                    throw new BadInputException(file, $"duplicate tensor {Quoting.Quote(entry.Name)}");
                }
            }
        }
        catch (JsonException e)
        {
            throw new BadInputException(file, $"header is not valid json (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }
        catch (InvalidOperationException)
        {
            // Raised when a string holds an escape that is not valid UTF-16, such as a lone surrogate.
            throw new BadInputException(file, "header holds a string with an invalid escape sequence");
        }
    }

    private static void ParseMetadata(JsonElement value, Dictionary<string, string> metadata, string file)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new BadInputException(file, "__metadata__ is not a json object");
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new BadInputException(file, $"__metadata__ value of {Quoting.Quote(item.Name)} is not a string");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw new BadInputException(file, $"duplicate __metadata__ key {Quoting.Quote(item.Name)}");
        }
    }

    private static SafeTensorInfo ParseTensor(string name, JsonElement value, string file)
    {
        string tensor = $"tensor {Quoting.Quote(name)}";
        if (value.ValueKind != JsonValueKind.Object)
            throw new BadInputException(file, $"{tensor} is not a json object");

        string? dtypeName = null;
        long[]? shape = null;
        long[]? offsets = null;
        foreach (JsonProperty field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtypeName is null:
                    dtypeName = field.Value.ValueKind == JsonValueKind.String
                        ? field.Value.GetString()!
                        : throw new BadInputException(file, $"dtype of {tensor} is not a string");
                    break;
                case "shape" when shape is null:
                    shape = ReadNaturals(field.Value, $"shape of {tensor}", file);
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ReadNaturals(field.Value, $"data_offsets of {tensor}", file);
                    break;
                case "dtype" or "shape" or "data_offsets":
                    throw new BadInputException(file, $"{tensor} has a duplicate field '{field.Name}'");
                default:
                    throw new BadInputException(file, $"{tensor} has an unexpected field {Quoting.Quote(field.Name)}");
            }
        }

        if (dtypeName is null || shape is null || offsets is null)
            throw new BadInputException(file, $"{tensor} is missing field '{(dtypeName is null ? "dtype" : shape is null ? "shape" : "data_offsets")}'");
        if (!DTypes.TryParseSafeTensorsName(dtypeName, out DType dtype))
            throw new BadInputException(file, $"unsupported dtype {Quoting.Quote(dtypeName)} for {tensor}");
        if (shape.Length > MaxDimensions)
            throw new BadInputException(file, $"shape of {tensor} has {shape.Length} dimensions (at most {MaxDimensions})");
        if (offsets.Length != 2)
            throw new BadInputException(file, $"data_offsets of {tensor} has {offsets.Length} entries instead of 2");

        long begin = offsets[0], end = offsets[1];
        if (end < begin)
            throw new BadInputException(file, $"{tensor} has data_offsets [{begin}, {end}] that end before they begin");
        if (!Shapes.TryByteCount(shape, DTypes.SizeOf(dtype), out _, out long bytes))
            throw new BadInputException(file, $"shape {Shapes.List(shape)} of {tensor} is too large (its byte size overflows 64 bits)");
        if (bytes != end - begin)
            throw new BadInputException(file, $"{tensor} has shape {Shapes.List(shape)} of {dtypeName} ({bytes} bytes) but data_offsets [{begin}, {end}] span {end - begin} bytes");
        return new SafeTensorInfo(name, dtype, shape, begin, end);
    }

    /// <summary>A json list of integers in [0, long.MaxValue].</summary>
    private static long[] ReadNaturals(JsonElement value, string what, string file)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw new BadInputException(file, $"{what} is not a list");
        var numbers = new long[value.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long number) || number < 0)
                throw new BadInputException(file, $"{what} holds {Quoting.Quote(item.GetRawText())}, not a non-negative integer");
            numbers[i++] = number;
        }

        return numbers;
    }

    /// <summary>The tensors, sorted by offset, must tile [0, bufferLength) exactly.</summary>
    private static void CheckLayout(IEnumerable<SafeTensorInfo> tensors, long bufferLength, string file)
    {
        var ordered = tensors.ToList();
        ordered.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long position = 0;
        foreach (SafeTensorInfo tensor in ordered)
        {
            string where = $"tensor {Quoting.Quote(tensor.Name)} (data_offsets [{tensor.Begin}, {tensor.End}])";
            if (tensor.Begin < position)
                throw new BadInputException(file, $"{where} overlaps the previous tensor, which ends at {position}");
            if (tensor.Begin > position)
                throw new BadInputException(file, $"hole of {tensor.Begin - position} bytes before {where}");
            position = tensor.End;
        }

        if (position > bufferLength)
            throw new BadInputException(file, $"truncated: the tensors need {position} bytes of data but only {bufferLength} bytes follow the header");
        if (position < bufferLength)
            throw new BadInputException(file, $"{bufferLength - position} trailing bytes after the last tensor");
    }
}
