using System.Globalization;
using System.Runtime.InteropServices;

namespace ControlPlane.Bench.Scenarios.Compare;

/// <summary>
/// CPU time of one process, read off /proc/PID/stat (utime + stime, in clock ticks): the same reading for a .NET
/// service and for a Go peer, and one that counts neither the bench nor the load generator driving them.
/// </summary>
public static class ProcessCpu
{
    private const int ClockTicksName = 2;   // _SC_CLK_TCK on Linux

    private static readonly double TicksPerSecond = Sysconf(ClockTicksName) is > 0 and var ticks ? ticks : 100;

    public static double Seconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // "pid (comm) state ppid …": comm may hold spaces, so fields are counted after its closing parenthesis,
        // where field 3 (state) is index 0 and utime, stime (fields 14, 15) are indexes 11, 12.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>Resident memory in MB (VmRSS), for the report.</summary>
    public static long RssMb(int pid) =>
        File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)) is { } line
            ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024
            : 0;

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long Sysconf(int name);
}
