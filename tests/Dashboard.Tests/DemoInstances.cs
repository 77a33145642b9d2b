using System.Diagnostics;
using System.Globalization;

namespace Dashboard.Tests;

/// <summary>The demo instances AllInOne's Agents run as its child processes, found by their command line.</summary>
public static class DemoInstances
{
    /// <summary>SIGKILL of the process serving <paramref name="instanceId"/>, a child of <paramref name="parentId"/>: a crash.</summary>
    public static void Kill(int parentId, string instanceId)
    {
        var pid = Find(parentId, instanceId) ?? throw new InvalidOperationException($"no process of {parentId} serves {instanceId}");
        using var process = Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit(5000);
    }

    private static int? Find(int parentId, string instanceId)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                var id = Array.IndexOf(args, "--instance-id");
                if (Array.IndexOf(args, "demo-instance") >= 0 && id >= 0 && id + 1 < args.Length && args[id + 1] == instanceId
                    && ParentOf(dir) == parentId)
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }
        return null;
    }

    // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its closing parenthesis.
    private static int ParentOf(string dir)
    {
        var stat = File.ReadAllText(Path.Combine(dir, "stat"));
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }
}
