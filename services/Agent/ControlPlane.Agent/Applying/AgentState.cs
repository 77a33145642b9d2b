using System.Text.Json;

namespace ControlPlane.Agent.Applying;

/// <summary>
/// What the Agent has applied, kept in a small JSON file: the release the instance runs, and the answer given to
/// each recent ApplyRelease id, so a command delivered twice (or after an Agent restart) is applied once.
/// </summary>
public sealed class AgentState
{
    private const int RememberedAnswers = 500;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Version { get; set; } = "";
    public string ConfigHash { get; set; } = "";

    /// <summary>Releases actually applied (process restarts or commands run), for operators and tests.</summary>
    public int AppliedCount { get; set; }

    public List<ApplyAnswer> Answers { get; set; } = [];

    public ApplyAnswer? Find(string applyId) => Answers.Find(a => a.ApplyId == applyId);

    public void Remember(ApplyAnswer answer)
    {
        Answers.Add(answer);
        if (Answers.Count > RememberedAnswers)
        {
            Answers.RemoveRange(0, Answers.Count - RememberedAnswers);
        }
    }

    public static AgentState Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<AgentState>(File.ReadAllText(path), Json) ?? new AgentState() : new AgentState();

    /// <summary>Written to a temporary file and renamed, so a crash mid-write never leaves half a file.</summary>
    public void Save(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }
}

public sealed record ApplyAnswer(string ApplyId, bool Ok, string Version, string ConfigHash, string Error);
