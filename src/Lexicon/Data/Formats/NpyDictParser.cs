namespace Lexicon.Data.Formats;

/// <summary>A strict parser for the one Python literal a .npy header holds, e.g.
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }</c>: a dict with exactly the keys descr (a
/// string), fortran_order (True/False) and shape (a tuple of integers), in any order, with either quote style and
/// optional trailing commas. Anything else is rejected rather than evaluated.</summary>
internal sealed class NpyDictParser
{
    /// <summary>numpy 2 allows 64 dimensions; more is certainly a corrupt header.</summary>
    private const int MaxDimensions = 64;

    private readonly string _text;
    private readonly string _file;
    private int _pos;

    private NpyDictParser(string text, string file)
    {
        _text = text;
        _file = file;
    }

    public static (string Descr, bool FortranOrder, long[] Shape) Parse(string text, string file) =>
        new NpyDictParser(text, file).ParseDict();

    private (string Descr, bool FortranOrder, long[] Shape) ParseDict()
    {
        string? descr = null;
        bool? fortranOrder = null;
        long[]? shape = null;

        SkipSpace();
        Expect('{');
        while (true)
        {
            SkipSpace();
            if (TryConsume('}'))
                break;

            string key = ParseString();
            SkipSpace();
            Expect(':');
            SkipSpace();
            switch (key)
            {
                case "descr" when descr is null:
                    descr = ParseString();
                    break;
                case "fortran_order" when fortranOrder is null:
                    fortranOrder = ParseBool();
                    break;
                case "shape" when shape is null:
                    shape = ParseTuple();
                    break;
                case "descr" or "fortran_order" or "shape":
                    throw Fail($"duplicate key {Quoting.Quote(key)}");
                default:
                    throw Fail($"unexpected key {Quoting.Quote(key)}");
            }

            SkipSpace();
            if (TryConsume('}'))
                break;
            Expect(',');
        }

        SkipSpace();
        if (_pos != _text.Length)
            throw Fail($"unexpected text after the dictionary at offset {_pos}");
        if (descr is null || fortranOrder is null || shape is null)
            throw Fail($"missing key '{(descr is null ? "descr" : fortranOrder is null ? "fortran_order" : "shape")}'");
        return (descr, fortranOrder.Value, shape);
    }

    private string ParseString()
    {
        char quote = Peek();
        if (quote is not ('\'' or '"'))
            throw Fail($"expected a string at offset {_pos}");
        int start = ++_pos;
        while (_pos < _text.Length && _text[_pos] != quote)
        {
            if (_text[_pos] is '\\' or '\n')
                throw Fail($"unsupported character in string at offset {_pos}");
            _pos++;
        }

        if (_pos == _text.Length)
            throw Fail($"unterminated string at offset {start - 1}");
        return _text[start.._pos++];
    }

    private bool ParseBool()
    {
        if (TryConsume("True"))
            return true;
        if (TryConsume("False"))
            return false;
        throw Fail($"expected True or False at offset {_pos}");
    }

    /// <summary>"()", "(n,)", "(n, m)" or "(n, m,)"; "(n)" is a parenthesised integer in Python, not a tuple.</summary>
    private long[] ParseTuple()
    {
        int start = _pos;
        Expect('(');
        var dims = new List<long>();
        bool trailingComma = false;
        while (true)
        {
            SkipSpace();
            if (TryConsume(')'))
                break;
            if (dims.Count == MaxDimensions)
                throw Fail($"shape has more than {MaxDimensions} dimensions");
            dims.Add(ParseInteger());
            SkipSpace();
            trailingComma = TryConsume(',');
            if (!trailingComma)
            {
                SkipSpace();
                Expect(')');
                break;
            }
        }

        if (dims.Count == 1 && !trailingComma)
            throw Fail($"shape at offset {start} is not a tuple");
        return [.. dims];
    }

    private long ParseInteger()
    {
        int start = _pos;
        bool negative = TryConsume('-');
        int digitsStart = _pos;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
            _pos++;
        if (_pos == digitsStart)
            throw Fail($"expected an integer at offset {start}");
        if (!long.TryParse(_text.AsSpan(digitsStart, _pos - digitsStart), out long magnitude))
            throw Fail($"dimension {Quoting.Quote(_text[start.._pos])} does not fit a 64-bit integer");
        return negative ? -magnitude : magnitude;
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r')
            _pos++;
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private bool TryConsume(char c)
    {
        if (Peek() != c)
            return false;
        _pos++;
        return true;
    }

    private bool TryConsume(string word)
    {
        if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
            return false;
        _pos += word.Length;
        return true;
    }

    private void Expect(char c)
    {
        if (!TryConsume(c))
            throw Fail($"expected '{c}' at offset {_pos}");
    }

    private BadInputException Fail(string problem) => new(_file, "malformed header: " + problem);
}
