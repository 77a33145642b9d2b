using StackExchange.Redis;

namespace ControlPlane.ServiceDefaults.Cache;

/// <summary>How every part of the suite connects to Redis.</summary>
public static class RedisConnection
{
    public static ConfigurationOptions Options(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        // Never block start-up or a call on Redis: connect in the background, fail fast when it is down.
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 1000;
        options.AsyncTimeout = 1000;
        // While Redis is down, fail a command at once rather than queue it until the timeout: otherwise every
        // read and write waits a second for the cache before going to the database (seen: 6 calls took 12 s).
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }
}
