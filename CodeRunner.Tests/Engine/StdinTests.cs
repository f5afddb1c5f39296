using CodeRunner.Engine.Runs;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Engine;

[Collection(DockerCollection.Name)]
public sealed class StdinTests(EngineFixture fixture)
{
    [Theory]
    [InlineData("ask.py", "name = input('Name: ')\nprint('Hello ' + name)")]
    [InlineData("ask.js", "const rl = require('readline').createInterface({ input: process.stdin });\nprocess.stdout.write('Name: ');\nrl.once('line', n => { console.log('Hello ' + n); rl.close(); });")]
    [InlineData("ask.c", "#include <stdio.h>\nint main(void) { char n[64]; printf(\"Name: \"); if (scanf(\"%63s\", n) == 1) printf(\"Hello %s\\n\", n); return 0; }")]
    [InlineData("ask.cpp", "#include <iostream>\n#include <string>\nint main() { std::string n; std::cout << \"Name: \"; std::cin >> n; std::cout << \"Hello \" << n << std::endl; }")]
    [InlineData("Ask.java", "import java.util.Scanner;\npublic class Ask { public static void main(String[] a) { Scanner s = new Scanner(System.in); System.out.print(\"Name: \"); System.out.println(\"Hello \" + s.nextLine()); } }")]
    public async Task Prompt_WithoutNewline_ArrivesBeforeAnyInput(string entry, string code)
    {
        await using var session = fixture.Engine.CreateSession();
        var run = await session.StartRunAsync(RunExtensions.Request(entry, code));
        var beforeInput = await run.WaitForStdoutAsync("Name: ");
        Assert.Equal("Name: ", beforeInput);
        await run.WriteStdinAsync("Ada\n");
        var rest = await run.CollectAsync();
        Assert.True(rest.Verdict.Succeeded, rest.ToString());
        Assert.Equal("Hello Ada\n", rest.Stdout);
    }

    [Fact]
    public async Task BlankLine_And_EndOfInput_ReachTheProgram()
    {
        const string code = """
            lines = []
            while True:
                try:
                    lines.append(input())
                except EOFError:
                    break
            print(repr(lines))
            """;
        await using var session = fixture.Engine.CreateSession();
        var run = await session.StartRunAsync(RunExtensions.Request("lines.py", code));
        await run.WriteStdinAsync("first\n");
        await run.WriteStdinAsync("\n");
        await run.WriteStdinAsync("third\n");
        await run.CloseStdinAsync();
        var result = await run.CollectAsync();
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal("['first', '', 'third']\n", result.Stdout);
    }

    [Fact]
    public async Task StdinWrittenBeforeTheProgramReads_IsKeptInOrder()
    {
        await using var session = fixture.Engine.CreateSession();
        var run = await session.StartRunAsync(RunExtensions.Request("sum.py", "import sys\nprint(sum(int(x) for x in sys.stdin))"));
        for (var i = 1; i <= 100; i++)
        {
            await run.WriteStdinAsync($"{i}\n");
        }

        await run.CloseStdinAsync();
        var result = await run.CollectAsync();
        Assert.Equal("5050\n", result.Stdout);
    }
}
