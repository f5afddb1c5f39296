using CodeRunner.Engine.Runs;
using CodeRunner.Tests.Infrastructure;
using CodeRunner.Web.Workspace;

namespace CodeRunner.Tests.Engine;

/// <summary>
/// A course's project as a student has it: the IDE's starter project plus folders of exercises, each with its own
/// entry point. Every run starts from the real starter project, because it already holds a main per language.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ExerciseFolderTests(EngineFixture fixture)
{
    private static readonly (string Path, string Text)[] CExercises =
    [
        ("ex1/a.c", """
            #include <stdio.h>

            int main(void) {
                puts("exercise 1 in C");
                return 0;
            }
            """),
        ("ex2/b.c", """
            #include <stdio.h>

            int main(int argc, char **argv) {
                (void)argv;
                printf("exercise 2 in C, %d argument\n", argc);
                return 0;
            }
            """),
    ];

    private static readonly (string Path, string Text)[] CppExercises =
    [
        ("ex1/a.cpp", """
            #include <iostream>

            int main() {
                std::cout << "exercise 1 in C++" << std::endl;
            }
            """),
        ("ex2/b.cpp", """
            #include <iostream>
            #include <string>

            int main(int argc, char *argv[]) {
                std::string name = "exercise 2 in C++";
                std::cout << name << std::endl;
            }
            """),
    ];

    private static readonly (string Path, string Text)[] JavaExercises =
    [
        ("ex1/Main.java", """
            public class Main {
                public static void main(String[] args) {
                    System.out.println("exercise 1 in Java");
                }
            }
            """),
        ("ex2/Main.java", """
            public class Main {
                public static void main(String[] args) {
                    System.out.println("exercise 2 in Java");
                }
            }
            """),
        ("app/Main.java", """
            package app;

            public class Main {
                public static void main(String[] args) {
                    System.out.println(Util.greet("app"));
                }
            }
            """),
        ("app/Util.java", """
            package app;

            class Util {
                static String greet(String who) {
                    return "hello from " + who + "." + Util.class.getSimpleName();
                }
            }
            """),
    ];

    private static readonly (string Path, string Text)[] CLab =
    [
        ("lab/main.c", """
            #include <stdio.h>
            #include "util.h"

            int main(void) {
                printf("%d\n", twice(21));
                return 0;
            }
            """),
        ("lab/util.c", """
            #include "util.h"

            int twice(int x) { return 2 * x; }
            """),
        ("lab/util.h", """
            #pragma once
            int twice(int x);
            """),
    ];

    private static readonly (string Path, string Text)[] CSharedHeader =
    [
        ("common/shout.h", """
            #pragma once
            #include <stdio.h>

            static inline void shout(const char *text) { printf("%s!\n", text); }
            """),
        ("ex3/main.c", """
            #include "../common/shout.h"

            int main(void) {
                shout("a header from another folder");
                return 0;
            }
            """),
    ];

    [Theory]
    [InlineData("ex1/a.c", "exercise 1 in C\n")]
    [InlineData("ex2/b.c", "exercise 2 in C, 1 argument\n")]
    [InlineData("c/hello.c", "Hello from C\n")]
    public Task C_StarterProjectWithTwoExercises_EachRunsItsOwnMain(string entry, string expected) =>
        AssertRunsAsync(entry, expected, CExercises);

    [Theory]
    [InlineData("ex1/a.cpp", "exercise 1 in C++\n")]
    [InlineData("ex2/b.cpp", "exercise 2 in C++\n")]
    [InlineData("cpp/hello.cpp", "Hello from C++\n")]
    public Task Cpp_StarterProjectWithTwoExercises_EachRunsItsOwnMain(string entry, string expected) =>
        AssertRunsAsync(entry, expected, CppExercises);

    [Theory]
    [InlineData("ex1/Main.java", "exercise 1 in Java\n")]
    [InlineData("ex2/Main.java", "exercise 2 in Java\n")]
    [InlineData("app/Main.java", "hello from app.Util\n")]
    [InlineData("java/Main.java", "Hello from Java\n")]
    public Task Java_StarterProjectWithMainClassesInSeveralFolders_EachRunsItsOwnMain(string entry, string expected) =>
        AssertRunsAsync(entry, expected, JavaExercises);

    [Fact]
    public Task C_ProgramSplitAcrossItsFolder_CompilesAndLinksItsOtherSources() =>
        AssertRunsAsync("lab/main.c", "42\n", CLab);

    [Fact]
    public Task C_HeaderFromAnotherFolder_IsIncluded() =>
        AssertRunsAsync("ex3/main.c", "a header from another folder!\n", CSharedHeader);

    private async Task AssertRunsAsync(string entry, string expected, (string Path, string Text)[] added)
    {
        var files = new StarterProject(fixture.Engine).Files.Select(f => (f.Path, Text: f.Content)).Concat(added);
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
