using System.Net;
using System.Text.Json;
using ControlPlane.Api.V1;
using ControlPlane.Testing;

namespace Dashboard.Tests;

/// <summary>The event streams resume after the last revision the browser saw (Last-Event-ID), so nothing is lost while away.</summary>
[Collection(nameof(DashboardCollection))]
public sealed class LiveResumeTests(DashboardSuite suite)
{
    [Fact]
    public async Task AStreamReopenedWithTheLastEventIdSendsTheChangesMadeWhileDisconnectedAndNothingBefore()
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(suite.AllInOne.HttpUrl) };
        var login = new HttpRequestMessage(HttpMethod.Post, "/dashboard/api/login")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { key = TestCredentials.AdminToken }), System.Text.Encoding.UTF8, "application/json"),
        };
        login.Headers.Add("X-Dashboard-Request", "1");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(login)).StatusCode);
        using var page = JsonDocument.Parse(await http.GetStringAsync("/dashboard/api/apps/demo"));
        var revision = page.RootElement.GetProperty("instancesRevision").GetString();
        var registry = new ControlPlane.Api.V1.Registry.RegistryClient(suite.Admin);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // Connected from the page's revision: the drain arrives live, with its revision as the event id.
        string lastSeen;
        using (var stream = await EventStreamReader.OpenAsync(http, $"/dashboard/api/events/instances?app=demo&from={revision}", null, timeout.Token))
        {
            await registry.SetDrainAsync(new SetDrainRequest { InstanceId = "demo-2", Draining = true, Reason = "resume test" });
            var drained = await NextDrainAsync(stream, "demo-2", timeout.Token);
            Assert.True(drained.Instance.Draining);
            lastSeen = drained.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // Disconnected: a change nobody is streaming. Reconnected as EventSource does (Last-Event-ID; the page's
        // original ?from= still in the URL, which the header overrides): that change comes first, nothing seen before.
        await registry.SetDrainAsync(new SetDrainRequest { InstanceId = "demo-2", Draining = false, Reason = "resume test" });
        using (var stream = await EventStreamReader.OpenAsync(http, $"/dashboard/api/events/instances?app=demo&from={revision}", lastSeen, timeout.Token))
        {
            var first = await stream.NextAsync(timeout.Token);
            Assert.True(long.Parse(first.Id!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(lastSeen, System.Globalization.CultureInfo.InvariantCulture),
                $"event {first.Id} replayed although the browser saw {lastSeen}");
            var undrained = Parse(first).Type == InstanceEventType.DrainChanged ? Parse(first) : await NextDrainAsync(stream, "demo-2", timeout.Token);
            Assert.Equal("demo-2", undrained.Instance.InstanceId);
            Assert.False(undrained.Instance.Draining);
        }
    }

    private static async Task<InstanceEvent> NextDrainAsync(EventStreamReader stream, string instanceId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var e = Parse(await stream.NextAsync(cancellationToken));
            if (e.Type == InstanceEventType.DrainChanged && e.Instance.InstanceId == instanceId)
            {
                return e;
            }
        }
    }

    private static InstanceEvent Parse(ServerSentEvent e)
    {
        Assert.Equal("instance", e.Type);
        var parsed = Google.Protobuf.JsonParser.Default.Parse<InstanceEvent>(e.Data);
        Assert.Equal(e.Id, parsed.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return parsed;
    }
}
