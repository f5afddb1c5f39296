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
}
