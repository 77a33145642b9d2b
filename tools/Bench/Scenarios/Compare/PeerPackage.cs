using System.Diagnostics;
using ControlPlane.Testing;

namespace ControlPlane.Bench.Scenarios.Compare;

/// <summary>
/// The peer's program from its Debian package, installed when missing through `scripts/dev-services install`: that
/// installs with a policy-rc.d that forbids starting services, so the package's postinst leaves no system etcd or
/// exporter running beside the one the bench starts (on its own ports, with its own data).
/// </summary>
public static class PeerPackage
{
    public static async Task<string> EnsureAsync(string program, string package, CancellationToken cancellationToken)
    {
        if (File.Exists(program))
        {
            return program;
        }
        Console.WriteLine($"{program} missing: installing Debian package {package} (services not started)…");
        var start = new ProcessStartInfo("bash") { WorkingDirectory = RepoPaths.Root };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "dev-services"));
        start.ArgumentList.Add("install");
        start.ArgumentList.Add(package);
        using var install = Process.Start(start)!;
        await install.WaitForExitAsync(cancellationToken);
        if (install.ExitCode != 0 || !File.Exists(program))
        {
            throw new InvalidOperationException($"installing {package} failed (exit {install.ExitCode}); try `scripts/dev-services install {package}` as root");
        }
        return program;
    }
}
