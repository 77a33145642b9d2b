using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Playwright;

namespace Dashboard.Tests;

/// <summary>
/// A real AllInOne with its demo fleet (three DemoApp instances under Agents) and a real headless Chromium (Debian's,
/// driven by Playwright): shared by the tests of the collection, and all of it stopped when they are done, failed or not.
/// </summary>
public sealed class DashboardSuite : IAsyncLifetime
{
    /// <summary>Debian's chromium; scripts/test installs it. Playwright downloads no browser.</summary>
    public const string Chromium = "/usr/bin/chromium";

    private readonly string _folder = Directory.CreateTempSubdirectory("cp-dashboard-").FullName;
    private IPlaywright? _playwright;

    public ServiceProcess AllInOne { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public GrpcChannel Admin { get; private set; } = null!;
    public int FirstDemoPort { get; private set; }

    /// <summary>Where screenshots are kept: the repository's TestResults (scripts/test's results folder, git-ignored).</summary>
    public static string Artifacts { get; } = Path.Combine(RepoPaths.Root, "TestResults", "Dashboard");

    public string DashboardUrl => $"{AllInOne.HttpUrl}/dashboard";

    public async Task InitializeAsync()
    {
        FirstDemoPort = FreePorts.NextOfThree();
        AllInOne = ServiceProcess.Start("ControlPlane.AllInOne", new Dictionary<string, string>
        {
            ["ConnectionStrings__ControlPlane"] = $"Data Source={Path.Combine(_folder, "controlplane.db")}",
            ["Demo__FirstPort"] = $"{FirstDemoPort}",
            ["Demo__StateFolder"] = Path.Combine(_folder, "demo"),
            ["Backups__RepositoryPath"] = Path.Combine(_folder, "backups"),
            ["XDG_CONFIG_HOME"] = Path.Combine(_folder, "config"),
        }, "--demo");
        await AllInOne.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        Admin = TestCredentials.Channel(AllInOne.GrpcUrl);
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                var set = await new ControlPlane.Api.V1.HealthProbe.HealthProbeClient(Admin).GetReadySetAsync(new GetReadySetRequest { App = "demo" });
                return set.Members.Count == 3;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
            {
                // The demo app is made once the services are up, a moment after /readyz answers.
                return false;
            }
        }, TimeSpan.FromSeconds(90), "the demo fleet ready", () => Tail(AllInOne.Output));

        Directory.CreateDirectory(Artifacts);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true });
    }

    /// <summary>A fresh browser context (no cookie) on the dashboard, signed in with <paramref name="key"/>.</summary>
    public async Task<IPage> SignedInPageAsync(string key)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(DashboardUrl);
        await page.FillAsync("#login-key", key);
        await page.ClickAsync("#login-submit");
        await page.WaitForSelectorAsync("#nav:not([hidden])");
        return page;
    }

    /// <summary>A key of its own with <paramref name="role"/>, made through the Access API.</summary>
    public async Task<string> KeyAsync(string name, Role role)
    {
        var created = await new ControlPlane.Api.V1.Access.AccessClient(Admin).CreateApiKeyAsync(new CreateApiKeyRequest { Name = name, Role = role });
        return created.Token;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        Admin?.Dispose();
        if (AllInOne is not null)
        {
            await AllInOne.DisposeAsync();
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A demo instance may still be closing its files; the folder is under /tmp.
        }
    }

    public static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
