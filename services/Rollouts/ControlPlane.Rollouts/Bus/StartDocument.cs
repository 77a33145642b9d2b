using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPlane.Contracts;

namespace ControlPlane.Rollouts.Bus;

/// <summary>
/// The plain JSON tooling publishes to the start queue (documented in README.md). snake_case like the gRPC API's
/// JSON; unknown properties are refused, so a typo ("max_paralel") is reported instead of silently ignored.
/// "traceparent" (W3C) makes the rollout part of the sender's trace, like the AMQP header of that name.
/// </summary>
public sealed record StartDocument(
    string App,
    string? Version,
    string? ConfigHash,
    int? MaxParallel,
    double? MinHealthySeconds,
    double? HealthyDeadlineSeconds,
    double? ProgressDeadlineSeconds,
    bool? AutoRevert,
    int? Canary,
    bool? BackupBefore,
    IReadOnlyList<string>? InstanceIds,
    string? Initiator,
    string? Description,
    string? RequestId,
    string? Traceparent)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };

    /// <returns>The command (and the traceparent it carries), or the reason the body is not a start request.</returns>
    public static (StartRollout? Command, string? Error, string? Traceparent) Parse(ReadOnlySpan<byte> body)
    {
        StartDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<StartDocument>(body, Json);
        }
        catch (JsonException ex)
        {
            return (null, $"malformed JSON: {ex.Message}", null);
        }
        if (document is null || string.IsNullOrEmpty(document.App))
        {
            return (null, "malformed request: \"app\" is required", document?.Traceparent);
        }
        return (new StartRollout(
            document.App,
            document.Version ?? "",
            document.ConfigHash ?? "",
            document.MaxParallel,
            Seconds(document.MinHealthySeconds),
            Seconds(document.HealthyDeadlineSeconds),
            Seconds(document.ProgressDeadlineSeconds),
            document.AutoRevert,
            document.Canary,
            document.BackupBefore,
            document.InstanceIds,
            document.Initiator ?? "",
            document.Description ?? "",
            document.RequestId ?? ""), null, document.Traceparent);
    }

    private static TimeSpan? Seconds(double? value) => value is { } s ? TimeSpan.FromSeconds(s) : null;
}
