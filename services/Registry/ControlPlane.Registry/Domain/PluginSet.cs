namespace ControlPlane.Registry.Domain;

/// <summary>Plugins are compared as a set: stored sorted, distinct and comma-joined.</summary>
public static class PluginSet
{
    public static string Normalize(IEnumerable<string> plugins) =>
        string.Join(',', plugins.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    public static IEnumerable<string> Split(string stored) =>
        stored.Length == 0 ? [] : stored.Split(',');
}
