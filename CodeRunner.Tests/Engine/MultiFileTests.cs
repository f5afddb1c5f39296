using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Engine;

[Collection(DockerCollection.Name)]
public sealed class MultiFileTests(EngineFixture fixture)
{
    [Fact]
    public async Task Python_ImportsSiblingModule_InSubfolder()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("app/main.py", "from helpers import greet\nprint(greet('Ada'))",
            others: ("app/helpers.py", "def greet(name):\n    return f'Hello, {name}!'\n"));
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal("Hello, Ada!\n", result.Stdout);
    }

    [Fact]
    public async Task Java_TwoClasses_CompileAndRunTogether()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("Main.java",
            "public class Main { public static void main(String[] a) { System.out.println(new Greeter().greet(\"Ada\")); } }",
            others: ("Greeter.java", "public class Greeter { String greet(String n) { return \"Hello, \" + n; } }"));
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal("Hello, Ada\n", result.Stdout);
    }

    [Fact]
    public async Task Java_EntryInPackage_RunsByItsQualifiedName()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("src/com/example/App.java",
            "package com.example;\npublic class App { public static void main(String[] a) { System.out.println(App.class.getName()); } }");
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal("com.example.App\n", result.Stdout);
    }

    [Fact]
    public async Task Cpp_WithHeaderAndSecondSource_Links()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("main.cpp",
            "#include <iostream>\n#include \"math/square.h\"\nint main() { std::cout << square(7) << std::endl; }",
            others:
            [
                ("math/square.h", "#pragma once\nint square(int x);\n"),
                ("math/square.cpp", "#include \"square.h\"\nint square(int x) { return x * x; }\n"),
            ]);
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal("49\n", result.Stdout);
    }

    [Fact]
    public async Task CompileError_IsAnOrdinaryResultWithTheCompilersOutput()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("broken.c", "int main(void) { return missing_symbol; }");
        Assert.True(result.Verdict.CompileFailed, result.ToString());
        Assert.Null(result.Verdict.Error);
        Assert.Contains("missing_symbol", result.Stderr);
        Assert.Contains("compiling", result.System);
    }
}
