using ControlPlane.Api.Credentials;
using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>
/// The embedded default's first admin key, so a newcomer's first command works: on loopback, with no keys configured
/// and none in the database, it creates one (replacing an <c>admin.token</c> left from a deleted database), prints it once (standard output, never the log) and writes it to
/// <c>admin.token</c> (mode 0600) beside the SQLite database. Each start also tells cpctl where that file is
/// (<see cref="LocalTokens"/>), so cpctl finds it by itself.
/// </summary>
public sealed class EmbeddedAdminKey(
    IServiceScopeFactory scopes,
    DatabaseStatus database,
    ServiceMode mode,
    IOptions<ControlPlaneOptions> hosting,
    IOptions<AccessOptions> access,
    ILogger<EmbeddedAdminKey> logger) : BackgroundService
{
    public const string FileName = "admin.token";

    /// <summary>Whether this process makes one: embedded (SQLite, not HA), loopback only, nothing configured, not turned off.</summary>
    public static bool Applies(ServiceMode mode, ControlPlaneOptions hosting, AccessOptions access) =>
        !mode.HighAvailability && mode.DatabaseProvider == DatabaseProvider.Sqlite && access.BootstrapAdminKey && access.Keys.Count == 0 &&
        AccessStartupCheck.IsLoopback(hosting.HttpUrl) && AccessStartupCheck.IsLoopback(hosting.GrpcUrl);

    public static string TokenFile(ServiceMode mode)
    {
        var source = new SqliteConnectionStringBuilder(mode.DatabaseConnectionString).DataSource;
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source))!, FileName);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Applies(mode, hosting.Value, access.Value))
        {
            return;
        }
        try
        {
            await database.WaitUntilMigratedAsync(stoppingToken);
            var file = TokenFile(mode);
            // No key in the database: a token file left beside it (the database deleted, the folder kept) names a key
            // that no longer exists, so it is replaced rather than kept.
            if (!await AnyKeyAsync(stoppingToken))
            {
                var token = await CreateAsync(stoppingToken);
                WriteSecret(file, token);
                Console.WriteLine($"Admin API key (shown once; also in {file}, which cpctl reads by itself):");
                Console.WriteLine($"  {token}");
            }
            if (File.Exists(file))
            {
                LocalTokens.Remember(hosting.Value.GrpcUrl, file);
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            AccessLog.BootstrapFailed(logger, ex.GetBaseException().Message);
        }
    }

    private async Task<bool> AnyKeyAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccessDbContext>().ApiKeys.AnyAsync(cancellationToken);
    }

    private async Task<string> CreateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyAdmin>();
        var (_, token) = await keys.CreateAsync("admin", AccessRoles.Admin, null, "embedded-first-start", "", cancellationToken);
        return token;
    }

    /// <summary>Created with mode 0600 before the secret is written, so it is never readable by others, even briefly.</summary>
    public static void WriteSecret(string path, string secret)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(secret + "\n");
    }
}
