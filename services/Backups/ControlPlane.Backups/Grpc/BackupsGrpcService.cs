using ControlPlane.Api.V1;
using ControlPlane.Backups.Domain;
using ControlPlane.ServiceDefaults.Access;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace ControlPlane.Backups.Grpc;

/// <summary>The Backups gRPC API: validation here, the work in the domain classes and the worker.</summary>
[Authorize(Policy = AccessRoles.Viewer)]
public sealed class BackupsGrpcService(
    BackupCommands backups,
    RestoreCommands restores,
    PolicyCommands policies,
    BackupQueries queries,
    BackupsWatch watch) : Api.V1.Backups.BackupsBase
{
    [Authorize(Policy = AccessRoles.Operator)]
    public override Task<Backup> CreateBackup(CreateBackupRequest request, ServerCallContext context)
    {
        BackupsValidation.Validate(request);
        return backups.CreateAsync(request, BackupTrigger.Manual, context.CancellationToken);
    }

    public override Task<Backup> GetBackup(GetBackupRequest request, ServerCallContext context)
    {
        BackupsValidation.BackupId(request.BackupId);
        return queries.GetAsync(request.BackupId, context.CancellationToken);
    }

    public override Task<ListBackupsResponse> ListBackups(ListBackupsRequest request, ServerCallContext context)
    {
        BackupsValidation.Validate(request);
        return queries.ListAsync(request, context.CancellationToken);
    }

    [Authorize(Policy = AccessRoles.Admin)]
    public override Task<Backup> DeleteBackup(DeleteBackupRequest request, ServerCallContext context)
    {
        BackupsValidation.Validate(request);
        return backups.DeleteAsync(request, context.CancellationToken);
    }

    [Authorize(Policy = AccessRoles.Operator)]
    public override Task<Backup> VerifyBackup(VerifyBackupRequest request, ServerCallContext context)
    {
        BackupsValidation.Validate(request);
        return backups.VerifyAsync(request, context.CancellationToken);
    }

    [Authorize(Policy = AccessRoles.Admin)]
    public override Task<Restore> RestoreBackup(RestoreBackupRequest request, ServerCallContext context)
    {
        BackupsValidation.Validate(request);
        return restores.RestoreAsync(request, context.CancellationToken);
    }

    public override Task<BackupPolicy> GetBackupPolicy(GetBackupPolicyRequest request, ServerCallContext context)
    {
        BackupsValidation.GetPolicy(request.TargetDatabase);
        return policies.GetAsync(request.TargetDatabase, context.CancellationToken);
    }

    [Authorize(Policy = AccessRoles.Admin)]
    public override Task<BackupPolicy> SetBackupPolicy(SetBackupPolicyRequest request, ServerCallContext context)
    {
        BackupsValidation.Validate(request);
        return policies.SetAsync(request, context.CancellationToken);
    }

    public override Task WatchBackups(WatchBackupsRequest request, IServerStreamWriter<BackupEvent> responseStream, ServerCallContext context)
    {
        BackupsValidation.Validate(request);
        return watch.RunAsync(request, responseStream, context.CancellationToken);
    }
}
