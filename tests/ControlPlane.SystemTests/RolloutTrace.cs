using ControlPlane.Testing;

namespace ControlPlane.SystemTests;

/// <summary>What the spans of one rollout, started by a message with a traceparent, must look like.</summary>
public static class RolloutTrace
{
    public static readonly string[] Parts = ["rollouts", "registry", "healthprobe", "agent", "backups"];

    /// <summary>
    /// Which component a span comes from, also when several run in one process (AllInOne): own spans by their
    /// ActivitySource, served calls by their gRPC service, the Agent by its service name.
    /// </summary>
    public static string? PartOf(ReceivedSpan span) => span switch
    {
        { Service: "agent" } => "agent",
        { Scope: "ControlPlane.Rollouts" } => "rollouts",
        { Scope: "ControlPlane.Backups" } => "backups",
        { Kind: 2 } when span.Name.Contains("controlplane.v1.Registry/", StringComparison.Ordinal) => "registry",
        { Kind: 2 } when span.Name.Contains("controlplane.v1.HealthProbe/", StringComparison.Ordinal) => "healthprobe",
        { Kind: 2 } when span.Name.Contains("controlplane.v1.Backups/", StringComparison.Ordinal) => "backups",
        _ => null,
    };

    /// <summary>The trace is complete: the rollout span ended, every part is in, and every span's parent arrived.</summary>
    public static bool IsComplete(IReadOnlyList<ReceivedSpan> all, string traceId, string senderSpanId)
    {
        var trace = Of(all, traceId);
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        return trace.Any(s => s.Name == $"rollout {TracedFleet.App}" && s.Attributes.ContainsKey("controlplane.rollout.outcome"))
            && Parts.All(p => trace.Any(s => PartOf(s) == p))
            && trace.All(s => ids.Contains(s.ParentSpanId) || s.ParentSpanId == senderSpanId);
    }

    /// <summary>Asserts the shape of the rollout's trace: one root below the sender, spans of its own per step, parts joined where they belong.</summary>
    public static void AssertShape(IReadOnlyList<ReceivedSpan> all, string traceId, string senderSpanId, IReadOnlyList<string> instanceIds)
    {
        try
        {
            AssertShapeOf(Of(all, traceId), senderSpanId, instanceIds);
        }
        catch (Xunit.Sdk.XunitException ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\nThe trace:\n{Tree(Of(all, traceId))}");
        }
    }

    /// <summary>The trace as an indented tree (part, kind, name, instance), to see what a failed assertion saw.</summary>
    public static string Tree(IReadOnlyList<ReceivedSpan> trace)
    {
        var children = trace.ToLookup(s => s.ParentSpanId);
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        var text = new System.Text.StringBuilder();
        void Write(ReceivedSpan span, int depth)
        {
            text.Append(' ', depth * 2).Append($"[{span.Service}/{PartOf(span) ?? span.Scope}] k{span.Kind} {span.Name}");
            text.AppendLine(string.Concat(span.Attributes.Where(a => a.Key.StartsWith("controlplane.", StringComparison.Ordinal)).Select(a => $" {a.Key}={a.Value}")));
            foreach (var child in children[span.SpanId])
            {
                Write(child, depth + 1);
            }
        }
        foreach (var root in trace.Where(s => !ids.Contains(s.ParentSpanId)))
        {
            Write(root, 0);
        }
        return text.ToString();
    }

    private static void AssertShapeOf(List<ReceivedSpan> trace, string senderSpanId, IReadOnlyList<string> instanceIds)
    {
        var byId = trace.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());

        // One root, the start queue's receive span, whose parent is the sender's span; every other parent is in the trace.
        var root = Assert.Single(trace, s => !byId.ContainsKey(s.ParentSpanId));
        Assert.Equal(senderSpanId, root.ParentSpanId);
        Assert.Equal(("rollouts", 5), (PartOf(root), root.Kind));
        Assert.Equal("controlplane.rollouts.start receive", root.Name);

        var rollout = Assert.Single(trace, s => s.Name == $"rollout {TracedFleet.App}");
        Assert.Equal("succeeded", rollout.Attributes["controlplane.rollout.outcome"]);
        Assert.True(Descends(byId, rollout, root), "the rollout span hangs below the message's receive span");

        // backup_before: the backup (taken later by Backups' worker) and its verification join below the gate's span.
        var gate = Assert.Single(trace, s => s.Name == "rollout backup_before");
        Assert.Equal(rollout.SpanId, gate.ParentSpanId);
        Assert.Contains(trace, s => s.Name == "backup create" && Descends(byId, s, gate));
        Assert.Contains(trace, s => s.Name == "backup verify" && Descends(byId, s, gate));

        foreach (var instance in instanceIds)
        {
            var steps = trace.Where(s => s.Attributes.GetValueOrDefault("controlplane.instance.id") == instance && s.Scope == "ControlPlane.Rollouts").ToList();
            foreach (var stage in new[] { "drain", "apply", "health gate", "verify", "undrain" })
            {
                var span = Assert.Single(steps, s => s.Name == $"rollout step {stage}");
                Assert.Equal(rollout.SpanId, span.ParentSpanId);
            }
            var apply = steps.Single(s => s.Name == "rollout step apply");
            // The Agent consumed ApplyRelease below the apply stage; Registry drained the instance below the drain stage;
            // HealthProbe answered below the health gate.
            var consumed = trace.Where(s => PartOf(s) == "agent" && s.Kind == 5 && s.Name.EndsWith(" process", StringComparison.Ordinal)
                && s.Attributes.Values.Any(v => v.Contains("ApplyRelease", StringComparison.Ordinal)) && Descends(byId, s, apply)).ToList();
            Assert.NotEmpty(consumed);
            // ...and applied it in a span of its own below that consumption.
            Assert.Contains(trace, s => s.Scope == "ControlPlane.Agent" && s.Name == "agent apply"
                && s.Attributes.GetValueOrDefault("controlplane.instance.id") == instance && consumed.Any(c => Descends(byId, s, c)));
            Assert.Contains(trace, s => PartOf(s) == "registry" && s.Name.Contains("SetDrain", StringComparison.Ordinal)
                && Descends(byId, s, steps.Single(d => d.Name == "rollout step drain")));
            Assert.Contains(trace, s => PartOf(s) == "healthprobe" && Descends(byId, s, steps.Single(d => d.Name == "rollout step health gate")));
        }
        foreach (var part in Parts)
        {
            Assert.Contains(trace, s => PartOf(s) == part);
        }
    }

    /// <summary>No span attribute carries a password or connection-string credentials.</summary>
    public static void AssertNoSecrets(IReadOnlyList<ReceivedSpan> spans)
    {
        Assert.DoesNotContain(spans, s => s.Attributes.Values.Any(v =>
            v.Contains(TestSecrets.Password, StringComparison.Ordinal) || v.Contains(TestSecrets.RabbitMqCredentials, StringComparison.Ordinal)));
    }

    private static List<ReceivedSpan> Of(IReadOnlyList<ReceivedSpan> all, string traceId) =>
        all.Where(s => s.TraceId == traceId).GroupBy(s => s.SpanId).Select(g => g.First()).ToList();

    private static bool Descends(Dictionary<string, ReceivedSpan> byId, ReceivedSpan span, ReceivedSpan ancestor)
    {
        for (var current = span; byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            if (parent.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }
        return false;
    }
}
