using System.Globalization;

namespace ControlPlane.Bench.Scenarios.Compare;

/// <summary>
/// One measure taken of ours and of the peer, round after round (A B A B …), so that a load that comes and goes
/// on the shared machine falls on both alike. Judged on the medians: one slow round does not decide it.
/// </summary>
/// <param name="goal">The ratio ours/peer to reach; null for a measure that is only reported.</param>
public sealed class Comparison(string measure, string unit, bool higherIsBetter, double? goal)
{
    private readonly List<double> _ours = [];
    private readonly List<double> _peer = [];

    public string Measure => measure;

    public void Add(int round, double ours, double peer, string oursDetail = "", string peerDetail = "")
    {
        _ours.Add(ours);
        _peer.Add(peer);
        Console.WriteLine(Invariant($"round {round}: {measure}: ours {ours:0.###} {unit}{Detail(oursDetail)}, peer {peer:0.###} {unit}{Detail(peerDetail)}, ratio {Ratio(ours, peer):0.00}"));
    }

    /// <summary>Prints the medians, their ratio ours/peer and the goal; returns whether the goal is met.</summary>
    public bool Report(string peerName)
    {
        var ours = Percentiles.Of(_ours, 0.5);
        var peer = Percentiles.Of(_peer, 0.5);
        var ratio = Ratio(ours, peer);
        var met = goal is not { } target || (higherIsBetter ? ratio >= target : ratio <= target);
        Console.WriteLine(Invariant($"{measure}, median of {_ours.Count} rounds: ours {ours:0.###} {unit}, {peerName} {peer:0.###} {unit}"));
        var judged = goal is { } g ? Invariant($"; goal {(higherIsBetter ? ">=" : "<=")} {g:0.0#}: {(met ? "MET" : "NOT MET")}") : " (no goal: reported only)";
        Console.WriteLine(Invariant($"  ratio ours/{peerName} = {ratio:0.00}{judged}"));
        // Paired: each round's ratio, ours against the peer measured right after it, then their median. Less moved by
        // a load that drifts over the run; shown beside the judged ratio, not instead of it.
        var paired = Percentiles.Of(_ours.Zip(_peer, Ratio).ToList(), 0.5);
        Console.WriteLine(Invariant($"  median of the per-round ratios = {paired:0.00}"));
        Console.WriteLine($"  per round, ours: {List(_ours)}; {peerName}: {List(_peer)}");
        return met;
    }

    private static string List(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)));

    private static double Ratio(double ours, double peer) => peer == 0 ? double.NaN : ours / peer;

    private static string Detail(string detail) => detail.Length == 0 ? "" : $" ({detail})";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
