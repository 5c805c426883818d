using Lexicon.Training;

namespace Lexicon.Suite;

/// <summary>
/// The pool of one layer: which features of which sources it holds (row → (source, latent)), and the per-token pooled
/// activations built from the sources' cached codes. Rows are laid out source after source, latents ascending. A
/// feature is in the pool of a layer unless it was pruned at an earlier one.
/// </summary>
public sealed class PoolPlan
{
    private readonly Dictionary<string, int[]> _rowOf = [];

    public PoolPlan(IReadOnlyList<PoolSource> sources, int layer)
    {
        Sources = sources;
        var members = new List<(PoolSource, int)>();
        foreach (var source in sources)
        {
            var rowOf = new int[source.Latents];
            for (int m = 0; m < source.Latents; m++)
            {
                bool pooled = source.Death[m] < 0 || source.Death[m] >= layer;
                rowOf[m] = pooled ? members.Count : -1;
                if (pooled) members.Add((source, m));
            }
            _rowOf[source.Name] = rowOf;
        }
        Members = members;
        Active = sources.Sum(s => s.K);
    }

    public IReadOnlyList<PoolSource> Sources { get; }
    public IReadOnlyList<(PoolSource Source, int Latent)> Members { get; }
    public int Rows => Members.Count;
    public int Active { get; }
    public bool IsEmpty => Sources.Count == 0;

    public int RowOf(PoolSource source, int latent) => _rowOf[source.Name][latent];

    /// <summary>The pool's input to a layer's training: decoder rows started from the previous layer's (a feature seen
    /// there) or from the birth decoder (a feature joining now), and every token's pooled activations.</summary>
    public PoolInput Input(int d, long tokens, Func<PoolSource, int, float[]?> previousRow, float learningRate)
    {
        var values = new float[(long)Rows * d];
        for (int g = 0; g < Rows; g++)
        {
            var (source, m) = Members[g];
            var row = previousRow(source, m) ?? source.BirthDecoder.AsSpan(m * d, d).ToArray();
            row.CopyTo(values, (long)g * d);
        }
        var index = new int[tokens * Active];
        var value = new float[tokens * Active];
        for (long t = 0; t < tokens; t++)
        {
            int column = 0;
            foreach (var source in Sources)
            {
                var rowOf = _rowOf[source.Name];
                for (int j = 0; j < source.K; j++, column++)
                {
                    long e = t * source.K + j;
                    int latent = source.CodeIndex[e];
                    int row = latent >= 0 && source.CodeValue[e] > 0 ? rowOf[latent] : -1;
                    index[t * Active + column] = row;
                    value[t * Active + column] = row >= 0 ? source.CodeValue[e] : 0;
                }
            }
        }
        return new PoolInput(Rows, Active, values, index, value, learningRate);
    }
}
