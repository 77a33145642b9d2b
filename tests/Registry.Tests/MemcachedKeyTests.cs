using ControlPlane.ServiceDefaults.Cache.Memcached;

namespace ControlPlane.Registry.Tests;

public class MemcachedKeyTests
{
    [Theory]
    [InlineData("cp:registry:app:grafana")]
    [InlineData("a")]
    public void AProtocolSafeKeyIsKeptAsItIs(string key) => Assert.Equal(key, MemcachedKey.Encode(key));

    [Theory]
    [InlineData("with space")]
    [InlineData("with\r\nnewline")]
    [InlineData("tab\there")]
    [InlineData("grüße")]
    [InlineData("")]
    public void AKeyTheProtocolWouldRefuseIsHashedToASafeOne(string key)
    {
        var encoded = MemcachedKey.Encode(key);
        Assert.NotEqual(key, encoded);
        Assert.All(encoded, c => Assert.InRange(c, '!', '~'));
        Assert.Equal(encoded, MemcachedKey.Encode(key));
    }

    [Fact]
    public void LongKeysAreHashedDeterministicallyAndKeysThatShareTheirFirst250BytesStayApart()
    {
        var prefix = new string('k', 250);
        var a = MemcachedKey.Encode(prefix + "a");
        var b = MemcachedKey.Encode(prefix + "b");
        Assert.True(a.Length <= MemcachedKey.MaxLength);
        Assert.NotEqual(a, b);
        Assert.Equal(a, MemcachedKey.Encode(prefix + "a"));
        Assert.Equal(prefix, MemcachedKey.Encode(prefix));
    }

    [Fact]
    public void ALiteralKeyNeverEqualsTheHashedFormOfAnother()
    {
        var hashed = MemcachedKey.Encode(new string('x', 300));
        Assert.NotEqual(hashed, MemcachedKey.Encode(hashed));
    }
}
