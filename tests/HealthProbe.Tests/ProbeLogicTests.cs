using System.Net;
using System.Text;
using ControlPlane.Api.V1;
using ControlPlane.HealthProbe.Probing;
using ControlPlane.HealthProbe.State;
using ControlPlane.HealthProbe.Targets;
using Microsoft.Extensions.Options;

namespace ControlPlane.HealthProbe.Tests;

public class ProbeLogicTests
{
    private static EndpointCheck Check(ProbeEndpointKind kind, ProbeOutcome outcome, string? error = null) =>
        new(kind, $"http://10.0.0.1:3000/{kind.ToString().ToLowerInvariant()}", outcome, outcome == ProbeOutcome.Ok ? 200 : 503, TimeSpan.FromMilliseconds(3), error);

    [Fact]
    public void EveryCheckOkPassesAFailingDependencyDegradesAndNoAnswerFails()
    {
        Assert.Equal(Verdict.Pass, RoundEvaluator.Evaluate([Check(ProbeEndpointKind.Readiness, ProbeOutcome.Ok), Check(ProbeEndpointKind.Health, ProbeOutcome.Ok)]).Verdict);

        var (degraded, why) = RoundEvaluator.Evaluate([
            Check(ProbeEndpointKind.Readiness, ProbeOutcome.BadStatus, "HTTP 503"),
            Check(ProbeEndpointKind.Health, ProbeOutcome.DependencyFailing, "database: failing")]);
        Assert.Equal(Verdict.Degraded, degraded);
        Assert.Contains("database: failing", why);

        var (failed, reason) = RoundEvaluator.Evaluate([
            Check(ProbeEndpointKind.Liveness, ProbeOutcome.ConnectionFailed, "Connection refused"),
            Check(ProbeEndpointKind.Readiness, ProbeOutcome.ConnectionFailed, "Connection refused"),
            Check(ProbeEndpointKind.Health, ProbeOutcome.ConnectionFailed, "Connection refused")]);
        Assert.Equal(Verdict.Fail, failed);
        Assert.StartsWith("/liveness:", reason);
    }

    [Fact]
    public void ApiHealthBodiesYieldVersionAndDependencies()
    {
        var report = ApiHealthParser.Parse(Encoding.UTF8.GetBytes("""{"commit":"abc","database":"failing","version":"10.4.1","cache":"degraded","extra":{"a":1}}"""));
        Assert.NotNull(report);
        Assert.Equal("10.4.1", report!.Version);
        Assert.Equal(["database", "cache"], report.Dependencies.Select(d => d.Name));
        Assert.Equal([false, true], report.Dependencies.Select(d => d.Ok));
        Assert.Null(ApiHealthParser.Parse(Encoding.UTF8.GetBytes("<html>")));
        Assert.Null(ApiHealthParser.Parse(Encoding.UTF8.GetBytes("[1,2]")));
    }

    [Fact]
    public async Task TheTargetPolicyRefusesMetadataAndLinkLocalAddressesAndHonoursAnAllowList()
    {
        var policy = new TargetPolicy(Options.Create(new HealthProbeOptions()));
        Assert.Contains("denied network", policy.CheckUrl("http://169.254.169.254/latest/meta-data")!);
        Assert.Contains("denied network", policy.CheckUrl("http://[fd00:ec2::254]/")!);
        Assert.Contains("denied network", policy.CheckUrl("http://[fe80::1]:3000/")!);
        Assert.Contains("not an http", policy.CheckUrl("file:///etc/passwd")!);
        Assert.Contains("not an http", policy.CheckUrl("gopher://10.0.0.1/")!);
        Assert.Null(policy.CheckUrl("http://10.1.2.3:3000/"));
        Assert.Null(policy.CheckUrl("https://grafana-1.internal/"));

        var strict = new TargetPolicy(Options.Create(new HealthProbeOptions { AllowedNetworks = ["10.0.0.0/8"] }));
        Assert.Null(strict.CheckUrl("http://10.9.9.9/"));
        Assert.Contains("outside the allowed networks", strict.CheckUrl("http://192.168.1.1/")!);
        // A host name is checked on what it resolves to, at connect time: nothing is sent to a refused address.
        var refused = await Assert.ThrowsAsync<TargetRefusedException>(() =>
            strict.ConnectAsync(new DnsEndPoint("localhost", 80), default).AsTask());
        Assert.Contains("outside the allowed networks", refused.Message);
    }
}
