using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lexicon.Checkpoints;

/// <summary>Reading and writing the small JSON files of checkpoints, with bad content reported against the file.</summary>
public static class JsonFiles
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static JsonObject ReadObject(string path)
    {
        if (!File.Exists(path)) throw new BadInputException(path, "no such file");
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new BadInputException(path, "not a JSON object");
        }
        catch (JsonException e)
        {
            throw new BadInputException(path, $"not valid JSON ({e.Message.Split('.')[0]})");
        }
    }

    public static T Deserialize<T>(JsonNode? node, string path, string what)
    {
        try
        {
            return node.Deserialize<T>(Options) ?? throw new BadInputException(path, $"missing {what}");
        }
        catch (JsonException e)
        {
            throw new BadInputException(path, $"bad {what} ({e.Message.Split('.')[0]})");
        }
    }

    public static JsonNode ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, Options)!;

    public static void Write(string path, JsonNode node) => File.WriteAllText(path, node.ToJsonString(Options) + "\n");

    public static T Get<T>(JsonObject root, string key, string path)
    {
        if (root[key] is not JsonValue value) throw new BadInputException(path, $"missing '{key}'");
        try
        {
            return value.GetValue<T>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new BadInputException(path, $"'{key}' has the wrong type");
        }
    }
}
