using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;

namespace ControlPlane.Testing;

/// <summary>
/// The admin key every test host is configured with (by hash, as an operator configures one) and presents on its own
/// calls, and channels that carry it. Made anew for each test run, so no token is written in the repository.
/// </summary>
public static class TestCredentials
{
    public static readonly string AdminToken = Shared();

    public static string Sha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>
    /// One token for a process and the processes it starts (a benchmark's client process), handed down through the
    /// environment they inherit.
    /// </summary>
    private static string Shared()
    {
        const string Variable = "CP_TEST_ADMIN_TOKEN";
        if (System.Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } inherited)
        {
            return inherited;
        }
        var token = "cpk_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        System.Environment.SetEnvironmentVariable(Variable, token);
        return token;
    }

    /// <summary>Configuration of a host: the test admin key, and the same token for its calls to other services.</summary>
    public static Dictionary<string, string?> Settings => new()
    {
        ["Access:Keys:test-admin:Sha256"] = Sha256(AdminToken),
        ["Access:Keys:test-admin:Role"] = "admin",
        ["Access:ClientToken"] = AdminToken,
    };

    /// <summary>The same as environment variables, for processes.</summary>
    public static Dictionary<string, string> Environment =>
        Settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);

    /// <summary>A channel whose calls carry <paramref name="token"/> (default: the test admin key).</summary>
    public static GrpcChannel Channel(string url, string? token = null, GrpcChannelOptions? options = null)
    {
        options ??= new GrpcChannelOptions();
        var bearer = token ?? AdminToken;
        var call = CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("authorization", $"Bearer {bearer}");
            return Task.CompletedTask;
        });
        var transport = url.StartsWith("https:", StringComparison.Ordinal) ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
        options.Credentials = ChannelCredentials.Create(transport, call);
        options.UnsafeUseInsecureChannelCallCredentials = true;
        return GrpcChannel.ForAddress(url, options);
    }

    /// <summary>A channel with no credential at all.</summary>
    public static GrpcChannel Anonymous(string url) => GrpcChannel.ForAddress(url);

    /// <summary>An HTTP client for a host's HTTP port that sends the test admin key (open endpoints ignore it).</summary>
    public static HttpClient Http(string baseUrl)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return http;
    }
}
