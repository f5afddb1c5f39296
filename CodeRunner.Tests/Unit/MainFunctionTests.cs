using System.Diagnostics;
using System.Text;
using CodeRunner.Engine.Runtimes;

namespace CodeRunner.Tests.Unit;

public sealed class MainFunctionTests
{
    [Theory]
    [InlineData("int main(void) { return 0; }")]
    [InlineData("int main (int argc, char **argv)\n{\n    return argc;\n}")]
    [InlineData("int main() {}")]
    [InlineData("int\nmain\n(\n)\n{\n}")]
    [InlineData("int main(int argc, char *argv[], char *envp[]) { return 0; }")]
    [InlineData("auto main() -> int { return 0; }")]
    [InlineData("int main() __attribute__((cold)) { return 0; }")]
    [InlineData("int main() try { return 0; } catch (...) { return 1; }")]
    [InlineData("extern \"C\" {\nint main(void) { return 0; }\n}")]
    [InlineData("int twice(int x) { return 2 * x; }\nint main(void) { return twice(0); }")]
    [InlineData("\uFEFF// Übung 1: ç\nint main(void) { puts(\"é\"); }")]
    public void Definition_AtFileScope_IsFound(string source)
    {
        Assert.True(MainFunction.IsDefinedIn(Encoding.UTF8.GetBytes(source)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("int main(void);")]
    [InlineData("int main(int argc, char **argv);\nint helper(void) { return main(0, 0); }")]
    [InlineData("static int main_loop() { return 0; }")]
    [InlineData("int domain(void) { return 0; }")]
    [InlineData("// int main(void) { return 0; }\nint f(void) { return 0; }")]
    [InlineData("/* int main(void) {\n   return 0; } */\nint f(void) { return 0; }")]
    [InlineData("const char *s = \"int main(void) { return 0; }\";")]
    [InlineData("const char *s = \"a \\\" int main() {\";")]
    [InlineData("char q = '\"'; const char *s = \"int main() {\";")]
    [InlineData("#define ENTRY int main(void) { return 0; }\nint f(void);")]
    [InlineData("#define LONG \\\n  int main(void) { return 0; }\nint f(void);")]
    [InlineData("// a comment that goes on \\\nint main(void) { return 0; }")]
    [InlineData("namespace exercise { int main() { return 0; } }")]
    [InlineData("struct Shape { int main() { return 0; } };")]
    [InlineData("int Shape::main() { return 0; }")]
    [InlineData("void f(void) { int main = 3; (void)main; }")]
    [InlineData("const char *s = R\"x(\nint main() { return 0; }\n)x\";")]
    public void NoDefinition_AtFileScope_IsNotFound(string source)
    {
        Assert.False(MainFunction.IsDefinedIn(Encoding.UTF8.GetBytes(source)));
    }

    [Fact]
    public void DigitSeparator_IsNotACharacterLiteral_SoMainAfterItIsFound()
    {
        const string Source = """
            long big = 1'000'000;
            int main(void) { return 0; }
            """;
        Assert.True(MainFunction.IsDefinedIn(Encoding.UTF8.GetBytes(Source)));
    }

    [Fact]
    public void IncludeOnTheFirstLine_IsSkipped_AndMainIsFound()
    {
        const string Source = """
            #include <stdio.h> /* a comment
               that spans lines */
            #include "util.h"

            int main(void) {
                printf("%d\n", twice(21));
                return 0;
            }
            """;
        Assert.True(MainFunction.IsDefinedIn(Encoding.UTF8.GetBytes(Source)));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("(")]
    [InlineData("/*")]
    [InlineData("\"")]
    [InlineData("main(")]
    [InlineData("R\"x(")]
    [InlineData("{")]
    public void HostileSource_OfAMegabyte_IsScannedInLinearTime(string repeated)
    {
        var source = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(repeated, 1024 * 1024 / repeated.Length)));

        var clock = Stopwatch.StartNew();
        MainFunction.IsDefinedIn(source);

        Assert.InRange(clock.ElapsedMilliseconds, 0, 500);
    }
}
