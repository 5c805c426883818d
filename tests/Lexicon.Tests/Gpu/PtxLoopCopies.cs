using System.Reflection;
using System.Text.RegularExpressions;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Lexicon.Tests.Gpu;

/// <summary>
/// Finds, in a kernel's PTX, the lost copy ILGPU 1.5.3 emits for some loops (see <c>Gpu/GridStride</c>): a block whose
/// last moves (its phi copies) assign a register written in more than one place and which then branches two ways,
/// where both targets read that register before writing it — one of them is the phi's block, which wants the new value; the other wanted
/// the old one. Reads are followed from each target through the blocks after it (not through the other target), so a
/// path that merely passes the value on to the phi's block is not a read. PTX is compiled without a GPU, so this runs
/// on every machine; ILGPU's OpenCL C has the same shape.
/// </summary>
public static partial class PtxLoopCopies
{
    /// <summary>The kernel's PTX, as ILGPU compiles it for an sm_90 device (for groups of at most
    /// <paramref name="maxThreads"/>, <paramref name="minGroups"/> per multiprocessor, where given; in PTX ISA 8.0 unless
    /// told another).</summary>
    public static string Compile(MethodInfo kernel, int? maxThreads = null, int? minGroups = null, CudaInstructionSet? isa = null)
    {
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, isa ?? CudaInstructionSet.ISA_80, null!);
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(kernel), new KernelSpecialization(maxThreads, minGroups));
        return compiled.PTXAssembly;
    }

    /// <summary>The kernel's PTX as the CUDA backend loads it through <c>PtxKernels</c> (rewritten), for an sm_90 device.</summary>
    public static string CompileAsLoaded(MethodInfo kernel, KernelSpecialization specialization, CudaInstructionSet isa)
    {
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, isa, null!);
        return Lexicon.Kernels.Gpu.PtxKernels.Ptx(backend, kernel, specialization);
    }

    /// <summary>One line per lost copy: the block, the register and the two targets.</summary>
    public static List<string> Find(string ptx)
    {
        var blocks = Parse(ptx);
        var defined = blocks.SelectMany(b => b.Instructions).SelectMany(i => i.Writes).GroupBy(r => r).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var found = new List<string>();
        for (int b = 0; b < blocks.Count; b++)
        {
            var next = Successors(blocks, b);
            if (next.Count != 2) continue;
            foreach (var register in TrailingCopies(blocks[b]).Where(defined.Contains))
                if (ReadsFirst(blocks, next[0], next[1], register) && ReadsFirst(blocks, next[1], next[0], register))
                    found.Add($"{blocks[b].Label}: {register} copied before branching to {blocks[next[0]].Label} and {blocks[next[1]].Label}, both of which read it");
        }
        return found;
    }

    /// <summary>The registers a block's last moves write, after its last other instruction and before its branches:
    /// where ILGPU puts a block's phi copies. (Registers are reused across values, so a register written twice need not
    /// be a phi's; an ordinary value computed before a branch and read on both sides is not a lost copy.)</summary>
    private static IEnumerable<string> TrailingCopies(Block block)
    {
        var copies = new List<string>();
        foreach (var instruction in Enumerable.Reverse(block.Instructions))
        {
            if (instruction.Opcode.StartsWith("bra")) continue;
            if (!instruction.Opcode.StartsWith("mov.")) break;
            copies.AddRange(instruction.Writes);
        }
        return copies.Distinct();
    }

    private sealed record Instruction(string Opcode, string? Target, List<string> Writes, List<string> Reads);

    private sealed record Block(string Label, List<Instruction> Instructions);

    /// <summary>Whether a path from block <paramref name="from"/>, not through <paramref name="avoid"/>, reads the
    /// register before anything writes it.</summary>
    private static bool ReadsFirst(List<Block> blocks, int from, int avoid, string register)
    {
        var seen = new HashSet<int> { avoid };
        var pending = new Stack<int>([from]);
        while (pending.TryPop(out int b))
        {
            if (!seen.Add(b)) continue;
            bool written = false;
            foreach (var instruction in blocks[b].Instructions)
            {
                if (instruction.Reads.Contains(register)) return true;
                if (instruction.Writes.Contains(register)) { written = true; break; }
            }
            if (!written) foreach (int s in Successors(blocks, b)) pending.Push(s);
        }
        return false;
    }

    private static List<int> Successors(List<Block> blocks, int b)
    {
        var targets = new List<int>();
        var last = blocks[b].Instructions.LastOrDefault();
        foreach (var instruction in blocks[b].Instructions.Where(i => i.Target is not null))
            targets.Add(blocks.FindIndex(x => x.Label == instruction.Target));
        bool ends = last is not null && (last.Opcode == "ret" || (last.Opcode.StartsWith("bra") && !last.Reads.Any(r => r.StartsWith("%p"))));
        if (!ends && b + 1 < blocks.Count) targets.Add(b + 1);
        return targets.Distinct().ToList();
    }

    private static List<Block> Parse(string ptx)
    {
        var body = ptx[(ptx.IndexOf(".entry", StringComparison.Ordinal) is var e and >= 0 ? e : 0)..];
        var blocks = new List<Block> { new("(entry)", []) };
        foreach (var raw in body.Split('\n'))
        {
            string line = raw.Split("//")[0].Trim();
            if (Label().Match(line) is { Success: true } label) { blocks.Add(new(label.Groups[1].Value, [])); continue; }
            if (!line.EndsWith(';') || line.StartsWith('.')) continue;
            line = line.TrimEnd(';').Trim();
            var reads = new List<string>();
            if (line.StartsWith('@'))
            {
                int space = line.IndexOf(' ');
                reads.AddRange(Registers(line[..space]));
                line = line[space..].Trim();
            }
            int split = line.IndexOfAny([' ', '\t']);
            string opcode = split < 0 ? line : line[..split], operands = split < 0 ? "" : line[split..].Trim();
            var parts = Operands(operands);
            var writes = new List<string>();
            string? target = opcode.StartsWith("bra") ? parts.FirstOrDefault() : null;
            bool writesFirst = parts.Count > 0 && target is null && !NoDestination().IsMatch(opcode);
            for (int p = 0; p < parts.Count; p++) (p == 0 && writesFirst ? writes : reads).AddRange(Registers(parts[p]));
            blocks[^1].Instructions.Add(new(opcode, target, writes, reads));
        }
        return blocks;
    }

    /// <summary>Operands split at top-level commas ({…} vectors and […] addresses kept whole).</summary>
    private static List<string> Operands(string operands)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < operands.Length; i++)
        {
            char c = operands[i];
            if (c is '{' or '[' or '(') depth++;
            else if (c is '}' or ']' or ')') depth--;
            else if (c == ',' && depth == 0) { parts.Add(operands[start..i].Trim()); start = i + 1; }
        }
        if (operands.Length > start) parts.Add(operands[start..].Trim());
        return parts;
    }

    private static IEnumerable<string> Registers(string operand) => Register().Matches(operand).Select(m => m.Value);

    [GeneratedRegex(@"^(\w+):$")]
    private static partial Regex Label();

    [GeneratedRegex(@"%[a-z]+\d+\b(?!\.)")]
    private static partial Regex Register();

    [GeneratedRegex(@"^(st|red|bar|barrier|membar|fence|ret|exit|trap|prefetch)\b")]
    private static partial Regex NoDestination();
}
