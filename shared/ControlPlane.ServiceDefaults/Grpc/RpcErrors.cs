using System.Diagnostics.CodeAnalysis;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace ControlPlane.ServiceDefaults.Grpc;

/// <summary>The error answers of DESIGN §5, with google.rpc details so clients can tell which field was wrong.</summary>
public static class RpcErrors
{
    public static RpcException InvalidArgument(IReadOnlyList<BadRequest.Types.FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations);
        var message = string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"));
        return new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = message,
            Details = { Any.Pack(badRequest) },
        }.ToRpcException();
    }

    [DoesNotReturn]
    public static void ThrowInvalidArgument(string field, string description) =>
        throw InvalidArgument([new BadRequest.Types.FieldViolation { Field = field, Description = description }]);

    [DoesNotReturn]
    public static T ThrowNotFound<T>(string what, string id) =>
        throw new RpcException(new global::Grpc.Core.Status(StatusCode.NotFound, $"{what} '{id}' not found"));

    [DoesNotReturn]
    public static void ThrowNotFound(string what, string id) => ThrowNotFound<object>(what, id);

    [DoesNotReturn]
    public static void ThrowFailedPrecondition(string message) =>
        throw new RpcException(new global::Grpc.Core.Status(StatusCode.FailedPrecondition, message));

    [DoesNotReturn]
    public static void ThrowAlreadyExists(string message) =>
        throw new RpcException(new global::Grpc.Core.Status(StatusCode.AlreadyExists, message));

    public static RpcException Unavailable(string message) =>
        new(new global::Grpc.Core.Status(StatusCode.Unavailable, message));
}
