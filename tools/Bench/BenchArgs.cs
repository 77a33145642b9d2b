namespace ControlPlane.Bench;

/// <summary>"--name value" options with defaults.</summary>
public sealed class BenchArgs(string[] args)
{
    public string Get(string name, string fallback)
    {
        var i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    /// <summary>A flag: "--name" given, without a value.</summary>
    public bool Has(string name) => args.Contains("--" + name);

    public int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);

    public TimeSpan Seconds(string name, double fallback) =>
        TimeSpan.FromSeconds(double.Parse(Get(name, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture));
}
