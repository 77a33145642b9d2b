using ControlPlane.Api.V1;
using ControlPlane.Backups.Domain;
using ControlPlane.Backups.Grpc;
using ControlPlane.Contracts;
using Grpc.Core;
using MassTransit;

namespace ControlPlane.Backups.Bus;

/// <summary>
/// The CreateBackup command: one replica takes each message and queues the backup exactly as CreateBackup over
/// gRPC would. Redelivery is harmless: the request id (the message id when none is given) makes it idempotent.
/// A command that can never succeed (unknown target, bad kind) fails at once, without retries, into the error queue.
/// </summary>
public sealed class CreateBackupConsumer(BackupCommands backups) : IConsumer<CreateBackup>
{
    public const string QueueName = "backups-create-backup";

    public async Task Consume(ConsumeContext<CreateBackup> context)
    {
        var message = context.Message;
        var request = new CreateBackupRequest
        {
            TargetDatabase = message.TargetDatabase,
            Kind = Parse<BackupKind>(message.Kind, "kind"),
            Compression = Parse<BackupCompression>(message.Compression, "compression"),
            Verify = message.Verify,
            Pinned = message.Pinned,
            Initiator = message.Initiator.Length > 0 ? message.Initiator : "bus",
            Description = message.Description,
            RequestId = message.RequestId.Length > 0 ? message.RequestId : $"bus-{context.MessageId}",
        };
        foreach (var (key, value) in message.Labels ?? new Dictionary<string, string>())
        {
            request.Labels[key] = value;
        }
        var trigger = request.Labels.ContainsKey("rollout_id") ? BackupTrigger.Rollout : BackupTrigger.Bus;
        try
        {
            BackupsValidation.Validate(request);
            await backups.CreateAsync(request, trigger, context.CancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.FailedPrecondition)
        {
            throw new InvalidBackupCommandException(ex.Status.Detail);
        }
    }

    private static T Parse<T>(string word, string field) where T : struct, Enum =>
        word.Length == 0 ? default
        : Enum.TryParse<T>(word, ignoreCase: true, out var value) && Enum.IsDefined(value) && !word.Any(char.IsDigit) ? value
        : throw new InvalidBackupCommandException($"{field}: '{word}' is not one of {string.Join(", ", Enum.GetValues<T>().Skip(1).Select(BackupMapping.Word))}");
}

/// <summary>A CreateBackup command that retrying cannot fix; the message lands in the error queue with this reason.</summary>
public sealed class InvalidBackupCommandException(string message) : Exception(message);
