namespace Lexicon.Cli.Commands.Results;

/// <summary>devices --json: every backend's devices (backend, name, memory_bytes, detail, usable, isa).</summary>
public sealed record DevicesResult(IReadOnlyList<DeviceInfo> Devices);
