using System.Globalization;
using System.Text.RegularExpressions;
using ControlPlane.Testing;

namespace ControlPlane.SystemTests;

/// <summary>One sample line of /metrics: metric name, the text between the braces, and the value.</summary>
public sealed record Sample(string Name, string Labels, double Value);

/// <summary>Scrapes /metrics, insisting that every line is Prometheus text exposition format.</summary>
public static partial class PrometheusScrape
{
    /// <summary>Scrapes until <paramref name="until"/> holds (generous deadline: the machine may be loaded).</summary>
    public static async Task<List<Sample>> UntilAsync(ServiceProcess service, Func<List<Sample>, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var text = await service.Http.GetStringAsync("/metrics");
            var samples = Parse(text);
            if (until(samples))
            {
                return samples;
            }
            Assert.True(DateTime.UtcNow < deadline, "the metrics never showed the awaited values:\n" + text);
            await Task.Delay(250);
        }
    }

    public static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n').Where(l => l.Length > 0))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches(Comment(), line);
                continue;
            }
            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not Prometheus text: {line}");
            samples.Add(new Sample(match.Groups["name"].Value, match.Groups["labels"].Value, ParseValue(match.Groups["value"].Value)));
        }
        return samples;
    }

    /// <summary>Sum of the samples of <paramref name="name"/> (or its _total/_count/_sum... series) whose labels contain every one given.</summary>
    public static double Value(IEnumerable<Sample> samples, string name, params string[] labels) =>
        Matching(samples, name, labels).Sum(s => s.Value);

    public static bool Has(IEnumerable<Sample> samples, string name, params string[] labels) => Matching(samples, name, labels).Any();

    private static IEnumerable<Sample> Matching(IEnumerable<Sample> samples, string name, string[] labels) =>
        samples.Where(s => (s.Name == name || s.Name.StartsWith(name + "_", StringComparison.Ordinal))
            && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal)));

    private static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(value, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>[-+0-9.eE]+|[+-]Inf|NaN)( -?[0-9]+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""^# (HELP|TYPE|UNIT|EOF)( [a-zA-Z_:][a-zA-Z0-9_:]*( .*)?)?$""")]
    private static partial Regex Comment();
}
