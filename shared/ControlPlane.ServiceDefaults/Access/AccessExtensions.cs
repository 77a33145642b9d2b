using ControlPlane.ServiceDefaults.Access;
using ControlPlane.ServiceDefaults.Hosting;
using ControlPlane.ServiceDefaults.Tls;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class AccessExtensions
{
    /// <summary>The policy scheme every policy authenticates with; it forwards to the scheme the request carries.</summary>
    public const string Scheme = "ControlPlane";

    /// <summary>
    /// Authentication (API keys; client certificates where configured) and the role policies, with ASP.NET Core's
    /// own authentication and authorization. Anything mapped without a policy needs a viewer (the fallback), so an
    /// endpoint is open only when it says so.
    /// </summary>
    public static WebApplicationBuilder AddControlPlaneAccess(this WebApplicationBuilder builder)
    {
        var mode = builder.GetServiceMode();
        var access = builder.Configuration.GetSection(AccessOptions.SectionName).Get<AccessOptions>() ?? new AccessOptions();
        var hosting = builder.Configuration.GetSection(ControlPlaneOptions.SectionName).Get<ControlPlaneOptions>() ?? new ControlPlaneOptions();
        var tls = TlsOptions.From(builder.Configuration);
        AccessStartupCheck.Validate(mode, hosting, access, certificatesConfigured: CertificateRoles.Configured(tls, access));
        CertificateRoles.Validate(access);

        builder.Services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.SectionName);
        builder.AddControlPlaneDbContext<AccessDbContext, SqliteAccessDbContext, PostgresAccessDbContext, MySqlAccessDbContext>(AccessDbContext.Owner);
        builder.Services.AddSingleton<ProcessCredential>();
        builder.Services.AddSingleton<ClientCredential>();
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddScoped<ApiKeyAdmin>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessResultHandler>();

        var authentication = builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "ControlPlane credentials", o => o.ForwardDefaultSelector = context => CertificateRoles.SelectScheme(context, tls))
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (tls.AcceptsClientCertificates)
        {
            authentication.AddControlPlaneCertificates(tls);
        }
        builder.Services.AddAuthorization(o =>
        {
            foreach (var role in AccessRoles.All)
            {
                o.AddPolicy(role, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().AddRequirements(new RoleRequirement(role)));
            }
            o.FallbackPolicy = o.GetPolicy(AccessRoles.Viewer);
        });
        return builder;
    }

    /// <summary>The Access API and the jobs of its tables; mapped by the Registry, which serves it.</summary>
    public static IHostApplicationBuilder AddAccessApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<AuditTrimmer>();
        return builder;
    }

    public static WebApplication MapAccessApi(this WebApplication app)
    {
        app.MapGrpcService<AccessGrpcService>();
        return app;
    }

    /// <summary>The embedded default's first admin key (AllInOne): see <see cref="EmbeddedAdminKey"/>.</summary>
    public static IHostApplicationBuilder AddEmbeddedAdminKey(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<EmbeddedAdminKey>();
        return builder;
    }

    /// <summary>
    /// Calls made by this client carry this process's credential (<see cref="ClientCredential"/>), and trust
    /// ControlPlane:Tls:CaFile and present ControlPlane:Tls:ClientCertificateFile when set (<see cref="TrustedCa"/>).
    /// The channel may be plaintext on loopback or inside a trusted network.
    /// </summary>
    public static IHttpClientBuilder AddControlPlaneCredentials(this IHttpClientBuilder builder)
    {
        // Services hosted together (AllInOne) each register the same named client (RegistryClient). Call credentials
        // added twice would send two authorization headers, which the server reads as one unknown "Bearer a,Bearer a".
        if (builder.Services.Any(d => d.ImplementationInstance is CredentialedClient c && c.Name == builder.Name))
        {
            return builder;
        }
        builder.Services.AddSingleton(new CredentialedClient(builder.Name));
        return builder
            .AddCallCredentials((_, metadata, services) =>
            {
                metadata.Add("authorization", $"Bearer {services.GetRequiredService<ClientCredential>().Token}");
                return Task.CompletedTask;
            })
            .ConfigureChannel(o => o.UnsafeUseInsecureChannelCallCredentials = true)
            .AddControlPlaneTls();
    }

    /// <summary>Marks a named client that already carries the credential.</summary>
    private sealed record CredentialedClient(string Name);
}
