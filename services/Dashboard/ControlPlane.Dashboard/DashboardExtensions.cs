using ControlPlane.Dashboard;
using ControlPlane.Dashboard.Api;
using ControlPlane.Dashboard.Assets;
using ControlPlane.Dashboard.Auth;
using ControlPlane.Dashboard.Doctor;
using ControlPlane.Dashboard.Live;
using ControlPlane.ServiceDefaults.Access;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class DashboardExtensions
{
    public const string Path = "/dashboard";

    /// <summary>
    /// The dashboard: its gRPC clients (calling as the signed-in user), the sign-in cookie and its role policies.
    /// Hosted in AllInOne on its HTTP port, or by ControlPlane.Dashboard.Host beside an HA suite.
    /// </summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName);
        var options = builder.Configuration.GetSection(DashboardOptions.SectionName).Get<DashboardOptions>() ?? new DashboardOptions();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<DashboardAddresses>();
        builder.Services.AddScoped<DashboardClients>();
        builder.Services.AddSingleton<DashboardChannels>();

        builder.AddDashboardKeyRing(options);
        builder.Services.AddAuthentication().AddCookie(DashboardUser.Scheme, cookie =>
        {
            cookie.Cookie.Name = "cp_dashboard";
            cookie.Cookie.Path = Path;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = options.SessionIdleTimeout;
            cookie.SlidingExpiration = true;
            // An API answers in status codes; the page shows its sign-in form on a 401.
            cookie.Events.OnRedirectToLogin = context => Status(context.Response, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => Status(context.Response, StatusCodes.Status403Forbidden);
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(DashboardUser.ViewerPolicy, p => p.AddAuthenticationSchemes(DashboardUser.Scheme).RequireAuthenticatedUser()
                .AddRequirements(new RoleRequirement(AccessRoles.Viewer)))
            .AddPolicy(DashboardUser.OperatorPolicy, p => p.AddAuthenticationSchemes(DashboardUser.Scheme).RequireAuthenticatedUser()
                .AddRequirements(new RoleRequirement(AccessRoles.Operator)));
        return builder;
    }

    /// <summary>The pages at /dashboard, the JSON API and event streams under /dashboard/api.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        DashboardAssets.Map(app, Path);
        var api = app.MapGroup($"{Path}/api").RequireAuthorization(DashboardUser.ViewerPolicy);
        SignInEndpoints.Map(api);
        ReadEndpoints.Map(api);
        EventEndpoints.Map(api);
        DoctorEndpoint.Map(api);
        // The operator's policy on top of the viewer's; and every POST (sign-in included) must come from the page.
        var actions = api.MapGroup("").RequireAuthorization(DashboardUser.OperatorPolicy);
        ActionEndpoints.Map(actions);
        api.AddEndpointFilter<SameOriginFilter>();
        return app;
    }

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
