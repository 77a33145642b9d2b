using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.Tests;

/// <summary>The dashboard in a real headless Chromium against a real AllInOne with its demo fleet.</summary>
[Collection(nameof(DashboardCollection))]
public sealed class DashboardTests(DashboardSuite suite, ITestOutputHelper output)
{
    private static readonly string[] InFlight = ["DRAINING", "APPLYING", "WAITING_HEALTHY", "VERIFYING", "UNDRAINING"];

    // Records every phase the page shows and when a health cell changes, as the page's own DOM changes arrive.
    private const string Recorder = """
        () => {
          window.__phases = new Set();
          const seen = () => document.querySelectorAll("[data-step] [data-field=phase]").forEach(n => window.__phases.add(n.textContent));
          seen();
          new MutationObserver(seen).observe(document.body, { childList: true, subtree: true });
        }
        """;

    [Fact]
    public async Task TheFleetAppearsARolloutStartedFromThePageMovesLiveToSucceededAndAKilledInstanceTurnsUnhealthyInTime()
    {
        var page = await suite.SignedInPageAsync(TestCredentials.AdminToken);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        try
        {
            // The demo fleet: three instances, all in the ready set, no drift.
            var demo = page.Locator("tr[data-app=demo]");
            await Expect(demo.Locator("[data-field=instances]")).ToHaveTextAsync("3");
            await Expect(demo.Locator("[data-field=ready]")).ToContainTextAsync("3/3");
            await Expect(demo.Locator("[data-field=drift]")).ToContainTextAsync("in sync");

            // A rollout started from the page (confirmed), then followed on its own page without a reload.
            await page.ClickAsync("a[href='#/rollouts']");
            await page.SelectOptionAsync("#start-rollout select[name=app]", "demo");
            await page.FillAsync("#start-rollout input[name=version]", "1.1.0");
            await page.ClickAsync("#start-rollout button[type=submit]");
            await page.WaitForURLAsync("**#/rollouts/*");
            await page.EvaluateAsync(Recorder);
            var eventsBefore = await page.EvaluateAsync<int>("() => window.dashboard.events");
            await Expect(page.Locator("#rollout-state")).ToHaveTextAsync("SUCCEEDED", new() { Timeout = 120_000 });
            var phases = await page.EvaluateAsync<string[]>("() => [...window.__phases]");
            output.WriteLine($"phases shown: {string.Join(", ", phases)}");
            Assert.Contains(phases, InFlight.Contains);
            await Expect(page.Locator("[data-step] [data-field=phase]")).ToHaveTextAsync(["DONE", "DONE", "DONE"]);
            await Expect(page.Locator("#rollout-done")).ToHaveTextAsync("3/3");
            Assert.True(await page.EvaluateAsync<int>("() => window.dashboard.events") - eventsBefore >= 10, "the steps moved through live events");
            Assert.Equal(1, await page.Locator("#progress-chart polyline[data-series='instances done']").CountAsync());
            await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardSuite.Artifacts, "rollout-succeeded.png"), FullPage = true });

            // An instance killed: its row turns UNHEALTHY within interval × fall + 1 s.
            await page.GotoAsync($"{suite.DashboardUrl}#/apps/demo");
            var health = page.Locator("tr[data-instance=demo-3] [data-field=health]");
            await Expect(health).ToHaveTextAsync("HEALTHY");
            await Expect(page.Locator("tr[data-instance=demo-3] [data-field=version]")).ToContainTextAsync("1.1.0");
            // Every live feed of the page connected (instances; health with its probes) before the kill.
            await page.WaitForFunctionAsync("() => window.dashboard.sources.length === 2 && window.dashboard.sources.every(s => s.readyState === 1)");
            // No polling: with the feeds open, the latency chart grows from the probes they send, and the page asks for nothing.
            var requests = new List<string>();
            page.Request += (_, request) => requests.Add(request.Url);
            await page.WaitForFunctionAsync(
                "() => (document.querySelector(\"#latency-chart polyline[data-series='demo-1']\")?.getAttribute('points') || '').split(' ').length >= 4",
                null, new() { Timeout = 15_000 });
            Assert.Empty(requests);
            var spec = (await new ControlPlane.Api.V1.Registry.RegistryClient(suite.Admin).GetAppAsync(new GetAppRequest { Name = "demo" })).HealthCheck;
            var limit = spec.Interval.ToTimeSpan() * spec.Fall + TimeSpan.FromSeconds(1);
            var clock = Stopwatch.StartNew();
            DemoInstances.Kill(suite.AllInOne.Id, "demo-3");
            await Expect(health).ToHaveTextAsync("UNHEALTHY", new() { Timeout = 15_000 });
            var took = clock.Elapsed;
            output.WriteLine($"UNHEALTHY on the page {took.TotalMilliseconds:F0} ms after the kill (limit {limit.TotalMilliseconds:F0} ms)");
            Assert.True(took <= limit, $"the page showed UNHEALTHY {took.TotalMilliseconds:F0} ms after the kill, more than {limit.TotalMilliseconds:F0} ms");
            await Expect(page.Locator("tr[data-instance=demo-3]")).ToContainTextAsync("CONNECTION_FAILED");
            // The latency chart drew a line per instance from the probes it was sent.
            await Expect(page.Locator("#latency-chart polyline")).ToHaveCountAsync(3);
            await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardSuite.Artifacts, "instance-unhealthy.png"), FullPage = true });
        }
        catch
        {
            await KeepFailureAsync(page, "rollout-failure.png");
            throw;
        }
    }

    // The AllInOne's last log lines and what the page showed; a failing screenshot must not hide the test's own failure.
    private async Task KeepFailureAsync(IPage page, string screenshot)
    {
        output.WriteLine(DashboardSuite.Tail(suite.AllInOne.Output));
        // What the API says, to tell a page that missed an update from an operation that failed.
        var backups = await new ControlPlane.Api.V1.Backups.BackupsClient(suite.Admin).ListBackupsAsync(new ListBackupsRequest());
        output.WriteLine($"backups: {backups}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardSuite.Artifacts, screenshot), FullPage = true, Timeout = 10_000 })
            .ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task AnOperatorDrainsAndUndrainsFromThePageTakesAVerifiedBackupAndSeesTheDoctorChecks()
    {
        var operatorKey = await suite.KeyAsync("dashboard-operator", Role.Operator);
        var page = await suite.SignedInPageAsync(operatorKey);
        var questions = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            questions.Add(dialog.Message);
            await dialog.AcceptAsync();
        };
        var registry = new ControlPlane.Api.V1.Registry.RegistryClient(suite.Admin);
        try
        {
            await page.GotoAsync($"{suite.DashboardUrl}#/apps/demo");
            var drain = page.Locator("tr[data-instance=demo-1] [data-field=drain]");
            await Expect(drain).ToContainTextAsync("serving");
            await page.ClickAsync("tr[data-instance=demo-1] [data-action=drain]");
            await Expect(drain).ToContainTextAsync("draining");
            Assert.True((await registry.GetInstanceAsync(new GetInstanceRequest { InstanceId = "demo-1" })).Draining);
            await page.ClickAsync("tr[data-instance=demo-1] [data-action=drain]");
            await Expect(drain).ToContainTextAsync("serving");
            Assert.False((await registry.GetInstanceAsync(new GetInstanceRequest { InstanceId = "demo-1" })).Draining);
            Assert.Equal(2, questions.Count(q => q.Contains("demo-1", StringComparison.Ordinal)));

            // A backup from the page (verified after it is taken): its row follows WatchBackups to PASSED.
            await page.ClickAsync("a[href='#/backups']");
            await page.ClickAsync("[data-action=create-backup]");
            var row = page.Locator("tr[data-backup]").First;
            await Expect(row.Locator("[data-field=status]")).ToHaveTextAsync("SUCCEEDED", new() { Timeout = 60_000 });
            await Expect(row.Locator("[data-field=verification]")).ToContainTextAsync("PASSED", new() { Timeout = 60_000 });
            var backups = await new ControlPlane.Api.V1.Backups.BackupsClient(suite.Admin).ListBackupsAsync(new ListBackupsRequest());
            Assert.Contains(backups.Backups, b => b.Initiator == "dashboard-operator (dashboard)" && b.Verification?.Status == VerificationStatus.Passed);
            await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardSuite.Artifacts, "backups.png"), FullPage = true });

            // The doctor page runs cpctl's checks.
            await page.ClickAsync("a[href='#/doctor']");
            await Expect(page.Locator("tr[data-check='replicas reachable']")).ToContainTextAsync("pass");
            await Expect(page.Locator("tr[data-check='demo: configuration in sync']")).ToBeVisibleAsync();
        }
        catch
        {
            await KeepFailureAsync(page, "operator-failure.png");
            throw;
        }
    }

    [Fact]
    public async Task BadInputAndTheApisRefusalsAreShownInWords()
    {
        var page = await suite.SignedInPageAsync(TestCredentials.AdminToken);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.ClickAsync("a[href='#/rollouts']");
        var error = page.Locator("#start-error");

        // The page's own check names the field; nothing reaches the API.
        await page.ClickAsync("#start-rollout button[type=submit]");
        await Expect(error).ToHaveTextAsync("InvalidArgument: version: the version to roll out is required");

        // The API's InvalidArgument, with its field violation, as the API words it.
        await page.FillAsync("#start-rollout input[name=version]", new string('9', 200));
        await page.ClickAsync("#start-rollout button[type=submit]");
        await Expect(error).ToContainTextAsync("InvalidArgument: target.version");
        // The JSON API names the field it could not read.
        var unreadable = await page.EvaluateAsync<string[]>("""
            async () => {
              const r = await fetch("/dashboard/api/rollouts", { method: "POST",
                headers: { "Content-Type": "application/json", "X-Dashboard-Request": "1" }, body: '{"app":"demo","version":"1.2","maxParallel":"two"}' });
              return [String(r.status), (await r.json()).violations[0].field];
            }
            """);
        Assert.Equal(["400", "maxParallel"], unreadable);

        var active = await new ControlPlane.Api.V1.Rollouts.RolloutsClient(suite.Admin).ListRolloutsAsync(new ListRolloutsRequest
        {
            App = "demo",
            States = { RolloutState.Pending, RolloutState.Running },
        });
        Assert.Empty(active.Rollouts);
    }

    [Fact]
    public async Task AViewerSeesTheFleetButMayNotActAndNoActionWorksWithoutThePageOrASignIn()
    {
        var viewer = await suite.KeyAsync("dashboard-viewer", Role.Viewer);
        var page = await suite.SignedInPageAsync(viewer);
        await Expect(page.Locator("#user")).ToHaveTextAsync("dashboard-viewer (viewer)");
        await page.GotoAsync($"{suite.DashboardUrl}#/apps/demo");
        var drain = page.Locator("tr[data-instance=demo-1] [data-action=drain]");
        await Expect(drain).ToBeDisabledAsync();

        // Posted anyway (from the page's origin, with its header): refused, naming the role it needs; nothing changes.
        var refused = await page.EvaluateAsync<string[]>("""
            async () => {
              const r = await fetch("/dashboard/api/instances/demo-1/drain", { method: "POST",
                headers: { "Content-Type": "application/json", "X-Dashboard-Request": "1" }, body: JSON.stringify({ draining: true }) });
              return [String(r.status), await r.text()];
            }
            """);
        Assert.Equal("403", refused[0]);
        Assert.Contains("needs role operator", refused[1]);
        var instance = await new ControlPlane.Api.V1.Registry.RegistryClient(suite.Admin).GetInstanceAsync(new GetInstanceRequest { InstanceId = "demo-1" });
        Assert.False(instance.Draining);

        // Without the dashboard's header (a cross-site form) or without a sign-in, nothing is done either.
        using var anonymous = new HttpClient { BaseAddress = new Uri(suite.AllInOne.HttpUrl) };
        var noSignIn = await anonymous.PostAsync("/dashboard/api/instances/demo-1/drain", JsonBody("""{"draining":true}"""));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, noSignIn.StatusCode);
        var withoutHeader = await page.EvaluateAsync<int>("""
            async () => (await fetch("/dashboard/api/logout", { method: "POST" })).status
            """);
        Assert.Equal(403, withoutHeader);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/dashboard/api/apps")).StatusCode);
        // The shell is open but holds no data; its policy lets it reach this origin only (no CDN, no call out).
        var shell = await anonymous.GetAsync("/dashboard");
        Assert.Contains("default-src 'self'", shell.Headers.GetValues("Content-Security-Policy").Single());
    }

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
