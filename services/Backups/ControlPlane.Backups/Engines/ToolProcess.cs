using System.ComponentModel;
using System.Diagnostics;

namespace ControlPlane.Backups.Engines;

/// <summary>
/// Runs pg_dump or pg_restore with stdin/stdout streamed (never buffered whole) and stderr read line by line.
/// Cancelling kills the process. Secrets travel in the environment, never on the command line.
/// </summary>
public static class ToolProcess
{
    private const int CopyBuffer = 1 << 20;
    private const int KeptErrorLines = 12;

    public sealed record Result(int ExitCode, string ErrorTail);

    public static async Task<Result> RunAsync(string path, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        Stream? stdin, Stream? stdout, Action<string>? onErrorLine, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = stdout is not null,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new BackupFailedException($"{Path.GetFileName(path)} could not be started ({path}): {ex.Message}");
        }
        using var kill = cancellationToken.Register(() => Kill(process));
        var errorTail = new Queue<string>();
        var errors = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
            {
                onErrorLine?.Invoke(line);
                if (!line.Contains(": dumping contents of table", StringComparison.Ordinal)
                    && !line.Contains(": processing data for table", StringComparison.Ordinal))
                {
                    errorTail.Enqueue(line);
                    if (errorTail.Count > KeptErrorLines)
                    {
                        errorTail.Dequeue();
                    }
                }
            }
        }, CancellationToken.None);
        var output = stdout is null ? Task.CompletedTask
            : process.StandardOutput.BaseStream.CopyToAsync(stdout, CopyBuffer, cancellationToken);
        var input = stdin is null ? Task.CompletedTask : FeedAsync(process, stdin, cancellationToken);
        try
        {
            await Task.WhenAll(output, input);
        }
        catch (IOException) when (process.WaitForExit(TimeSpan.FromSeconds(5)) && process.ExitCode != 0)
        {
            // The tool quit early (and closed its pipe): its own error, below, says why.
        }
        catch
        {
            Kill(process);
            throw;
        }
        await process.WaitForExitAsync(cancellationToken);
        await errors;
        cancellationToken.ThrowIfCancellationRequested();
        return new Result(process.ExitCode, string.Join('\n', errorTail.Where(l => !l.EndsWith(": connecting to database for restore", StringComparison.Ordinal))));
    }

    private static async Task FeedAsync(Process process, Stream stdin, CancellationToken cancellationToken)
    {
        await using (var pipe = process.StandardInput.BaseStream)
        {
            await stdin.CopyToAsync(pipe, CopyBuffer, cancellationToken);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
