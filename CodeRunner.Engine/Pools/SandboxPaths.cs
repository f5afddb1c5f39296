namespace CodeRunner.Engine.Pools;

/// <summary>Where programs find their files inside a container.</summary>
internal static class SandboxPaths
{
    public const string Workspace = "/workspace";
    public const string Build = "/build";
    public const string Tmp = "/tmp";
    public const string SharedMemory = "/dev/shm";
    public const string MessageQueues = "/dev/mqueue";
    public const int ProgramUid = 1000;
}
