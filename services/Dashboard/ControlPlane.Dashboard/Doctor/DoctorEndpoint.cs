using System.Text.Json.Nodes;
using ControlPlane.Cpctl.Doctor;
using ControlPlane.Dashboard.Auth;
using ControlPlane.ServiceDefaults.Hosting;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ControlPlane.Dashboard.Doctor;

/// <summary>`cpctl doctor` on a page: the same checks (compiled from cpctl's sources), run as the signed-in user.</summary>
public static class DoctorEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/doctor", RunAsync);

    private static async Task<IResult> RunAsync(HttpContext context, DashboardAddresses addresses, IOptions<DashboardOptions> options,
        IOptions<ControlPlaneOptions> hosting, IConfiguration configuration)
    {
        var urls = options.Value.Replicas.Count > 0 ? options.Value.Replicas : addresses.Replicas(hosting.Value);
        using var http = new HttpClient();
        var reports = await Task.WhenAll(urls.Select(u => ReplicaReport.FetchAsync(http, u, context.RequestAborted)));
        var checks = ReplicaChecks.Run(reports).Append(TrafficCheck.Run(reports)).ToList();
        using (var channel = UserChannel(context, addresses, configuration))
        {
            checks.AddRange(await FleetChecks.RunAsync(channel, addresses.Registry.ToString(), context.RequestAborted));
        }
        return Results.Json(new JsonObject
        {
            ["ok"] = checks.All(c => c.Status != CheckStatus.Fail),
            ["checks"] = new JsonArray(checks.Select(c => (JsonNode?)new JsonObject
            {
                ["name"] = c.Name,
                ["status"] = c.Status.ToString().ToLowerInvariant(),
                ["message"] = c.Message,
            }).ToArray()),
            ["replicas"] = new JsonArray(reports.Select(r => (JsonNode?)new JsonObject { ["url"] = r.Url, ["reachable"] = r.Reachable, ["error"] = r.Error }).ToArray()),
        });
    }

    private static GrpcChannel UserChannel(HttpContext context, DashboardAddresses addresses, IConfiguration configuration)
    {
        var transport = DashboardChannels.Transport(configuration);
        var key = DashboardUser.Call(context.User, context.RequestAborted).Headers!;
        var credentials = CallCredentials.FromInterceptor((_, metadata) =>
        {
            foreach (var entry in key)
            {
                metadata.Add(entry);
            }
            return Task.CompletedTask;
        });
        return GrpcChannel.ForAddress(addresses.Registry, new GrpcChannelOptions
        {
            HttpHandler = new ServiceRouter(addresses.ByService(), transport),
            Credentials = ChannelCredentials.Create(addresses.Registry.Scheme == "https" ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure, credentials),
            UnsafeUseInsecureChannelCallCredentials = true,
        });
    }
}
