namespace ControlPlane.Cpctl.Doctor;

public enum CheckStatus
{
    Pass,
    Warn,
    Fail,
}

/// <summary>One troubleshooting check: its verdict and a sentence saying what was seen and what to do.</summary>
public sealed record Check(string Name, CheckStatus Status, string Message)
{
    public static Check Pass(string name, string message) => new(name, CheckStatus.Pass, message);

    public static Check Warn(string name, string message) => new(name, CheckStatus.Warn, message);

    public static Check Fail(string name, string message) => new(name, CheckStatus.Fail, message);
}
