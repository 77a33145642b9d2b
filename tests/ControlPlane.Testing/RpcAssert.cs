using Google.Rpc;
using Grpc.Core;
using Xunit;

namespace ControlPlane.Testing;

public static class RpcAssert
{
    /// <summary>Runs <paramref name="call"/>, expecting <paramref name="code"/>; returns the error.</summary>
    public static async Task<RpcException> ThrowsAsync(StatusCode code, Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(ex.StatusCode == code, $"expected {code}, got {ex.StatusCode}: {ex.Status.Detail}");
        return ex;
    }

    /// <summary>Expects InvalidArgument whose BadRequest details name <paramref name="field"/>.</summary>
    public static async Task<BadRequest> InvalidFieldAsync(string field, Func<Task> call)
    {
        var ex = await ThrowsAsync(StatusCode.InvalidArgument, call);
        var badRequest = ex.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Contains(badRequest!.FieldViolations, v => v.Field == field || v.Field.StartsWith(field + "[", StringComparison.Ordinal));
        return badRequest;
    }

    /// <summary>
    /// Opens a watch until one is refused with <paramref name="code"/> before its first event (a watch accepted
    /// meanwhile is closed and opened again), e.g. once the revision it starts from has been trimmed.
    /// </summary>
    public static async Task<RpcException> WatchRefusedWithinAsync<T>(Func<CancellationToken, AsyncServerStreamingCall<T>> open,
        StatusCode code, TimeSpan within)
    {
        RpcException? refused = null;
        await Eventually.TrueAsync(async () =>
        {
            using var attempt = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            using var call = open(attempt.Token);
            try
            {
                await call.ResponseStream.MoveNext(attempt.Token);
                return false;
            }
            catch (RpcException ex) when (ex.StatusCode == code)
            {
                refused = ex;
                return true;
            }
            catch (Exception) when (attempt.IsCancellationRequested)
            {
                return false;
            }
        }, within, $"a watch refused with {code}");
        return refused!;
    }
}
