using System.Text.Json.Serialization;

namespace ControlPlane.DemoApp;

/// <summary>
/// The JSON of /faults: POST sends the fields to change (all optional), GET answers the whole state in the
/// same shape, so what GET shows can be POSTed back.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record FaultSettings(
    string? Readiness = null,
    string? Database = null,
    int? DelayMs = null,
    bool? Hang = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ExitCode = null)
{
    public const string Ok = "ok";
    public const string Fail = "fail";
    public const string Down = "down";
    public const int MaxDelayMs = 600_000;
    public const int MaxExitCode = 255;

    /// <summary>Why these settings cannot be applied, or null when they can.</summary>
    public string? Error() => this switch
    {
        { Readiness: not (null or Ok or Fail) } => $"readiness must be \"{Fail}\" or \"{Ok}\", not \"{Readiness}\"",
        { Database: not (null or Ok or Down) } => $"database must be \"{Down}\" or \"{Ok}\", not \"{Database}\"",
        { DelayMs: < 0 or > MaxDelayMs } => $"delayMs must be between 0 and {MaxDelayMs}, not {DelayMs}",
        { ExitCode: < 0 or > MaxExitCode } => $"exitCode must be between 0 and {MaxExitCode}, not {ExitCode}",
        _ => null,
    };

    public static FaultSettings From(Faults faults) => new(
        faults.ReadinessFailing ? Fail : Ok,
        faults.DatabaseDown ? Down : Ok,
        faults.DelayMs,
        faults.Hang);
}
