using System.CommandLine;
using ControlPlane.Api.V1;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;
using AccessClient = ControlPlane.Api.V1.Access.AccessClient;

namespace ControlPlane.Cpctl.Commands;

/// <summary>API keys, the audit log and the caller's own identity (the Access API, served by the Registry).</summary>
public static class AccessCommands
{
    public static Command Keys() => new("keys", "API keys: who may call the suite, with which role") { CreateKey(), ListKeys(), RevokeKey() };

    public static Command Audit()
    {
        var principal = new Option<string>("--principal") { Description = "only this key's (or certificate's) calls" };
        var limit = new Option<int>("--limit", "-n") { Description = "how many events, newest first", DefaultValueFactory = _ => 50 };
        var audit = new Command("audit", "Who changed what: every mutating call, allowed or refused, newest first") { principal, limit };
        audit.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var response = await new AccessClient(channel).ListAuditEventsAsync(
                new ListAuditEventsRequest { PageSize = parse.GetValue(limit), Principal = parse.GetValue(principal) ?? "" }, cancellationToken: token);
            if (json)
            {
                Cli.Json(response);
                return Cli.Ok;
            }
            var table = Cli.Table("AT", "PRINCIPAL", "ROLE", "METHOD", "OUTCOME", "PEER", "DETAIL");
            foreach (var e in response.Events)
            {
                table.AddRow(Time(e.At), Cli.Escape(e.Principal), RoleName(e.Role), Cli.Escape(e.Method), Cli.Escape(e.Outcome), Cli.Escape(e.Peer),
                    Cli.Escape(e.Detail));
            }
            Cli.Render(table);
            return Cli.Ok;
        }, ct));
        return audit;
    }

    public static Command WhoAmI()
    {
        var whoami = new Command("whoami", "The credential cpctl presents, as the suite sees it: name, role, how");
        whoami.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var principal = await new AccessClient(channel).WhoAmIAsync(new WhoAmIRequest(), cancellationToken: token);
            if (json)
            {
                Cli.Json(principal);
                return Cli.Ok;
            }
            Console.Out.WriteLine($"{principal.Name} ({RoleName(principal.Role)}, {principal.Authentication})");
            return Cli.Ok;
        }, ct));
        return whoami;
    }

    private static Command CreateKey()
    {
        var name = new Argument<string>("name") { Description = "what the key is for, e.g. ci-deployer (letters, digits, . _ -)" };
        var role = new Option<string>("--role") { Description = "viewer, agent, operator or admin", Required = true };
        role.AcceptOnlyFromAmong("viewer", "agent", "operator", "admin");
        var ttl = Durations.Option("--ttl", "expires after this long; default: never");
        var requestId = new Option<string>("--request-id") { Description = "idempotency key" };
        var create = new Command("create", "Create a key; prints its secret once (the suite keeps only its SHA-256)") { name, role, ttl, requestId };
        create.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var request = new CreateApiKeyRequest
            {
                Name = parse.GetValue(name)!,
                Role = ParseRole(parse.GetValue(role)!),
                RequestId = parse.GetValue(requestId) ?? "",
            };
            if (parse.GetValue(ttl) is { } lifetime)
            {
                request.Ttl = Duration.FromTimeSpan(lifetime);
            }
            var response = await new AccessClient(channel).CreateApiKeyAsync(request, cancellationToken: token);
            if (json)
            {
                Cli.Json(response);
                return Cli.Ok;
            }
            if (response.Token.Length == 0)
            {
                // A repeated request_id: the key exists, its secret was shown to the first request only.
                Console.Error.WriteLine($"cpctl: key {response.Key.Id} ('{response.Key.Name}') was already created by this request id; its secret is not shown again");
                return Cli.Ok;
            }
            Console.Error.WriteLine($"Created key {response.Key.Id} '{response.Key.Name}' ({RoleName(response.Key.Role)}). Its secret, shown only now:");
            // The token alone on stdout, so `TOKEN=$(cpctl keys create ...)` captures exactly it.
            Console.Out.WriteLine(response.Token);
            return Cli.Ok;
        }, ct));
        return create;
    }

    private static Command ListKeys()
    {
        var list = new Command("list", "List the keys (never their secrets), newest first; revoked and expired ones too");
        list.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var response = await new AccessClient(channel).ListApiKeysAsync(new ListApiKeysRequest { PageSize = 1000 }, cancellationToken: token);
            if (json)
            {
                Cli.Json(response);
                return Cli.Ok;
            }
            var table = Cli.Table("ID", "NAME", "ROLE", "ACTIVE", "CREATED", "EXPIRES", "REVOKED", "CREATED BY");
            foreach (var key in response.Keys)
            {
                table.AddRow(Cli.Escape(key.Id), Cli.Escape(key.Name), RoleName(key.Role), key.Active ? "yes" : "no", Time(key.CreatedAt),
                    key.ExpiresAt is null ? "never" : Time(key.ExpiresAt), Time(key.RevokedAt), Cli.Escape(key.CreatedBy));
            }
            Cli.Render(table);
            return Cli.Ok;
        }, ct));
        return list;
    }

    private static Command RevokeKey()
    {
        var id = new Argument<string>("id") { Description = "the key's id (cpctl keys list)" };
        var revoke = new Command("revoke", "Revoke a key: every replica refuses it within a second") { id };
        revoke.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var key = await new AccessClient(channel).RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = parse.GetValue(id)! }, cancellationToken: token);
            if (json)
            {
                Cli.Json(key);
                return Cli.Ok;
            }
            Console.Out.WriteLine($"revoked {key.Id} '{key.Name}' at {Time(key.RevokedAt)}");
            return Cli.Ok;
        }, ct));
        return revoke;
    }

    private static Role ParseRole(string role) => role switch
    {
        "viewer" => Role.Viewer,
        "agent" => Role.Agent,
        "operator" => Role.Operator,
        _ => Role.Admin,
    };

    private static string RoleName(Role role) => role == Role.Unspecified ? "" : role.ToString().ToLowerInvariant();

    private static string Time(Timestamp? at) => at is null ? "" : at.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss'Z'");
}
