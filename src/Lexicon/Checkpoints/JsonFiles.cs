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
            return Parse(File.ReadAllText(path)) as JsonObject ?? throw new BadInputException(path, "not a JSON object");
        }
        catch (JsonException e)
        {
            throw new BadInputException(path, $"not valid JSON ({Reason(e)})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(path, $"cannot be read ({e.Message})");
        }
    }

    /// <summary>JSON text with a key given twice is not valid here (which of the two would count is anyone's guess).</summary>
    public static JsonNode? Parse(string text) =>
        JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });

    public static T Deserialize<T>(JsonNode? node, string path, string what)
    {
        try
        {
            return node.Deserialize<T>(Options) ?? throw new BadInputException(path, $"missing {what}");
        }
        catch (JsonException e)
        {
            throw new BadInputException(path, $"bad {what} ({Reason(e)})");
        }
    }

    /// <summary>The first sentence of a JSON error: where it is, or which field is missing (type names keep their dots).</summary>
    public static string Reason(Exception e) => e.Message.Split(". ")[0].TrimEnd('.');

    public static JsonNode ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, Options)!;

    public static void Write(string path, JsonNode node) => File.WriteAllText(path, node.ToJsonString(Options) + "\n");

    public static T Get<T>(JsonObject root, string key, string path)
    {
        if (root[key] is not JsonValue value) throw new BadInputException(path, $"missing '{key}'");
        return As<T>(value, key, path);
    }

    /// <summary>An optional field: default when absent or null, bad input when of another type.</summary>
    public static T? GetOptional<T>(JsonObject root, string key, string path)
    {
        var node = root[key];
        if (node is null) return default;
        if (node is not JsonValue value) throw new BadInputException(path, $"'{key}' must be {TypeName<T>()}");
        return As<T>(value, key, path);
    }

    private static T As<T>(JsonValue value, string key, string path)
    {
        try
        {
            return value.GetValue<T>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new BadInputException(path, $"'{key}' must be {TypeName<T>()}");
        }
    }

    private static string TypeName<T>() => typeof(T) == typeof(string) ? "a string" : typeof(T) == typeof(bool) ? "true or false"
        : typeof(T) == typeof(double) || typeof(T) == typeof(float) ? "a number" : "an integer";
}
