namespace ControlPlane.ServiceDefaults.Database;

/// <summary>A DbContext to migrate at start, and the service that owns it.</summary>
public sealed record MigrationTarget(string Owner, Type ContextType);
