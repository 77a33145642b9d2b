namespace ControlPlane.Bench;

public static class Percentiles
{
    /// <summary>The q-quantile (0..1) of the samples, nearest rank.</summary>
    public static double Of(IReadOnlyList<double> samples, double q)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(q * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
