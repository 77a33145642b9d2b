using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace ControlPlane.Access.Tests;

/// <summary>Calls any method of a service descriptor with an empty request, for the status it answers.</summary>
public static class GenericCalls
{
    public static async Task<StatusCode> CallAsync(CallInvoker invoker, MethodDescriptor descriptor)
    {
        var method = new Method<IMessage, IMessage>(
            descriptor.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary,
            descriptor.Service.FullName,
            descriptor.Name,
            Marshallers.Create<IMessage>(m => m.ToByteArray(), b => descriptor.InputType.Parser.ParseFrom(b)),
            Marshallers.Create<IMessage>(m => m.ToByteArray(), b => descriptor.OutputType.Parser.ParseFrom(b)));
        var request = (IMessage)Activator.CreateInstance(descriptor.InputType.ClrType)!;
        try
        {
            if (descriptor.IsServerStreaming)
            {
                // An allowed watch stays open: its deadline passing is the answer "allowed".
                using var stream = invoker.AsyncServerStreamingCall(method, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(1)), request);
                await stream.ResponseStream.MoveNext(CancellationToken.None);
            }
            else
            {
                using var call = invoker.AsyncUnaryCall(method, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), request);
                await call.ResponseAsync;
            }
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }
}
