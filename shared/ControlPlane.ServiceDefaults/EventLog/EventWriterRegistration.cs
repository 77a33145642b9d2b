using ControlPlane.ServiceDefaults.EventLog;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class EventWriterRegistration
{
    /// <summary>The outbox dispatcher, change notifier and <see cref="EventWriter{TContext}"/> of a service's context.</summary>
    public static IHostApplicationBuilder AddEventWriter<TContext>(this IHostApplicationBuilder builder) where TContext : DbContext
    {
        builder.AddOutboxDispatcher<TContext>();
        builder.Services.AddSingleton<ChangeNotifier<TContext>>();
        builder.Services.AddScoped<EventWriter<TContext>>();
        return builder;
    }

    /// <summary>Trims the context's event log to <paramref name="retention"/> (read each round), under the lease named.</summary>
    public static IHostApplicationBuilder AddEventLogTrimmer<TContext>(this IHostApplicationBuilder builder, string leaseName,
        Func<IServiceProvider, TimeSpan> retention) where TContext : DbContext
    {
        builder.Services.AddSingleton(sp => new EventLogTrimming<TContext>(leaseName, () => retention(sp)));
        builder.Services.AddHostedService<EventLogTrimmer<TContext>>();
        return builder;
    }
}
