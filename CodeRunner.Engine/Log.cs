using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine;

/// <summary>Every log message of the engine, source-generated.</summary>
internal static partial class Log
{
    /// <summary>Container ids are shown by their first 12 characters, as the Docker CLI does.</summary>
    public static string Short(string id) => id.Length > 12 ? id[..12] : id;

    [LoggerMessage(1, LogLevel.Information, "Connected to Docker at {Endpoint} with API {ApiVersion}")]
    public static partial void DockerConnected(ILogger logger, string endpoint, string apiVersion);

    [LoggerMessage(2, LogLevel.Error, "{Message}")]
    public static partial void DockerUnavailable(ILogger logger, string message);

    [LoggerMessage(3, LogLevel.Warning, "The image {Image} for {Languages} is missing; build it with {Command}")]
    public static partial void ImageMissing(ILogger logger, string image, string languages, string command);

    [LoggerMessage(4, LogLevel.Warning, "The image {Image} is older than {Folder}; rebuild it with {Command}")]
    public static partial void ImageStale(ILogger logger, string image, string folder, string command);

    [LoggerMessage(5, LogLevel.Information, "Pools warm: {Containers} containers in {Pools} pools after {Milliseconds:0} ms")]
    public static partial void PoolsWarm(ILogger logger, int containers, int pools, double milliseconds);

    [LoggerMessage(6, LogLevel.Information, "The {Runtime} pool has no warm container: creating one on demand")]
    public static partial void PoolEmpty(ILogger logger, string runtime);

    [LoggerMessage(7, LogLevel.Warning, "Creating a {Runtime} container failed: {Message}")]
    public static partial void PoolCreateFailed(ILogger logger, string runtime, string message);

    [LoggerMessage(8, LogLevel.Debug, "Created {Runtime} container {Container} on network {Network} in {Milliseconds:0} ms, after {QueuedMilliseconds:0} ms in the creation queue")]
    public static partial void ContainerCreated(ILogger logger, string runtime, string container, string network, double milliseconds, double queuedMilliseconds);

    [LoggerMessage(9, LogLevel.Warning, "The {Runtime} container {Container} went away: {Reason}")]
    public static partial void ContainerLost(ILogger logger, string runtime, string container, string reason);

    [LoggerMessage(10, LogLevel.Warning, "Removing container {Container} failed: {Message}")]
    public static partial void ContainerRemoveFailed(ILogger logger, string container, string message);

    [LoggerMessage(11, LogLevel.Warning, "Agent of {Container}: {Text}")]
    public static partial void AgentSaid(ILogger logger, string container, string text);

    [LoggerMessage(12, LogLevel.Warning, "The attach stream of {Container} failed")]
    public static partial void AgentStreamFailed(ILogger logger, string container, Exception exception);

    [LoggerMessage(13, LogLevel.Warning, "The agent of {Container} did not report a verdict in time ({Message}); the container is replaced")]
    public static partial void AgentUnresponsive(ILogger logger, string container, string message);

    [LoggerMessage(14, LogLevel.Warning, "The {Runtime} container {Container} failed to reset ({Problem}); it is replaced. Resets that failed since the last such message and were not logged: {HeldBack}")]
    public static partial void ResetFailed(ILogger logger, string runtime, string container, string problem, int heldBack);

    [LoggerMessage(15, LogLevel.Error, "Run {RunId} failed inside the engine")]
    public static partial void RunFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(26, LogLevel.Debug, "Run {RunId} was stopped; what was under way then ended with: {Message}")]
    public static partial void RunStoppedEarly(ILogger logger, string runId, string message);

    [LoggerMessage(16, LogLevel.Debug, "Run {RunId} ({Language}) finished: {Summary}")]
    public static partial void RunFinished(ILogger logger, string runId, string language, string summary);

    [LoggerMessage(17, LogLevel.Information, "Session {Session} uses network {Network}, ready in {Milliseconds:0} ms")]
    public static partial void SessionNetworkCreated(ILogger logger, string session, string network, double milliseconds);

    [LoggerMessage(18, LogLevel.Information, "Session {Session} removed its network {Network}")]
    public static partial void SessionNetworkRemoved(ILogger logger, string session, string network);

    [LoggerMessage(19, LogLevel.Information, "Session {Session} has been idle: releasing its network-mode containers and network")]
    public static partial void SessionIdle(ILogger logger, string session);

    [LoggerMessage(20, LogLevel.Warning, "Session {Session} closed with {Count} runs still ending")]
    public static partial void SessionRunsLingered(ILogger logger, string session, int count);

    [LoggerMessage(21, LogLevel.Information, "Removed {Containers} orphaned containers and {Networks} orphaned networks")]
    public static partial void OrphansRemoved(ILogger logger, int containers, int networks);

    [LoggerMessage(22, LogLevel.Warning, "Sweeping failed: {Message}")]
    public static partial void SweepFailed(ILogger logger, string message);

    [LoggerMessage(23, LogLevel.Information, "The engine stopped and removed its containers and networks")]
    public static partial void EngineStopped(ILogger logger);

    [LoggerMessage(24, LogLevel.Error, "{Problem}")]
    public static partial void HostFirewallMissing(ILogger logger, string problem);

    [LoggerMessage(27, LogLevel.Information, "The firewall rules for network mode are in place again")]
    public static partial void HostFirewallRestored(ILogger logger);

    [LoggerMessage(28, LogLevel.Warning, "Engine:ProtectHost is false: network-mode programs can reach this host, the local network and each other")]
    public static partial void HostUnprotected(ILogger logger);

    [LoggerMessage(25, LogLevel.Information, "Docker answers again: rebuilding pools and starting network-mode sessions afresh")]
    public static partial void DockerBack(ILogger logger);

    [LoggerMessage(29, LogLevel.Error, "A round of the engine's maintenance failed; the next round tries again")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception);

    [LoggerMessage(30, LogLevel.Warning, "Test run {RunId}: reporting a case's result to the caller failed; the run goes on")]
    public static partial void TestProgressFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(31, LogLevel.Debug, "Test run {RunId} ({Language}) finished: {Passed} of {Cases} cases passed{Compile}")]
    public static partial void TestRunFinished(ILogger logger, string runId, string language, int passed, int cases, string compile);

    [LoggerMessage(32, LogLevel.Error, "Test run {RunId} failed in the engine")]
    public static partial void TestRunFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(33, LogLevel.Debug, "Kernel {KernelId} started in container {Container}")]
    public static partial void KernelStarted(ILogger logger, string kernelId, string container);

    [LoggerMessage(34, LogLevel.Warning, "Kernel {KernelId} could not start: {Message}")]
    public static partial void KernelStartFailed(ILogger logger, string kernelId, string message);

    [LoggerMessage(35, LogLevel.Information, "Kernel {KernelId} died: {Problem}")]
    public static partial void KernelDied(ILogger logger, string kernelId, string problem);

    [LoggerMessage(36, LogLevel.Information, "Kernel {KernelId} was idle too long: its interpreter and container are removed")]
    public static partial void KernelIdle(ILogger logger, string kernelId);

    [LoggerMessage(37, LogLevel.Debug, "Kernel {KernelId} closed")]
    public static partial void KernelClosed(ILogger logger, string kernelId);

    [LoggerMessage(38, LogLevel.Warning, "Kernel {KernelId}: a cell ignored its interrupt; its interpreter is killed")]
    public static partial void KernelInterruptIgnored(ILogger logger, string kernelId);

    [LoggerMessage(39, LogLevel.Warning, "Kernel {KernelId}: its container {Container} did not reset ({Problem}); it is replaced")]
    public static partial void KernelContainerReplaced(ILogger logger, string kernelId, string container, string problem);

    [LoggerMessage(40, LogLevel.Error, "Kernel {KernelId}: running a cell failed in the engine")]
    public static partial void KernelCellFailed(ILogger logger, string kernelId, Exception exception);

    [LoggerMessage(41, LogLevel.Warning, "Kernel {KernelId}: the caller's output handler or state handler failed; the kernel goes on")]
    public static partial void KernelOutputFailed(ILogger logger, string kernelId, Exception exception);

    [LoggerMessage(42, LogLevel.Debug, "Sending to the kernel in {Container} failed: {Message}")]
    public static partial void KernelSendFailed(ILogger logger, string container, string message);

    [LoggerMessage(43, LogLevel.Warning, "Kernel {KernelId} closed while the caller's output handler still held its last cell")]
    public static partial void KernelLingered(ILogger logger, string kernelId);

    [LoggerMessage(60, LogLevel.Information, "The SQL server started in container {Container}, at {Host} on its own network")]
    public static partial void SqlServerStarted(ILogger logger, string container, string host);

    [LoggerMessage(61, LogLevel.Warning, "The SQL server in container {Container} stopped answering; the next SQL run starts a new one, and the sessions' tables are gone")]
    public static partial void SqlServerLost(ILogger logger, string container);

    [LoggerMessage(62, LogLevel.Warning, "Dropping the SQL database {Name} failed: {Problem}; the sweeper tries again")]
    public static partial void SqlDropFailed(ILogger logger, string name, string problem);

    [LoggerMessage(63, LogLevel.Warning, "Sweeping the SQL databases of ended sessions failed: {Problem}")]
    public static partial void SqlSweepFailed(ILogger logger, string problem);

    [LoggerMessage(64, LogLevel.Error, "A SQL run failed in the engine")]
    public static partial void SqlRunFailed(ILogger logger, Exception exception);

    [LoggerMessage(65, LogLevel.Information, "Engine warm: the pools, the SQL server and the network kits are ready after {Milliseconds:0} ms")]
    public static partial void EngineWarm(ILogger logger, double milliseconds);

    [LoggerMessage(66, LogLevel.Warning, "Administrator {Administrator} drained the {Runtime} pool: {Removed} warm containers removed, no refill until it is refilled")]
    public static partial void PoolDrained(ILogger logger, string administrator, string runtime, int removed);

    [LoggerMessage(67, LogLevel.Warning, "Administrator {Administrator} refilled the {Runtime} pool")]
    public static partial void PoolRefilled(ILogger logger, string administrator, string runtime);

    [LoggerMessage(68, LogLevel.Warning, "Administrator {Administrator} stopped run {RunId} ({Language}, {EntryFile}) of session {SessionId}")]
    public static partial void RunStoppedByAdministrator(ILogger logger, string administrator, string runId, string language, string entryFile, string sessionId);

    [LoggerMessage(69, LogLevel.Warning, "Administrator {Administrator} ended session {SessionId}")]
    public static partial void SessionEndedByAdministrator(ILogger logger, string administrator, string sessionId);
}
