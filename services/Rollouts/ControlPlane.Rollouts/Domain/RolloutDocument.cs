using System.Text.Json;
using ControlPlane.Api.V1;
using ControlPlane.Rollouts.Data;

namespace ControlPlane.Rollouts.Domain;

/// <summary>A rollout as loaded for a change: its row, the API message and the driver's work, and how it looked when loaded.</summary>
public sealed class RolloutDocument
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public RolloutDocument(RolloutRecord record)
    {
        Record = record;
        Rollout = Rollout.Parser.ParseFrom(record.Body);
        Work = record.Work.Length == 0 ? new RolloutWork() : JsonSerializer.Deserialize<RolloutWork>(record.Work, Json)!;
        Before = Rollout.Clone();
    }

    public RolloutDocument(RolloutRecord record, Rollout rollout, RolloutWork work)
    {
        Record = record;
        Rollout = rollout;
        Work = work;
        Before = null;
    }

    public RolloutRecord Record { get; }
    public Rollout Rollout { get; }
    public RolloutWork Work { get; }

    /// <summary>The rollout as loaded (null for a new one): events are the difference.</summary>
    public Rollout? Before { get; private set; }

    public bool IsActive => RolloutStates.IsActive(Rollout.State);

    /// <summary>Copies the message and work into the row; called inside the write, after the events were stamped.</summary>
    public void WriteBack()
    {
        Record.State = (int)Rollout.State;
        Record.ActiveApp = IsActive ? Rollout.App : null;
        Record.Revision = Rollout.Revision;
        Record.NeedsDriver = IsActive || Work.CleanupPending;
        Record.Body = Google.Protobuf.MessageExtensions.ToByteArray(Rollout);
        Record.Work = JsonSerializer.Serialize(Work, Json);
        Record.Generation++;
    }

    /// <summary>After a successful save the saved state is the new baseline.</summary>
    public void Saved() => Before = Rollout.Clone();
}
