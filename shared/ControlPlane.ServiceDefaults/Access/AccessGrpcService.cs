using ControlPlane.Api.V1;
using ControlPlane.ServiceDefaults.Grpc;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>The Access API (served by the Registry): API keys and the audit log, for admins; WhoAmI for anyone.
/// Admin for everything but WhoAmI; no class-level policy, since a class policy and a method policy must both pass.</summary>
public sealed class AccessGrpcService(ApiKeyAdmin keys, AccessDbContext db) : ControlPlane.Api.V1.Access.AccessBase
{
    private const int MaxTtlDays = 3650;

    [Authorize(Policy = AccessRoles.Admin)]
    public override async Task<CreateApiKeyResponse> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        var role = AccessRoles.FromProto(request.Role);
        var validator = new FieldValidator().Identifier(request.Name, "name", 63)
            .Check(role is not null, "role", "is required: VIEWER, AGENT, OPERATOR or ADMIN")
            .MaxLength(request.RequestId, "request_id", 128);
        if (request.Ttl is { } ttl)
        {
            validator.Check(ttl.ToTimeSpan() > TimeSpan.Zero && ttl.ToTimeSpan() <= TimeSpan.FromDays(MaxTtlDays), "ttl",
                $"must be positive and at most {MaxTtlDays} days (leave it unset for a key that never expires)");
        }
        validator.ThrowIfInvalid();
        var (key, token) = await keys.CreateAsync(request.Name, role!, request.Ttl?.ToTimeSpan(), Caller(context), request.RequestId, context.CancellationToken);
        return new CreateApiKeyResponse { Key = ToProto(key), Token = token };
    }

    [Authorize(Policy = AccessRoles.Admin)]
    public override async Task<ListApiKeysResponse> ListApiKeys(ListApiKeysRequest request, ServerCallContext context)
    {
        new FieldValidator().Check(request.PageSize is >= 0 and <= 1000, "page_size", "must be between 0 and 1000").ThrowIfInvalid();
        var (page, next) = await keys.ListAsync(request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListApiKeysResponse { NextPageToken = next };
        response.Keys.AddRange(page.Select(ToProto));
        return response;
    }

    [Authorize(Policy = AccessRoles.Admin)]
    public override async Task<ApiKey> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context)
    {
        new FieldValidator().Identifier(request.Id, "id", 32).ThrowIfInvalid();
        return ToProto(await keys.RevokeAsync(request.Id, Caller(context), context.CancellationToken));
    }

    [Authorize(Policy = AccessRoles.Admin)]
    public override async Task<ListAuditEventsResponse> ListAuditEvents(ListAuditEventsRequest request, ServerCallContext context)
    {
        new FieldValidator().Check(request.PageSize is >= 0 and <= 1000, "page_size", "must be between 0 and 1000")
            .MaxLength(request.Principal, "principal", 200).ThrowIfInvalid();
        var size = request.PageSize == 0 ? 100 : request.PageSize;
        var query = db.Audit.AsNoTracking();
        if (request.Principal.Length > 0)
        {
            query = query.Where(a => a.Principal == request.Principal);
        }
        if (PageToken.Decode(request.PageToken) is { Length: > 0 } before)
        {
            if (!long.TryParse(before, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                RpcErrors.ThrowInvalidArgument("page_token", "is not a token this service issued");
            }
            query = query.Where(a => a.Id < id);
        }
        var rows = await query.OrderByDescending(a => a.Id).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new ListAuditEventsResponse
        {
            NextPageToken = rows.Count > size ? PageToken.Encode(rows[size - 1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) : "",
        };
        response.Events.AddRange(rows.Take(size).Select(a => new AuditEvent
        {
            Id = a.Id,
            At = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(a.AtMs)),
            Principal = a.Principal,
            Role = AccessRoles.ToProto(a.Role),
            Method = a.Method,
            Outcome = a.Outcome,
            Detail = a.Detail,
            Replica = a.Replica,
            Peer = a.Peer,
            TraceId = a.TraceId,
        }));
        return response;
    }

    [Authorize(Policy = AccessRoles.Viewer)]
    public override Task<Principal> WhoAmI(WhoAmIRequest request, ServerCallContext context)
    {
        var user = context.GetHttpContext().User;
        return Task.FromResult(new Principal
        {
            Name = AccessClaims.NameOf(user),
            Role = AccessRoles.ToProto(AccessClaims.RoleOf(user)),
            Authentication = user.FindFirst(AccessClaims.Method)?.Value ?? "",
            KeyId = user.FindFirst(AccessClaims.KeyId)?.Value ?? "",
        });
    }

    private static string Caller(ServerCallContext context) => AccessClaims.NameOf(context.GetHttpContext().User);

    private static ApiKey ToProto(ApiKeyRecord key)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return new ApiKey
        {
            Id = key.Id,
            Name = key.Name,
            Role = AccessRoles.ToProto(key.Role),
            CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(key.CreatedAtMs)),
            ExpiresAt = key.ExpiresAtMs is { } e ? Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(e)) : null,
            RevokedAt = key.RevokedAtMs is { } r ? Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(r)) : null,
            CreatedBy = key.CreatedBy,
            Active = key.IsActiveAt(now),
        };
    }
}
