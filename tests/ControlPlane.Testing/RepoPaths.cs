namespace ControlPlane.Testing;

public static class RepoPaths
{
    /// <summary>The repository root: the folder holding ControlPlane.sln above the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Build configuration the tests run under (Debug or Release), read off the test assembly's path.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    /// <summary>The built host assembly of a service (the test project references it so it is built first).</summary>
    public static string HostAssembly(string assembly)
    {
        var found = Directory.EnumerateFiles(Path.Combine(Root, "services"), assembly + ".dll", SearchOption.AllDirectories)
            .Where(p => p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}{Configuration}{Path.DirectorySeparatorChar}"))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
        return found ?? throw new FileNotFoundException($"{assembly}.dll ({Configuration}) is not built under {Root}/services");
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ControlPlane.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new DirectoryNotFoundException("ControlPlane.sln not found above the test assembly");
    }
}
