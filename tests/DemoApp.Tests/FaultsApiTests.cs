using ControlPlane.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace ControlPlane.DemoApp.Tests;

public class FaultsApiTests
{
    [Fact]
    public async Task FaultChangesMergeIntoTheCurrentState()
    {
        await using var app = await DemoAppProcess.StartAsync();

        await app.SetFaultsAsync(new { readiness = "fail" });
        await app.SetFaultsAsync(new { delayMs = 20 });
        Assert.Equal(new FaultsView("fail", "ok", 20, false), await app.Http.GetFromJsonAsync<FaultsView>("/faults"));

        await app.SetFaultsAsync(new { readiness = "ok", database = "down" });
        Assert.Equal(new FaultsView("ok", "down", 20, false), await app.Http.GetFromJsonAsync<FaultsView>("/faults"));
    }

    [Fact]
    public async Task BadFaultRequestsAreAnswered400WithAMessageAndChangeNothing()
    {
        await using var app = await DemoAppProcess.StartAsync();
        string[] bodies =
        [
            "{bad", "", "null", "[]",
            """{"readiness":"maybe"}""", """{"database":"up"}""", """{"delayMs":-1}""",
            """{"hang":"yes"}""", """{"exitCode":300}""", """{"delay":5}""",
        ];

        foreach (var body in bodies)
        {
            using var response = await app.Http.PostAsync("/faults", new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body} → {(int)response.StatusCode} {text}");
            Assert.Contains("\"error\"", text);
        }
        Assert.Equal(new FaultsView("ok", "ok", 0, false), await app.Http.GetFromJsonAsync<FaultsView>("/faults"));
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task ExitCodeMakesTheProcessExitWithThatCodeAfterAnswering()
    {
        await using var app = await DemoAppProcess.StartAsync();

        await app.SetFaultsAsync(new { exitCode = 7 });

        Assert.Equal(7, await app.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }
}
