using System.Text.Json;
using CodeRunner.Engine.Docker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeRunner.Engine.Runtimes;

/// <summary>The languages the engine runs, read from <c>runtimes/*/runtime.json</c>: their one source of truth.</summary>
internal sealed class RuntimeCatalog
{
    public const string BuildCommand = "scripts/build-images";
    public const string HashLabel = "coderunner.hash";

    /// <summary>The one service a runtime may name: PostgreSQL, for SQL runs.</summary>
    public const string PostgresService = "postgres";
    private const string AgentFolder = "agent";

    private readonly Dictionary<string, Language> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Language> _byExtension = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _editorExtensions = new(StringComparer.OrdinalIgnoreCase);

    public RuntimeCatalog(IOptions<EngineOptions> options)
    {
        RuntimesPath = Locate(options.Value.RuntimesPath);
        AgentImage = $"coderunner-agent:{TagFor(RuntimeImageHash.Compute(RuntimesPath, AgentFolder))}";
        Runtimes = Directory.EnumerateFiles(RuntimesPath, "runtime.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => Load(path, options.Value.Limits))
            .ToList();
        if (Runtimes.Count == 0)
        {
            throw new InvalidOperationException($"No runtime manifest (runtime.json) was found under {RuntimesPath}.");
        }
    }

    public string RuntimesPath { get; }

    /// <summary>
    /// The agent's image, tagged with the hash of its folder: engines built from different sources (two worktrees on
    /// one Docker engine, say) each use the images of their own sources and never replace each other's.
    /// </summary>
    public string AgentImage { get; }

    /// <summary>The tag of the images built from sources with this hash (scripts/lib/ensure-images.sh tags them so).</summary>
    public static string TagFor(string hash) => hash[..12];

    public IReadOnlyList<Runtime> Runtimes { get; }

    /// <summary>The runtimes whose containers run programs: each has a warm pool, and a container in each network-mode kit.</summary>
    public IEnumerable<Runtime> Sandboxes => Runtimes.Where(r => r.IsSandbox);

    public IEnumerable<Language> Languages => Runtimes.SelectMany(r => r.Languages);

    /// <summary>A language by id or alias.</summary>
    public Language? Find(string name) => _byName.GetValueOrDefault(name.Trim());

    /// <summary>The language whose source files have this path's extension.</summary>
    public Language? ForFile(string path) => _byExtension.GetValueOrDefault(Path.GetExtension(path));

    /// <summary>Notes, per runtime, whether its image is missing or older than its folder, and logs how to fix it.</summary>
    public async Task CheckImagesAsync(IImageOperations images, ILogger logger, CancellationToken cancellationToken = default)
    {
        var agentLabels = await images.GetLabelsAsync(AgentImage, cancellationToken).ConfigureAwait(false);
        foreach (var runtime in Runtimes)
        {
            var labels = await images.GetLabelsAsync(runtime.Image, cancellationToken).ConfigureAwait(false);
            runtime.ImageMissing = labels is null || agentLabels is null;
            var languages = string.Join(", ", runtime.Languages.Select(l => l.DisplayName));
            if (runtime.ImageMissing)
            {
                var image = labels is null ? runtime.Image : AgentImage;
                runtime.ImageProblem = $"The image {image} for {languages} is missing. Build it with {BuildCommand} (scripts/run and scripts/test do it too).";
                Log.ImageMissing(logger, image, languages, BuildCommand);
            }
            else if (labels!.GetValueOrDefault(HashLabel) != runtime.Hash)
            {
                runtime.ImageProblem = null; // usable, only older than its folder
                Log.ImageStale(logger, runtime.Image, $"runtimes/{runtime.Name}", BuildCommand);
            }
            else
            {
                runtime.ImageProblem = null;
            }
        }
    }

    private Runtime Load(string manifestPath, SandboxLimits defaults)
    {
        var folder = Path.GetFileName(Path.GetDirectoryName(manifestPath)!);
        RuntimeManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<RuntimeManifest>(File.ReadAllText(manifestPath), RuntimeManifest.JsonOptions)
                       ?? throw new JsonException("the file is empty");
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{manifestPath} is not a valid runtime manifest: {ex.Message}", ex);
        }

        void Require(bool ok, string problem)
        {
            if (!ok)
            {
                throw new InvalidOperationException($"{manifestPath}: {problem}");
            }
        }

        Require(!string.IsNullOrWhiteSpace(manifest.Image), "\"image\" is required.");
        Require(manifest.Languages.Count > 0, "\"languages\" needs at least one language.");
        Require(manifest.Service is null or PostgresService, $"\"service\" may only be \"{PostgresService}\".");
        var o = manifest.Limits;
        Require(o?.ResidentMemoryMb is null or >= 0 and <= 4096, "\"limits.residentMemoryMb\" must be between 0 and 4096.");
        Require(o?.ResidentPids is null or >= 0 and <= 1024, "\"limits.residentPids\" must be between 0 and 1024.");
        var hash = RuntimeImageHash.ForRuntime(RuntimesPath, AgentFolder, folder);
        var runtime = new Runtime
        {
            Name = folder,
            Image = manifest.Image.Contains(':') ? manifest.Image : manifest.Image + ":" + TagFor(hash),
            Hash = hash,
            Env = manifest.Env,
            Service = manifest.Service,
            ResidentMemoryMb = o?.ResidentMemoryMb ?? 0,
            ResidentPids = o?.ResidentPids ?? 0,
            Limits = new SandboxLimits
            {
                Cpus = o?.Cpus ?? defaults.Cpus,
                MemoryMb = o?.MemoryMb ?? defaults.MemoryMb,
                Pids = o?.Pids ?? defaults.Pids,
                TimeoutSeconds = o?.TimeoutSeconds ?? defaults.TimeoutSeconds,
                OutputLimitBytes = o?.OutputLimitBytes ?? defaults.OutputLimitBytes,
                WorkspaceMb = defaults.WorkspaceMb,
                TmpMb = defaults.TmpMb,
            },
        };
        foreach (var l in manifest.Languages)
        {
            Require(!string.IsNullOrWhiteSpace(l.Id), "every language needs an \"id\".");
            Require(l.Run.Count > 0 || manifest.Service is not null, $"language '{l.Id}' needs a \"run\" command.");
            Require(l.Extensions.Count > 0 && l.Extensions.All(IsExtension),
                $"language '{l.Id}' needs \"extensions\" that start with a dot.");
            Require(l.EditorExtensions.All(IsExtension), $"language '{l.Id}' has \"editorExtensions\" that do not start with a dot.");
            Require(l.Editor is null || !string.IsNullOrWhiteSpace(l.Editor), $"language '{l.Id}' has an empty \"editor\".");
            Require(l.SpeedFlags.Count == 0 || l.Compile is { Count: > 0 }, $"language '{l.Id}' has \"speedFlags\" but no \"compile\" command.");
            var language = new Language
            {
                Id = l.Id,
                DisplayName = string.IsNullOrWhiteSpace(l.DisplayName) ? l.Id : l.DisplayName,
                Aliases = l.Aliases,
                Extensions = l.Extensions,
                Compile = l.Compile is { Count: > 0 } ? [l.Compile[0], .. l.SpeedFlags, .. l.Compile.Skip(1)] : null,
                SpeedFlags = l.SpeedFlags,
                Run = l.Run,
                Runtime = runtime,
                Editor = l.Editor ?? l.Id,
                EditorExtensions = l.EditorExtensions,
            };
            foreach (var name in l.Aliases.Prepend(l.Id))
            {
                Require(_byName.TryAdd(name, language), $"the language name '{name}' is used twice.");
            }

            foreach (var extension in l.Extensions)
            {
                Require(_byExtension.TryAdd(extension, language), $"the extension '{extension}' is used twice.");
            }

            foreach (var extension in l.Extensions.Concat(l.EditorExtensions))
            {
                Require(_editorExtensions.Add(extension), $"the extension '{extension}' is shown by the editor as two languages.");
            }

            runtime.Languages.Add(language);
        }

        RuntimeExamples.Load(Path.GetDirectoryName(manifestPath)!, runtime.Languages, Require);
        return runtime;
    }

    private static bool IsExtension(string extension) => extension.Length > 1 && extension[0] == '.';

    private static string Locate(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "runtimes");
                if (File.Exists(Path.Combine(candidate, AgentFolder, "Dockerfile")))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException(
            $"The runtimes folder was not found above {AppContext.BaseDirectory}; set {EngineOptions.SectionName}:RuntimesPath.");
    }
}
