using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using ControlPlane.ServiceDefaults.Outbox;

namespace Microsoft.EntityFrameworkCore;

public static class OutboxExtensions
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Assembly.GetName() builds a new AssemblyName each call: once per message type, not once per message.
    private static readonly ConcurrentDictionary<Type, string> TypeNames = new();

    /// <summary>Queues <paramref name="message"/> for publishing once the surrounding transaction commits.</summary>
    public static void AddOutboxMessage<T>(this DbContext context, T message) where T : class =>
        context.ReserveOutboxMessage().Fill(message);

    /// <summary>
    /// Takes a place in the outbox for a message whose content is known only when the transaction's work is done.
    /// Rows go out in the order they were added, so this one is published ahead of those queued after it.
    /// Before SaveChanges, <see cref="Fill{T}"/> it or remove it from the context.
    /// </summary>
    public static OutboxMessage ReserveOutboxMessage(this DbContext context) =>
        context.Set<OutboxMessage>().Add(new OutboxMessage
        {
            MessageId = Guid.NewGuid(),
            TraceParent = Activity.Current?.Id,
            CreatedAt = DateTime.UtcNow,
        }).Entity;

    public static void Fill<T>(this OutboxMessage row, T message) where T : class
    {
        var type = message.GetType();
        row.MessageType = TypeNames.GetOrAdd(type, t => $"{t.FullName}, {t.Assembly.GetName().Name}");
        row.Payload = JsonSerializer.Serialize(message, type, Json);
    }
}
