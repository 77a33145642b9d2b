using System.Diagnostics;
using System.Text.Json;
using ControlPlane.ServiceDefaults.Outbox;

namespace Microsoft.EntityFrameworkCore;

public static class OutboxExtensions
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Queues <paramref name="message"/> for publishing once the surrounding transaction commits.</summary>
    public static void AddOutboxMessage<T>(this DbContext context, T message) where T : class
    {
        var type = message.GetType();
        context.Set<OutboxMessage>().Add(new OutboxMessage
        {
            MessageId = Guid.NewGuid(),
            MessageType = $"{type.FullName}, {type.Assembly.GetName().Name}",
            Payload = JsonSerializer.Serialize(message, type, Json),
            TraceParent = Activity.Current?.Id,
            CreatedAt = DateTime.UtcNow,
        });
    }
}
