namespace Lexicon.Output;

/// <summary>
/// Keeps two Lexicon runs off one output: a record lock on a hidden <c>.NAME.lock</c> beside the directory (beside,
/// because the directory itself is replaced by renames). The operating system drops the lock when the process ends,
/// however it ends, so a killed run never leaves a stale lock; the file names its holder for the message a second run
/// gets. The file is removed on release; a run that locked a file someone else had just removed sees that the path no
/// longer holds its token and tries again.
/// </summary>
public sealed class OutputLock : IDisposable
{
    /// <summary>Record locks are per process, so a second claim from this process is caught here.</summary>
    private static readonly HashSet<string> Held = [];

    private readonly FileStream _stream;
    private readonly FileStream _check;

    private OutputLock(string path, FileStream stream, FileStream check)
    {
        Path = path;
        _stream = stream;
        _check = check;
    }

    public string Path { get; }

    /// <summary>Takes the lock of <paramref name="target"/> or throws <see cref="BadInputException"/> naming its holder
    /// (or the reason the parent directory cannot hold a lock file: read-only, no permission).</summary>
    public static OutputLock Take(string target, string flag)
    {
        string parent = System.IO.Path.GetDirectoryName(target)!;
        string path = System.IO.Path.Combine(parent, $".{System.IO.Path.GetFileName(target)}.lock");
        lock (Held)
            if (!Held.Add(path)) throw new BadInputException($"{flag} {target}", $"in use by another run in this process");
        try
        {
            return TakeFile(target, flag, parent, path);
        }
        catch
        {
            lock (Held) Held.Remove(path);
            throw;
        }
    }

    private static OutputLock TakeFile(string target, string flag, string parent, string path)
    {
        for (int attempt = 0; ; attempt++)
        {
            FileStream stream;
            try
            {
                // macOS has no record locks in .NET; there the open itself is exclusive (an flock).
                stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite,
                    OperatingSystem.IsMacOS() ? FileShare.Delete : FileShare.ReadWrite | FileShare.Delete);
            }
            catch (IOException) when (OperatingSystem.IsMacOS() && File.Exists(path))
            {
                throw new BadInputException($"{flag} {target}", $"in use by another Lexicon run; wait for it to end or use another {flag}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BadInputException($"{flag} {target}", $"cannot write in {parent} ({e.Message})");
            }
            try
            {
                if (!OperatingSystem.IsMacOS()) stream.Lock(0, 1);
            }
            catch (IOException)
            {
                string holder = ReadHolder(stream);
                stream.Dispose();
                throw new BadInputException($"{flag} {target}", $"in use by another Lexicon run ({holder}); wait for it to end or use another {flag}");
            }
            string token = $"pid {Environment.ProcessId}: lexicon {string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Take(3))}, since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC";
            stream.SetLength(0);
            var bytes = System.Text.Encoding.UTF8.GetBytes(token);
            stream.Write(bytes);
            stream.Flush();
            // A record lock ends when the process closes any handle of the file, so the handle that checks the path
            // stays open as long as the lock is held.
            if (OpenIfHolding(path, token) is { } check) return new OutputLock(path, stream, check);
            stream.Dispose();
            if (attempt >= 10) throw new BadInputException($"{flag} {target}", $"could not take {path} (another run keeps replacing it)");
        }
    }

    public void Dispose()
    {
        // Removed before it is unlocked, so no run can lock this file after us and then lose it.
        try
        {
            File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        _check.Dispose();
        _stream.Dispose();
        lock (Held) Held.Remove(Path);
    }

    private static string ReadHolder(FileStream stream)
    {
        try
        {
            stream.Position = 0;
            var buffer = new byte[512];
            int read = stream.Read(buffer);
            string text = System.Text.Encoding.UTF8.GetString(buffer, 0, read).Trim();
            return text.Length > 0 ? text : "a run that is starting";
        }
        catch (IOException)
        {
            return "a run whose details cannot be read";
        }
    }

    /// <summary>A handle of the file now at path, if it holds our token (else null: the file we locked was replaced).</summary>
    private static FileStream? OpenIfHolding(string path, string token)
    {
        FileStream? check = null;
        try
        {
            check = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[System.Text.Encoding.UTF8.GetByteCount(token) + 1];
            int read = check.Read(buffer);
            if (System.Text.Encoding.UTF8.GetString(buffer, 0, read) == token) return check;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        check?.Dispose();
        return null;
    }
}
