namespace ControlPlane.Backups.Domain;

/// <summary>Input limits, named once so validation messages and checks agree.</summary>
public static class Limits
{
    public const int IdLength = 64;
    public const int TargetLength = 63;
    public const int RequestIdLength = 128;
    public const int InitiatorLength = 128;
    public const int DescriptionLength = 1024;
    public const int ReasonLength = 512;
    public const int MaxLabels = 64;
    public const int LabelKeyLength = 63;
    public const int LabelValueLength = 256;
    public const int MaxKeepLast = 10_000;
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(3650);
    public static readonly TimeSpan DefaultFreshness = TimeSpan.FromHours(26);
}
