namespace ControlPlane.ServiceDefaults.Access;

/// <summary>
/// A token made at start and known only to this process, with which the services hosted together (AllInOne, its demo
/// Agents) call each other over the process's own port. It dies with the process, is never printed and never stored.
/// </summary>
public sealed class ProcessCredential
{
    public string Token { get; } = ApiKeyTokens.NewToken();

    public string Hash => _hash ??= ApiKeyTokens.Hash(Token);

    private string? _hash;
}
