using System.Diagnostics;

namespace ControlPlane.Agent.Applying;

/// <summary>Turns a <see cref="CommandTemplate"/> into a process start for one release.</summary>
internal static class TemplateExpander
{
    public static ProcessStartInfo Expand(CommandTemplate template, Release release, string instanceId)
    {
        if (template.Command.Length == 0)
        {
            throw new ReleaseApplyException("no command configured for this apply mode");
        }
        var start = new ProcessStartInfo(Fill(template.Command))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in template.Arguments)
        {
            start.ArgumentList.Add(Fill(argument));
        }
        foreach (var (key, value) in template.Environment)
        {
            start.Environment[key] = Fill(value);
        }
        return start;

        string Fill(string text) => text
            .Replace("{version}", release.Version, StringComparison.Ordinal)
            .Replace("{config_hash}", release.ConfigHash, StringComparison.Ordinal)
            .Replace("{config_file}", release.ConfigFile, StringComparison.Ordinal)
            .Replace("{instance_id}", instanceId, StringComparison.Ordinal);
    }
}
