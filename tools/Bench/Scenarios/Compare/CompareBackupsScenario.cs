using System.Diagnostics;
using System.Globalization;
using ControlPlane.Bench.Scenarios.Backups;
using ControlPlane.Testing;
using Microsoft.Extensions.Hosting;
using BackupsClient = ControlPlane.Api.V1.Backups.BackupsClient;

namespace ControlPlane.Bench.Scenarios.Compare;

/// <summary>
/// DESIGN §12 "Backups: at least 0.9× the throughput of plain `pg_dump -Fc` on the same database", in the form of
/// the other compare scenarios: ours (a Backups backup through its gRPC API: pg_dump -Fc in a snapshot exported by
/// the service, every table's checksum computed in that snapshot meanwhile, the artifact SHA-256-hashed as it is
/// written to the repository, manifest and records written) and the peer (pg_dump -Fc to a file), in turn, on one
/// generated database. Throughput is the database's size (pg_database_size) over the wall time of each.
/// </summary>
public sealed class CompareBackupsScenario : IBenchScenario
{
    private const string Database = "cp_bench_compare_backups";

    public string Name => "compare-backups";

    public string Description => "Backups vs plain pg_dump -Fc MB/s on one database (goal >= 0.9x): --size-mb 128 --rounds 3 [--connection ADMIN-CONN] [--keep] [--reuse]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchArgs(args);
        var admin = options.Get("connection", Environment.GetEnvironmentVariable("CP_TEST_POSTGRES") ?? "");
        if (admin.Length == 0)
        {
            await Console.Error.WriteLineAsync("needs --connection or CP_TEST_POSTGRES (eval \"$(scripts/dev-services start)\")");
            return 2;
        }
        var sizeMb = options.Int("size-mb", 128);
        var rounds = Math.Max(1, options.Int("rounds", 3));
        var source = BenchDatabase.On(admin, Database);
        var folder = Directory.CreateTempSubdirectory("cp-bench-compare-backups-").FullName;
        try
        {
            var size = await PrepareAsync(admin, source, sizeMb, options.Has("reuse"), cancellationToken);
            await using var host = await InProcessHost.StartAsync(b => b.AddBackups(), a => a.MapBackups(), new Dictionary<string, string?>
            {
                ["Backups:RepositoryPath"] = Path.Combine(folder, "repository"),
                ["Backups:Targets:bench:ConnectionString"] = source,
            });
            var client = new BackupsClient(host.Channel);
            Console.WriteLine($"compare-backups: database {Mb(size):F0} MB, {rounds} rounds, ours then pg_dump -Fc in each, {Environment.ProcessorCount} cores");
            // One unmeasured backup of each first: the service's JIT and EF model warm, and the database is in the
            // page cache for both alike rather than for whichever ran second.
            await BackupThroughputScenario.BackUpAsync(client, verify: false, cancellationToken);
            await BackupThroughputScenario.PlainPgDumpAsync(source, Path.Combine(folder, "warmup.dump"), cancellationToken);
            var throughput = new Comparison("MB/s", "MB/s", higherIsBetter: true, goal: 0.9);
            for (var round = 1; round <= rounds; round++)
            {
                var ours = await BackupThroughputScenario.BackUpAsync(client, verify: false, cancellationToken);
                var peer = await BackupThroughputScenario.PlainPgDumpAsync(source, Path.Combine(folder, $"plain-{round}.dump"), cancellationToken);
                throughput.Add(round, Mb(size) / ours.Seconds, Mb(size) / peer.Seconds,
                    Invariant($"{ours.Seconds:F1} s, artifact {Mb(ours.Backup.SizeBytes):F0} MB, {ours.Backup.Manifest.Tables.Count} tables checksummed"),
                    Invariant($"{peer.Seconds:F1} s, dump {Mb(peer.Bytes):F0} MB"));
            }
            Console.WriteLine();
            return throughput.Report("pg_dump -Fc") ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            // Large, on a shared server: kept only when asked (--keep), for a later --reuse.
            if (!options.Has("keep"))
            {
                await BenchDatabase.ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", CancellationToken.None);
            }
        }
    }

    /// <returns>The database's size in bytes.</returns>
    private static async Task<long> PrepareAsync(string admin, string source, int sizeMb, bool reuse, CancellationToken cancellationToken)
    {
        if (reuse)
        {
            try
            {
                return await BenchDatabase.SizeAsync(source, cancellationToken);
            }
            catch (Npgsql.PostgresException)
            {
                // Not there: generated below.
            }
        }
        Console.WriteLine($"generating {sizeMb} MB database {Database}…");
        var clock = Stopwatch.StartNew();
        var size = await BenchDatabase.CreateAsync(admin, Database, sizeMb * 1024L * 1024, cancellationToken);
        Console.WriteLine($"  {Mb(size):F0} MB in {clock.Elapsed.TotalSeconds:F0} s");
        return size;
    }

    private static double Mb(double bytes) => bytes / (1024 * 1024);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
