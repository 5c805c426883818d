namespace Lexicon.Data.Formats;

/// <summary>Opens input files, turning a missing file into the user-facing error.</summary>
internal static class FormatFiles
{
    public static FileStream OpenRead(string path, FileOptions options = FileOptions.None)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, options);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BadInputException(path, "no such file");
        }
    }
}
