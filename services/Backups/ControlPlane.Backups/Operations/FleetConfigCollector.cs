using System.Security.Cryptography;
using System.Text;
using ControlPlane.Api.V1;
using ControlPlane.Backups.Artifacts;
using ControlPlane.Backups.Engines;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.ClientFactory;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Backups.Operations;

/// <summary>
/// The fleet configuration of a CONFIG or FULL backup: every app and its specs, read from the Registry over gRPC
/// (never from its tables) and saved as one JSON file beside the dump: <c>{"apps": [App, …]}</c> in the API's JSON.
/// </summary>
public sealed class FleetConfigCollector(GrpcClientFactory clients)
{
    public const string FileName = "fleet-config.json";
    public const string RegistryClientName = "backups-registry";
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);

    public async Task<(ArtifactFile File, List<ConfigItem> Items)> WriteAsync(string folder, string? keyId, byte[]? key,
        CancellationToken cancellationToken)
    {
        var apps = await ListAppsAsync(cancellationToken);
        var items = new List<ConfigItem>();
        var written = await ArtifactFiles.WriteAsync(folder, FileName, gzip: false, keyId, key, async (stream, ct) =>
        {
            await stream.WriteAsync("{\"apps\": ["u8.ToArray(), ct);
            for (var i = 0; i < apps.Count; i++)
            {
                var json = Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(apps[i]));
                await stream.WriteAsync(Encoding.UTF8.GetBytes(i == 0 ? "\n  " : ",\n  "), ct);
                await stream.WriteAsync(json, ct);
                items.Add(Item(apps[i].Name, json));
            }
            await stream.WriteAsync("\n]}\n"u8.ToArray(), ct);
        }, cancellationToken);
        return (written.File, items);
    }

    /// <summary>Parses a fleet configuration file's plaintext back into its apps' items, to check them against the manifest.</summary>
    public static List<ConfigItem> ReadItems(Stream plain)
    {
        using var document = System.Text.Json.JsonDocument.Parse(plain);
        return document.RootElement.GetProperty("apps").EnumerateArray()
            .Select(app => App.Parser.ParseJson(app.GetRawText()))
            .Select(app => Item(app.Name, Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(app))))
            .ToList();
    }

    private static ConfigItem Item(string app, byte[] json) => new()
    {
        Path = $"apps/{app}.json",
        App = app,
        SizeBytes = json.Length,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(json)),
    };

    private async Task<List<App>> ListAppsAsync(CancellationToken cancellationToken)
    {
        var registry = clients.CreateClient<RegistryClient>(RegistryClientName);
        var apps = new List<App>();
        var token = "";
        try
        {
            do
            {
                var page = await registry.ListAppsAsync(new ListAppsRequest { PageSize = 1000, PageToken = token },
                    deadline: DateTime.UtcNow + CallDeadline, cancellationToken: cancellationToken);
                apps.AddRange(page.Apps);
                token = page.NextPageToken;
            }
            while (token.Length > 0);
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled)
        {
            throw new BackupFailedException($"fleet configuration: the Registry did not answer ListApps ({ex.StatusCode}: {ex.Status.Detail})", ex);
        }
        return apps;
    }
}
