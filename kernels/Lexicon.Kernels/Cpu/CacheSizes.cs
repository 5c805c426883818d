namespace Lexicon.Kernels.Cpu;

/// <summary>What the OS says about the CPU: its model name and its per-core L2 (Linux sysfs; null where unknown).</summary>
internal static class CacheSizes
{
    private static readonly Lazy<string> Model = new(ReadModel);

    public static string CpuModel() => Model.Value;

    public static long? L2Bytes()
    {
        try
        {
            foreach (string index in Directory.EnumerateDirectories("/sys/devices/system/cpu/cpu0/cache", "index*"))
            {
                if (File.ReadAllText(Path.Combine(index, "level")).Trim() != "2") continue;
                string size = File.ReadAllText(Path.Combine(index, "size")).Trim();
                long scale = size.EndsWith('K') ? 1024 : size.EndsWith('M') ? 1 << 20 : 1;
                return long.Parse(size.TrimEnd('K', 'M')) * scale;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return null;
    }

    private static string ReadModel()
    {
        // The name alone is generic on many VMs ("Intel(R) Xeon(R) Processor"): family and model number tell them apart.
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                var fields = new Dictionary<string, string>();
                foreach (string line in File.ReadLines("/proc/cpuinfo"))
                {
                    if (line.Length == 0) break; // the first processor's block is enough
                    int colon = line.IndexOf(':');
                    if (colon > 0) fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
                }
                string name = fields.GetValueOrDefault("model name") ?? fields.GetValueOrDefault("Model") ?? "";
                string number = fields.TryGetValue("cpu family", out var family) ? $" family {family} model {fields.GetValueOrDefault("model")}"
                    : fields.TryGetValue("CPU part", out var part) ? $" part {part}" : "";
                if (name.Length + number.Length > 0) return (name + number).Trim();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return $"{System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture} CPU";
    }
}
