namespace Lexicon.Kernels.Gpu;

/// <summary>Four floats read as one: ILGPU's PTX backend turns a load of this from 16-byte-aligned shared memory into
/// one <c>ld.shared.v4.f32</c>, a quarter of the shared-memory instructions of four scalar loads.</summary>
internal struct Float4
{
    public float X, Y, Z, W;
}
