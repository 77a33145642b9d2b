using ControlPlane.ServiceDefaults.Grpc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>Creating, listing and revoking the keys kept in the database.</summary>
public sealed class ApiKeyAdmin(AccessDbContext db, ApiKeyStore store, TimeProvider time, ILogger<ApiKeyAdmin> logger)
{
    public async Task<(ApiKeyRecord Key, string Token)> CreateAsync(
        string name, string role, TimeSpan? ttl, string createdBy, string requestId, CancellationToken cancellationToken)
    {
        if (requestId.Length > 0 && await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.RequestId == requestId, cancellationToken) is { } repeated)
        {
            // The secret was shown once, to the first answer; a retry learns which key it made, not its token.
            return (repeated, "");
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var active = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Name == name && k.RevokedAtMs == null && (k.ExpiresAtMs == null || k.ExpiresAtMs > now))
            .AnyAsync(cancellationToken);
        if (active)
        {
            RpcErrors.ThrowAlreadyExists($"an active API key named '{name}' exists: revoke it first, or choose another name");
        }
        var token = ApiKeyTokens.NewToken();
        var key = new ApiKeyRecord
        {
            Id = ApiKeyTokens.NewId(),
            Name = name,
            Role = role,
            TokenSha256 = ApiKeyTokens.Hash(token),
            CreatedAtMs = now,
            ExpiresAtMs = ttl is { } t ? now + (long)t.TotalMilliseconds : null,
            CreatedBy = createdBy,
            RequestId = requestId,
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        AccessLog.KeyCreated(logger, key.Id, key.Name, key.Role, createdBy);
        return (key, token);
    }

    public async Task<(List<ApiKeyRecord> Keys, string NextPageToken)> ListAsync(int pageSize, string pageToken, CancellationToken cancellationToken)
    {
        var size = pageSize <= 0 ? 100 : Math.Min(pageSize, 1000);
        var query = db.ApiKeys.AsNoTracking();
        if (PageToken.Decode(pageToken) is { Length: > 0 } after)
        {
            var parts = after.Split('/', 2);
            var createdAt = long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            query = query.Where(k => k.CreatedAtMs < createdAt || (k.CreatedAtMs == createdAt && string.Compare(k.Id, parts[1]) < 0));
        }
        var keys = await query.OrderByDescending(k => k.CreatedAtMs).ThenByDescending(k => k.Id).Take(size + 1).ToListAsync(cancellationToken);
        var next = keys.Count > size ? PageToken.Encode($"{keys[size - 1].CreatedAtMs}/{keys[size - 1].Id}") : "";
        return (keys.Take(size).ToList(), next);
    }

    public async Task<ApiKeyRecord> RevokeAsync(string id, string revokedBy, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken)
            ?? RpcErrors.ThrowNotFound<ApiKeyRecord>("API key", id);
        if (key.RevokedAtMs is null)
        {
            key.RevokedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            await db.SaveChangesAsync(cancellationToken);
            AccessLog.KeyRevoked(logger, key.Id, key.Name, revokedBy);
        }
        store.Forget();
        return key;
    }
}
