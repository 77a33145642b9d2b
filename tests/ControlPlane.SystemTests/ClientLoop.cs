using ControlPlane.Api.V1;
using Grpc.Core;

namespace ControlPlane.SystemTests;

/// <summary>
/// An operator's tooling calling every service through nginx, over and over, in the background: the suite is
/// available when each of these calls succeeds (its client retrying UNAVAILABLE, as a real one does).
/// </summary>
public sealed class ClientLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _failures = [];
    private readonly List<string> _cutOff = [];
    private readonly Task _running;
    private int _calls;

    private ClientLoop(HaSuite suite) => _running = Task.Run(() => RunAsync(suite));

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>Reads whose response was cut off by the death of the replica answering them (then read again).</summary>
    public IReadOnlyList<string> CutOffReads
    {
        get
        {
            lock (_failures)
            {
                return [.. _cutOff];
            }
        }
    }

    public static ClientLoop Start(HaSuite suite) => new(suite);

    private async Task RunAsync(HaSuite suite)
    {
        (string Name, Func<CancellationToken, Task> Call)[] calls =
        [
            ("Registry.GetApp", ct => suite.Registry.GetAppAsync(new GetAppRequest { Name = suite.App }, cancellationToken: ct).ResponseAsync),
            ("Registry.ListInstances", ct => suite.Registry.ListInstancesAsync(new ListInstancesRequest { App = suite.App }, cancellationToken: ct).ResponseAsync),
            ("HealthProbe.GetReadySet", ct => suite.Health.GetReadySetAsync(new GetReadySetRequest { App = suite.App }, cancellationToken: ct).ResponseAsync),
            ("Rollouts.ListRollouts", ct => suite.Rollouts.ListRolloutsAsync(new ListRolloutsRequest { App = suite.App }, cancellationToken: ct).ResponseAsync),
            ("Backups.ListBackups", ct => suite.Backups.ListBackupsAsync(new ListBackupsRequest(), cancellationToken: ct).ResponseAsync),
        ];
        while (!_stop.IsCancellationRequested)
        {
            foreach (var (name, call) in calls)
            {
                try
                {
                    await CallAsync(name, call);
                    Interlocked.Increment(ref _calls);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is RpcException or OperationCanceledException)
                {
                    lock (_failures)
                    {
                        _failures.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {name}: {(ex is RpcException rpc ? $"{rpc.StatusCode} {rpc.Status.Detail}" : "no answer within 20 s")}");
                    }
                }
            }
            // A steady trickle, not a load test: the machine is shared by the replicas under test.
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// One read, as a real client makes it: with a deadline, UNAVAILABLE retried by the channel's policy, and the read
    /// repeated once when its response was cut off. A reply already under way when its replica was killed cannot be
    /// moved to another replica by nginx (it has begun answering), so the client sees the stream end early (INTERNAL
    /// "Incomplete message" or no status); such calls are counted, to be at most one per killed replica.
    /// </summary>
    private async Task CallAsync(string name, Func<CancellationToken, Task> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            // A deadline a real client would set: generous, since the machine is shared.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            deadline.CancelAfter(TimeSpan.FromSeconds(20));
            try
            {
                await call(deadline.Token);
                return;
            }
            catch (RpcException ex) when (attempt == 1 && CutOff(ex))
            {
                lock (_failures)
                {
                    _cutOff.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {name}: {ex.StatusCode} {ex.Status.Detail}");
                }
            }
        }
    }

    private static bool CutOff(RpcException ex) =>
        ex.StatusCode == StatusCode.Internal && ex.Status.Detail.Contains("Incomplete message", StringComparison.Ordinal)
        || ex.Status.Detail.Contains("No grpc-status found", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
            // The delay between rounds was cut short.
        }
        _stop.Dispose();
    }
}
