using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Testing;
using Google.Protobuf;

namespace ControlPlane.Cpctl.Tests;

/// <summary>cpctl run as a real process, the way an operator runs it: with its output redirected, or under a pseudo-terminal.</summary>
public static class CpctlProcess
{
    public sealed record Result(int ExitCode, string Output, string Errors)
    {
        public JsonDocument Json => JsonDocument.Parse(Output);

        public JsonNode Node => (Output.Trim().Length > 0 ? JsonNode.Parse(Output) : null)
            ?? throw new InvalidOperationException($"no JSON in the output of cpctl: {this}");

        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Errors}";
    }

    private static string Dll => Path.Combine(RepoPaths.Root, "tools", "Cpctl", "bin", RepoPaths.Configuration, "net10.0", "cpctl.dll");

    public static Task<Result> RunAsync(string address, params string[] args) => RunProcessAsync("dotnet", [Dll, "--address", address, .. args]);

    /// <summary>As an operator holding <paramref name="token"/> in CPCTL_TOKEN (empty: no token at all).</summary>
    public static Task<Result> RunWithTokenAsync(string token, string address, params string[] args) =>
        RunProcessAsync("dotnet", [Dll, "--address", address, .. args], new Dictionary<string, string> { ["CPCTL_TOKEN"] = token });

    /// <summary>
    /// Under a pseudo-terminal (util-linux `script`), so cpctl sees a terminal as an operator's shell gives it;
    /// stdout and stderr arrive together, as on a screen.
    /// </summary>
    public static Task<Result> RunInTerminalAsync(string address, params string[] args)
    {
        var command = string.Join(' ', new[] { "dotnet", Dll, "--address", address }.Concat(args).Select(Quote));
        return RunProcessAsync("script", ["-qefc", command, "/dev/null"], new Dictionary<string, string> { ["TERM"] = "xterm-256color" });
    }

    /// <summary>Protobuf JSON of the API's own answer, to compare with cpctl's JSON output.</summary>
    public static JsonNode ApiJson(IMessage message) => JsonNode.Parse(JsonFormatter.Default.Format(message))!;

    public static void AssertSameJson(JsonNode expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"cpctl answered\n{actual.ToJsonString()}\nthe API answered\n{expected.ToJsonString()}");

    /// <summary>Runs until <paramref name="done"/> holds (a loaded machine gets a generous deadline).</summary>
    public static async Task<Result> WaitAsync(Func<Task<Result>> run, Func<Result, bool> done, int seconds = 60)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (true)
        {
            var result = await run();
            if (done(result) || DateTime.UtcNow > deadline)
            {
                Assert.True(done(result), $"not reached; last: {result}");
                return result;
            }
            await Task.Delay(250);
        }
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''") + "'";

    private static async Task<Result> RunProcessAsync(string file, string[] args, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // As an operator with an admin key in CPCTL_TOKEN; a test's own environment wins.
        start.Environment["CPCTL_TOKEN"] = TestCredentials.AdminToken;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        return new Result(process.ExitCode, await output, await errors);
    }
}
