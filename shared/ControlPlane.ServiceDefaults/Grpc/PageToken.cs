using System.Text;

namespace ControlPlane.ServiceDefaults.Grpc;

/// <summary>Opaque page tokens: the last key of the previous page.</summary>
public static class PageToken
{
    public static string Encode(string lastKey) => Convert.ToBase64String(Encoding.UTF8.GetBytes(lastKey));

    public static string Decode(string token)
    {
        if (token.Length == 0)
        {
            return "";
        }
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            RpcErrors.ThrowInvalidArgument("page_token", "is not a token this service issued");
            return "";
        }
    }
}
