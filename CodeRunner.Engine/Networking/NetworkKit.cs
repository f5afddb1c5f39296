using CodeRunner.Engine.Pools;

namespace CodeRunner.Engine.Networking;

/// <summary>
/// A network-mode session's resources, made ahead of time: a bridge network <c>coderunner-net-{Id}</c> on a small
/// subnet of its own (host interface <c>cr-{Id}</c>), a holder container on it that owns the network namespace, and a
/// warm container of each runtime inside that namespace. A session that turns network mode on takes one and runs at once.
/// Its resources carry the label <c>coderunner.kit={Id}</c>; the kit's id is not the session's, which is only known
/// once a session takes it (containers made for the session carry <c>coderunner.session</c> too).
/// </summary>
internal sealed record NetworkKit(string Id, string Subnet, string NetworkId, string HolderId, IReadOnlyList<RuntimeContainer> Containers)
{
    public string NetworkName => NameFor(Id);

    public bool Intact => Containers.All(c => c.Agent.IsOpen);

    public static string NameFor(string id) => $"coderunner-net-{id}";
}
