using System.Text.Json.Nodes;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace ControlPlane.Dashboard.Api;

/// <summary>
/// API messages as the page reads them: protobuf's canonical JSON (camelCase fields, enum names, RFC 3339 times,
/// "1.5s" durations), defaults included so the page never guesses a missing field.
/// </summary>
public static class ProtoJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static string Format(IMessage message) => Formatter.Format(message);

    public static JsonNode Node(IMessage message) => JsonNode.Parse(Format(message))!;

    public static JsonArray Array(IEnumerable<IMessage> messages) => new(messages.Select(m => (JsonNode?)Node(m)).ToArray());

    public static IResult Result(IMessage message) => Results.Text(Format(message), "application/json");

    public static IResult Result(JsonObject body) => Results.Text(body.ToJsonString(), "application/json");
}
