using ControlPlane.ServiceDefaults.Database;
using ControlPlane.Testing;

namespace ControlPlane.Deploy.Tests;

/// <summary>The MySQL/MariaDB option of docker-compose.yml and deploy/k8s, checked against what the services read.</summary>
public class MariaDbDeploymentTests
{
    private static string InRepo(string path) => Path.Combine(RepoPaths.Root, path);

    [Fact]
    public void TheComposeMysqlProfileRunsMariaDbAndItsDocumentedConnectionStringSelectsTheMySqlProvider()
    {
        var compose = Yaml.Documents(InRepo("docker-compose.yml")).Single();
        var mariadb = compose.Map("services").Map("mariadb");
        Assert.Contains("mysql", mariadb.List("profiles").Cast<string>());
        var environment = compose.Map("services").Map("registry-1").Map("environment");
        var database = (string)environment["ConnectionStrings__ControlPlane"];
        Assert.StartsWith("${CP_DATABASE-Host=postgres;", database, StringComparison.Ordinal);
        var text = File.ReadAllText(InRepo("docker-compose.yml"));
        const string documented = "Server=mariadb;User ID=controlplane;Password=controlplane;Database=controlplane";
        Assert.Contains($"CP_DATABASE='{documented}' docker compose --profile mysql up", text);
        Assert.Equal(DatabaseProvider.MySql, DatabaseProviders.Detect(documented));
        Assert.Equal("controlplane", mariadb.Map("environment")["MARIADB_DATABASE"]);
    }

    [Fact]
    public void TheKubernetesMariaDbComponentServesMariaDbWhereItsInstructionsPointTheServices()
    {
        var folder = InRepo("deploy/k8s/components/mariadb");
        var kustomization = File.ReadAllText(Path.Combine(folder, "kustomization.yaml"));
        var component = Yaml.Documents(Path.Combine(folder, "kustomization.yaml")).Single();
        Assert.Equal("Component", component["kind"]);
        var documents = component.List("resources").Cast<string>().SelectMany(f => Yaml.Documents(Path.Combine(folder, f))).ToList();
        var service = documents.Single(d => (string)d["kind"] == "Service");
        Assert.Equal("mariadb", service.Map("metadata")["name"]);
        var port = (Dictionary<object, object>)service.Map("spec").List("ports").Single();
        Assert.Equal("3306", port["port"]);
        var set = documents.Single(d => (string)d["kind"] == "StatefulSet");
        var container = (Dictionary<object, object>)set.Map("spec").Map("template").Map("spec").List("containers").Single();
        Assert.StartsWith("mariadb:", (string)container["image"]);
        Assert.NotNull(container.Get("readinessProbe"));
        const string documented = "Server=mariadb;Port=3306;User ID=controlplane;Password=<that password>;Database=controlplane";
        Assert.Contains(documented, kustomization);
        Assert.Equal(DatabaseProvider.MySql, DatabaseProviders.Detect(documented));
    }
}
