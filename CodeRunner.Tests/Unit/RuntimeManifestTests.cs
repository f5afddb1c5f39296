using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Unit;

/// <summary>What a manifest says about the editor (editor, editorExtensions) and a runtime's examples/, as the engine reads them.</summary>
public sealed class RuntimeManifestTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("coderunner-manifest-").FullName;

    [Fact]
    public void RealManifests_EditorAndEditorExtensions_CarriedOntoTheLanguages()
    {
        var languages = RealRuntimes.Languages.ToDictionary(l => l.Id);

        Assert.Equal("python", languages["python"].Editor); // unset: the language's id
        Assert.Equal([".h"], languages["c"].EditorExtensions);
        Assert.True(languages["cpp"].IsEditedAs("lib/util.hpp"));
        Assert.DoesNotContain(".hpp", languages["cpp"].Extensions);
    }

    [Fact]
    public void RealManifests_Examples_ReadFromEachRuntimesExamplesFolder()
    {
        var examples = RealRuntimes.Languages.SelectMany(l => l.Examples.Select(e => $"{l.Id}/{e.Path}"));

        Assert.Superset(new HashSet<string> { "python/hello.py", "python/ask_name.py", "javascript/hello.js", "c/hello.c", "cpp/hello.cpp", "java/Main.java" },
            examples.ToHashSet());
    }

    [Theory]
    [InlineData("""{ "id": "a", "extensions": [".a"], "editorExtensions": [".h"], "run": ["a"] }""", "'.h' is shown by the editor as two languages")]
    [InlineData("""{ "id": "a", "extensions": [".a"], "editorExtensions": [".a"], "run": ["a"] }""", "'.a' is shown by the editor as two languages")]
    [InlineData("""{ "id": "a", "extensions": [".a"], "editorExtensions": ["h"], "run": ["a"] }""", "\"editorExtensions\" that do not start with a dot")]
    [InlineData("""{ "id": "a", "extensions": [".a"], "editor": " ", "run": ["a"] }""", "an empty \"editor\"")]
    public void Manifest_EditorFieldsWrong_StartUpSaysWhich(string language, string problem)
    {
        var runtimes = RealRuntimes.CopyTo(_scratch);
        Write(runtimes, "a", $$"""{ "image": "coderunner-a", "languages": [ {{language}} ] }""");

        var ex = Assert.Throws<InvalidOperationException>(() => RealRuntimes.CatalogOf(runtimes));
        Assert.Contains(problem, ex.Message);
    }

    [Fact]
    public void Examples_FolderNamingNoLanguageOfTheRuntime_StartUpSaysWhich()
    {
        var runtimes = RealRuntimes.CopyTo(_scratch);
        Write(runtimes, "a", """{ "image": "coderunner-a", "languages": [ { "id": "a", "extensions": [".a"], "run": ["a"] } ] }""");
        Directory.CreateDirectory(Path.Combine(runtimes, "a", "examples", "python"));
        File.WriteAllText(Path.Combine(runtimes, "a", "examples", "python", "hello.py"), "print(1)\n");

        var ex = Assert.Throws<InvalidOperationException>(() => RealRuntimes.CatalogOf(runtimes));
        Assert.Contains("examples/python/ names no language of this runtime (a)", ex.Message);
    }

    private static void Write(string runtimes, string name, string manifest)
    {
        Directory.CreateDirectory(Path.Combine(runtimes, name));
        File.WriteAllText(Path.Combine(runtimes, name, "runtime.json"), manifest);
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
