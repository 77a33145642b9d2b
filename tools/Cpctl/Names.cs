using System.Text.RegularExpressions;

namespace ControlPlane.Cpctl;

/// <summary>Enum values as the API documents them (ROLLED_BACK) and as sentences read them (waiting healthy).</summary>
public static partial class Names
{
    public static string Upper(Enum value) => Words().Replace(value.ToString(), "_$1").ToUpperInvariant();

    public static string Lower(Enum value) => Words().Replace(value.ToString(), " $1").ToLowerInvariant();

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex Words();
}
