using CodeRunner.Engine;
using CodeRunner.Tests.Infrastructure;
using CodeRunner.Web.Components.Editor;
using CodeRunner.Web.Workspace;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodeRunner.Tests.Web;

/// <summary>
/// Adding a language needs only a runtime folder: with a made-up <c>runtimes/ruby</c> beside the real ones, the engine
/// runs it, the editor colours its files and the starter project holds its example, with no other change.
/// </summary>
public sealed class NewLanguageTests : IAsyncLifetime
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("coderunner-ruby-").FullName;
    private ServiceProvider _services = default!;

    private IExecutionEngine Engine => _services.GetRequiredService<IExecutionEngine>();

    public Task InitializeAsync()
    {
        var runtimes = RealRuntimes.CopyTo(_scratch);
        var ruby = Directory.CreateDirectory(Path.Combine(runtimes, "ruby")).FullName;
        File.WriteAllText(Path.Combine(ruby, "Dockerfile"), "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nRUN apt-get install -y ruby\n");
        File.WriteAllText(Path.Combine(ruby, "runtime.json"), """
            {
              "image": "coderunner-ruby",
              "languages": [
                { "id": "ruby", "displayName": "Ruby", "aliases": ["rb"], "extensions": [".rb"],
                  "editorExtensions": [".rake"], "run": ["ruby", "{entry}"] }
              ]
            }
            """);
        Directory.CreateDirectory(Path.Combine(ruby, "examples", "ruby"));
        File.WriteAllText(Path.Combine(ruby, "examples", "ruby", "hello.rb"), "puts \"Hello from Ruby\"\n");

        _services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Engine:RuntimesPath"] = runtimes }).Build())
            .AddLogging()
            .AddCodeRunnerEngine()
            .AddSingleton<StarterProject>()
            .BuildServiceProvider();
        return Task.CompletedTask;
    }

    [Fact]
    public void NewRuntimeFolder_ItsLanguage_IsAmongTheEnginesLanguages()
    {
        var ruby = Assert.Single(Engine.Languages, l => l.Id == "ruby");

        Assert.Equal("Ruby .rb", $"{ruby.DisplayName} {string.Join(" ", ruby.Extensions)}");
    }

    [Theory]
    [InlineData("lab/main.rb")]
    [InlineData("Rakefile.rake")]
    public void NewRuntimeFolder_ItsFiles_OpenInItsEditorLanguage(string path) =>
        Assert.Equal("ruby", EditorLanguage.For(Engine, path));

    [Fact]
    public void NewRuntimeFolder_ItsExample_IsInTheStarterProject()
    {
        var starter = _services.GetRequiredService<StarterProject>();

        Assert.Contains(("ruby/hello.rb", "puts \"Hello from Ruby\"\n"), starter.Files);
        Assert.Contains("**Ruby**: `.rb` files, examples in `ruby/`", starter.Files.Single(f => f.Path == StarterProject.FirstFile).Content);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync(); // the engine never started: it removes nothing but what it made, which is nothing
        Directory.Delete(_scratch, recursive: true);
    }
}
