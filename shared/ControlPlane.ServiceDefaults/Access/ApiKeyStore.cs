using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>
/// Finds the key of a token's hash: the process's own credential, then the configured keys, then the database. A
/// database answer (found or not) is kept for <see cref="AccessOptions.KeyCacheTtl"/>, so a heartbeat does not cost a
/// query and a revocation is seen by every replica within that time.
/// </summary>
public sealed class ApiKeyStore(
    IServiceScopeFactory scopes,
    IOptions<AccessOptions> options,
    ProcessCredential process,
    TimeProvider time)
{
    private const int MaxCached = 10_000;
    private readonly ConcurrentDictionary<string, (KeyInfo? Key, long ReadAtMs)> _cache = new();
    private readonly Lazy<FrozenDictionary<string, KeyInfo>> _configured = new(() => Configured(options.Value));

    public async ValueTask<KeyInfo?> FindAsync(string tokenHash, CancellationToken cancellationToken)
    {
        if (tokenHash == process.Hash)
        {
            return new KeyInfo("process", AccessRoles.Admin, AccessClaims.Process, null, null, null);
        }
        if (_configured.Value.TryGetValue(tokenHash, out var configured))
        {
            return configured;
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (_cache.TryGetValue(tokenHash, out var cached) && now - cached.ReadAtMs < options.Value.KeyCacheTtl.TotalMilliseconds)
        {
            return cached.Key;
        }
        var key = await ReadAsync(tokenHash, cancellationToken);
        if (_cache.Count >= MaxCached)
        {
            // Unknown tokens are cached too; a flood of them must not grow memory without bound.
            _cache.Clear();
        }
        _cache[tokenHash] = (key, now);
        return key;
    }

    /// <summary>Forgets what was read, so this replica sees a change it made at once (revocation by its own API).</summary>
    public void Forget() => _cache.Clear();

    private async Task<KeyInfo?> ReadAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccessDbContext>();
        var record = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.TokenSha256 == tokenHash, cancellationToken);
        return record is null
            ? null
            : new KeyInfo(record.Name, record.Role, AccessClaims.ApiKey, record.Id, record.ExpiresAtMs, record.RevokedAtMs);
    }

    private static FrozenDictionary<string, KeyInfo> Configured(AccessOptions options) =>
        options.Keys.ToFrozenDictionary(
            k => k.Value.Sha256.Trim().ToLowerInvariant(),
            k => new KeyInfo(k.Key, k.Value.Role.ToLowerInvariant(), AccessClaims.ApiKey, $"config:{k.Key}", k.Value.ExpiresAt?.ToUnixTimeMilliseconds(), null));
}
