using System.Collections.Concurrent;
using ControlPlane.Contracts;
using MassTransit;

namespace ControlPlane.Backups.Tests;

/// <summary>Every Backups event the host published, in arrival order.</summary>
public sealed class EventRecorder
{
    private readonly ConcurrentQueue<IBackupEvent> _events = new();

    public void Add(IBackupEvent message) => _events.Enqueue(message);

    public IReadOnlyList<T> Of<T>() => _events.OfType<T>().ToList();

    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (_events.OfType<T>().FirstOrDefault(match) is { } found)
            {
                return found;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no {typeof(T).Name} arrived; saw {string.Join(", ", _events.Select(e => e.GetType().Name))}");
    }
}

/// <summary>
/// Records the events the tests look for. Concrete types, not IBackupEvent: a message consumed as an interface
/// arrives as a proxy of that interface, which would hide which event it was.
/// </summary>
public sealed class RecordingConsumer(EventRecorder recorder)
    : IConsumer<BackupCompleted>, IConsumer<BackupDeleted>, IConsumer<BackupStale>, IConsumer<BackupFresh>
{
    public Task Consume(ConsumeContext<BackupCompleted> context) => Record(context.Message);

    public Task Consume(ConsumeContext<BackupDeleted> context) => Record(context.Message);

    public Task Consume(ConsumeContext<BackupStale> context) => Record(context.Message);

    public Task Consume(ConsumeContext<BackupFresh> context) => Record(context.Message);

    private Task Record(IBackupEvent message)
    {
        recorder.Add(message);
        return Task.CompletedTask;
    }
}
