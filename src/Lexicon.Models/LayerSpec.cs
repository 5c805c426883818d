using System.Globalization;

namespace Lexicon.Models;

/// <summary>A <c>--layers</c> value: hidden-state numbers as ranges and lists ("0-6", "1,3,5", "0-2,6").</summary>
public static class LayerSpec
{
    /// <summary>The distinct hidden states named, ascending. Throws <see cref="BadInputException"/> naming the flag.</summary>
    public static int[] Parse(string spec)
    {
        var layers = new SortedSet<int>();
        foreach (string part in spec.Split(','))
        {
            string[] ends = part.Trim().Split('-');
            if (ends.Length > 2 || !ends.All(e => int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                throw Bad(spec, $"'{part.Trim()}' is neither a layer number nor a range like 0-6");
            int from = int.Parse(ends[0], CultureInfo.InvariantCulture), to = int.Parse(ends[^1], CultureInfo.InvariantCulture);
            if (from > to) throw Bad(spec, $"the range {from}-{to} runs backwards");
            if (to >= MiniLm.HiddenStates)
                throw Bad(spec, $"{to} is not a layer of the model (0 = embeddings, 1..{MiniLm.HiddenStates - 1} = after each encoder layer)");
            for (int layer = from; layer <= to; layer++) layers.Add(layer);
        }
        return [.. layers];
    }

    private static BadInputException Bad(string spec, string problem) => new("--layers", $"'{spec}': {problem}");
}
