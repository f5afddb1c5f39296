using System.Diagnostics;
using CodeRunner.Engine.Runs;
using CodeRunner.Tests.Infrastructure;
using CodeRunner.Web.Workspace;

namespace CodeRunner.Tests.Engine;

/// <summary>C# (runtimes/csharp): csc of the machine's .NET SDK, and its runtime, in the real image.</summary>
[Collection(DockerCollection.Name)]
public sealed class CSharpTests(EngineFixture fixture)
{
    [Fact]
    public async Task HelloWorld_TopLevelStatements_PrintsAndExitsZero()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("Program.cs", "Console.WriteLine(\"hello from c#\");");
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal("hello from c#\n", result.Stdout);
    }

    [Fact]
    public async Task Prompt_WithoutNewline_ArrivesBeforeAnyInput()
    {
        const string Code = """
            Console.Write("Name: ");
            var name = Console.ReadLine();
            Console.WriteLine($"Hello {name}");
            """;
        await using var session = fixture.Engine.CreateSession();
        var run = await session.StartRunAsync(RunExtensions.Request("Ask.cs", Code));
        Assert.Equal("Name: ", await run.WaitForStdoutAsync("Name: "));
        await run.WriteStdinAsync("Ada\n");
        var rest = await run.CollectAsync();
        Assert.True(rest.Verdict.Succeeded, rest.ToString());
        Assert.Equal("Hello Ada\n", rest.Stdout);
    }

    [Fact]
    public async Task OutputBeforeAPause_ArrivesDuringThePause()
    {
        const string Code = """
            Console.WriteLine("before");
            Thread.Sleep(4000);
            Console.WriteLine("after");
            """;
        await using var session = fixture.Engine.CreateSession();
        var watch = new RunWatch(await session.StartRunAsync(RunExtensions.Request("Pause.cs", Code)));
        await watch.WaitForStdoutAsync("before");
        var seen = Stopwatch.StartNew();
        var verdict = await watch.CompletionAsync();
        Assert.True(verdict.Succeeded, verdict.Summary);
        Assert.True(seen.Elapsed > TimeSpan.FromSeconds(2), $"'before' came only {seen.Elapsed.TotalSeconds:F1} s before the end: it was held back");
        Assert.Equal("before\nafter\n", watch.Stdout);
    }

    [Fact]
    public async Task NonAsciiText_GoesInAndOutAsUtf8()
    {
        // The image has no ICU (invariant globalization): text must still be UTF-8 both ways.
        await using var session = fixture.Engine.CreateSession();
        var run = await session.StartRunAsync(RunExtensions.Request("Echo.cs", "Console.WriteLine($\"Grüße, {Console.ReadLine()} ✓\");"));
        await run.WriteStdinAsync("Zoë\n");
        var result = await run.CollectAsync();
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal("Grüße, Zoë ✓\n", result.Stdout);
    }

    [Fact]
    public async Task CompileError_NamesTheFileAndTheLine()
    {
        const string Code = """
            Console.WriteLine("fine");
            int x = "not a number";
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("lab/Broken.cs", Code);
        Assert.True(result.Verdict.CompileFailed, result.ToString());
        Assert.Contains("lab/Broken.cs(2,9): error CS0029", result.Stderr);
    }

    [Fact]
    public async Task TwoFiles_ProgramUsesAClassOfTheOther()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("app/Program.cs", "Console.WriteLine(new Greeter().Greet(\"Ada\"));",
            others: ("app/Greeter.cs", "public class Greeter\n{\n    public string Greet(string name) => $\"Hello, {name}!\";\n}\n"));
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal("Hello, Ada!\n", result.Stdout);
    }

    private static readonly (string Path, string Text)[] Exercises =
    [
        ("ex1/Program.cs", """
            Console.WriteLine(Shout.Loud("exercise 1 in C#"));
            """),
        ("ex1/util/Shout.cs", """
            static class Shout
            {
                public static string Loud(string text) => text.ToUpperInvariant() + "!";
            }
            """),
        ("ex2/Program.cs", """
            namespace Ex2;

            public static class Program
            {
                public static void Main(string[] args)
                {
                    Console.WriteLine($"exercise 2 in C#, {args.Length} arguments");
                }
            }
            """),
        ("ex2/Scratch.cs", """
            // An earlier attempt, kept beside the exercise: a program of its own, so it is left out.
            Console.WriteLine("scratch");
            """),
    ];

    [Theory]
    [InlineData("ex1/Program.cs", "EXERCISE 1 IN C#!\n")]
    [InlineData("ex2/Program.cs", "exercise 2 in C#, 0 arguments\n")]
    [InlineData("ex2/Scratch.cs", "scratch\n")]
    public async Task StarterProjectWithTwoExercises_EachRunsItsOwnProgram(string entry, string expected)
    {
        var files = new StarterProject(fixture.Engine).Files.Select(f => (f.Path, Text: f.Content)).Concat(Exercises);
        await using var session = fixture.Engine.CreateSession();
        var result = await (await session.StartRunAsync(new RunRequest
        {
            EntryFile = entry,
            Files = files.Select(f => SourceFile.Text(f.Path, f.Text)).ToList(),
        })).CollectAsync();
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal(expected, result.Stdout);
    }
}
