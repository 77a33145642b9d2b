using System.Data.Common;
using System.Net.Sockets;
using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Telemetry;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.ServiceDefaults.Grpc;

/// <summary>
/// Turns what escapes a handler into a status a client can act on: an outage of the database becomes
/// Unavailable, anything unexpected Internal with an id to find it in the logs. Never a stack trace on the wire.
/// </summary>
public sealed class ErrorInterceptor(DatabaseStatus database, ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        EnsureDatabaseReady();
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Translate(ex, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        EnsureDatabaseReady();
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Translate(ex, context);
        }
    }

    private void EnsureDatabaseReady()
    {
        if (!database.IsMigrated)
        {
            throw RpcErrors.Unavailable($"database not ready: {database.LastError}");
        }
    }

    private RpcException Translate(Exception ex, ServerCallContext context)
    {
        // Cancelled by the caller, or by the host stopping (watch streams): a cancellation, never an internal error.
        if (ex is OperationCanceledException)
        {
            return new RpcException(new Status(StatusCode.Cancelled, "call cancelled"));
        }
        if (IsOutage(ex))
        {
            ServiceLog.CallUnavailable(logger, context.Method, ex.GetBaseException().Message);
            return RpcErrors.Unavailable("database unavailable, retry later");
        }
        var errorId = Guid.NewGuid().ToString("N")[..12];
        ServiceLog.CallFailed(logger, ex, context.Method, errorId);
        return new RpcException(new Status(StatusCode.Internal, $"internal error (error id {errorId})"));
    }

    private static bool IsOutage(Exception ex) => ex switch
    {
        TimeoutException or SocketException => true,
        DbException db => db.IsTransient || db.GetType().Name == "NpgsqlException",
        DbUpdateException { InnerException: { } inner } => IsOutage(inner),
        InvalidOperationException { InnerException: { } inner } => IsOutage(inner),
        _ => ex.InnerException is SocketException or TimeoutException,
    };
}
