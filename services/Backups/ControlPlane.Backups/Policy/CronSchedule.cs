using Cronos;

namespace ControlPlane.Backups.Policy;

/// <summary>Five-field cron expressions (Cronos) read in an IANA time zone, so "0 3 * * *" means 03:00 local, DST included.</summary>
public static class CronSchedule
{
    /// <summary>Why the expression is not usable; null when it is.</summary>
    public static string? Problem(string expression)
    {
        try
        {
            CronExpression.Parse(expression, CronFormat.Standard);
            return null;
        }
        catch (CronFormatException ex)
        {
            return $"is not a five-field cron expression such as \"0 3 * * *\": {ex.Message}";
        }
    }

    public static TimeZoneInfo? Zone(string id)
    {
        if (id.Length == 0 || id == "UTC")
        {
            return TimeZoneInfo.Utc;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
    }

    /// <summary>The first occurrence strictly after <paramref name="afterUtc"/>; null for an empty expression.</summary>
    public static DateTime? Next(string expression, string timeZone, DateTime afterUtc) =>
        expression.Length == 0
            ? null
            : CronExpression.Parse(expression, CronFormat.Standard)
                .GetNextOccurrence(DateTime.SpecifyKind(afterUtc, DateTimeKind.Utc), Zone(timeZone) ?? TimeZoneInfo.Utc);
}
