using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Lexicon.Tests.Support;

/// <summary>
/// A real headless Chromium driven over the Chrome DevTools Protocol (a WebSocket, no package needed): open a page, ask
/// the DOM questions, take a screenshot, and collect every JavaScript error the page logs (uncaught exceptions,
/// console.error, error log entries).
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<int, TaskCompletionSource<JsonObject>> _pending = [];
    private readonly List<string> _errors = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;

    /// <summary>The chromium binary on this machine, or null (the browser tests then skip; CI installs it).</summary>
    public static string? Binary =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => new[] { Path.Combine(directory, "chromium"), Path.Combine(directory, "chromium-browser") })
            .FirstOrDefault(File.Exists);

    public HeadlessChromium(int width = 1200, int height = 1400)
    {
        _profile = Directory.CreateTempSubdirectory("lexicon-chromium-").FullName;
        var start = new ProcessStartInfo(Binary ?? throw new InvalidOperationException("no chromium on this machine"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                     "--remote-debugging-port=0", $"--user-data-dir={_profile}", $"--window-size={width},{height}", "about:blank" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        try
        {
            Connect().GetAwaiter().GetResult();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Every JavaScript error logged by the pages opened so far.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors) return [.. _errors];
        }
    }

    /// <summary>Opens a URL and waits for its load event (scripts have run by then).</summary>
    public void Navigate(string url)
    {
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Send("Page.navigate", new JsonObject { ["url"] = url });
        if (!_loaded.Task.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException($"{url} did not load in 30 s");
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its value (JSON-serialisable results only).</summary>
    public JsonNode? Evaluate(string expression)
    {
        var result = Send("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } exception) throw new InvalidOperationException($"{expression}: {exception.ToJsonString()}");
        return result["result"]?["value"]?.DeepClone();
    }

    public void Screenshot(string path)
    {
        var result = Send("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        File.WriteAllBytes(path, Convert.FromBase64String((string)result["data"]!));
    }

    private async Task Connect()
    {
        string portFile = Path.Combine(_profile, "DevToolsActivePort");
        var waited = Stopwatch.StartNew();
        while (!File.Exists(portFile) || File.ReadAllLines(portFile).Length < 2)
        {
            if (_process.HasExited) throw new InvalidOperationException($"chromium exited with {_process.ExitCode} before it listened");
            if (waited.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("chromium wrote no DevToolsActivePort in 30 s");
            await Task.Delay(50);
        }
        int port = int.Parse(File.ReadAllLines(portFile)[0]);
        using var http = new HttpClient();
        var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
        string page = (string)targets.First(t => (string?)t!["type"] == "page")!["webSocketDebuggerUrl"]!;
        await _socket.ConnectAsync(new Uri(page), CancellationToken.None);
        _ = Task.Run(Receive);
        foreach (string domain in new[] { "Page.enable", "Runtime.enable", "Log.enable" }) Send(domain, new JsonObject());
    }

    private JsonObject Send(string method, JsonObject parameters)
    {
        var done = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        int id;
        lock (_pending)
        {
            id = ++_nextId;
            _pending[id] = done;
        }
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None).GetAwaiter().GetResult();
        if (!done.Task.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException($"{method}: no answer in 30 s");
        var reply = done.Task.Result;
        if (reply["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return reply["result"]?.AsObject() ?? [];
    }

    private async Task Receive()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close) return;
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage) continue;
                var json = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                Dispatch(json);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    private void Dispatch(JsonObject json)
    {
        if (json["id"] is { } id)
        {
            TaskCompletionSource<JsonObject>? done;
            lock (_pending) _pending.Remove((int)id, out done);
            done?.TrySetResult(json);
            return;
        }
        var parameters = json["params"];
        string? error = (string?)json["method"] switch
        {
            "Page.loadEventFired" => Loaded(),
            "Runtime.exceptionThrown" => parameters?["exceptionDetails"]?.ToJsonString(),
            "Runtime.consoleAPICalled" when (string?)parameters?["type"] == "error" => parameters?["args"]?.ToJsonString(),
            "Log.entryAdded" when (string?)parameters?["entry"]?["level"] == "error" => parameters?["entry"]?.ToJsonString(),
            _ => null,
        };
        if (error is not null)
            lock (_errors) _errors.Add(error);
    }

    private string? Loaded()
    {
        _loaded.TrySetResult();
        return null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(5000);
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
