using System.Text.Json.Serialization;

namespace Lexicon.Model;

/// <summary>
/// One lookup table: the token offsets its key is made of (0 = the current token, -1 the previous, +1 the next), and
/// its rows. A one-token key indexes an exact table of vocabulary size; a longer key is hashed into two of Rows rows
/// whose sum is its entry.
/// </summary>
public sealed record TableSpec(string Name, int[] Offsets, int Rows, uint Seed)
{
    [JsonIgnore]
    public bool Hashed => Offsets.Length > 1;
    [JsonIgnore]
    public int Slots => Hashed ? 2 : 1;
    [JsonIgnore]
    public int KeyLength => Offsets.Length;

    /// <summary>Parses --tables: none, or ';'-separated tables each a name (unigram, bigram, trigram) or a
    /// comma-separated offset list (e.g. "0;-1,0;-1,0,1").</summary>
    public static TableSpec[] Parse(string? spec, int vocab, int hashedRows)
    {
        if (string.IsNullOrWhiteSpace(spec) || spec.Trim() == "none") return [];
        if (hashedRows < 1) throw new BadInputException($"--table-rows must be positive, got {hashedRows}");
        var tables = new List<TableSpec>();
        foreach (string part in spec.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int[] offsets = part switch
            {
                "unigram" => [0],
                "bigram" => [-1, 0],
                "trigram" => [-2, -1, 0],
                _ => ParseOffsets(part),
            };
            string name = NameOf(offsets);
            if (tables.Any(t => t.Name == name)) throw new BadInputException($"--tables lists the table '{name}' twice");
            tables.Add(new TableSpec(name, offsets, offsets.Length == 1 ? vocab : hashedRows, SeedOf(offsets)));
        }
        return [.. tables];
    }

    /// <summary>What is wrong with a spec read back from a file (null if nothing): its name, rows and seed must be
    /// what --tables makes of its offsets.</summary>
    public string? Problem()
    {
        if (Offsets is null || Offsets.Length == 0 || Offsets.Any(o => o is < -8 or > 8) || !Offsets.SequenceEqual(Offsets.Distinct().Order()))
            return "offsets must be distinct, ascending and in -8..8";
        if (Name != NameOf(Offsets)) return $"name '{Name}' does not match its offsets";
        if (Rows < 1) return $"rows {Rows} must be positive";
        return Seed == SeedOf(Offsets) ? null : "seed does not match its offsets";
    }

    public static string NameOf(int[] offsets) => offsets switch
    {
        [0] => "unigram",
        [-1, 0] => "bigram",
        [-2, -1, 0] => "trigram",
        _ => "offsets" + string.Concat(offsets.Select(o => $"_{o}")),
    };

    private static int[] ParseOffsets(string part)
    {
        var items = part.Split(',', StringSplitOptions.TrimEntries);
        var offsets = new int[items.Length];
        for (int i = 0; i < items.Length; i++)
            if (!int.TryParse(items[i], out offsets[i]) || offsets[i] is < -8 or > 8)
                throw new BadInputException($"--tables: '{part}' is neither unigram, bigram, trigram nor a list of offsets in -8..8");
        if (offsets.Distinct().Count() != offsets.Length) throw new BadInputException($"--tables: '{part}' repeats an offset");
        Array.Sort(offsets);
        return offsets;
    }

    /// <summary>A seed that depends only on the offsets, so a table's hashing is the same in every run and checkpoint.</summary>
    private static uint SeedOf(int[] offsets)
    {
        uint h = 2166136261;
        foreach (int o in offsets) h = (h ^ (uint)o) * 16777619;
        return h;
    }
}
