namespace CodeRunner.Engine.Pools;

/// <summary>
/// A network-mode session's resources, made ahead of time: its bridge network <c>coderunner-session-{Id}</c> on a small
/// subnet of its own (host interface <c>cr-{Id}</c>), a holder container on it that owns the network namespace, and a
/// warm container of each runtime inside that namespace. A session that turns network mode on takes one and runs at once.
/// </summary>
internal sealed record NetworkKit(string Id, string Subnet, string NetworkId, string HolderId, IReadOnlyList<RuntimeContainer> Containers)
{
    /// <summary>The host interface of every session network starts with this, so that one firewall rule covers them all.</summary>
    public const string BridgePrefix = "cr-";

    public string NetworkName => NameFor(Id);

    public bool Intact => Containers.All(c => c.Agent.IsOpen);

    public static string NameFor(string id) => $"coderunner-session-{id}";
}
