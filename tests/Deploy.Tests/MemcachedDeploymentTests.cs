using ControlPlane.ServiceDefaults.Cache.Memcached;
using ControlPlane.Testing;

namespace ControlPlane.Deploy.Tests;

/// <summary>The Memcached option of docker-compose.yml and deploy/k8s, checked against what the services read.</summary>
public class MemcachedDeploymentTests
{
    private static string InRepo(string path) => Path.Combine(RepoPaths.Root, path);

    [Fact]
    public void TheComposeMemcachedProfileRunsMemcachedAndTheReplicasTakeItsAddressInsteadOfRedis()
    {
        var compose = Yaml.Documents(InRepo("docker-compose.yml")).Single();
        var memcached = compose.Map("services").Map("memcached");
        Assert.Contains("memcached", memcached.List("profiles").Cast<string>());
        var environment = compose.Map("services").Map("registry-1").Map("environment");
        // Redis by default; the profile's documented command empties it and sets Memcached.
        Assert.Equal("${CP_REDIS-redis:6379}", environment["ConnectionStrings__Redis"]);
        Assert.Equal("${CP_MEMCACHED-}", environment["ConnectionStrings__Memcached"]);
        var text = File.ReadAllText(InRepo("docker-compose.yml"));
        Assert.Contains("CP_REDIS= CP_MEMCACHED=memcached:11211 docker compose --profile memcached up", text);
        Assert.Equal(new MemcachedEndpoint("memcached", 11211), MemcachedEndpoint.Parse("memcached:11211"));
    }

    [Fact]
    public void TheKubernetesMemcachedComponentServesMemcachedWhereItsInstructionsPointTheServices()
    {
        var folder = InRepo("deploy/k8s/components/memcached");
        var component = Yaml.Documents(Path.Combine(folder, "kustomization.yaml")).Single();
        Assert.Equal("Component", component["kind"]);
        var documents = component.List("resources").Cast<string>().SelectMany(f => Yaml.Documents(Path.Combine(folder, f))).ToList();
        var service = documents.Single(d => (string)d["kind"] == "Service");
        Assert.Equal("memcached", service.Map("metadata")["name"]);
        var port = (Dictionary<object, object>)service.Map("spec").List("ports").Single();
        Assert.Equal("11211", port["port"]);
        var deployment = documents.Single(d => (string)d["kind"] == "Deployment");
        var container = (Dictionary<object, object>)deployment.Map("spec").Map("template").Map("spec").List("containers").Single();
        Assert.StartsWith("memcached:", (string)container["image"]);
        Assert.NotNull(container.Get("readinessProbe"));
        Assert.Contains("ConnectionStrings__Memcached='memcached:11211'", File.ReadAllText(Path.Combine(folder, "kustomization.yaml")));
    }
}
