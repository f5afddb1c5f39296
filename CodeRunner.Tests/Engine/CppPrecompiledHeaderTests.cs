using CodeRunner.Engine.Runs;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Engine;

/// <summary>
/// C++ compiles with the gcc image's precompiled standard headers (runtimes/gcc/pch.sh, runtime.json's speedFlags):
/// they are used, and a program means what it means with the bare g++.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class CppPrecompiledHeaderTests(EngineFixture fixture)
{
    private const string PchFolder = "/opt/coderunner/pch";

    [Theory]
    [InlineData("iostream", "iostream.gch")]
    [InlineData("bits/stdc++.h", "bits/stdc++.h.gch")]
    public async Task CompileCommand_FirstIncludeIsPrecompiled_OpensItsPch(string header, string pch)
    {
        var compile = await CompileInImageAsync(fixture.Internal.Catalog.Find("cpp")!.Compile!, $"#include <{header}>\nint main() {{ return 0; }}\n", "-H");
        Assert.Contains($"! {PchFolder}/{pch}", compile.Split('\n'));
    }

    [Fact]
    public async Task IostreamProgram_FastMode_CompilesAndRuns()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("main.cpp", """
            #include <iostream>
            #include <vector>
            int main() {
                std::vector<int> v{1, 2, 3};
                int sum = 0;
                for (int x : v) sum += x;
                std::cout << "sum " << sum << std::endl;
            }
            """);
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal("sum 6\n", result.Stdout);
    }

    [Fact]
    public async Task BitsStdcxxProgram_FastMode_CompilesAndRuns()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("main.cpp", """
            #include <bits/stdc++.h>
            using namespace std;
            int main() {
                vector<int> v{3, 1, 2};
                sort(v.begin(), v.end());
                map<string, int> m{{"a", v[0]}};
                cout << m["a"] << v[1] << v[2] << endl;
            }
            """);
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal("123\n", result.Stdout);
    }

    [Fact]
    public async Task CompileError_WithPch_SameDiagnosticsAsBareGxx()
    {
        const string Code = """
            #include <iostream>
            struct Point { int x; };
            int main() {
                Point p{1};
                std::cout << p << std::endl;
                int unused;
                undeclared(3);
            }
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("main.cpp", Code);
        Assert.True(result.Verdict.CompileFailed, result.ToString());

        var language = fixture.Internal.Catalog.Find("cpp")!;
        var bare = await CompileInImageAsync([language.Compile![0], .. language.Compile.Skip(1 + language.SpeedFlags.Count)], Code);
        Assert.Equal(Diagnostics(bare), Diagnostics(result.Stderr));
        Assert.Contains("main.cpp:7:5: error: ‘undeclared’ was not declared in this scope", Diagnostics(result.Stderr));
    }

    [Fact]
    public async Task VectorWithoutItsInclude_IostreamPrecompiled_FailsToCompile()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("main.cpp", """
            #include <iostream>
            int main() {
                std::vector<int> v{1, 2};
                std::cout << v.size() << std::endl;
            }
            """);
        Assert.True(result.Verdict.CompileFailed, result.ToString());
        Assert.Contains("main.cpp:3:10: error: ‘vector’ is not a member of ‘std’", result.Stderr);
    }

    [Fact]
    public async Task CProgram_GccRuntime_CompilesWithoutSpeedFlags()
    {
        var c = fixture.Internal.Catalog.Find("c")!;
        Assert.Empty(c.SpeedFlags);
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("main.c", """
            #include <math.h>
            #include <stdio.h>
            int main(void) { printf("%.1f\n", sqrt(2.25)); return 0; }
            """);
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal("1.5\n", result.Stdout);
    }

    /// <summary>The lines that place a diagnostic in the program's own file, with their message.</summary>
    private static List<string> Diagnostics(string compilerOutput) =>
        compilerOutput.Split('\n').Where(l => l.StartsWith("main.cpp:", StringComparison.Ordinal)).ToList();

    /// <summary>
    /// Compiles <paramref name="code"/> as main.cpp in a throwaway container of the C++ image, with the given command
    /// (its placeholders filled as the engine does) and extra arguments after the compiler's name; returns its stderr.
    /// </summary>
    private async Task<string> CompileInImageAsync(IReadOnlyList<string> command, string code, params string[] extra)
    {
        var runtime = fixture.Internal.Catalog.Find("cpp")!.Runtime;
        var argv = command.Select(a => a == "{sources}" ? "main.cpp" : a.Replace("{build}", "/tmp", StringComparison.Ordinal)).ToList();
        argv.InsertRange(1, extra);
        // The engine's environment too: its locale makes g++ quote with ‘’ rather than ''.
        var environment = RunPlanner.EnvironmentOf(runtime).SelectMany(e => new[] { "-e", e });
        var error = await EndToEnd.Docker.RunWithInputAsync(code, ["--network", "none", "--label", "coderunner.test=cpp-pch", "--workdir", "/tmp",
            .. environment, "--entrypoint", "sh", runtime.Image, "-c", "cat > main.cpp && exec \"$@\"", "sh", .. argv]);
        Assert.False(error.Contains("Unable to find image", StringComparison.Ordinal), error);
        return error;
    }
}
