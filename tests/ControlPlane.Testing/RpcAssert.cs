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
}
