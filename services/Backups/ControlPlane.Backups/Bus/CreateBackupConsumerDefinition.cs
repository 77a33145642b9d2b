using MassTransit;

namespace ControlPlane.Backups.Bus;

/// <summary>The command queue every replica consumes from (one replica gets each message), and its retries.</summary>
public sealed class CreateBackupConsumerDefinition : ConsumerDefinition<CreateBackupConsumer>
{
    public CreateBackupConsumerDefinition()
    {
        EndpointName = CreateBackupConsumer.QueueName;
        ConcurrentMessageLimit = 4;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CreateBackupConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r => r.Intervals(200, 1000, 5000).Ignore<InvalidBackupCommandException>());
}
