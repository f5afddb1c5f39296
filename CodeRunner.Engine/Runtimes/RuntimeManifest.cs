using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodeRunner.Engine.Runtimes;

/// <summary>The shape of <c>runtimes/&lt;name&gt;/runtime.json</c>.</summary>
internal sealed class RuntimeManifest
{
    public string Image { get; init; } = "";

    /// <summary>
    /// Set for an image that is a server rather than a sandbox: <c>postgres</c> runs the languages' files against a
    /// database of the session's (see CodeRunner.Engine/Sql). Such a runtime has no warm pool and no run command.
    /// </summary>
    public string? Service { get; init; }
    public Dictionary<string, string> Env { get; init; } = [];
    public ManifestLimits? Limits { get; init; }
    public List<LanguageManifest> Languages { get; init; } = [];

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };
}

/// <summary>One language a runtime image serves.</summary>
internal sealed class LanguageManifest
{
    public string Id { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public List<string> Aliases { get; init; } = [];
    public List<string> Extensions { get; init; } = [];
    public List<string>? Compile { get; init; }

    /// <summary>
    /// Arguments that go right after the compiler's name in <see cref="Compile"/> and change only how fast it
    /// compiles, never what it accepts or builds: C++'s precompiled headers and its faster linker. The benchmark's
    /// floor leaves them out, so that it stays the bare toolchain.
    /// </summary>
    public List<string> SpeedFlags { get; init; } = [];
    public List<string> Run { get; init; } = [];

    /// <summary>Monaco's language id for the language's files; the language's id when not set.</summary>
    public string? Editor { get; init; }

    /// <summary>Extensions the editor shows as the language that are not its sources, such as <c>.h</c> for C.</summary>
    public List<string> EditorExtensions { get; init; } = [];
}

/// <summary>Per-runtime overrides of <see cref="SandboxLimits"/>.</summary>
internal sealed class ManifestLimits
{
    public double? Cpus { get; init; }
    public int? MemoryMb { get; init; }
    public int? Pids { get; init; }
    public int? TimeoutSeconds { get; init; }
    public long? OutputLimitBytes { get; init; }

    /// <summary>See <see cref="Runtime.ResidentMemoryMb"/>.</summary>
    public int? ResidentMemoryMb { get; init; }

    /// <summary>See <see cref="Runtime.ResidentPids"/>.</summary>
    public int? ResidentPids { get; init; }
}
