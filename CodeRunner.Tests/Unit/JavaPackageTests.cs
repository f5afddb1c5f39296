using System.Diagnostics;
using System.Text;
using CodeRunner.Engine.Runtimes;

namespace CodeRunner.Tests.Unit;

public sealed class JavaPackageTests
{
    [Theory]
    [InlineData("package app;\nclass Main {}", "app")]
    [InlineData("package edu.school.lab1;", "edu.school.lab1")]
    [InlineData("\n\n   package app ;", "app")]
    [InlineData("// hi\npackage edu.school;\nclass Main {}", "edu.school")]
    [InlineData("/* a block\n   comment */ package app;", "app")]
    [InlineData("/** Javadoc. */\n/* and more */ // and a line\npackage app;", "app")]
    [InlineData("package edu . /* odd */ school;", "edu.school")]
    [InlineData("@Deprecated\npackage app;", "app")]
    [InlineData("@java.lang.Deprecated(since = \"1.2 ) \", forRemoval = (true))\npackage app;", "app")]
    [InlineData("@A @B(\"x\") @C(value = 'c')\npackage app;", "app")]
    [InlineData("\uFEFFpackage app;", "app")]
    [InlineData("package école.café;", "école.café")]
    public void Declaration_BeforeTheFirstType_IsRead(string source, string expected)
    {
        Assert.Equal(expected, JavaPackage.Read(Encoding.UTF8.GetBytes(source)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("public class Main {}")]
    [InlineData("import java.util.List;\npackage app;")]
    [InlineData("// package app;\nclass Main {}")]
    [InlineData("/* package app; */ class Main {}")]
    [InlineData("class Main { String s = \"\npackage app;\"; }")]
    [InlineData("packages app;")]
    [InlineData("package app")]
    [InlineData("package ;")]
    [InlineData("@interface Marker {}\npackage app;")]
    public void NoDeclarationFirst_ReadsNoPackage(string source)
    {
        Assert.Null(JavaPackage.Read(Encoding.UTF8.GetBytes(source)));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData(" ")]
    [InlineData("//\n")]
    [InlineData("@A")]
    [InlineData("@A(")]
    [InlineData("(")]
    public void HostileSource_OfAMegabyte_IsReadInLinearTime(string repeated)
    {
        var source = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(repeated, 1024 * 1024 / repeated.Length)));

        var clock = Stopwatch.StartNew();
        JavaPackage.Read(source);

        Assert.InRange(clock.ElapsedMilliseconds, 0, 500);
    }
}
