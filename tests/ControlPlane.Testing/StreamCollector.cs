using Grpc.Core;

namespace ControlPlane.Testing;

/// <summary>
/// Reads a server stream in the background and keeps every message, so a test can look at what arrived in a window
/// and wait for one more without cancelling the call. Disposing cancels the call.
/// </summary>
public sealed class StreamCollector<T> : IDisposable where T : class
{
    private readonly AsyncServerStreamingCall<T> _call;
    private readonly List<T> _messages = [];
    private readonly Task _reading;
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamCollector(AsyncServerStreamingCall<T> call)
    {
        _call = call;
        _reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in call.ResponseStream.ReadAllAsync())
                {
                    lock (_messages)
                    {
                        _messages.Add(message);
                        _arrived.TrySetResult();
                        _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }
            }
            catch (RpcException)
            {
                // Cancelled by Dispose, or broken: Messages keeps what came before.
            }
            lock (_messages)
            {
                _arrived.TrySetResult();
            }
        });
    }

    public IReadOnlyList<T> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>The messages that arrive from now until <paramref name="window"/> has passed.</summary>
    public async Task<IReadOnlyList<T>> DuringAsync(TimeSpan window)
    {
        var before = Messages.Count;
        await Task.Delay(window);
        return Messages.Skip(before).ToList();
    }

    /// <summary>
    /// The first message that matches, from now on or from message number <paramref name="from"/> (so that two waits
    /// after one event miss nothing that arrived between them); fails after <paramref name="timeout"/> (default 20 s).
    /// </summary>
    public async Task<T> NextAsync(Func<T, bool> match, TimeSpan? timeout = null, int? from = null)
    {
        var seen = from ?? Messages.Count;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            Task arrived;
            lock (_messages)
            {
                if (_messages.Skip(seen).FirstOrDefault(match) is { } found)
                {
                    return found;
                }
                seen = _messages.Count;
                arrived = _arrived.Task;
            }
            if (_reading.IsCompleted)
            {
                throw new InvalidOperationException("the stream ended");
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(arrived, Task.Delay(left)) != arrived)
            {
                throw new TimeoutException($"no matching message within {timeout ?? TimeSpan.FromSeconds(20)}");
            }
        }
    }

    public void Dispose() => _call.Dispose();
}
