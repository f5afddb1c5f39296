using System.Diagnostics;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Sessions;
using CodeRunner.Tests.Infrastructure;
using CodeRunner.Web.Workspace;

namespace CodeRunner.Tests.Engine;

/// <summary>
/// TypeScript, Go, Rust and Bash, each checked as issue 13 asks of every language: hello world, a prompt without a
/// newline before input, output before a pause shown during the pause, a compile error naming the file and line, a
/// multi-file project, and (for the compiled ones) exercises in sibling folders that each compile only their own.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class MoreLanguagesTests(EngineFixture fixture)
{
    [Theory]
    [InlineData("main.ts", "const who: string = 'typescript';\nconsole.log(`hello from ${who}`);", "hello from typescript")]
    [InlineData("main.go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello from go\")\n}\n", "hello from go")]
    [InlineData("main.rs", "fn main() {\n    println!(\"hello from rust\");\n}\n", "hello from rust")]
    [InlineData("main.sh", "#!/bin/bash\nwho=bash\necho \"hello from $who\"\n", "hello from bash")]
    public async Task HelloWorld_PrintsAndExitsZero(string entry, string code, string expected)
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync(entry, code);
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal(expected + "\n", result.Stdout);
    }

    [Theory]
    [InlineData("ask.ts", """
        import * as readline from "readline";
        const rl = readline.createInterface({ input: process.stdin });
        process.stdout.write("Name: ");
        rl.once("line", (name: string) => { console.log(`Hello ${name}`); rl.close(); });
        """)]
    [InlineData("ask.go", """
        package main

        import (
        	"bufio"
        	"fmt"
        	"os"
        )

        func main() {
        	fmt.Print("Name: ")
        	name, _ := bufio.NewReader(os.Stdin).ReadString('\n')
        	fmt.Printf("Hello %s", name)
        }
        """)]
    [InlineData("ask.rs", """
        use std::io::{self, Write};

        fn main() {
            print!("Name: ");
            io::stdout().flush().unwrap();
            let mut name = String::new();
            io::stdin().read_line(&mut name).unwrap();
            println!("Hello {}", name.trim());
        }
        """)]
    [InlineData("ask.sh", "printf 'Name: '\nread -r name\necho \"Hello $name\"\n")]
    public async Task Prompt_WithoutNewline_ArrivesBeforeAnyInput(string entry, string code)
    {
        await using var session = fixture.Engine.CreateSession();
        var run = await session.StartRunAsync(RunExtensions.Request(entry, code));
        Assert.Equal("Name: ", await run.WaitForStdoutAsync("Name: "));
        await run.WriteStdinAsync("Ada\n");
        var rest = await run.CollectAsync();
        Assert.True(rest.Verdict.Succeeded, rest.ToString());
        Assert.Equal("Hello Ada\n", rest.Stdout);
    }

    /// <summary>
    /// bash shows <c>read -p</c>'s prompt only when stdin is a terminal; the runtime's <c>read</c> shows it on a pipe
    /// too, on stderr as bash does, with every other option still reaching the builtin.
    /// </summary>
    [Fact]
    public async Task Bash_ReadDashP_ShowsItsPromptBeforeInput()
    {
        await using var session = fixture.Engine.CreateSession();
        var run = await session.StartRunAsync(RunExtensions.Request("ask.sh", "read -rp 'Your name: ' name\nread -p 'Age? ' -r age\necho \"$name is $age\"\n"));
        Assert.Equal("Your name: ", await WaitForAsync(run, ConsoleStream.Stderr, "Your name: "));
        await run.WriteStdinAsync("Ada \\ L\n");
        Assert.Equal("Age? ", await WaitForAsync(run, ConsoleStream.Stderr, "Age? "));
        await run.WriteStdinAsync("36\n");
        var rest = await run.CollectAsync();
        Assert.True(rest.Verdict.Succeeded, rest.ToString());
        Assert.Equal("Ada \\ L is 36\n", rest.Stdout); // -r kept: the backslash stays
    }

    [Theory]
    [InlineData("wait.ts", "console.log('before');\nsetTimeout(() => console.log('after'), 3000);")]
    [InlineData("wait.go", "package main\n\nimport (\n\t\"fmt\"\n\t\"time\"\n)\n\nfunc main() {\n\tfmt.Println(\"before\")\n\ttime.Sleep(3 * time.Second)\n\tfmt.Println(\"after\")\n}\n")]
    [InlineData("wait.rs", "fn main() {\n    println!(\"before\");\n    std::thread::sleep(std::time::Duration::from_secs(3));\n    println!(\"after\");\n}\n")]
    [InlineData("wait.sh", "echo before\nsleep 3\necho after\n")]
    public async Task OutputBeforeAPause_ShowsDuringThePause(string entry, string code)
    {
        await using var session = fixture.Engine.CreateSession();
        var run = await session.StartRunAsync(RunExtensions.Request(entry, code));
        await run.WaitForStdoutAsync("before\n", TimeSpan.FromSeconds(30));
        var seenAt = Stopwatch.StartNew();
        var rest = await run.CollectAsync();
        Assert.True(rest.Verdict.Succeeded, rest.ToString());
        Assert.Equal("after\n", rest.Stdout);

        // "before" came while the program still had most of its three seconds to sleep.
        Assert.True(seenAt.Elapsed > TimeSpan.FromSeconds(1.5), $"'after' came {seenAt.ElapsedMilliseconds} ms after 'before'");
    }

    [Theory]
    [InlineData("src/broken.ts", "const n: number = 1;\nconst s: string = n;\nconsole.log(s);\n", "src/broken.ts(2,7)")]
    [InlineData("cmd/broken.go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(missing)\n}\n", "cmd/broken.go:6:14")]
    [InlineData("src/broken.rs", "fn main() {\n    let n: i32 = \"one\";\n    println!(\"{}\", n);\n}\n", "src/broken.rs:2:18")]
    [InlineData("scripts/broken.sh", "echo start\nif true; then\n  echo inside\nfi fi\n", "scripts/broken.sh: line 4")]
    public async Task CompileError_NamesTheFileAndLine_AndNothingRuns(string entry, string code, string where)
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync(entry, code);
        Assert.True(result.Verdict.CompileFailed, result.ToString());
        Assert.Contains(where, result.Stderr);
        Assert.Equal("", result.Stdout); // a type error stops TypeScript too, and bash -n runs nothing
    }

    [Theory]
    [InlineData("app/main.ts", "import { greet } from './lib/greet';\nconsole.log(greet('Ada'));\n",
        "app/lib/greet.ts", "export function greet(name: string): string {\n  return `Hello, ${name}!`;\n}\n")]
    [InlineData("app/main.go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(greet(\"Ada\"))\n}\n",
        "app/greet.go", "package main\n\nimport \"fmt\"\n\nfunc greet(name string) string {\n\treturn fmt.Sprintf(\"Hello, %s!\", name)\n}\n")]
    [InlineData("app/main.rs", "mod greet;\n\nfn main() {\n    println!(\"{}\", greet::greet(\"Ada\"));\n}\n",
        "app/greet.rs", "pub fn greet(name: &str) -> String {\n    format!(\"Hello, {}!\", name)\n}\n")]
    [InlineData("app/main.sh", "source \"$(dirname \"$0\")/lib/greet.sh\"\ngreet Ada\n",
        "app/lib/greet.sh", "greet() {\n  echo \"Hello, $1!\"\n}\n")]
    public async Task MultiFileProject_UsesTheFileBesideIt(string entry, string code, string other, string otherCode)
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync(entry, code, others: (other, otherCode));
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal("Hello, Ada!\n", result.Stdout);
    }

    /// <summary>
    /// A course's project as a student has it: the starter project, plus two exercises in sibling folders, each
    /// its own program. Each runs alone; Go leaves out the other folder and a file of its own folder that declares
    /// its own main (and Go's tests), Rust and TypeScript read only what the entry names.
    /// </summary>
    [Theory]
    [InlineData("ex1/main.go", "exercise 1 in go, 2\n")]
    [InlineData("ex2/main.go", "exercise 2 in go\n")]
    [InlineData("ex1/main.rs", "exercise 1 in rust, 2\n")]
    [InlineData("ex2/main.rs", "exercise 2 in rust\n")]
    [InlineData("ex1/main.ts", "exercise 1 in typescript, 2\n")]
    [InlineData("ex2/main.ts", "exercise 2 in typescript\n")]
    public async Task StarterProjectWithTwoExercises_EachRunsItsOwnProgram(string entry, string expected)
    {
        (string Path, string Text)[] exercises =
        [
            ("ex1/main.go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Printf(\"exercise 1 in go, %d\\n\", two())\n}\n"),
            ("ex1/two.go", "package main\n\nfunc two() int { return 2 }\n"),
            ("ex1/two_test.go", "package main\n\nimport \"testing\"\n\nfunc TestTwo(t *testing.T) {\n\tif two() != 2 {\n\t\tt.Fail()\n\t}\n}\n"),
            ("ex1/scratch.go", "package main\n\nfunc main() {\n\tpanic(\"a second main in the folder\")\n}\n"),
            ("ex2/main.go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"exercise 2 in go\")\n}\n"),
            ("ex1/main.rs", "mod two;\n\nfn main() {\n    println!(\"exercise 1 in rust, {}\", two::two());\n}\n"),
            ("ex1/two.rs", "pub fn two() -> i32 {\n    2\n}\n"),
            ("ex2/main.rs", "fn main() {\n    println!(\"exercise 2 in rust\");\n}\n"),
            ("ex1/main.ts", "import { two } from './two';\nconsole.log(`exercise 1 in typescript, ${two()}`);\n"),
            ("ex1/two.ts", "export function two(): number {\n  return 2;\n}\n"),
            ("ex2/main.ts", "console.log('exercise 2 in typescript');\n"),
            ("ex2/broken.ts", "const n: number = 'not a number';\n"),
        ];
        var files = new StarterProject(fixture.Engine).Files.Select(f => (f.Path, Text: f.Content)).Concat(exercises);
        await using var session = fixture.Engine.CreateSession();
        var result = await (await session.StartRunAsync(new RunRequest
        {
            EntryFile = entry,
            Files = files.Select(f => SourceFile.Text(f.Path, f.Text)).ToList(),
        })).CollectAsync();

        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal(expected, result.Stdout);
    }

    private static async Task<string> WaitForAsync(IRunHandle run, ConsoleStream stream, string text)
    {
        var seen = "";
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!seen.Contains(text, StringComparison.Ordinal))
        {
            var e = await run.Events.ReadAsync(cts.Token);
            seen += e.Stream == stream ? e.Text : "";
        }

        return seen;
    }
}
