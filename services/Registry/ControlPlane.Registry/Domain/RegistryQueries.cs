using System.Security.Cryptography;
using ControlPlane.Api.V1;
using ControlPlane.Registry.Data;
using ControlPlane.ServiceDefaults.Cache;
using ControlPlane.ServiceDefaults.EventLog;
using ControlPlane.ServiceDefaults.Grpc;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Registry.Domain;

public sealed class RegistryQueries(RegistryDbContext db, ICacheStore cache, IMemoryCache pages, IServiceScopeFactory scopes)
{
    /// <summary>
    /// How long a listed page is reused while the registry's revision stays the same, in this replica's memory and,
    /// for the other replicas, in the shared cache. The key holds the revision read from the database, so any change
    /// anywhere (on any replica) makes a new key: pages are never stale in membership or state, only their lease
    /// expiry and last heartbeat times may lag by up to this long.
    /// </summary>
    private static readonly TimeSpan PageReuse = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a page stays in this replica's memory while its revision is unchanged. Older than <see cref="PageReuse"/>
    /// it is still answered, while one reload in the background replaces it: a caller never waits for the database
    /// to re-read a large page whose membership and state it already has (the revision is in the key).
    /// </summary>
    private static readonly TimeSpan PageKeep = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan AppCacheTtl = TimeSpan.FromSeconds(30);

    public async Task<App> GetAppAsync(string name, CancellationToken cancellationToken) =>
        await cache.GetOrLoadAsync(AppCommands.CacheKey(name), App.Parser, AppCacheTtl,
            async ct => (await db.Apps.AsNoTracking().FirstOrDefaultAsync(a => a.Name == name, ct))?.ToApi(), cancellationToken)
        ?? RpcErrors.ThrowNotFound<App>("app", name);

    public async Task<ListAppsResponse> ListAppsAsync(ListAppsRequest request, CancellationToken cancellationToken)
    {
        var size = PageSize(request.PageSize, 100, 1000);
        var after = PageToken.Decode(request.PageToken);
        var page = await db.Apps.AsNoTracking().Where(a => string.Compare(a.Name, after) > 0)
            .OrderBy(a => a.Name).Take(size + 1).ToListAsync(cancellationToken);
        var response = new ListAppsResponse();
        response.Apps.AddRange(page.Take(size).Select(a => a.ToApi()));
        response.NextPageToken = page.Count > size ? PageToken.Encode(page[size - 1].Name) : "";
        return response;
    }

    public async Task<Instance> GetInstanceAsync(string instanceId, CancellationToken cancellationToken) =>
        (await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.InstanceId == instanceId, cancellationToken))?.ToApi()
        ?? RpcErrors.ThrowNotFound<Instance>("instance", instanceId);

    public async Task<ListInstancesResponse> ListInstancesAsync(ListInstancesRequest request, CancellationToken cancellationToken)
    {
        // Read the head first: a watch from it may repeat a change already in this page, but never misses one.
        var revision = await EventLogReader.HeadAsync(db, cancellationToken);
        var key = PageKey(request, revision);
        if (pages.TryGetValue(key, out CachedPage? cached))
        {
            if (cached!.IsOld && cached.TryClaimReload())
            {
                _ = Task.Run(() => ReloadAsync(request, revision, key));
            }
            return cached.Response;
        }
        var response = await LoadAsync(request, revision, cancellationToken);
        Keep(key, response);
        return response;
    }

    /// <summary>Through the shared cache only when other replicas read it: a local one would hold the page a second
    /// time, serialized, beside this memory.</summary>
    private async Task<ListInstancesResponse> LoadAsync(ListInstancesRequest request, long revision, CancellationToken cancellationToken) =>
        (cache.Shared
            ? await cache.GetOrLoadAsync(PageKey(request, revision), ListInstancesResponse.Parser, PageReuse,
                ct => ListAtAsync(request, revision, ct), cancellationToken)
            : await ListAtAsync(request, revision, cancellationToken))!;

    /// <summary>Re-reads a page in a scope of its own (the caller's has ended); on failure the old page stays until
    /// <see cref="PageKeep"/> and the next caller tries again.</summary>
    private async Task ReloadAsync(ListInstancesRequest request, long revision, string key)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var fresh = scope.ServiceProvider.GetRequiredService<RegistryQueries>();
            Keep(key, await fresh.LoadAsync(request, revision, CancellationToken.None));
        }
        catch (Exception)
        {
            // Not a caller's failure: they were answered already.
            if (pages.TryGetValue(key, out CachedPage? old))
            {
                old!.ReleaseReload();
            }
        }
    }

    private void Keep(string key, ListInstancesResponse response) =>
        pages.Set(key, new CachedPage(response, DateTime.UtcNow + PageReuse), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = PageKeep });

    private sealed class CachedPage(ListInstancesResponse response, DateTime reloadAfter)
    {
        private int _reloading;

        public ListInstancesResponse Response { get; } = response;

        public bool IsOld => DateTime.UtcNow >= reloadAfter;

        public bool TryClaimReload() => Interlocked.Exchange(ref _reloading, 1) == 0;

        public void ReleaseReload() => Interlocked.Exchange(ref _reloading, 0);
    }

    /// <summary>The shared cache's key of one page: the revision it was read at, and a digest of the request.</summary>
    public static string PageKey(ListInstancesRequest request, long revision) =>
        $"registry:instances:{revision}:{Convert.ToHexStringLower(SHA256.HashData(request.ToByteArray()))[..32]}";

    private async Task<ListInstancesResponse?> ListAtAsync(ListInstancesRequest request, long revision, CancellationToken cancellationToken)
    {
        var size = PageSize(request.PageSize, 500, 10_000);
        var after = PageToken.Decode(request.PageToken);
        var query = db.Instances.AsNoTracking();
        if (request.App.Length > 0)
        {
            query = query.Where(i => i.App == request.App);
        }
        if (!request.IncludeExpired)
        {
            query = query.Where(i => i.State == InstanceStatus.Active);
        }
        var response = new ListInstancesResponse { Revision = revision };
        var selector = request.LabelSelector;
        var last = after;
        var exhausted = false;
        // Labels are stored as JSON (portable across providers), so a selector filters in memory, chunk by chunk.
        // A full page always carries a token; the page after it may be empty.
        while (response.Instances.Count < size && !exhausted)
        {
            var chunk = await query.Where(i => string.Compare(i.InstanceId, last) > 0).OrderBy(i => i.InstanceId)
                .Take(size).ToListAsync(cancellationToken);
            exhausted = chunk.Count < size;
            foreach (var record in chunk)
            {
                if (response.Instances.Count == size)
                {
                    exhausted = false;
                    break;
                }
                last = record.InstanceId;
                var instance = record.ToApi();
                if (selector.All(s => instance.Labels.TryGetValue(s.Key, out var v) && v == s.Value))
                {
                    response.Instances.Add(instance);
                }
            }
        }
        response.NextPageToken = exhausted ? "" : PageToken.Encode(last);
        return response;
    }

    public async Task<FleetStatus> GetFleetStatusAsync(string appName, CancellationToken cancellationToken)
    {
        var app = await db.Apps.AsNoTracking().FirstOrDefaultAsync(a => a.Name == appName, cancellationToken)
            ?? RpcErrors.ThrowNotFound<AppRecord>("app", appName);
        var revision = await EventLogReader.HeadAsync(db, cancellationToken);
        var instances = await db.Instances.AsNoTracking().Where(i => i.App == appName).OrderBy(i => i.InstanceId).ToListAsync(cancellationToken);
        var expected = DriftCalculator.ForFleet(app, instances);
        var status = new FleetStatus
        {
            App = appName,
            Revision = revision,
            TotalInstances = instances.Count,
            ActiveInstances = instances.Count(i => i.State == InstanceStatus.Active),
            ExpiredInstances = instances.Count(i => i.State == InstanceStatus.Expired),
            DrainingInstances = instances.Count(i => i.Draining),
            ExpectedVersion = expected.Version.Value ?? "",
            ExpectedConfigHash = expected.ConfigHash.Value ?? "",
            ExpectedSchemaVersion = expected.SchemaVersion.Value ?? "",
        };
        status.ExpectedPlugins.AddRange(PluginSet.Split(expected.Plugins.Value ?? ""));
        foreach (var instance in instances.Where(i => i.State == InstanceStatus.Active))
        {
            status.Versions[instance.Version] = status.Versions.GetValueOrDefault(instance.Version) + 1;
            var fields = DriftCalculator.Compare(expected, instance);
            if (fields.Count > 0)
            {
                status.Drift.Add(new InstanceDrift { InstanceId = instance.InstanceId, Fields = { fields } });
            }
        }
        status.DriftedInstances = status.Drift.Count;
        return status;
    }

    private static int PageSize(int requested, int fallback, int max) => requested <= 0 ? fallback : Math.Min(requested, max);
}
