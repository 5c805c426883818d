using Lexicon.Data.Formats;

namespace Lexicon.Tests.Support;

/// <summary>Rewrites a safetensors file with one value of one tensor changed (for corrupt-file tests).</summary>
public static class StateFile
{
    public static void Rewrite(string path, string tensor, int index, double value)
    {
        var writer = new SafeTensorsWriter();
        using (var file = SafeTensorsFile.Open(path))
        {
            foreach (var (key, v) in file.Metadata) writer.Metadata[key] = v;
            foreach (var (name, info) in file.Tensors.OrderBy(t => t.Value.Begin))
            {
                switch (info.DType)
                {
                    case DType.Float32:
                        var f = file.ReadFloats(name);
                        if (name == tensor) f[index] = (float)value;
                        writer.Add(name, f, info.Shape);
                        break;
                    case DType.Int32:
                        var i = file.ReadInts(name);
                        if (name == tensor) i[index] = (int)value;
                        writer.Add(name, i, info.Shape);
                        break;
                    default:
                        var l = file.ReadLongs(name);
                        if (name == tensor) l[index] = (long)value;
                        writer.Add(name, l, info.Shape);
                        break;
                }
            }
        }
        writer.Write(path);
    }
}
