namespace ControlPlane.DemoApp;

/// <summary>The faults in force right now.</summary>
internal sealed record Faults(bool ReadinessFailing, bool DatabaseDown, int DelayMs, bool Hang)
{
    public static readonly Faults None = new(false, false, 0, false);

    public bool Ready => NotReadyReason is null;

    public string? NotReadyReason => DatabaseDown ? "database down" : ReadinessFailing ? "readiness fault" : null;

    /// <summary>These faults with the given fields changed (validated by <see cref="FaultSettings.Error"/>).</summary>
    public Faults With(FaultSettings change) => new(
        change.Readiness is { } readiness ? readiness == FaultSettings.Fail : ReadinessFailing,
        change.Database is { } database ? database == FaultSettings.Down : DatabaseDown,
        change.DelayMs ?? DelayMs,
        change.Hang ?? Hang);

    public override string ToString() =>
        $"readiness={(ReadinessFailing ? FaultSettings.Fail : FaultSettings.Ok)} database={(DatabaseDown ? FaultSettings.Down : FaultSettings.Ok)} delayMs={DelayMs} hang={(Hang ? "true" : "false")}";
}
