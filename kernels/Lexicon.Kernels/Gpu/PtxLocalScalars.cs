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
    /// <summary>The PTX with every such depot in a register, and how many were.</summary>
    public static (string Ptx, int Moved) Rewrite(string ptx)
    {
        var lines = ptx.Split('\n').ToList();
        var sizes = new Dictionary<string, int>();
        foreach (var line in lines)
            if (Declaration().Match(line) is { Success: true } m) sizes[m.Groups[1].Value] = int.Parse(m.Groups[2].Value);
        var address = new Dictionary<string, string>();
        var moves = new Dictionary<string, int>();
        for (int i = 0; i < lines.Count; i++)
            if (AddressMove().Match(lines[i]) is { Success: true } m && sizes.ContainsKey(m.Groups[2].Value))
            {
                string depot = m.Groups[2].Value;
                moves[depot] = moves.GetValueOrDefault(depot) + 1;
                address[depot] = m.Groups[1].Value;
            }
        int moved = 0;
        foreach (var (depot, register) in address)
        {
            if (moves[depot] != 1 || !OnlyScalarAccesses(lines, register, 8 * sizes[depot])) continue;
            string scalar = "%lexls" + depot["__local_depot".Length..];
            var use = new Regex(Regex.Escape(register) + @"(?!\d)");
            for (int i = 0; i < lines.Count; i++)
            {
                string line = lines[i];
                if (Declaration().Match(line) is { Success: true } d && d.Groups[1].Value == depot)
                    lines[i] = $"\t.reg .b{8 * sizes[depot]} {scalar};";
                else if (AddressMove().Match(line) is { Success: true } a && a.Groups[2].Value == depot)
                    lines[i] = "";
                else if (!use.IsMatch(line)) continue;
                else if (Store().Match(line) is { Success: true } s)
                    lines[i] = $"\tmov.{s.Groups[1].Value}\t{scalar}, {s.Groups[3].Value};";
                else if (Load().Match(line) is { Success: true } l)
                    lines[i] = $"\tmov.{l.Groups[1].Value}\t{l.Groups[2].Value}, {scalar};";
            }
            moved++;
        }
        return (string.Join('\n', lines), moved);
    }

    /// <summary>Whether the register appears only as the address of whole-scalar local loads and stores of
    /// <paramref name="bits"/> (and in its one defining move): ILGPU reuses registers, and one reused for anything else
    /// keeps its depot in memory.</summary>
    private static bool OnlyScalarAccesses(List<string> lines, string register, int bits)
    {
        var use = new Regex(Regex.Escape(register) + @"(?!\d)");
        foreach (var line in lines)
        {
            if (!use.IsMatch(line) || AddressMove().IsMatch(line)) continue;
            var store = Store().Match(line);
            var load = Load().Match(line);
            var access = store.Success ? store : load;
            if (!access.Success) return false;
            string at = store.Success ? store.Groups[2].Value : load.Groups[3].Value;
            string value = store.Success ? store.Groups[3].Value : load.Groups[2].Value;
            if (at != register || use.IsMatch(value) || !access.Groups[1].Value.EndsWith(bits.ToString(), StringComparison.Ordinal)) return false;
        }
        return true;
    }

    [GeneratedRegex(@"^\s*\.local \.align \d+ \.b8 (__local_depot\d+)\[(4|8)\];\s*$")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"^\s*mov\.b64\s+(%rd\d+), (__local_depot\d+);\s*$")]
    private static partial Regex AddressMove();

    [GeneratedRegex(@"^\s*st\.local\.([bfsu](?:32|64))\s+\[(%rd\d+)\],\s*([^;\s]+);\s*$")]
    private static partial Regex Store();

    [GeneratedRegex(@"^\s*ld\.local\.([bfsu](?:32|64))\s+([^,\s]+),\s*\[(%rd\d+)\];\s*$")]
    private static partial Regex Load();
}
