using System.Security.Cryptography;

namespace ControlPlane.Testing;

/// <summary>A broker user of its own with full permissions on one vhost, as deploy/ gives a role's user. Deleted at dispose.</summary>
public sealed class RabbitMqUser : IAsyncDisposable
{
    private RabbitMqUser(string name, string password, RabbitMqVhost vhost)
    {
        Name = name;
        Password = password;
        Vhost = vhost;
    }

    public string Name { get; }
    public string Password { get; }
    public RabbitMqVhost Vhost { get; }

    /// <summary>amqp:// URI of the vhost as this user.</summary>
    public string ConnectionString => new UriBuilder(Vhost.ConnectionString) { UserName = Name, Password = Password }.Uri.ToString();

    public static async Task<RabbitMqUser> CreateAsync(RabbitMqVhost vhost, string role)
    {
        var user = new RabbitMqUser($"{role}-{Guid.NewGuid():N}"[..(role.Length + 9)], Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), vhost);
        await Broker.CtlAsync("add_user", user.Name, user.Password);
        await Broker.CtlAsync("set_permissions", "-p", vhost.Name, user.Name, ".*", ".*", ".*");
        return user;
    }

    public async ValueTask DisposeAsync() => await Broker.CtlAsync("delete_user", Name);
}
