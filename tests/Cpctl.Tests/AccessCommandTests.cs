using ControlPlane.Testing;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.Cpctl.Tests;

/// <summary>cpctl keys, whoami and audit as an operator uses them, against a real Registry over gRPC.</summary>
public class AccessCommandTests
{
    // cpctl's exit codes (README): 2 invalid input, 6 refused for want of a credential or a role.
    private const int InvalidInput = 2;
    private const int Denied = 6;

    [Fact]
    public async Task A_key_made_with_cpctl_works_with_its_role_is_audited_and_stops_working_once_revoked()
    {
        await using var suite = await InProcessHost.StartAsync(b => b.AddRegistry(), a => a.MapRegistry(), new Dictionary<string, string?>());

        var created = await CpctlProcess.RunAsync(suite.GrpcUrl, "keys", "create", "ci-reader", "--role", "viewer", "--ttl", "1h");
        Assert.True(created.ExitCode == 0, created.ToString());
        var token = created.Output.Trim();
        Assert.StartsWith("cpk_", token);
        Assert.Contains("shown only now", created.Errors);

        var whoami = await CpctlProcess.RunWithTokenAsync(token, suite.GrpcUrl, "whoami");
        Assert.Equal("ci-reader (viewer, api-key)", whoami.Output.Trim());
        var read = await CpctlProcess.RunWithTokenAsync(token, suite.GrpcUrl, "apps", "list", "-o", "json");
        Assert.True(read.ExitCode == 0, read.ToString());
        var write = await CpctlProcess.RunWithTokenAsync(token, suite.GrpcUrl, "apps", "set", "grafana", "--desired-version", "1.0");
        Assert.Equal(Denied, write.ExitCode);
        Assert.Contains("permission denied", write.Errors);
        Assert.Contains("needs role operator", write.Errors);

        var keys = (await CpctlProcess.RunAsync(suite.GrpcUrl, "keys", "list", "-o", "json")).Node["keys"]!.AsArray();
        var key = Assert.Single(keys, k => (string?)k!["name"] == "ci-reader")!;
        Assert.Equal("ROLE_VIEWER", (string?)key["role"]);
        Assert.NotNull(key["expiresAt"]);
        Assert.DoesNotContain(token, keys.ToJsonString());

        var audit = await CpctlProcess.RunAsync(suite.GrpcUrl, "audit", "--principal", "ci-reader", "-o", "json");
        var refused = Assert.Single(audit.Node["events"]!.AsArray())!;
        Assert.Equal("/controlplane.v1.Registry/UpsertApp", (string?)refused["method"]);
        Assert.Equal("PermissionDenied", (string?)refused["outcome"]);

        var revoked = await CpctlProcess.RunAsync(suite.GrpcUrl, "keys", "revoke", (string)key["id"]!);
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        var after = await CpctlProcess.RunWithTokenAsync(token, suite.GrpcUrl, "whoami");
        Assert.Equal(Denied, after.ExitCode);
        Assert.Contains("not authenticated", after.Errors);

        var anonymous = await CpctlProcess.RunWithTokenAsync("", suite.GrpcUrl, "apps", "list");
        Assert.Equal(Denied, anonymous.ExitCode);
    }

    [Fact]
    public async Task A_key_with_a_bad_name_or_role_is_refused_with_the_reason()
    {
        await using var suite = await InProcessHost.StartAsync(b => b.AddRegistry(), a => a.MapRegistry(), new Dictionary<string, string?>());

        var badName = await CpctlProcess.RunAsync(suite.GrpcUrl, "keys", "create", "no spaces", "--role", "viewer");
        Assert.Equal(InvalidInput, badName.ExitCode);
        Assert.Contains("name:", badName.Errors);
        var badRole = await CpctlProcess.RunAsync(suite.GrpcUrl, "keys", "create", "x", "--role", "root");
        Assert.Equal(InvalidInput, badRole.ExitCode);
        Assert.Contains("root", badRole.Errors);
    }
}
