using System.CommandLine;
using System.CommandLine.Parsing;

namespace ControlPlane.Cpctl;

/// <summary>Repeated KEY=VALUE options (labels, selectors).</summary>
public static class KeyValues
{
    public static Option<Dictionary<string, string>> Option(string name, string description) => new(name)
    {
        Description = $"{description} (KEY=VALUE, repeatable)",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
        CustomParser = Parse,
    };

    private static Dictionary<string, string> Parse(ArgumentResult result)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in result.Tokens)
        {
            var parts = token.Value.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                result.AddError($"'{token.Value}' is not KEY=VALUE");
                continue;
            }
            pairs[parts[0]] = parts[1];
        }
        return pairs;
    }
}
