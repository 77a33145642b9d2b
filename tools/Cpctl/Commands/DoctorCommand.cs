using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPlane.Cpctl.Doctor;
using Spectre.Console;

namespace ControlPlane.Cpctl.Commands;

/// <summary>`doctor`: the HA guide's troubleshooting list run as checks against the suite's replicas and its fleet.</summary>
public static class DoctorCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static Command Create()
    {
        var replicas = new Option<string[]>("--replica", "-r")
        {
            Description = "a replica's address, HTTP or gRPC port (repeatable); default: --address",
            AllowMultipleArgumentsPerToken = true,
        };
        var doctor = new Command("doctor", "Troubleshooting checks: HA setting, database, schema, cache (Redis or Memcached), bus, request spread, ready sets, drift; " +
            "exit 1 when a check fails") { replicas };
        doctor.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var urls = parse.GetValue(replicas) is { Length: > 0 } given ? given : [parse.GetValue(Cli.Address)!];
            if (urls.FirstOrDefault(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) is { } bad)
            {
                return Cli.Error($"--replica must be an http:// or https:// URL, not '{bad}'", Cli.InvalidInput);
            }
            using var http = new HttpClient();
            var reports = await Task.WhenAll(urls.Select(u => ReplicaReport.FetchAsync(http, u, token)));
            var checks = ReplicaChecks.Run(reports).Append(TrafficCheck.Run(reports)).ToList();
            checks.AddRange(await FleetChecks.RunAsync(channel, parse.GetValue(Cli.Address)!, token));
            var failed = checks.Any(c => c.Status == CheckStatus.Fail);
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    ok = !failed,
                    checks,
                    replicas = reports.Select(r => new { r.Url, r.Reachable, r.Error, r.Health, r.Traffic }),
                }, JsonOptions));
            }
            else
            {
                Render(checks);
            }
            return failed ? Cli.Error($"{checks.Count(c => c.Status == CheckStatus.Fail)} check(s) failed", Cli.Failed) : Cli.Ok;
        }, ct));
        return doctor;
    }

    private static void Render(IEnumerable<Check> checks)
    {
        var table = Cli.Table("CHECK", "RESULT", "DETAIL");
        foreach (var check in checks)
        {
            table.AddRow(Cli.Escape(check.Name), check.Status switch
            {
                CheckStatus.Pass => "[green]pass[/]",
                CheckStatus.Warn => "[yellow]warn[/]",
                _ => "[red]FAIL[/]",
            }, Cli.Escape(check.Message));
        }
        AnsiConsole.Write(table);
    }
}
