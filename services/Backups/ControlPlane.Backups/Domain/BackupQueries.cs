using ControlPlane.Api.V1;
using ControlPlane.Backups.Data;
using ControlPlane.ServiceDefaults.EventLog;
using ControlPlane.ServiceDefaults.Grpc;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Backups.Domain;

public sealed class BackupQueries(BackupsDbContext db)
{
    public async Task<Backup> GetAsync(string id, CancellationToken cancellationToken) =>
        (await db.Backups.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken))?.ToApi()
        ?? RpcErrors.ThrowNotFound<Backup>("backup", id);

    /// <summary>Newest first (ids sort by creation time), keyset-paged by id.</summary>
    public async Task<ListBackupsResponse> ListAsync(ListBackupsRequest request, CancellationToken cancellationToken)
    {
        var size = request.PageSize <= 0 ? 100 : Math.Min(request.PageSize, 1000);
        var before = PageToken.Decode(request.PageToken);
        // Read the head first: a watch from it may repeat a change already in this page, but never misses one.
        var revision = await EventLogReader.HeadAsync(db, cancellationToken);
        var query = db.Backups.AsNoTracking();
        if (request.TargetDatabase.Length > 0)
        {
            query = query.Where(b => b.TargetDatabase == request.TargetDatabase);
        }
        if (request.Kinds.Count > 0)
        {
            var kinds = request.Kinds.ToList();
            query = query.Where(b => kinds.Contains(b.Kind));
        }
        if (request.Statuses.Count > 0)
        {
            var statuses = request.Statuses.ToList();
            query = query.Where(b => statuses.Contains(b.Status));
        }
        else
        {
            query = query.Where(b => b.Status != BackupStatus.Deleted);
        }
        if (before.Length > 0)
        {
            query = query.Where(b => string.Compare(b.Id, before) < 0);
        }
        var page = await query.OrderByDescending(b => b.Id).Take(size + 1).ToListAsync(cancellationToken);
        var response = new ListBackupsResponse { Revision = revision };
        response.Backups.AddRange(page.Take(size).Select(b => b.ToApi()));
        response.NextPageToken = page.Count > size ? PageToken.Encode(page[size - 1].Id) : "";
        return response;
    }
}
