using System.Collections.Concurrent;
using System.Threading.Channels;
using ControlPlane.Api.V1;
using ControlPlane.Contracts;
using ControlPlane.ServiceDefaults.Bus;
using ControlPlane.ServiceDefaults.Hosting;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ControlPlane.HealthProbe.State;

/// <summary>
/// Every counted probe, live, for WatchHealth's <c>include_probes</c>: this replica's probes go straight to its
/// watchers, other replicas' come over the bus. Nothing is stored. So that the bus carries only probes somebody
/// looks at, a replica with such watchers announces their apps (<see cref="HealthProbeInterest"/>) and every replica
/// publishes its probes of those apps in one <see cref="HealthProbesObserved"/> a second.
/// A watcher that lags loses its oldest samples; the probing itself never waits.
/// </summary>
public sealed class ProbeFeed(BestEffortPublisher bus, IOptions<ControlPlaneOptions> host, TimeProvider clock) : BackgroundService
{
    public static readonly TimeSpan FlushPeriod = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan InterestPeriod = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan InterestLifetime = InterestPeriod * 3;
    private const int WatcherBuffer = 1024;
    // 10,000 targets at a 1 s interval fit in one batch; beyond that a batch is cut, never queued up.
    private const int MaxBatch = 20_000;

    private readonly ConcurrentDictionary<Watcher, byte> _watchers = new();
    // App ("" = every app) → until when another replica wants its probes.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _remoteInterest = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ProbeObservation> _outgoing = new();
    private DateTimeOffset _interestSent = DateTimeOffset.MinValue;

    private string Replica => host.Value.InstanceId;

    /// <summary>Samples of the matched instances (empty <paramref name="app"/>: every app) until disposed.</summary>
    public Watcher Subscribe(string app, string instanceId)
    {
        var watcher = new Watcher(app, instanceId, w => _watchers.TryRemove(w, out _));
        var newApp = !_watchers.Keys.Any(w => w.App == app || w.App.Length == 0);
        _watchers[watcher] = 0;
        if (newApp)
        {
            // At once, not at the next period: the other replicas' probes should reach a new chart within a second or two.
            AnnounceInterest();
        }
        return watcher;
    }

    /// <summary>A probe round this replica counted.</summary>
    public void Observed(string instanceId, string app, DateTime at, TimeSpan latency, bool passed)
    {
        if (_watchers.IsEmpty && _remoteInterest.IsEmpty)
        {
            return; // nobody looks: the common case costs one check
        }
        if (!_watchers.IsEmpty)
        {
            Deliver(new ProbeSample
            {
                InstanceId = instanceId, App = app, CheckedAt = Timestamp.FromDateTime(at), Latency = Duration.FromTimeSpan(latency),
                Passed = passed, ProberId = Replica,
            });
        }
        if ((_remoteInterest.ContainsKey(app) || _remoteInterest.ContainsKey("")) && _outgoing.Count < MaxBatch)
        {
            _outgoing.Enqueue(new ProbeObservation(instanceId, app, at, latency.TotalMilliseconds, passed));
        }
    }

    /// <summary>Another replica's probes (from the bus).</summary>
    public void Receive(HealthProbesObserved message)
    {
        if (message.Replica == Replica || message.Probes is null)
        {
            return;
        }
        foreach (var probe in message.Probes.Where(p => p is { InstanceId.Length: > 0, App: not null }))
        {
            Deliver(new ProbeSample
            {
                InstanceId = probe.InstanceId, App = probe.App, CheckedAt = Timestamp.FromDateTimeOffset(probe.CheckedAt),
                Latency = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(Math.Max(0, probe.LatencyMs))), Passed = probe.Passed,
                ProberId = message.Replica ?? "",
            });
        }
    }

    /// <summary>Another replica's watchers (from the bus).</summary>
    public void Receive(HealthProbeInterest message)
    {
        if (message.Replica == Replica || message.Apps is null)
        {
            return;
        }
        foreach (var app in message.Apps)
        {
            _remoteInterest.AddOrUpdate(app ?? "", message.Until, (_, until) => until > message.Until ? until : message.Until);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushPeriod, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var batch = new List<ProbeObservation>();
            while (batch.Count < MaxBatch && _outgoing.TryDequeue(out var probe))
            {
                batch.Add(probe);
            }
            if (batch.Count > 0)
            {
                bus.Publish(new HealthProbesObserved(Replica, batch));
            }
            var now = clock.GetUtcNow();
            foreach (var (app, until) in _remoteInterest.Where(i => i.Value < now))
            {
                _remoteInterest.TryRemove(new KeyValuePair<string, DateTimeOffset>(app, until));
            }
            if (!_watchers.IsEmpty && now - _interestSent >= InterestPeriod)
            {
                AnnounceInterest();
            }
        }
    }

    private void AnnounceInterest()
    {
        var apps = _watchers.Keys.Select(w => w.App).Distinct().ToList();
        if (apps.Count == 0)
        {
            return;
        }
        _interestSent = clock.GetUtcNow();
        bus.Publish(new HealthProbeInterest(Replica, apps.Contains("") ? [""] : apps, _interestSent + InterestLifetime));
    }

    private void Deliver(ProbeSample sample)
    {
        // Enumerating the dictionary itself takes no lock and copies nothing (its Keys would, on every probe).
        foreach (var (watcher, _) in _watchers)
        {
            watcher.Offer(sample);
        }
    }

    /// <summary>One watch's feed of samples.</summary>
    public sealed class Watcher : IDisposable
    {
        private readonly Channel<ProbeSample> _samples =
            Channel.CreateBounded<ProbeSample>(new BoundedChannelOptions(WatcherBuffer) { FullMode = BoundedChannelFullMode.DropOldest });
        private readonly Action<Watcher> _dispose;

        internal Watcher(string app, string instanceId, Action<Watcher> dispose)
        {
            App = app;
            InstanceId = instanceId;
            _dispose = dispose;
        }

        public string App { get; }
        public string InstanceId { get; }
        public ChannelReader<ProbeSample> Samples => _samples.Reader;

        internal void Offer(ProbeSample sample)
        {
            if ((App.Length == 0 || App == sample.App) && (InstanceId.Length == 0 || InstanceId == sample.InstanceId))
            {
                _samples.Writer.TryWrite(sample);
            }
        }

        public void Dispose()
        {
            _dispose(this);
            _samples.Writer.TryComplete();
        }
    }
}
