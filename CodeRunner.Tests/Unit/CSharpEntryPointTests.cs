using CodeRunner.Engine.Runtimes;

namespace CodeRunner.Tests.Unit;

public sealed class CSharpEntryPointTests
{
    [Theory]
    [InlineData("Console.WriteLine(\"hello\");")]
    [InlineData("using System;\nConsole.WriteLine(\"hello\");")]
    [InlineData("using static System.Math;\nvar x = Abs(-1);")]
    [InlineData("global using System.Text;\nint n = 3;")]
    [InlineData("#!/usr/bin/env dotnet\n#nullable enable\nConsole.WriteLine(1);")]
    [InlineData("await Task.Delay(1);")]
    [InlineData("static int Twice(int x) => 2 * x;")]
    [InlineData("void Greet() { }\nGreet();")]
    [InlineData("using (var r = new StringReader(\"\")) { }")]
    [InlineData("using var r = new StringReader(\"\");")]
    [InlineData("using StringReader r = new(\"\");")]
    [InlineData("[assembly: System.CLSCompliant(false)]\nConsole.WriteLine(1);")]
    [InlineData("global::System.Console.WriteLine(1);")]
    [InlineData("if (args.Length > 0) { return 1; }\nreturn 0;")]
    [InlineData("Console.WriteLine(new Greeter().Hi());\n\nclass Greeter { public string Hi() => \"hi\"; }")]
    [InlineData("\uFEFF// Übung 1\nConsole.WriteLine(\"é\");")]
    public void TopLevelStatements_AreAnEntryPoint(string source)
    {
        Assert.True(CSharpEntryPoint.IsDeclaredIn(source));
    }

    [Theory]
    [InlineData("class Program { static void Main() { } }")]
    [InlineData("class Program { static void Main(string[] args) { } }")]
    [InlineData("public static class Program\n{\n    public static async Task<int> Main(string[] args)\n    {\n        return 0;\n    }\n}")]
    [InlineData("class Program { [STAThread] static void Main() => Console.WriteLine(); }")]
    [InlineData("namespace App { class Program { static void Main() { } } }")]
    [InlineData("namespace App;\n\ninternal sealed class Program { private static int Main() => 0; }")]
    [InlineData("struct P { static void Main() { } }")]
    [InlineData("record R(int X) { static void Main() { } }")]
    [InlineData("class Outer { class Inner { static void Main() { } } }")]
    [InlineData("class C { int X { get; set; } = 1; void M() { if (true) { } } static void Main() { } }")]
    [InlineData("class G<T> where T : class { static void Main() { } }")]
    [InlineData("using System;\n[Serializable]\npublic class Program { public static void Main() { } }")]
    public void StaticMainInAType_IsAnEntryPoint(string source)
    {
        Assert.True(CSharpEntryPoint.IsDeclaredIn(source));
    }

    [Theory]
    [InlineData("class C { string a = $\"{\"}\"}\"; void M() { } }")]
    [InlineData("class C { string a = $$\"\"\"{{\"}\"}} }\"\"\"; void M() { } }")]
    [InlineData("class C { char c = '}'; string v = @\"\"\"}\"; void M() { } }")]
    [InlineData("class C { string s = $\"{x:N2}}}\" + $@\"{{{1}}}\"; void M() { } }")]
    [InlineData("class C { string s = $\"{new[] { 1 }.Length,5}\"; void M() { } }")]
    [InlineData("class C { string s = $\"{global::System.Math.PI}\"; void M() { } }")]
    public void BracesInStringsAndCharacters_DoNotCloseTheClass(string source)
    {
        // Were a brace in a literal taken for code, the class would close early and its method would look like a
        // top-level statement.
        Assert.False(CSharpEntryPoint.IsDeclaredIn(source));
    }

    [Theory]
    [InlineData("")]
    [InlineData("// Console.WriteLine(\"hello\");")]
    [InlineData("/* static void Main() { } */")]
    [InlineData("public class Greeter { public string Greet(string n) => $\"Hello, {n}!\"; }")]
    [InlineData("using System;\nnamespace App { public class Greeter { } }")]
    [InlineData("namespace App;\npublic class Greeter { }\npublic enum Colour { Red, Green }")]
    [InlineData("using Text = System.Text;\ninternal static class Util { }")]
    [InlineData("public record Point(int X, int Y);")]
    [InlineData("public readonly record struct Size(int W, int H);\npublic delegate void Handler();\ninterface IShape { }")]
    [InlineData("[Serializable]\npublic sealed partial class A { }\nfile class B { }")]
    [InlineData("class C { void Main() { } }")]
    [InlineData("class C { static void Run() { Main(); } static void Main2() { } }")]
    [InlineData("class C { static void Run() => Main(); }")]
    [InlineData("class C { static Action a = () => { Main(); }; }")]
    [InlineData("class C { static void M<T>() where T : class { } }")]
    [InlineData("class C { string s = \"static void Main() { }\"; }")]
    [InlineData("class C { string s = @\"\nstatic void Main() { }\"\"\"; }")]
    [InlineData("class C { string s = \"\"\"\n  static void Main() { }\n  \"\"\"; }")]
    [InlineData("class C { string s = $\"{(true ? \"static void Main() {\" : \"\")}\"; }")]
    [InlineData("class C { string s = $$\"\"\"{ static void Main() { } {{1}}\"\"\"; }")]
    [InlineData("class C { char q = '\"'; string s = \"static void Main() {\"; }")]
    [InlineData("class C { string s = $\"{{ static void Main() {{ }} {1:N2}\"; }")]
    public void OnlyTypes_OrMainWhereItIsNoEntryPoint_AreNot(string source)
    {
        Assert.False(CSharpEntryPoint.IsDeclaredIn(source));
    }

    [Fact]
    public void StatementAfterAStringWithABrace_AtFileLevel_IsStillFound()
    {
        const string Source = """
            namespace App
            {
                class Texts { public const string Open = "{"; public const string Raw = @"}"; }
            }

            class Program
            {
                static void Main() => System.Console.WriteLine(App.Texts.Open);
            }
            """;
        Assert.True(CSharpEntryPoint.IsDeclaredIn(Source));
    }
}
