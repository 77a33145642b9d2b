using ControlPlane.Backups.Artifacts;
using ControlPlane.ServiceDefaults.Database;
using Microsoft.Extensions.Options;

namespace ControlPlane.Backups.Domain;

/// <summary>Refuses at start what would only fail later: bad keys, bad target names or connection strings. Messages never quote a secret.</summary>
public sealed class BackupsOptionsValidator : IValidateOptions<BackupsOptions>
{
    public ValidateOptionsResult Validate(string? name, BackupsOptions options)
    {
        var problems = new List<string>();
        if (EncryptionKeyRing.Problem(options.Encryption) is { } encryption)
        {
            problems.Add(encryption);
        }
        foreach (var (target, settings) in options.Targets)
        {
            if (target == BackupsOptions.OwnTarget || target.Length is 0 or > Limits.TargetLength
                || !target.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
            {
                problems.Add($"Backups:Targets:{target}: a target name is 1-{Limits.TargetLength} of a-z, 0-9, '-', '_' and not '{BackupsOptions.OwnTarget}'");
                continue;
            }
            try
            {
                DatabaseProviders.Detect(settings.ConnectionString);
            }
            catch (InvalidOperationException)
            {
                problems.Add($"Backups:Targets:{target}:ConnectionString is neither a PostgreSQL (Host=...) nor a SQLite (Data Source=...) connection string");
            }
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
