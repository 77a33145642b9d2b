namespace ControlPlane.DemoApp;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Faults now {Faults} ({Source})")]
    public static partial void FaultsChanged(ILogger logger, Faults faults, string source);

    [LoggerMessage(2, LogLevel.Warning, "Exiting with code {ExitCode} in {DelayMs} ms ({Source})")]
    public static partial void Exiting(ILogger logger, int exitCode, int delayMs, string source);

    [LoggerMessage(3, LogLevel.Information, "Instance {InstanceId} version {Version} started: HTTP on port {Port}, gRPC health on port {GrpcPort}")]
    public static partial void Started(ILogger logger, string instanceId, string version, int port, string grpcPort);
}
