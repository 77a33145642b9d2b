using ControlPlane.Dashboard;
using ControlPlane.ServiceDefaults.Cache;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Where the keys that encrypt the sign-in cookie live, so that every replica of the dashboard behind a load
/// balancer reads the cookie another one wrote: Dashboard:DataProtectionKeysPath (a shared folder) when set, else
/// Redis when ConnectionStrings:Redis is (the HA suite's shared cache), else this machine's own key ring (one replica).
/// </summary>
public static class DashboardKeyRing
{
    public const string RedisKey = "controlplane:dashboard:data-protection-keys";

    public static void AddDashboardKeyRing(this IHostApplicationBuilder builder, DashboardOptions options)
    {
        var protection = builder.Services.AddDataProtection().SetApplicationName("ControlPlane.Dashboard");
        if (options.DataProtectionKeysPath.Length > 0)
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(options.DataProtectionKeysPath));
        }
        else if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((keys, services) =>
            {
                // The suite's own connection where the process has one (AllInOne); the dashboard host opens its own.
                var connection = new Lazy<IConnectionMultiplexer>(() =>
                    services.GetService<IConnectionMultiplexer>() ?? ConnectionMultiplexer.Connect(RedisConnection.Options(redis)));
                keys.XmlRepository = new RedisXmlRepository(() => connection.Value.GetDatabase(), RedisKey);
            });
        }
    }
}
