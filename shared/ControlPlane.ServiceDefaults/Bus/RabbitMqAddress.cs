namespace ControlPlane.ServiceDefaults.Hosting;

/// <summary>An amqp:// URI taken apart, so credentials go to the client and never into a log line.</summary>
public sealed record RabbitMqAddress(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    public static RabbitMqAddress Parse(string connectionString)
    {
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "rabbitmq"))
        {
            throw new InvalidOperationException("ConnectionStrings:RabbitMq must be an amqp://user:password@host:port/vhost URI.");
        }
        var credentials = uri.UserInfo.Split(':', 2);
        var user = credentials.Length > 0 && credentials[0].Length > 0 ? Uri.UnescapeDataString(credentials[0]) : "guest";
        var password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "guest";
        var vhost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new RabbitMqAddress(uri.Host, (ushort)(uri.IsDefaultPort ? 5672 : uri.Port), vhost.Length == 0 ? "/" : vhost, user, password);
    }
}
