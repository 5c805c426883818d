namespace Lexicon.Synthetic;

/// <summary>
/// The token sequence of a synthetic world, produced block by block: sequences of SequenceLength (the last may be
/// shorter) whose first token is drawn from the Zipf law, and each later one afresh with FreshTokenProbability,
/// otherwise uniformly from the previous token's successors. Also reports which positions complete a planted bigram.
/// </summary>
internal sealed class TokenStream
{
    private readonly PlantedWorld _world;
    private readonly ZipfLaw _zipf;
    private readonly Rng _rng;
    private int _position;
    private int _previous;

    public TokenStream(PlantedWorld world)
    {
        SynthOptions o = world.Options;
        _world = world;
        _zipf = new ZipfLaw(o.Vocab, o.ZipfExponent);
        _rng = Rng.Derive(o.Seed, StreamTag.TokenStream);
    }

    /// <summary>Fills the next tokens, their positions within their sequence, and per position the planted bigram
    /// (previous token, token) it completes, or −1.</summary>
    public void Next(Span<int> tokens, Span<int> positions, Span<int> bigrams)
    {
        SynthOptions o = _world.Options;
        int[] successors = _world.Successors;
        for (int i = 0; i < tokens.Length; i++)
        {
            if (_position == o.SequenceLength) _position = 0;
            bool fresh = _position == 0 || _rng.NextDouble() < o.FreshTokenProbability;
            int token = fresh ? _zipf.Sample(_rng) : successors[_previous * o.Successors + _rng.NextInt(o.Successors)];
            // Pair t is (t, first successor of t), planted for t < BigramCount.
            bool planted = _position > 0 && _previous < _world.BigramCount && token == successors[_previous * o.Successors];
            tokens[i] = token;
            positions[i] = _position;
            bigrams[i] = planted ? _previous : -1;
            _previous = token;
            _position++;
        }
    }
}
