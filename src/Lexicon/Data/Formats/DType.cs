namespace Lexicon.Data.Formats;

/// <summary>Element types the activation store reads and writes (always little-endian on disk).</summary>
public enum DType
{
    Float32,
    Float16,
    BFloat16,
    Int32,
    Int64,
}
