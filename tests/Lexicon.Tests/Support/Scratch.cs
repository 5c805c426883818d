using System.Security.Cryptography;

namespace Lexicon.Tests.Support;

/// <summary>A private scratch directory, deleted on dispose, with helpers for copying and fingerprinting trees.</summary>
public sealed class Scratch : IDisposable
{
    public Scratch() => Root = Directory.CreateTempSubdirectory("lexicon-test-").FullName;

    public string Root { get; }

    public string this[string name] => Path.Combine(Root, name);

    public static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
    }

    /// <summary>Every file's name, size, write time and content hash: equal fingerprints mean an untouched tree.</summary>
    public static string Fingerprint(string directory) => string.Join("\n", Directory.GetFiles(directory).Order().Select(f =>
        $"{Path.GetFileName(f)} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
