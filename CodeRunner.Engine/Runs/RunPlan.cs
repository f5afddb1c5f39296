using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runtimes;

namespace CodeRunner.Engine.Runs;

/// <summary>A validated request, turned into what the agent needs.</summary>
internal sealed record RunPlan(
    Language Language,
    string EntryFile,
    IReadOnlyList<IReadOnlyList<string>> Steps,
    IReadOnlyList<string> Environment,
    IReadOnlyList<AgentFile> Files,
    AgentLimits Limits)
{
    public TimeSpan Timeout => Limits.Timeout;

    /// <summary>Input given up front, followed by end-of-input; null keeps stdin open for the console.</summary>
    public ReadOnlyMemory<byte>? Stdin { get; init; }

    public bool HasCompileStep => Language.Compile is not null;

    public byte[] ToRunFrame() => AgentProtocol.RunFrame(Limits, Steps, Environment, Files);
}

/// <summary>Validates run requests and plans them; refuses with a sentence that says what to change.</summary>
internal static class RunPlanner
{
    private static readonly string[] BaseEnvironment =
    [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        $"HOME={SandboxPaths.Workspace}",
        "USER=runner",
        "LANG=C.UTF-8",
        $"TMPDIR={SandboxPaths.Tmp}",
    ];

    /// <summary>What every program of this runtime gets as its environment, and nothing else.</summary>
    public static List<string> EnvironmentOf(Runtime runtime) => BaseEnvironment.Concat(runtime.Env.Select(kv => $"{kv.Key}={kv.Value}")).ToList();

    /// <summary>Most command-line arguments a run or a case may give, and most UTF-8 bytes they may hold in all.</summary>
    public const int MaxArguments = 1000;

    public const int MaxArgumentBytes = 64 * 1024;

    public static RunPlan Plan(RunRequest request, RuntimeCatalog catalog, RequestLimits limits)
    {
        var plan = Plan(request.Files, request.EntryFile, request.Language, request.Arguments, request.Limits, catalog, limits);
        if (request.Stdin is { } stdin && stdin.Length > limits.MaxTotalBytes)
        {
            throw new InvalidRunRequestException(
                $"The input holds {Megabytes(stdin.Length)}; at most {Megabytes(limits.MaxTotalBytes)} can be given up front.");
        }

        return plan with { Stdin = request.Stdin };
    }

    /// <summary>Checks and plans a program: its files, its language, its arguments and its limits under the server's ceiling.</summary>
    public static RunPlan Plan(IReadOnlyList<SourceFile>? files, string? entry, string? requestedLanguage, IReadOnlyList<string>? arguments,
        Testing.RunLimits? runLimits, RuntimeCatalog catalog, RequestLimits limits)
    {
        var seen = CheckFiles(files, limits);
        if (string.IsNullOrEmpty(entry) || !seen.Contains(entry))
        {
            throw new InvalidRunRequestException($"The entry file '{entry}' is not among the project's files.");
        }

        var language = ResolveLanguage(requestedLanguage, entry, catalog);
        if (language.Runtime.ImageMissing)
        {
            throw new RuntimeUnavailableException(language.Runtime.ImageProblem ?? $"The image for {language.DisplayName} is missing.");
        }

        var commands = new CommandTemplate(language, entry, files, SandboxPaths.Workspace, SandboxPaths.Build);
        var steps = new List<IReadOnlyList<string>>();
        if (language.Compile is not null)
        {
            steps.Add(commands.Expand(language.Compile));
        }

        CheckArguments(arguments ?? []);
        steps.Add([.. commands.Expand(language.Run), .. arguments ?? []]);
        var runtime = language.Runtime;
        return new RunPlan(
            language,
            entry,
            steps,
            EnvironmentOf(runtime),
            files.Select(f => new AgentFile(f.Path, f.Content)).ToList(),
            LimitCeiling.Resolve(runLimits, runtime));
    }

    /// <summary>Checks a project's files: their count, their size and their paths; returns the paths. A notebook's kernel may have none.</summary>
    /// <exception cref="InvalidRunRequestException">The files cannot run as they are.</exception>
    public static HashSet<string> CheckFiles([System.Diagnostics.CodeAnalysis.NotNull] IReadOnlyList<SourceFile>? files, RequestLimits limits,
        bool allowNone = false)
    {
        if (files is null || files.Count == 0 && !allowNone)
        {
            throw new InvalidRunRequestException("The request has no files.");
        }

        if (files.Count > limits.MaxFiles)
        {
            throw new InvalidRunRequestException($"The project has {files.Count} files; at most {limits.MaxFiles} can run at once.");
        }

        var total = files.Sum(f => (long)f.Content.Length);
        if (total > limits.MaxTotalBytes)
        {
            throw new InvalidRunRequestException(
                $"The project holds {Megabytes(total)} of files; at most {Megabytes(limits.MaxTotalBytes)} can run at once.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            ValidatePath(file.Path, limits);
            if (!seen.Add(file.Path))
            {
                throw new InvalidRunRequestException($"The file '{file.Path}' appears twice.");
            }
        }

        return seen;
    }

    /// <exception cref="InvalidRunRequestException">Too many arguments, too long, or one holds a NUL character.</exception>
    public static void CheckArguments(IReadOnlyList<string> arguments)
    {
        if (arguments.Count > MaxArguments)
        {
            throw new InvalidRunRequestException($"The program is given {arguments.Count} arguments; at most {MaxArguments} are allowed.");
        }

        if (arguments.Any(a => a is null || a.Contains('\0', StringComparison.Ordinal)))
        {
            throw new InvalidRunRequestException("A command-line argument is missing or holds a NUL character, which no program can receive.");
        }

        var bytes = arguments.Sum(a => System.Text.Encoding.UTF8.GetByteCount(a));
        if (bytes > MaxArgumentBytes)
        {
            throw new InvalidRunRequestException($"The arguments hold {bytes / 1024} KB; at most {MaxArgumentBytes / 1024} KB are allowed.");
        }
    }

    private static void ValidatePath(string? path, RequestLimits limits)
    {
        if (ProjectPathRules.Problem(path, limits.MaxPathLength, limits.MaxPathDepth) is { } problem)
        {
            throw new InvalidRunRequestException(problem);
        }
    }

    private static Language ResolveLanguage(string? requested, string entry, RuntimeCatalog catalog)
    {
        var known = string.Join(", ", catalog.Languages.Select(l => $"{l.DisplayName} ({string.Join(" ", l.Extensions)})"));
        if (!string.IsNullOrWhiteSpace(requested))
        {
            var language = catalog.Find(requested)
                ?? throw new InvalidRunRequestException($"The language '{requested}' is unknown. Known languages: {known}.");
            if (!language.IsSource(entry))
            {
                throw new InvalidRunRequestException(
                    $"The entry file '{entry}' is not a {language.DisplayName} file ({string.Join(" ", language.Extensions)}).");
            }

            return language;
        }

        return catalog.ForFile(entry)
            ?? throw new InvalidRunRequestException($"No language runs '{entry}'. Known languages: {known}.");
    }

    public static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024.0):0.#} MB";
}
