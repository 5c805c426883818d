using System.Text.RegularExpressions;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// Moves into registers the local-memory scalars through which ILGPU 1.5.3 passes inline PTX's arguments
/// (<c>CudaAsm.EmitRef</c>'s <c>Ref</c>/<c>Input</c>, <c>Emit</c>'s <c>out</c>): each is a 4- or 8-byte
/// <c>__local_depotN</c> whose address one <c>mov.b64</c> puts in a register that every access then reads as
/// <c>st.local.T [%rdX], v</c> or <c>ld.local.T r, [%rdX]</c>. ptxas keeps these in memory (measured: a stack frame
/// and 10 local stores and loads around every <c>mma.sync</c>), so a depot whose address register appears nowhere
/// else becomes a <c>.reg</c> and its accesses <c>mov</c>s; any other depot is left as it was.
/// </summary>
public static partial class PtxLocalScalars
{
    /// <summary>The PTX with every such depot in a register, and how many were. One pass finds the declarations, the
    /// address moves and the lines each 64-bit register appears on; each depot then looks at its register's lines only
    /// (a kernel has hundreds of depots and ten thousand lines: scanning them all per depot took 0.6 s a kernel).</summary>
    public static (string Ptx, int Moved) Rewrite(string ptx)
    {
        var lines = ptx.Split('\n');
        var declared = new Dictionary<string, (int Line, int Bytes)>();
        var moves = new Dictionary<string, List<(int Line, string Register)>>();
        var uses = new Dictionary<string, List<int>>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (Declaration().Match(lines[i]) is { Success: true } d) declared[d.Groups[1].Value] = (i, int.Parse(d.Groups[2].Value));
            else if (AddressMove().Match(lines[i]) is { Success: true } a)
                (moves.TryGetValue(a.Groups[2].Value, out var list) ? list : moves[a.Groups[2].Value] = []).Add((i, a.Groups[1].Value));
            foreach (var register in Register().Matches(lines[i]).Select(r => r.Value).Distinct())
                (uses.TryGetValue(register, out var list) ? list : uses[register] = []).Add(i);
        }
        int moved = 0;
        foreach (var (depot, (declaration, bytes)) in declared)
        {
            if (!moves.TryGetValue(depot, out var move) || move.Count != 1) continue;
            var (moveLine, register) = move[0];
            var accesses = uses[register].Where(i => i != moveLine).ToList();
            if (!accesses.All(i => IsScalarAccess(lines[i], register, 8 * bytes))) continue;
            string scalar = "%lexls" + depot["__local_depot".Length..];
            lines[declaration] = $"\t.reg .b{8 * bytes} {scalar};";
            lines[moveLine] = "";
            foreach (int i in accesses)
            {
                // Each is a store or a load (IsScalarAccess): v into the register, or the register into r.
                var store = Store().Match(lines[i]);
                var load = Load().Match(lines[i]);
                lines[i] = store.Success
                    ? $"\tmov.{store.Groups[1].Value}\t{scalar}, {store.Groups[3].Value};"
                    : $"\tmov.{load.Groups[1].Value}\t{load.Groups[2].Value}, {scalar};";
            }
            moved++;
        }
        return (string.Join('\n', lines), moved);
    }

    /// <summary>Whether a line the register appears on is a whole-scalar local load or store of <paramref name="bits"/>
    /// at that address, the register nowhere else in it: ILGPU reuses registers, and one reused for anything else keeps
    /// its depot in memory.</summary>
    private static bool IsScalarAccess(string line, string register, int bits)
    {
        var store = Store().Match(line);
        var load = Load().Match(line);
        var access = store.Success ? store : load;
        if (!access.Success) return false;
        string at = store.Success ? store.Groups[2].Value : load.Groups[3].Value;
        string value = store.Success ? store.Groups[3].Value : load.Groups[2].Value;
        return at == register && !Register().Matches(value).Any(r => r.Value == register)
            && access.Groups[1].Value.EndsWith(bits.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"%rd\d+")]
    private static partial Regex Register();

    [GeneratedRegex(@"^\s*\.local \.align \d+ \.b8 (__local_depot\d+)\[(4|8)\];\s*$")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"^\s*mov\.b64\s+(%rd\d+), (__local_depot\d+);\s*$")]
    private static partial Regex AddressMove();

    [GeneratedRegex(@"^\s*st\.local\.([bfsu](?:32|64))\s+\[(%rd\d+)\],\s*([^;\s]+);\s*$")]
    private static partial Regex Store();

    [GeneratedRegex(@"^\s*ld\.local\.([bfsu](?:32|64))\s+([^,\s]+),\s*\[(%rd\d+)\];\s*$")]
    private static partial Regex Load();
}
