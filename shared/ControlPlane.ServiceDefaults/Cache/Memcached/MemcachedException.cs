namespace ControlPlane.ServiceDefaults.Cache.Memcached;

/// <summary>The server could not be reached or answered too late; the cache is to be treated as down.</summary>
public sealed class MemcachedUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The server answered, but with an error for this command (e.g. a value over its item size limit).</summary>
public sealed class MemcachedCommandException(string message) : Exception(message);
