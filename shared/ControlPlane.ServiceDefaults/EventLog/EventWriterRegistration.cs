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
}
