using System.Buffers.Binary;
using System.Text;

namespace Lexicon.Tests.Formats;

/// <summary>Random structural and byte-level mutations of a format file, biased towards the places parsers trust:
/// length fields, numbers in the header text and the header's punctuation.</summary>
internal sealed class Mutator(int seed)
{
    /// <summary>Mutations of header text stay within this prefix, where both formats keep their header.</summary>
    private const int HeaderArea = 512;

    private static readonly string[] BigNumbers =
    [
        "0", "-1", "1", "65535", "65536", "2147483647", "2147483648", "4294967296", "99999999999",
        "4611686018427387904", "9223372036854775807", "9223372036854775808", "18446744073709551616",
        "-9223372036854775808", "1e308", "1.5", "00",
    ];

    private static readonly byte[] Punctuation = Encoding.ASCII.GetBytes("{}()[],:'\"\\-.eTF \n\t\0");

    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] original, bool safetensors)
    {
        var bytes = new List<byte>(original);
        int mutations = 1 + _random.Next(3);
        for (int i = 0; i < mutations; i++)
            MutateOnce(bytes, safetensors);
        return [.. bytes];
    }

    private void MutateOnce(List<byte> bytes, bool safetensors)
    {
        switch (_random.Next(8))
        {
            case 0:
                FlipBits(bytes);
                break;
            case 1:
                OverwriteBytes(bytes);
                break;
            case 2:
                Truncate(bytes);
                break;
            case 3:
                Insert(bytes);
                break;
            case 4:
                Delete(bytes);
                break;
            case 5:
                SpliceLength(bytes, safetensors);
                break;
            case 6:
                ReplaceDigits(bytes);
                break;
            default:
                if (bytes.Count > 0)
                    bytes[_random.Next(Math.Min(bytes.Count, HeaderArea))] = Punctuation[_random.Next(Punctuation.Length)];
                break;
        }
    }

    private void FlipBits(List<byte> bytes)
    {
        for (int n = 1 + _random.Next(8); n > 0 && bytes.Count > 0; n--)
            bytes[_random.Next(bytes.Count)] ^= (byte)(1 << _random.Next(8));
    }

    private void OverwriteBytes(List<byte> bytes)
    {
        for (int n = 1 + _random.Next(8); n > 0 && bytes.Count > 0; n--)
            bytes[_random.Next(bytes.Count)] = (byte)_random.Next(256);
    }

    private void Truncate(List<byte> bytes)
    {
        int length = _random.Next(bytes.Count + 1);
        bytes.RemoveRange(length, bytes.Count - length);
    }

    private void Insert(List<byte> bytes)
    {
        int at = _random.Next(bytes.Count + 1);
        var inserted = new byte[1 + _random.Next(64)];
        if (_random.Next(2) == 0 && bytes.Count > 0)
        {
            // Duplicate a piece of the file itself: repeated entries and tokens are more interesting than noise.
            int from = _random.Next(bytes.Count);
            inserted = [.. bytes.Skip(from).Take(inserted.Length)];
        }
        else
        {
            _random.NextBytes(inserted);
        }

        bytes.InsertRange(at, inserted);
    }

    private void Delete(List<byte> bytes)
    {
        if (bytes.Count == 0)
            return;
        int at = _random.Next(bytes.Count);
        bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(64)));
    }

    /// <summary>Overwrites the header length field (safetensors: u64 at 0; npy: u16 or u32 at 8) with a value near
    /// the file length, at a limit, or at random.</summary>
    private void SpliceLength(List<byte> bytes, bool safetensors)
    {
        long length = bytes.Count;
        long[] candidates = safetensors
            ? [0, 1, length - 9, length - 8, length - 7, 100_000_000, 100_000_001, long.MaxValue, -1, long.MinValue, _random.NextInt64()]
            : [0, 1, length - 12, length - 11, length - 10, length - 9, 0xFFFF, 0xFFFFFFFF, 1 << 20, (1 << 20) + 1, _random.Next()];
        long value = candidates[_random.Next(candidates.Length)];
        int at = safetensors ? 0 : 8;
        int width = safetensors ? 8 : _random.Next(2) == 0 ? 2 : 4;
        Span<byte> field = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(field, value);
        for (int i = 0; i < width && at + i < bytes.Count; i++)
            bytes[at + i] = field[i];
    }

    /// <summary>Replaces a run of ASCII digits in the header area (a dimension, an offset) with an extreme number.</summary>
    private void ReplaceDigits(List<byte> bytes)
    {
        var runs = new List<(int Start, int Length)>();
        int limit = Math.Min(bytes.Count, HeaderArea);
        for (int i = 0; i < limit; i++)
        {
            if (!char.IsAsciiDigit((char)bytes[i]))
                continue;
            int start = i;
            while (i < limit && char.IsAsciiDigit((char)bytes[i]))
                i++;
            runs.Add((start, i - start));
        }

        if (runs.Count == 0)
            return;
        (int at, int count) = runs[_random.Next(runs.Count)];
        bytes.RemoveRange(at, count);
        bytes.InsertRange(at, Encoding.ASCII.GetBytes(BigNumbers[_random.Next(BigNumbers.Length)]));
    }
}
