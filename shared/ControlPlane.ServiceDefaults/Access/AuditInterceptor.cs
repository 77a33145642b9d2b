using Grpc.Core;
using Grpc.Core.Interceptors;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>
/// Audits the allowed mutating calls with their outcome. Registered before the error interceptor, so it sees the
/// status the caller gets. (Refused calls never reach it: <see cref="AccessResultHandler"/> audits those.)
/// </summary>
public sealed class AuditInterceptor(AuditLog audit) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var http = context.GetHttpContext();
        if (!audit.IsAudited(http))
        {
            return await continuation(request, context);
        }
        try
        {
            var response = await continuation(request, context);
            await audit.WriteAsync(http, nameof(StatusCode.OK), "");
            return response;
        }
        catch (RpcException ex)
        {
            await audit.WriteAsync(http, ex.StatusCode.ToString(), ex.Status.Detail);
            throw;
        }
    }
}
