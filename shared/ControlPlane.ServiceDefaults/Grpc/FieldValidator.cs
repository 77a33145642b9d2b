using System.Text.RegularExpressions;
using Google.Rpc;

namespace ControlPlane.ServiceDefaults.Grpc;

/// <summary>Collects every field violation of a request, then answers them all at once.</summary>
public sealed partial class FieldValidator
{
    private readonly List<BadRequest.Types.FieldViolation> _violations = [];

    public bool IsValid => _violations.Count == 0;

    public FieldValidator Add(string field, string description)
    {
        _violations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });
        return this;
    }

    public FieldValidator Check(bool condition, string field, string description) =>
        condition ? this : Add(field, description);

    /// <summary>A required identifier: 1–<paramref name="maxLength"/> characters of letters, digits, '.', '_', ':' or '-'.</summary>
    public FieldValidator Identifier(string? value, string field, int maxLength = 128)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Add(field, "is required");
        }
        if (value.Length > maxLength)
        {
            return Add(field, $"is longer than {maxLength} characters");
        }
        return Check(IdentifierPattern().IsMatch(value), field,
            "may only hold letters, digits, '.', '_', ':' and '-', starting with a letter or digit");
    }

    /// <summary>An app name: a lower-case DNS label.</summary>
    public FieldValidator AppName(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Add(field, "is required");
        }
        return Check(AppNamePattern().IsMatch(value), field, "must be a lower-case DNS label (a-z, 0-9, '-', at most 63 characters)");
    }

    public FieldValidator MaxLength(string? value, string field, int maxLength) =>
        Check(value is null || value.Length <= maxLength, field, $"is longer than {maxLength} characters");

    /// <summary>An absolute http:// or https:// URL with a host.</summary>
    public FieldValidator HttpUrl(string? value, string field, bool required = true)
    {
        if (string.IsNullOrEmpty(value))
        {
            return required ? Add(field, "is required") : this;
        }
        var ok = value.Length <= 2048
            && Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host)
            && string.IsNullOrEmpty(uri.UserInfo);
        return Check(ok, field, "must be an absolute http:// or https:// URL with a host and no user info");
    }

    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw RpcErrors.InvalidArgument(_violations);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]*$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex AppNamePattern();
}
