using System.Diagnostics;

namespace ControlPlane.Agent;

/// <summary>The Agent's ActivitySource: an apply shows in the rollout's trace as a span of its own, with its outcome.</summary>
public static class AgentTelemetry
{
    public const string Name = "ControlPlane.Agent";

    public static readonly ActivitySource Source = new(Name);
}
