using System.Text.Json;

namespace ControlPlane.Agent.Applying;

/// <summary>Reads what the instance says about itself on /api/health (Grafana's shape: version, schemaVersion...).</summary>
public sealed class InstanceHealthReader(AgentOptions agent, IHttpClientFactory http)
{
    public async Task<string> ReadVersionAsync(CancellationToken cancellationToken)
    {
        using var client = http.CreateClient(nameof(InstanceHealthReader));
        client.Timeout = TimeSpan.FromSeconds(5);
        var url = new Uri(new Uri(agent.Address.TrimEnd('/') + "/"), "api/health");
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(url, cancellationToken);
                using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
                if (body.RootElement.TryGetProperty("version", out var version) && version.GetString() is { Length: > 0 } text)
                {
                    return text;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The instance is not up yet (or answers garbage): the Agent cannot register it without a version.
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }
}
