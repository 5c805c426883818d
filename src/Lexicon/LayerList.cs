using System.Globalization;

namespace Lexicon;

/// <summary>A --layers value: layer numbers as ranges and lists ("0-3", "1,3,5", "0-2,6"), distinct and ascending.</summary>
public static class LayerList
{
    public static int[] Parse(string spec, string flag = "--layers", int maxLayer = 99)
    {
        var layers = new SortedSet<int>();
        foreach (string part in spec.Split(','))
        {
            string[] ends = part.Trim().Split('-');
            if (ends.Length > 2 || !ends.All(e => int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                throw new BadInputException(flag, $"'{spec}': '{part.Trim()}' is neither a layer number nor a range like 0-3");
            int from = int.Parse(ends[0], CultureInfo.InvariantCulture), to = int.Parse(ends[^1], CultureInfo.InvariantCulture);
            if (from > to) throw new BadInputException(flag, $"'{spec}': the range {from}-{to} runs backwards");
            if (to > maxLayer) throw new BadInputException(flag, $"'{spec}': layer {to} is past the last layer, {maxLayer}");
            for (int layer = from; layer <= to; layer++) layers.Add(layer);
        }
        return [.. layers];
    }
}
