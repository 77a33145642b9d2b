using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ControlPlane.Api.Credentials;
using Grpc.Core;
using Grpc.Net.Client;

namespace ControlPlane.Cpctl;

/// <summary>
/// How cpctl proves who it is: --token, else CPCTL_TOKEN, else the admin key a local embedded control plane at this
/// address wrote for it (README's first command). TLS trusts the system's CAs, or only --ca-file's.
/// </summary>
public static class Credentials
{
    public static string? Token(string? given, Uri address) =>
        given is { Length: > 0 } ? given.Trim()
        : Environment.GetEnvironmentVariable("CPCTL_TOKEN") is { Length: > 0 } env ? env.Trim()
        : IsLoopback(address) ? LocalTokens.Find(address)
        : null;

    public static GrpcChannel Channel(Uri address, string? token, string? caFile)
    {
        var sockets = new SocketsHttpHandler();
        if (caFile is { Length: > 0 })
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(caFile);
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null && TrustedBy(authority, new X509Certificate2(certificate), errors);
        }
        var options = new GrpcChannelOptions { HttpHandler = new UserAgentHandler(sockets) };
        if (token is not null)
        {
            var call = CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", $"Bearer {token}");
                return Task.CompletedTask;
            });
            options.Credentials = ChannelCredentials.Create(address.Scheme == "https" ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure, call);
            // Plaintext is for loopback and trusted networks; the suite refuses plaintext beyond them unless configured.
            options.UnsafeUseInsecureChannelCallCredentials = true;
        }
        return GrpcChannel.ForAddress(address, options);
    }

    /// <summary>The server's chain ends at the given CA (and the name matched: no other error than an unknown root).</summary>
    private static bool TrustedBy(X509Certificate2 authority, X509Certificate2 server, SslPolicyErrors errors)
    {
        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }

    private static bool IsLoopback(Uri address) =>
        address.IsLoopback || address.Host is "127.0.0.1" or "[::1]";
}
