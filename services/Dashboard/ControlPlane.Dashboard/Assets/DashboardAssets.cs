using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ControlPlane.Dashboard.Assets;

/// <summary>
/// The page's files, embedded in this assembly (wwwroot/): served with a content security policy that lets the page
/// load and connect to this origin only, so it works offline and never calls out.
/// </summary>
public static class DashboardAssets
{
    public const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static readonly FrozenDictionary<string, string> Types = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, byte[]> Files = Load();

    public static void Map(IEndpointRouteBuilder routes, string prefix)
    {
        // The shell holds no data (every read is an authorized API call), so it is open and shows the sign-in form.
        routes.MapGet(prefix, (HttpContext context) => Serve(context, "index.html")).AllowAnonymous();
        routes.MapGet($"{prefix}/assets/{{file}}", (HttpContext context, string file) => Serve(context, file)).AllowAnonymous();
    }

    private static IResult Serve(HttpContext context, string file)
    {
        if (!Files.TryGetValue(file, out var bytes))
        {
            return Results.NotFound();
        }
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // The files change with the build only; the shell is revalidated so a new build's page is picked up.
        headers.CacheControl = "no-cache";
        return Results.Bytes(bytes, Types[Path.GetExtension(file)]);
    }

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, byte[]>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("dashboard/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name["dashboard/".Length..]] = copy.ToArray();
        }
        return files.Where(f => Types.ContainsKey(Path.GetExtension(f.Key))).ToFrozenDictionary();
    }
}
