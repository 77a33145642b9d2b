using ControlPlane.Api.V1;

namespace ControlPlane.Rollouts.Domain;

public static class RolloutMapping
{
    /// <summary>The rollout without the configuration's content (kept out of lists and watches: up to 1 MiB each).</summary>
    public static Rollout ForWatch(Rollout rollout)
    {
        var copy = rollout.Clone();
        copy.Target.Config = Google.Protobuf.ByteString.Empty;
        return copy;
    }

    public static Rollout ForList(Rollout rollout, bool includeSteps)
    {
        var copy = ForWatch(rollout);
        if (!includeSteps)
        {
            copy.Steps.Clear();
        }
        return copy;
    }
}
