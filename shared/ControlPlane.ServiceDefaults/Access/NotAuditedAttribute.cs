namespace ControlPlane.ServiceDefaults.Access;

/// <summary>
/// A mutating method left out of the audit log, with the reason. For lease renewals: thousands a second that change
/// no one's fleet, counted in the request metrics instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NotAuditedAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}
