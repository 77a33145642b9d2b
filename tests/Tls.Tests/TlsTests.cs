using System.Security.Cryptography.X509Certificates;
using ControlPlane.Api.V1;
using ControlPlane.ServiceDefaults.Tls;
using ControlPlane.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Tls.Tests;

public sealed class TlsTests : IAsyncLifetime
{
    private readonly TestPki _pki = new();
    private InProcessHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await InProcessHost.StartAsync(b => b.AddRegistry(), a => a.MapRegistry(), new Dictionary<string, string?>
        {
            ["ControlPlane:Tls:CertificateFile"] = _pki.CertificateFile,
            ["ControlPlane:Tls:KeyFile"] = _pki.KeyFile,
            ["ControlPlane:Tls:ClientCaFile"] = _pki.CaFile,
            ["Access:CertificateRoles:dashboard"] = "viewer",
            ["Access:CertificateRoles:deployer"] = "operator",
        }, grpcScheme: "https");

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task A_client_trusting_the_CA_calls_over_TLS_with_a_bearer_token()
    {
        using var channel = TestCredentials.Channel(_host.GrpcUrl, options: new GrpcChannelOptions { HttpHandler = Handler() });
        await new RegistryClient(channel).ListAppsAsync(new ListAppsRequest());
    }

    [Fact]
    public async Task Plaintext_to_the_TLS_port_fails()
    {
        using var channel = TestCredentials.Channel(_host.GrpcUrl.Replace("https://", "http://", StringComparison.Ordinal));
        var failure = await Assert.ThrowsAsync<RpcException>(() => new RegistryClient(channel).ListAppsAsync(new ListAppsRequest()).ResponseAsync);
        Assert.NotEqual(StatusCode.OK, failure.StatusCode);
    }

    [Fact]
    public async Task A_viewer_certificate_may_list_apps_but_not_change_one()
    {
        using var channel = CertificateChannel(_pki.Client("dashboard"));
        var client = new RegistryClient(channel);
        await client.ListAppsAsync(new ListAppsRequest());
        var denied = await Assert.ThrowsAsync<RpcException>(() => client.UpsertAppAsync(Upsert()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Contains("dashboard", denied.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_certificate_may_change_an_app()
    {
        using var channel = CertificateChannel(_pki.Client("deployer"));
        await new RegistryClient(channel).UpsertAppAsync(Upsert());
    }

    [Fact]
    public async Task A_certificate_with_an_unmapped_name_is_unauthenticated_and_told_why()
    {
        using var channel = CertificateChannel(_pki.Client("stranger"));
        var refused = await Assert.ThrowsAsync<RpcException>(() => new RegistryClient(channel).ListAppsAsync(new ListAppsRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("Access:CertificateRoles:stranger", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_https_URL_without_a_server_certificate_refuses_to_start()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            InProcessHost.StartAsync(b => b.AddRegistry(), a => a.MapRegistry(), new Dictionary<string, string?>(), grpcScheme: "https"));
        Assert.Contains("ControlPlane:Tls:CertificateFile", failure.Message, StringComparison.Ordinal);
    }

    private static UpsertAppRequest Upsert() => new() { App = new App { Name = "grafana" } };

    /// <summary>Trusts the test CA the way the services' own clients do.</summary>
    private SocketsHttpHandler Handler(X509Certificate2? client = null)
    {
        var handler = new SocketsHttpHandler();
        var authorities = PemFiles.Authorities(_pki.CaFile, "ca");
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            certificate is not null && TrustedCa.IsTrusted(authorities, certificate, errors);
        if (client is not null)
        {
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => client;
        }
        return handler;
    }

    /// <summary>A channel whose only credential is the client certificate.</summary>
    private GrpcChannel CertificateChannel(X509Certificate2 client) =>
        GrpcChannel.ForAddress(_host.GrpcUrl, new GrpcChannelOptions { HttpHandler = Handler(client) });
}
