using System.Text;
using CodeRunner.Engine.Runtimes;

namespace CodeRunner.Tests.Unit;

public sealed class GoMainFunctionTests
{
    [Theory]
    [InlineData("package main\n\nfunc main() {\n}\n")]
    [InlineData("package main\nimport \"fmt\"\nfunc helper() int { return 1 }\nfunc main() { fmt.Println(helper()) }\n")]
    [InlineData("package main\n\nfunc main ( ) { }")]
    [InlineData("\uFEFF// Übung: é\npackage main\nfunc main() {}\n")]
    public void Declaration_AtFileScope_IsFound(string source)
    {
        Assert.True(GoMainFunction.IsDefinedIn(Encoding.UTF8.GetBytes(source)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("package main\n\nfunc two() int { return 2 }\n")]
    [InlineData("package main\n\ntype app struct{}\n\nfunc (a app) main() {}\n")]
    [InlineData("package main\n\n// func main() { } is in main.go\nfunc helper() {}\n")]
    [InlineData("package main\n\n/* func main() {} */\n")]
    [InlineData("package main\n\nvar s = \"func main() {}\"\n")]
    [InlineData("package main\n\nfunc run() {\n\tmain := func() {}\n\tmain()\n}\n")]
    [InlineData("package main\n\nfunc mainLoop() {}\n")]
    public void NoDeclaration_IsNotFound(string source)
    {
        Assert.False(GoMainFunction.IsDefinedIn(Encoding.UTF8.GetBytes(source)));
    }
}
