namespace ControlPlane.DemoApp;

/// <summary>
/// Parses "3.0=readiness;2.1=exit:3;2.2=database;2.3=delay:1500;2.4=hang" — per version (exact match), a
/// comma-separated list of faults it has from start — so a rollout test can deploy a "bad version" for real.
/// </summary>
internal static class VersionFaults
{
    private const string Expected = "readiness, database, hang, delay:MS or exit:CODE";

    public static FaultSettings? For(string? spec, string version) =>
        TryParse(spec, out var byVersion, out _) && byVersion.TryGetValue(version, out var settings) ? settings : null;

    public static bool TryParse(string? spec, out Dictionary<string, FaultSettings> byVersion, out string? error)
    {
        byVersion = new Dictionary<string, FaultSettings>(StringComparer.Ordinal);
        error = null;
        foreach (var entry in (spec ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                error = $"\"{entry}\" is not VERSION=FAULT[,FAULT...]";
                return false;
            }
            var settings = byVersion.GetValueOrDefault(parts[0]) ?? new FaultSettings();
            foreach (var fault in parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (Add(settings, fault) is not { } next)
                {
                    error = $"unknown fault \"{fault}\" for version {parts[0]} (expected {Expected})";
                    return false;
                }
                settings = next;
            }
            byVersion[parts[0]] = settings;
        }
        return true;
    }

    private static FaultSettings? Add(FaultSettings settings, string fault)
    {
        var (name, argument) = fault.IndexOf(':') is var colon and >= 0 ? (fault[..colon], fault[(colon + 1)..]) : (fault, null);
        int? number = int.TryParse(argument, out var parsed) ? parsed : null;
        return (name.ToLowerInvariant(), argument) switch
        {
            ("readiness", null) => settings with { Readiness = FaultSettings.Fail },
            ("database", null) => settings with { Database = FaultSettings.Down },
            ("hang", null) => settings with { Hang = true },
            ("delay", _) when number is >= 0 and <= FaultSettings.MaxDelayMs => settings with { DelayMs = number },
            ("exit", _) when number is >= 0 and <= FaultSettings.MaxExitCode => settings with { ExitCode = number },
            _ => null,
        };
    }
}
