using System.Diagnostics;
using System.Globalization;
using ControlPlane.Api.V1;
using ControlPlane.Backups.Engines;
using ControlPlane.Bench.Scenarios.Backups;
using ControlPlane.Testing;
using Microsoft.Extensions.Hosting;
using BackupsClient = ControlPlane.Api.V1.Backups.BackupsClient;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// DESIGN §12: backup throughput at least 0.9× plain `pg_dump -Fc` of the same database, in the same run.
/// Generates a database (default 1 GB), then alternates plain pg_dump and a Backups backup (which also computes
/// every table's checksum in the dump's snapshot and hashes the artifact), and prints both and their ratio.
/// </summary>
public sealed class BackupThroughputScenario : IBenchScenario
{
    public string Name => "backups";

    public string Description => "backup throughput vs plain pg_dump -Fc (--size-mb 1024 --rounds 2 --verify --keep --reuse)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchArgs(args);
        var admin = options.Get("connection", Environment.GetEnvironmentVariable("CP_TEST_POSTGRES") ?? "");
        if (admin.Length == 0)
        {
            await Console.Error.WriteLineAsync("needs --connection or CP_TEST_POSTGRES (eval \"$(scripts/dev-services start)\")");
            return 2;
        }
        var sizeMb = options.Int("size-mb", 1024);
        var rounds = options.Int("rounds", 2);
        const string database = "cp_bench_backups";
        var source = BenchDatabase.On(admin, database);
        long size;
        if (options.Has("reuse") && await ExistsAsync(source, cancellationToken))
        {
            size = await BenchDatabase.SizeAsync(source, cancellationToken);
        }
        else
        {
            Console.WriteLine($"generating {sizeMb} MB database {database}…");
            var generating = Stopwatch.StartNew();
            size = await BenchDatabase.CreateAsync(admin, database, sizeMb * 1024L * 1024, cancellationToken);
            Console.WriteLine($"  {Mb(size)} MB in {generating.Elapsed.TotalSeconds:F0} s");
        }

        var folder = Directory.CreateTempSubdirectory("cp-bench-backups-").FullName;
        try
        {
            await using var host = await InProcessHost.StartAsync(b => b.AddBackups(), a => a.MapBackups(), new Dictionary<string, string?>
            {
                ["Backups:RepositoryPath"] = Path.Combine(folder, "repository"),
                ["Backups:Targets:bench:ConnectionString"] = source,
            });
            var client = new BackupsClient(host.Channel);
            var plain = new List<double>();
            var ours = new List<double>();
            long plainBytes = 0, ourBytes = 0;
            for (var round = 1; round <= rounds; round++)
            {
                var (seconds, bytes) = await PlainPgDumpAsync(source, Path.Combine(folder, $"plain-{round}.dump"), cancellationToken);
                plain.Add(seconds);
                plainBytes = bytes;
                Console.WriteLine($"round {round}: pg_dump -Fc   {seconds,7:F1} s  {Mb(size) / seconds,7:F1} MB/s  ({Mb(bytes)} MB)");
                var backup = await BackUpAsync(client, options.Has("verify"), cancellationToken);
                ours.Add(backup.Seconds);
                ourBytes = backup.Backup.SizeBytes;
                Console.WriteLine($"round {round}: Backups       {backup.Seconds,7:F1} s  {Mb(size) / backup.Seconds,7:F1} MB/s  ({Mb(ourBytes)} MB, " +
                    $"{backup.Backup.Manifest.Tables.Count} tables checksummed{backup.Verified})");
            }
            var ratio = plain.Min() / ours.Min();
            Console.WriteLine();
            Console.WriteLine($"database {Mb(size)} MB; best of {rounds}: pg_dump -Fc {plain.Min():F1} s, Backups {ours.Min():F1} s");
            Console.WriteLine($"throughput ratio Backups / pg_dump -Fc = {ratio.ToString("F2", CultureInfo.InvariantCulture)} (target >= 0.90)");
            Console.WriteLine($"artifact {Mb(ourBytes)} MB vs plain dump {Mb(plainBytes)} MB; bench process peak RSS {PeakRssMb()} MB");
            return ratio >= 0.9 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            // The database is large and the server shared: kept only when asked (--keep), for a later --reuse.
            if (!options.Has("keep"))
            {
                await BenchDatabase.ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", CancellationToken.None);
            }
        }
    }

    internal static async Task<(double Seconds, long Bytes)> PlainPgDumpAsync(string source, string file, CancellationToken cancellationToken)
    {
        var pgDump = Path.Combine(PgTools.DebianFolder, "pg_dump");
        var watch = Stopwatch.StartNew();
        var result = await ToolProcess.RunAsync(pgDump, ["--format=custom", "--no-password", $"--file={file}"], PgTools.Environment(source),
            null, null, null, cancellationToken);
        var seconds = watch.Elapsed.TotalSeconds;
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_dump failed: {result.ErrorTail}");
        }
        var bytes = new FileInfo(file).Length;
        File.Delete(file);
        return (seconds, bytes);
    }

    internal static async Task<(Backup Backup, double Seconds, string Verified)> BackUpAsync(BackupsClient client, bool verify, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var backup = await client.CreateBackupAsync(new CreateBackupRequest { TargetDatabase = "bench", Initiator = "bench" }, cancellationToken: cancellationToken);
        while (backup.Status is BackupStatus.Pending or BackupStatus.Running)
        {
            await Task.Delay(50, cancellationToken);
            backup = await client.GetBackupAsync(new GetBackupRequest { BackupId = backup.Id }, cancellationToken: cancellationToken);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        if (backup.Status != BackupStatus.Succeeded)
        {
            throw new InvalidOperationException($"backup {backup.Status}: {backup.Error}");
        }
        var verified = "";
        if (verify)
        {
            await client.VerifyBackupAsync(new VerifyBackupRequest { BackupId = backup.Id }, cancellationToken: cancellationToken);
            do
            {
                await Task.Delay(200, cancellationToken);
                backup = await client.GetBackupAsync(new GetBackupRequest { BackupId = backup.Id }, cancellationToken: cancellationToken);
            }
            while (backup.Verification?.Status is VerificationStatus.Pending or VerificationStatus.Running);
            verified = $", verification {backup.Verification?.Status} with restore in {backup.Verification?.RestoreDuration?.ToTimeSpan().TotalSeconds:F1} s";
        }
        await client.DeleteBackupAsync(new DeleteBackupRequest { BackupId = backup.Id }, cancellationToken: cancellationToken);
        return (backup, seconds, verified);
    }

    private static async Task<bool> ExistsAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await BenchDatabase.SizeAsync(connectionString, cancellationToken);
            return true;
        }
        catch (Npgsql.PostgresException)
        {
            return false;
        }
    }

    private static long Mb(long bytes) => bytes / (1024 * 1024);

    private static double Mb(double bytes) => bytes / (1024 * 1024);

    /// <summary>VmHWM: the most resident memory this process ever used.</summary>
    private static long PeakRssMb() =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) is { } line
            ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024
            : 0;
}
