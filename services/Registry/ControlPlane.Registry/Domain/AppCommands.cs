using ControlPlane.Api.V1;
using ControlPlane.Contracts;
using ControlPlane.Registry.Data;
using ControlPlane.ServiceDefaults.Api;
using ControlPlane.ServiceDefaults.Cache;
using ControlPlane.ServiceDefaults.Idempotency;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Registry.Domain;

public sealed class AppCommands(RegistryDbContext db, RegistryWriter writer, ICacheStore cache)
{
    public static string CacheKey(string app) => $"registry:app:{app}";

    public async Task<App> UpsertAsync(UpsertAppRequest request, CancellationToken cancellationToken)
    {
        var result = await writer.WriteAsync(async write =>
        {
            const string method = nameof(UpsertAsync);
            if (await IdempotentRequests.FindAsync(db, request.RequestId, method, App.Parser, cancellationToken) is { } replay)
            {
                return replay;
            }
            var given = request.App;
            var app = await db.Apps.FindAsync([given.Name], cancellationToken);
            if (app is null)
            {
                app = new AppRecord { Name = given.Name, CreatedAt = write.Now };
                db.Apps.Add(app);
            }
            app.Description = given.Description;
            app.DesiredVersion = given.DesiredVersion;
            app.DesiredConfigHash = given.DesiredConfigHash;
            app.DesiredPlugins = PluginSet.Normalize(given.DesiredPlugins);
            app.DesiredPluginsSet = given.DesiredPlugins.Count > 0;
            app.DesiredSchemaVersion = given.DesiredSchemaVersion;
            app.HealthCheck = ApiDefaults.Complete(given.HealthCheck).ToByteArray();
            app.RolloutDefaults = ApiDefaults.Complete(given.RolloutDefaults).ToByteArray();
            app.UpdatedAt = write.Now;
            app.Generation++;
            write.Publish(new AppUpserted(app.Name, app.Generation, write.Revision, write.NowOffset));
            await DriftTracker.UpdateFleetAsync(write, app, cancellationToken);

            var response = app.ToApi();
            IdempotentRequests.Remember(db, request.RequestId, method, response);
            return response;
        }, cancellationToken);
        await cache.RemoveAsync(CacheKey(result.Name), cancellationToken);
        return result;
    }
}
