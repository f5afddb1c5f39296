using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Runtimes;

namespace CodeRunner.Engine.Notebooks;

/// <summary>What a kernel needs from its engine: the Python runtime, a container of it, its limits and its timeouts.</summary>
internal sealed record KernelSetup(
    Runtime Runtime,
    IReadOnlyList<string> Environment,
    KernelOptions Options,
    RequestLimits Requests,
    Func<CancellationToken, Task<RuntimeContainer>> TakeContainerAsync);

/// <summary>Checks a kernel's request and turns it into the RUN frame that starts its interpreter.</summary>
internal static class KernelLaunch
{
    /// <summary>Where the Python image keeps the kernel program (runtimes/python/Dockerfile).</summary>
    public const string Program = "/usr/local/lib/coderunner/coderunner_kernel.py";

    /// <exception cref="InvalidRunRequestException">The notebook's path cannot be a project's.</exception>
    public static void CheckNotebookPath(string? path)
    {
        if (ProjectPathRules.Problem(path) is { } problem)
        {
            throw new InvalidRunRequestException(problem);
        }
    }

    /// <summary>
    /// The frame that starts the interpreter: the project's files as they are now, in the notebook's folder, with no
    /// timeout (cells have theirs) and no output limit of the run's own (the kernel caps each cell's output).
    /// </summary>
    /// <exception cref="InvalidRunRequestException">The project's files cannot run as they are.</exception>
    public static byte[] Frame(KernelRequest request, KernelSetup setup)
    {
        var files = request.Files();
        RunPlanner.CheckFiles(files, setup.Requests, allowNone: true);
        var folder = Path.GetDirectoryName(request.NotebookPath)?.Replace('\\', '/') ?? "";
        var step = new[]
        {
            "python3", Program,
            "--cwd", folder.Length == 0 ? SandboxPaths.Workspace : $"{SandboxPaths.Workspace}/{folder}",
            "--output-limit", setup.Runtime.Limits.OutputLimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var limits = new AgentLimits(Timeout.InfiniteTimeSpan, long.MaxValue);
        return AgentProtocol.RunFrame(limits, [step], setup.Environment, files.Select(f => new AgentFile(f.Path, f.Content)).ToList());
    }
}
