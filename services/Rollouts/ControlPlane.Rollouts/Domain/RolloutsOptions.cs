using System.ComponentModel.DataAnnotations;

namespace ControlPlane.Rollouts.Domain;

/// <summary>Section "Rollouts".</summary>
public sealed class RolloutsOptions
{
    public const string SectionName = "Rollouts";

    /// <summary>gRPC URLs of the services Rollouts drives; empty: this process's own ControlPlane:GrpcUrl.</summary>
    public string RegistryUrl { get; set; } = "";
    public string HealthProbeUrl { get; set; } = "";
    public string BackupsUrl { get; set; } = "";

    /// <summary>How often the driver looks at active rollouts when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Time given to the load balancer to stop routing to a drained instance before it is restarted.</summary>
    public TimeSpan DrainGrace { get; set; } = TimeSpan.Zero;

    /// <summary>An ApplyRelease not answered within this is sent again (same id: the Agent applies it once).</summary>
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long rollout events stay replayable by WatchRollout (a rollout can outlast a day).</summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The RabbitMQ queue tooling publishes plain-JSON start requests to (only with RabbitMQ).</summary>
    public string StartQueue { get; set; } = "controlplane.rollouts.start";

    /// <summary>
    /// RabbitMQ users whose plain-JSON messages on the start queue may start rollouts (checked on the AMQP user_id,
    /// which the broker verifies). Empty (the default): the user of ConnectionStrings:RabbitMq, which can already do
    /// anything on the bus, and <see cref="DefaultTriggerUser"/>. Empty by default rather than pre-filled because the
    /// configuration binder appends to a list, so a configured list would never replace a pre-filled one.
    /// </summary>
    public List<string> StartQueueUsers { get; set; } = [];

    /// <summary>The tooling user of the deployment (deploy/rabbitmq/definitions.json, scripts/dev-services).</summary>
    public const string DefaultTriggerUser = "cp-trigger";
}
