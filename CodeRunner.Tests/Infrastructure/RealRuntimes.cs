using CodeRunner.Engine;
using CodeRunner.Engine.Runtimes;
using CodeRunner.Tests.Web;
using CodeRunner.Web.Workspace;
using Microsoft.Extensions.Options;

namespace CodeRunner.Tests.Infrastructure;

/// <summary>The languages of a runtimes folder (the repository's own by default), read as the engine reads them, without Docker.</summary>
internal static class RealRuntimes
{
    public static IReadOnlyList<LanguageInfo> Languages { get; } = LanguagesIn(null);

    /// <summary>The starter project of an engine that runs the repository's runtimes.</summary>
    public static StarterProject Starter { get; } = new(new FakeExecutionEngine(new FakeEngineSession()));

    public static RuntimeCatalog CatalogOf(string? runtimesPath) =>
        new(Options.Create(new EngineOptions { RuntimesPath = runtimesPath }));

    public static IReadOnlyList<LanguageInfo> LanguagesIn(string? runtimesPath) =>
        [.. CatalogOf(runtimesPath).Languages.Select(l => l.ToInfo())];

    /// <summary>The repository's runtimes folder.</summary>
    public static string Path { get; } = CatalogOf(null).RuntimesPath;

    /// <summary>Copies the repository's runtimes folder into <paramref name="folder"/>, for a test that changes it.</summary>
    public static string CopyTo(string folder)
    {
        var copy = System.IO.Path.Combine(folder, "runtimes");
        foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(copy, System.IO.Path.GetRelativePath(Path, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }
}
