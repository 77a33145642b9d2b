using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ControlPlane.Dashboard.Api;

/// <summary>
/// Reads a request's JSON body; what cannot be read is answered 400 naming the field (the framework's own binding
/// would answer an empty 400 the page could not explain).
/// </summary>
public static class JsonBody
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (request.ContentLength == 0 || (request.ContentLength is null && !request.Body.CanRead))
        {
            return (null, null);
        }
        try
        {
            return (await JsonSerializer.DeserializeAsync<T>(request.Body, Options, request.HttpContext.RequestAborted), null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (null, ApiErrors.BadField(field, ex.Message.Split(" Path:")[0]));
        }
    }
}
