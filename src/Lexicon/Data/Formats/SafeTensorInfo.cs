namespace Lexicon.Data.Formats;

/// <summary>One tensor of a safetensors file: its bytes are [Begin, End) of the data buffer that follows the header.</summary>
public sealed record SafeTensorInfo(string Name, DType DType, long[] Shape, long Begin, long End)
{
    /// <summary>1 for a scalar (shape []).</summary>
    public long ElementCount => (End - Begin) / DTypes.SizeOf(DType);
}
