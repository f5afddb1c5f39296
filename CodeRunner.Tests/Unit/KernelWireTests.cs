using System.Text;
using System.Text.Json;
using CodeRunner.Engine.Notebooks;

namespace CodeRunner.Tests.Unit;

/// <summary>The notebook kernel's line protocol, both ways, and what it does with lines that are not its own.</summary>
public sealed class KernelWireTests
{
    private static KernelMessage? Parse(string line) => KernelWire.Parse(Encoding.UTF8.GetBytes(line));

    [Fact]
    public void Execute_IsOneJsonLine_WithTheCodeAsItIs()
    {
        var line = KernelWire.Execute(7, "print(\"é\")\nx = 1");
        Assert.Equal((byte)'\n', line[^1]);
        Assert.DoesNotContain((byte)'\n', line[..^1]);
        using var json = JsonDocument.Parse(line);
        Assert.Equal(("execute", 7, "print(\"é\")\nx = 1"),
            (json.RootElement.GetProperty("type").GetString(), json.RootElement.GetProperty("id").GetInt64(), json.RootElement.GetProperty("code").GetString()));
    }

    [Fact]
    public void ExecuteResult_BecomesADisplayOutputWithItsCount()
    {
        var message = Parse("""{"type": "display", "id": 3, "data": {"text/plain": "42", "image/png": "iVBO"}, "execution_count": 2}""");
        var output = Assert.IsType<DisplayOutput>(Assert.IsType<KernelCellOutput>(message).Output);
        Assert.Equal((2, "42", "iVBO", true), (output.ExecutionCount, output.Data["text/plain"], output.Data["image/png"], output.IsResult));
    }

    [Fact]
    public void DisplayData_WithANullCount_IsNoResult() =>
        Assert.False(Assert.IsType<DisplayOutput>(Assert.IsType<KernelCellOutput>(
            Parse("""{"type": "display", "id": 3, "data": {"image/png": "iVBO"}, "execution_count": null}""")).Output).IsResult);

    [Fact]
    public void StreamErrorInputAndDone_AreReadWithTheirCell()
    {
        Assert.Equal(new KernelCellOutput(1, new StreamOutput("stderr", "x\n")), Parse("""{"type": "stream", "id": 1, "name": "stderr", "text": "x\n"}"""));
        var error = Assert.IsType<ErrorOutput>(Assert.IsType<KernelCellOutput>(
            Parse("""{"type": "error", "id": 1, "ename": "ZeroDivisionError", "evalue": "division by zero", "traceback": ["\u001b[31ma", "b"]}""")).Output);
        Assert.Equal(("ZeroDivisionError", "division by zero"), (error.Name, error.Value));
        Assert.Equal(["\u001b[31ma", "b"], error.Traceback);
        Assert.Equal(new KernelCellOutput(1, new InputRequest("who? ", true)), Parse("""{"type": "input_request", "id": 1, "prompt": "who? ", "password": true}"""));
        Assert.Equal(new KernelCellDone(1, false, 4), Parse("""{"type": "done", "id": 1, "status": "error", "execution_count": 4}"""));
        Assert.IsType<KernelReady>(Parse("""{"type": "ready"}"""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("[1, 2]")]
    [InlineData("""{"type": "stream", "name": "stdout", "text": "no id"}""")]
    [InlineData("""{"type": "unknown", "id": 1}""")]
    [InlineData("""{"type": 5}""")]
    [InlineData("""{"type": "stream", "id": null, "name": "stdout", "text": "x"}""")]
    [InlineData("""{"type": "done", "id": "1"}""")]
    public void LinesThatAreNotMessages_AreIgnored(string line) => Assert.Null(Parse(line));
}
