using System.Diagnostics;
using Lexicon.Data.Formats;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Lexicon.Tests.Formats;

/// <summary>Mutated .npy and safetensors files must be read or rejected with <see cref="BadInputException"/>:
/// never another exception, a hang, or an allocation the file's size does not justify.</summary>
public sealed class FormatFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int TotalMutations = 100_000;

    /// <summary>Most mutants are read from memory; this share also goes through the file-based, memory-mapped paths.</summary>
    private const int DiskEvery = 16;

    private const long CaseAllocationLimit = 64L << 20;
    private static readonly TimeSpan CaseDeadline = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _dir = new();

    /// <summary>The mutant being read, for the report when the run hangs.</summary>
    private volatile byte[] _current = [];

    public void Dispose() => _dir.Dispose();

    private sealed record Seed(string Name, byte[] Bytes, bool SafeTensors);

    [Fact]
    public async Task MutantsAreReadOrRejectedAsBadInput()
    {
        Seed[] seeds = Seeds();
        foreach (Seed seed in seeds)
        {
            Assert.True(seed.Bytes.Length < 2048, $"{seed.Name} is {seed.Bytes.Length} bytes");
            Assert.True(Exercise(seed.Bytes, seed.SafeTensors, onDisk: true), $"the unmutated {seed.Name} must be read");
        }

        var stopwatch = Stopwatch.StartNew();
        Task<int> run = Task.Run(() => Fuzz(seeds));
        try
        {
            int accepted = await run.WaitAsync(RunDeadline);
            output.WriteLine($"{TotalMutations} mutants in {stopwatch.Elapsed.TotalSeconds:F2} s: {accepted} read, {TotalMutations - accepted} rejected");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"fuzzing did not finish within {RunDeadline}; current mutant: {Convert.ToBase64String(_current)}");
        }
    }

    /// <summary>Returns how many mutants were read without error.</summary>
    private int Fuzz(Seed[] seeds)
    {
        int accepted = 0;
        for (int s = 0; s < seeds.Length; s++)
        {
            Seed seed = seeds[s];
            var mutator = new Mutator(seed: 1000 + s);
            int count = TotalMutations / seeds.Length + (s < TotalMutations % seeds.Length ? 1 : 0);
            for (int i = 0; i < count; i++)
            {
                byte[] mutant = mutator.Mutate(seed.Bytes, seed.SafeTensors);
                _current = mutant;
                long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                long started = Stopwatch.GetTimestamp();
                try
                {
                    if (Exercise(mutant, seed.SafeTensors, onDisk: i % DiskEvery == 0))
                        accepted++;
                }
                catch (Exception e) when (e is not XunitException)
                {
                    Assert.Fail($"{seed.Name} mutant {i} threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}\nmutant: {Convert.ToBase64String(mutant)}");
                }

                TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
                long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                if (elapsed > CaseDeadline || allocated > CaseAllocationLimit)
                    Assert.Fail($"{seed.Name} mutant {i} took {elapsed.TotalMilliseconds:F0} ms and allocated {allocated} bytes: {Convert.ToBase64String(mutant)}");
            }
        }

        return accepted;
    }

    /// <summary>Opens the file and reads everything in it; false when some part was rejected as bad input.</summary>
    private bool Exercise(byte[] bytes, bool safetensors, bool onDisk)
    {
        bool accepted = safetensors
            ? Accepts(() => ReadSafeTensors(SafeTensorsFile.Open(new MemoryStream(bytes, writable: false), "mutant.safetensors")))
            : Accepts(() => ReadNpy(bytes));
        if (!onDisk)
            return accepted;

        string path = _dir.File(safetensors ? "mutant.safetensors" : "mutant.npy");
        File.WriteAllBytes(path, bytes);
        bool acceptedFromDisk = safetensors
            ? Accepts(() => ReadSafeTensors(SafeTensorsFile.Open(path)))
            : Accepts(() => ReadNpyFile(path));
        Assert.Equal(accepted, acceptedFromDisk);
        return accepted;
    }

    private static bool Accepts(Action read)
    {
        try
        {
            read();
            return true;
        }
        catch (BadInputException)
        {
            return false;
        }
    }

    private static void ReadNpy(byte[] bytes)
    {
        NpyHeader header = Npy.ReadHeader(new MemoryStream(bytes, writable: false), "mutant.npy");
        if (header.DType is DType.Float32 or DType.Float16)
            Npy.ReadFloats(new MemoryStream(bytes, writable: false), "mutant.npy");
        else
            Npy.ReadInts(new MemoryStream(bytes, writable: false), "mutant.npy");
    }

    /// <summary>The path-based readers, including the memory-mapped one for float matrices.</summary>
    private static void ReadNpyFile(string path)
    {
        NpyHeader header = Npy.ReadHeader(path);
        if (header.DType is DType.Int32 or DType.Int64)
        {
            Npy.ReadInts(path);
            return;
        }

        Npy.ReadFloats(path);
        if (header.Shape.Length > 2)
            return;
        using NpyMatrixReader reader = NpyMatrixReader.Open(path);
        var row = new float[reader.Columns];
        for (long r = 0; r < reader.Rows; r++)
            reader.ReadRows(r, 1, row);
    }

    private static void ReadSafeTensors(SafeTensorsFile file)
    {
        using (file)
        {
            foreach (SafeTensorInfo tensor in file.Tensors.Values)
            {
                file.ReadBytes(tensor.Name);
                if (tensor.DType is DType.Float32 or DType.Float16 or DType.BFloat16)
                {
                    file.ReadFloats(tensor.Name);
                }
                else
                {
                    file.ReadLongs(tensor.Name);
                    Accepts(() => file.ReadInts(tensor.Name)); // an out-of-range int64 is a rejection of this read only
                }
            }
        }
    }

    private Seed[] Seeds()
    {
        string f4 = _dir.File("f4.npy"), f2 = _dir.File("f2.npy"), i8 = _dir.File("i8.npy"), st = _dir.File("seed.safetensors");
        Npy.Write<float>(f4, NpyRoundTripTests.Sequence(35), [5, 7]);
        using (var writer = new NpyStreamWriter(f2, DType.Float16, 3))
        {
            writer.AppendRows(NpyRoundTripTests.Sequence(12));
            writer.Complete();
        }

        Npy.Write<long>(i8, [0, 1, -1, 7, 42, int.MaxValue, int.MinValue, 100, 1000, 10_000], [10]);

        var safetensors = new SafeTensorsWriter();
        safetensors.Metadata["format"] = "pt";
        safetensors.Metadata["source"] = "fuzz";
        safetensors.Add("weights", NpyRoundTripTests.Sequence(6), [2, 3]);
        safetensors.Add("scale", [0.5f, 1f, 2f, -4f], [4], DType.BFloat16);
        safetensors.Add("ids", [3L, 1L, 4L], [3]);
        safetensors.Write(st);

        byte[] v3 = TestFiles.BuildNpy("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 2)}",
            TestFiles.Floats(1, 2, 3, 4), major: 3);

        return
        [
            new("npy v1 float32 2-D", File.ReadAllBytes(f4), false),
            new("npy float16 (streamed)", File.ReadAllBytes(f2), false),
            new("npy int64 1-D", File.ReadAllBytes(i8), false),
            new("npy v3 float32", v3, false),
            new("safetensors", File.ReadAllBytes(st), true),
        ];
    }
}
