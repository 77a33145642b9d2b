using System.Text.Json.Nodes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace ControlPlane.Dashboard.Api;

/// <summary>
/// The API's refusals, in words, for the page to show: the gRPC status and its detail, with the field violations of
/// an InvalidArgument. The page's own bad input answers 400 naming the field.
/// </summary>
public static class ApiErrors
{
    public static IResult FromRpc(RpcException ex)
    {
        var body = new JsonObject
        {
            ["status"] = ex.StatusCode.ToString(),
            ["detail"] = ex.Status.Detail,
        };
        if (ex.GetRpcStatus()?.GetDetail<BadRequest>() is { } badRequest)
        {
            body["violations"] = new JsonArray(badRequest.FieldViolations
                .Select(v => (JsonNode?)new JsonObject { ["field"] = v.Field, ["description"] = v.Description }).ToArray());
        }
        return Results.Json(body, statusCode: HttpStatus(ex.StatusCode));
    }

    public static IResult BadField(string field, string description) => Results.Json(new JsonObject
    {
        ["status"] = "InvalidArgument",
        ["detail"] = $"{field}: {description}",
        ["violations"] = new JsonArray(new JsonObject { ["field"] = field, ["description"] = description }),
    }, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>Runs a call of the API, turning its refusal into the answer.</summary>
    public static async Task<IResult> Try(Func<Task<IResult>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled)
        {
            return FromRpc(ex);
        }
    }

    private static int HttpStatus(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.FailedPrecondition or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status502BadGateway,
    };
}
