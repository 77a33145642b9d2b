using ControlPlane.Rollouts.Domain;
using ControlPlane.ServiceDefaults.Hosting;

namespace ControlPlane.Rollouts.Bus;

/// <summary>
/// Who may start a rollout through the plain-JSON start queue. The AMQP user_id property is the only sender identity a
/// message carries that cannot be forged: RabbitMQ refuses a publish whose user_id is not the connection's user. So a
/// message without it is refused too: anyone with write on the queue could have sent it.
/// </summary>
public sealed class StartPublishers(IReadOnlySet<string> allowed)
{
    public IReadOnlySet<string> Allowed { get; } = allowed;

    public static StartPublishers From(RolloutsOptions options, string rabbitMqConnectionString)
    {
        var configured = options.StartQueueUsers.Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u.Trim()).ToList();
        IEnumerable<string> users = configured.Count > 0
            ? configured
            : [RabbitMqAddress.Parse(rabbitMqConnectionString).Username, RolloutsOptions.DefaultTriggerUser];
        return new StartPublishers(users.ToHashSet(StringComparer.Ordinal));
    }

    /// <returns>Null when <paramref name="userId"/> may start rollouts; else the reason it may not.</returns>
    public string? Refuse(string? userId) => userId switch
    {
        null or "" => "no AMQP user_id: publish with the user_id property set to your RabbitMQ user",
        _ when Allowed.Contains(userId) => null,
        _ => $"AMQP user_id '{userId}' may not start rollouts (Rollouts:StartQueueUsers)",
    };
}
