using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ControlPlane.Cpctl;

/// <summary>Durations as operators write them: 300ms, 30s, 5m, 1h, or a .NET TimeSpan (00:05:00).</summary>
public static class Durations
{
    public static Option<TimeSpan?> Option(string name, string description) => new(name)
    {
        Description = $"{description} (e.g. 500ms, 30s, 5m)",
        CustomParser = Parse,
    };

    private static TimeSpan? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (TryParse(text, out var value))
        {
            return value;
        }
        result.AddError($"'{text}' is not a duration: write e.g. 500ms, 30s, 5m or 1h");
        return null;
    }

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var units = new (string Suffix, double Seconds)[] { ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600) };
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= 0)
            {
                value = TimeSpan.FromSeconds(number * seconds);
                return true;
            }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }

    /// <summary>How a duration reads in tables: 300ms, 30s, 5m.</summary>
    public static string Format(Google.Protobuf.WellKnownTypes.Duration? duration)
    {
        if (duration is null)
        {
            return "";
        }
        var span = duration.ToTimeSpan();
        return span.TotalSeconds < 1 ? $"{span.TotalMilliseconds:0}ms"
            : span.TotalMinutes < 2 ? $"{span.TotalSeconds:0.#}s"
            : span.TotalHours < 2 ? $"{span.TotalMinutes:0.#}m"
            : $"{span.TotalHours:0.#}h";
    }
}
