using CodeRunner.Engine.Runs;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Engine;

[Collection(DockerCollection.Name)]
public sealed class HelloWorldTests(EngineFixture fixture)
{
    [Theory]
    [InlineData("main.py", "print('hello from python')", "hello from python")]
    [InlineData("main.js", "console.log('hello from node')", "hello from node")]
    [InlineData("main.c", "#include <stdio.h>\nint main(void){puts(\"hello from c\");return 0;}", "hello from c")]
    [InlineData("main.cpp", "#include <iostream>\nint main(){std::cout<<\"hello from c++\"<<std::endl;}", "hello from c++")]
    [InlineData("Main.java", "public class Main{public static void main(String[] a){System.out.println(\"hello from java\");}}", "hello from java")]
    public async Task HelloWorld_FastMode_PrintsAndExitsZero(string entry, string code, string expected)
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync(entry, code);
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal(expected + "\n", result.Stdout);
    }
}
