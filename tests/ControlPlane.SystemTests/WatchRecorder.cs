using Grpc.Core;

namespace ControlPlane.SystemTests;

/// <summary>
/// Follows one Watch* stream in the background and records the revision of every event it delivers, in order.
/// The stream is never reopened: a recorder on a replica that dies just ends with an error.
/// </summary>
public sealed class WatchRecorder : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<long> _revisions = [];
    private readonly Task _reading;

    private WatchRecorder(string name, Func<CancellationToken, IAsyncEnumerable<long>> stream)
    {
        Name = name;
        _reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var revision in stream(_stop.Token))
                {
                    lock (_revisions)
                    {
                        _revisions.Add(revision);
                    }
                }
                Error = "the stream ended";
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                // Stopped by the test: not an error of the stream.
            }
            catch (Exception ex) when (ex is RpcException or IOException or HttpRequestException)
            {
                Error = ex.Message;
            }
        });
    }

    public string Name { get; }

    /// <summary>Why the stream broke, if it did (null while it runs or after it was stopped).</summary>
    public string? Error { get; private set; }

    public IReadOnlyList<long> Revisions
    {
        get
        {
            lock (_revisions)
            {
                return [.. _revisions];
            }
        }
    }

    /// <summary>Starts reading; <paramref name="stream"/> opens the watch and yields each event's revision.</summary>
    public static WatchRecorder Start(string name, Func<CancellationToken, IAsyncEnumerable<long>> stream) => new(name, stream);

    /// <summary>
    /// Waits until the stream delivered <paramref name="expected"/>'s last revision, then asserts it delivered exactly
    /// <paramref name="expected"/>: nothing missing, nothing twice, in order.
    /// </summary>
    public async Task AssertDeliveredExactlyAsync(IReadOnlyList<long> expected, TimeSpan timeout)
    {
        Assert.NotEmpty(expected);
        await ControlPlane.Testing.Eventually.TrueAsync(
            () => Task.FromResult(Error is not null || (Revisions.Count > 0 && Revisions[^1] >= expected[^1])),
            timeout, $"{Name} at revision {expected[^1]}", () => $"last {(Revisions.Count > 0 ? Revisions[^1] : 0)}");
        Assert.Null(Error);
        var seen = Revisions;
        Assert.True(seen.Count == seen.Distinct().Count(), $"{Name} delivered an event twice: {string.Join(',', seen)}");
        Assert.Equal(expected, seen.Where(r => r <= expected[^1]).ToList());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
    }
}
