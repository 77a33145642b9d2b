using ControlPlane.ServiceDefaults.Cache.Memcached;
using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.Extensions.Configuration;

namespace ControlPlane.Registry.Tests;

public class MemcachedEndpointTests
{
    [Theory]
    [InlineData("127.0.0.1:11211", "127.0.0.1", 11211)]
    [InlineData(" memcached:51211 ", "memcached", 51211)]
    [InlineData("[::1]:11211", "::1", 11211)]
    public void HostAndPortAreRead(string text, string host, int port) =>
        Assert.Equal(new MemcachedEndpoint(host, port), MemcachedEndpoint.Parse(text));

    [Theory]
    [InlineData("127.0.0.1", "host:port")]
    [InlineData("127.0.0.1:", "host:port")]
    [InlineData(":11211", "host:port")]
    [InlineData("127.0.0.1:0", "1 to 65535")]
    [InlineData("127.0.0.1:70000", "1 to 65535")]
    [InlineData("127.0.0.1:11211x", "1 to 65535")]
    [InlineData("a:1,b:2", "exactly one server")]
    [InlineData("::1:11211", "brackets")]
    [InlineData("user:secret@host:11211", "host:port")]
    public void AMalformedConnectionStringIsRefusedWithTheReasonAndWithoutEchoingIt(string text, string reason)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => MemcachedEndpoint.Parse(text));
        Assert.Contains("ConnectionStrings:Memcached", ex.Message);
        Assert.Contains(reason, ex.Message);
        Assert.DoesNotContain("secret", ex.Message);
    }

    [Fact]
    public void RedisAndMemcachedTogetherAreRefusedAtStart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = "127.0.0.1:6379",
            ["ConnectionStrings:Memcached"] = "127.0.0.1:11211",
        }).Build();
        var ex = Assert.Throws<InvalidOperationException>(() => ServiceMode.FromConfiguration(configuration));
        Assert.Contains("Both ConnectionStrings:Redis and ConnectionStrings:Memcached", ex.Message);
    }

    [Fact]
    public void MemcachedAloneIsTheCache()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Memcached"] = "127.0.0.1:11211",
        }).Build();
        var mode = ServiceMode.FromConfiguration(configuration);
        Assert.Equal(ServiceDefaults.Cache.CacheKind.Memcached, mode.Cache);
        Assert.Equal(new MemcachedEndpoint("127.0.0.1", 11211), mode.Memcached);
    }
}
