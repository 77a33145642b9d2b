namespace ControlPlane.Registry.Domain;

/// <summary>Input limits, named once so validation messages and checks agree.</summary>
public static class Limits
{
    public const int IdLength = 128;
    public const int ValueLength = 128;
    public const int DescriptionLength = 1024;
    public const int MaxLabels = 64;
    public const int LabelKeyLength = 63;
    public const int LabelValueLength = 256;
    public const int MaxPlugins = 256;
    public const int ReasonLength = 512;
    public static readonly TimeSpan MinLeaseTtl = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxLeaseTtl = TimeSpan.FromHours(1);
}
