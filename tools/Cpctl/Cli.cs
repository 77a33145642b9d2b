using System.CommandLine;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Spectre.Console;

namespace ControlPlane.Cpctl;

/// <summary>What every command shares: where the suite is, how to print, and errors in words with meaningful exit codes.</summary>
public static class Cli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int InvalidInput = 2;
    public const int NotFound = 3;
    public const int Unavailable = 4;

    /// <summary>A followed operation ended badly: a rollout rolled back, failed or was aborted; a backup failed.</summary>
    public const int OperationFailed = 5;

    /// <summary>No valid credential (Unauthenticated), or its role may not do this (PermissionDenied).</summary>
    public const int Denied = 6;

    public static readonly Option<string> Address = new("--address", "-a")
    {
        Description = "gRPC address of the suite (or its load balancer); env CPCTL_ADDRESS",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CPCTL_ADDRESS") ?? "http://127.0.0.1:5081",
    };

    public static readonly Option<string> Token = new("--token")
    {
        Description = "API key (bearer token); env CPCTL_TOKEN; on loopback, the embedded control plane's own admin key by default",
        Recursive = true,
    };

    public static readonly Option<string> CaFile = new("--ca-file")
    {
        Description = "PEM file of the CA that signed the suite's TLS certificate (https:// addresses); env CPCTL_CA_FILE",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CPCTL_CA_FILE") ?? "",
    };

    public static readonly Option<string> Output = new("--output", "-o")
    {
        Description = "table (default) or json",
        Recursive = true,
        DefaultValueFactory = _ => "table",
    };

    public static RootCommand Root(params Command[] commands)
    {
        var root = new RootCommand("cpctl: operate a ControlPlane fleet (registry, health, rollouts, backups)");
        Output.AcceptOnlyFromAmong("table", "json");
        root.Options.Add(Address);
        root.Options.Add(Token);
        root.Options.Add(CaFile);
        root.Options.Add(Output);
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    /// <summary>Runs a command's call with a channel to the suite, turning RPC errors into words and exit codes.</summary>
    public static async Task<int> RunAsync(ParseResult parse, Func<GrpcChannel, bool, CancellationToken, Task<int>> call, CancellationToken cancellationToken)
    {
        var address = parse.GetValue(Address)!;
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            return Error($"--address must be an http:// or https:// URL, not '{address}'", InvalidInput);
        }
        // The suite recognises cpctl by its user agent (rollouts record it as their trigger).
        using var channel = Credentials.Channel(uri, Credentials.Token(parse.GetValue(Token), uri), parse.GetValue(CaFile));
        try
        {
            return await call(channel, parse.GetValue(Output) == "json", cancellationToken);
        }
        catch (RpcException ex)
        {
            var violations = ex.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
            var message = violations is { Count: > 0 }
                ? string.Join('\n', new[] { $"{Describe(ex.StatusCode)}:" }.Concat(violations.Select(v => $"  {v.Field}: {v.Description}")))
                : $"{Describe(ex.StatusCode)}: {ex.Status.Detail}";
            return Error(message, ex.StatusCode switch
            {
                StatusCode.InvalidArgument => InvalidInput,
                StatusCode.NotFound => NotFound,
                StatusCode.Unavailable or StatusCode.DeadlineExceeded => Unavailable,
                StatusCode.Unauthenticated or StatusCode.PermissionDenied => Denied,
                _ => Failed,
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever went wrong, the operator gets a sentence, not a stack trace.
            return Error($"unexpected error: {ex.Message}", Failed);
        }
    }

    public static int Error(string message, int code)
    {
        Console.Error.WriteLine($"cpctl: {message}");
        return code;
    }

    /// <summary>JSON output is the API's own message in protobuf JSON, so scripts see the documented field names.</summary>
    public static void Json(IMessage message) => Console.Out.WriteLine(JsonFormatter.Default.Format(message));

    public static void Render(Table table) => AnsiConsole.Write(table);

    /// <summary>Live rendering (progress bars) only on a terminal that understands ANSI; plain lines for pipes and logs.</summary>
    public static bool IsLiveTerminal => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Ansi;

    /// <summary>Who is asking, recorded by the suite with rollouts, backups and restores.</summary>
    public static string DefaultInitiator => $"{Environment.UserName}@cpctl";

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in columns)
        {
            table.AddColumn(column);
        }
        return table;
    }

    public static string Escape(string text) => Markup.Escape(text);

    private static string Describe(StatusCode code) => code switch
    {
        StatusCode.Unavailable => "the suite is unavailable (is it running, and is --address right?)",
        StatusCode.NotFound => "not found",
        StatusCode.InvalidArgument => "invalid request",
        StatusCode.FailedPrecondition => "refused",
        StatusCode.AlreadyExists => "already exists",
        StatusCode.Unauthenticated => "not authenticated",
        StatusCode.PermissionDenied => "permission denied",
        _ => code.ToString(),
    };
}
