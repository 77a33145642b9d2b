using ControlPlane.Testing;
namespace ControlPlane.DemoApp.Tests;

/// <summary>GET /api/health, as Grafana answers it plus the instance id.</summary>
public sealed record ApiHealth(string Version, string Commit, string Database, string InstanceId);

/// <summary>GET /faults.</summary>
public sealed record FaultsView(string Readiness, string Database, int DelayMs, bool Hang);
