using System.Diagnostics;
using System.Text.RegularExpressions;
using ControlPlane.Testing;

namespace ControlPlane.Deploy.Tests;

/// <summary>docker-compose.yml, the Dockerfiles and deploy/ checked against the code they deploy.</summary>
public partial class DeploymentFileTests
{
    private static string InRepo(string path) => Path.Combine(RepoPaths.Root, path);

    [Fact]
    public void TheComposeFileBuildsEveryServiceFromAnExistingDockerfileAndSetsOnlyKeysTheServicesRead()
    {
        var compose = Yaml.Documents(InRepo("docker-compose.yml")).Single();
        var services = compose.Map("services");
        foreach (var name in new[] { "registry", "healthprobe", "rollouts", "backups" })
        {
            Assert.Contains($"{name}-1", services.Keys);
            Assert.Contains($"{name}-2", services.Keys);
        }
        Assert.Contains("nginx", services.Keys);
        Assert.Equal(3, services.Keys.Count(k => ((string)k).StartsWith("demo-", StringComparison.Ordinal)));

        var built = services.Where(s => s.Value.Get("build") is not null).ToList();
        Assert.True(built.Count >= 11);
        foreach (var (name, service) in built)
        {
            var build = service.Map("build");
            var context = Path.GetFullPath(Path.Combine(RepoPaths.Root, (string)build["context"]));
            Assert.True(Directory.Exists(context), $"{name}: build context {context} does not exist");
            Assert.True(File.Exists(Path.Combine(context, (string)build["dockerfile"])), $"{name}: {build["dockerfile"]} does not exist");
            foreach (var key in service.Map("environment").Keys.Cast<string>())
            {
                Assert.True(ConfigurationKeys.IsRead(key), $"{name}: environment key {key} is read by no service");
            }
        }
    }

    [Theory]
    [InlineData("services/Registry/Dockerfile")]
    [InlineData("services/HealthProbe/Dockerfile")]
    [InlineData("services/Rollouts/Dockerfile")]
    [InlineData("services/Backups/Dockerfile")]
    [InlineData("services/Agent/Dockerfile")]
    [InlineData("services/AllInOne/Dockerfile")]
    [InlineData("services/Dashboard/Dockerfile")]
    [InlineData("deploy/demo/Dockerfile")]
    public void EveryDockerfileIsMultiStageRunsAsNonRootAndPublishesAProjectThatExists(string dockerfile)
    {
        var text = File.ReadAllText(InRepo(dockerfile));
        Assert.True(Regex.Matches(text, "^FROM ", RegexOptions.Multiline).Count >= 2, "multi-stage: a build stage and a runtime stage");
        Assert.Matches(new Regex(@"^USER app$", RegexOptions.Multiline), text);
        var published = Publish().Matches(text).Select(m => m.Groups["project"].Value).ToList();
        Assert.NotEmpty(published);
        Assert.All(published, project => Assert.True(Directory.Exists(InRepo(project)), $"{project} does not exist"));
        foreach (Match env in Regex.Matches(text, @"(?<key>[A-Za-z_]+__[A-Za-z0-9_]+)="))
        {
            Assert.True(ConfigurationKeys.IsRead(env.Groups["key"].Value), $"{dockerfile}: {env.Groups["key"].Value} is read by no service");
        }
    }

    [Fact]
    public void TheKubernetesBaseHasBothProbesResourcesAndADisruptionBudgetForEveryDeployment()
    {
        var kustomization = Yaml.Documents(InRepo("deploy/k8s/kustomization.yaml")).Single();
        var documents = kustomization.List("resources").Cast<string>()
            .SelectMany(file =>
            {
                Assert.True(File.Exists(InRepo($"deploy/k8s/{file}")), $"{file} is listed but missing");
                return Yaml.Documents(InRepo($"deploy/k8s/{file}"));
            }).ToList();
        var deployments = documents.Where(d => (string)d["kind"] == "Deployment").ToList();
        // The four services and the dashboard.
        Assert.Equal(5, deployments.Count);
        var budgets = documents.Where(d => (string)d["kind"] == "PodDisruptionBudget").Select(d => (string)d.Map("metadata")["name"]).ToHashSet();
        var config = documents.Single(d => (string)d["kind"] == "ConfigMap").Map("data");
        Assert.All(config.Keys.Cast<string>(), key => Assert.True(ConfigurationKeys.IsRead(key), $"ConfigMap key {key} is read by no service"));
        foreach (var deployment in deployments)
        {
            var name = (string)deployment.Map("metadata")["name"];
            var spec = deployment.Map("spec");
            Assert.True(int.Parse((string)spec["replicas"]) >= 2, $"{name}: at least two replicas");
            var container = (Dictionary<object, object>)spec.Map("template").Map("spec").List("containers").Single();
            Assert.Equal("/livez", container.Map("livenessProbe").Map("httpGet")["path"]);
            Assert.Equal("/readyz", container.Map("readinessProbe").Map("httpGet")["path"]);
            Assert.NotNull(container.Map("resources").Get("requests"));
            Assert.Contains(name, budgets);
            Assert.Contains(container.List("envFrom"), e => e.Get("secretRef") is not null);
            foreach (var env in container.List("env"))
            {
                var key = (string)((Dictionary<object, object>)env)["name"];
                Assert.True(ConfigurationKeys.IsRead(key), $"{name}: env {key} is read by no service");
            }
        }
    }

    [Fact]
    public void TheKubernetesTlsComponentSetsOnlyKeysTheServicesReadAndServesHttpsWithTheCertificateItMounts()
    {
        var component = Yaml.Documents(InRepo("deploy/k8s/components/tls/kustomization.yaml")).Single();
        Assert.Equal("Component", component["kind"]);
        var operations = component.List("patches")
            // Each patch is JSON 6902 operations written as a YAML string.
            .SelectMany(p => new YamlDotNet.Serialization.Deserializer().Deserialize<List<Dictionary<object, object>>>((string)((Dictionary<object, object>)p)["patch"]))
            .ToList();
        var data = operations.Where(o => ((string)o["path"]).StartsWith("/data/", StringComparison.Ordinal))
            .ToDictionary(o => ((string)o["path"])["/data/".Length..], o => (string)o["value"]);
        Assert.All(data.Keys, key => Assert.True(ConfigurationKeys.IsRead(key), $"TLS component key {key} is read by no service"));
        Assert.StartsWith("https://", data["ControlPlane__GrpcUrl"]);
        Assert.All(data.Where(d => d.Key.EndsWith("Url", StringComparison.Ordinal)), d => Assert.StartsWith("https://", d.Value));
        var mount = operations.Single(o => ((string)o["path"]).EndsWith("/volumeMounts", StringComparison.Ordinal));
        var mountPath = (string)((Dictionary<object, object>)((List<object>)mount["value"]).Single())["mountPath"];
        Assert.All(data.Where(d => d.Key.StartsWith("ControlPlane__Tls__", StringComparison.Ordinal)), d => Assert.StartsWith(mountPath + "/", d.Value));
    }

    [Fact]
    public async Task TheNginxAndHaproxyConfigurationsPassTheirOwnChecks()
    {
        var folder = Directory.CreateTempSubdirectory("cp-deploy-").FullName;
        try
        {
            // The upstream names resolve only inside compose: nginx -t resolves them, so map them to loopback.
            var nginx = NginxServer().Replace(await File.ReadAllTextAsync(InRepo("deploy/nginx/controlplane-grpc.conf")), "server 127.0.0.1:8081");
            await File.WriteAllTextAsync(Path.Combine(folder, "grpc.conf"), nginx);
            // The TLS variants load a real certificate: a self-signed one where the files say to mount it.
            await RunAsync("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=controlplane",
                "-keyout", Path.Combine(folder, "tls.key"), "-out", Path.Combine(folder, "tls.crt"));
            var nginxTls = (await File.ReadAllTextAsync(InRepo("deploy/nginx/controlplane-grpc-tls.conf"))).Replace("/etc/nginx/tls", folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "grpc-tls.conf"), nginxTls);
            await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"),
                $"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\nhttp {{\n    client_body_temp_path {folder}/body;\n" +
                $"    include {folder}/grpc.conf;\n    include {folder}/grpc-tls.conf;\n}}\n");
            await RunAsync("/usr/sbin/nginx", "-t", "-q", "-p", folder, "-c", Path.Combine(folder, "nginx.conf"));

            await File.WriteAllTextAsync(Path.Combine(folder, "controlplane.pem"),
                await File.ReadAllTextAsync(Path.Combine(folder, "tls.crt")) + await File.ReadAllTextAsync(Path.Combine(folder, "tls.key")));
            var haproxyTls = (await File.ReadAllTextAsync(InRepo("deploy/haproxy/controlplane-tls.cfg"))).Replace("/etc/haproxy/tls", folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "haproxy-tls.cfg"), haproxyTls);
            await RunAsync("/usr/sbin/haproxy", "-c", "-q", "-f", InRepo("deploy/haproxy/controlplane.cfg"), "-f", Path.Combine(folder, "haproxy-tls.cfg"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task RunAsync(string tool, params string[] args)
    {
        Assert.True(File.Exists(tool), $"{tool} is not installed (scripts/test installs it)");
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(tool)} refused: {await errors}{await output}");
    }

    [GeneratedRegex(@"dotnet publish (?<project>[^ ]+)")]
    private static partial Regex Publish();

    [GeneratedRegex(@"server [a-z]+-[0-9]:8081")]
    private static partial Regex NginxServer();
}
