using ControlPlane.ServiceDefaults.Grpc;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.ServiceDefaults.Idempotency;

/// <summary>request_id handling for mutating calls: a retry gets the first answer and changes nothing.</summary>
public static class IdempotentRequests
{
    public static async Task<T?> FindAsync<T>(DbContext context, string? requestId, string method, MessageParser<T> parser,
        CancellationToken cancellationToken) where T : class, IMessage<T>
    {
        if (string.IsNullOrEmpty(requestId))
        {
            return null;
        }
        var row = await context.Set<IdempotentRequest>().AsNoTracking()
            .FirstOrDefaultAsync(r => r.RequestId == requestId, cancellationToken);
        if (row is null)
        {
            return null;
        }
        if (row.Method != method)
        {
            RpcErrors.ThrowInvalidArgument("request_id", $"already used for a {row.Method} request");
        }
        return parser.ParseFrom(row.Response);
    }

    public static void Remember(DbContext context, string? requestId, string method, IMessage response)
    {
        if (!string.IsNullOrEmpty(requestId))
        {
            context.Set<IdempotentRequest>().Add(new IdempotentRequest
            {
                RequestId = requestId,
                Method = method,
                Response = response.ToByteArray(),
                CreatedAt = DateTime.UtcNow,
            });
        }
    }
}
