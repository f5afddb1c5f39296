using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>
/// Exercises end to end, in Chromium against the real web host and the real Docker engine: the teacher imports an
/// exercise zip, checks it with the reference solution and publishes it; two students Check and Submit, one right and
/// one wrong; the gradebook and its CSV show both. The wrong student's browser is listened to on the wire, to prove
/// that a hidden case's data never reaches it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ExerciseBrowserTests(IdeFixture fixture)
{
    private ClassroomPages Pages { get; } = new(fixture);

    /// <summary>The hidden case's input, its expected output and the wrong student's output for it.</summary>
    private static readonly string[] HiddenData = ["7325119", "1860423", "9185542", "5464696"];

    /// <summary>A visible case's input: it must reach the browser that shows it, which proves the wire is read right.</summary>
    private const string VisibleInput = "31337";

    private static byte[] SumZip()
    {
        var json = JsonSerializer.Serialize(new
        {
            title = "Sum of two",
            language = "python",
            entryFile = "main.py",
            cases = new object[]
            {
                new { name = "small", points = 1, visible = true },
                new { name = "large", points = 1, visible = true },
                new { name = "secret", points = 2, visible = false },
            },
        });
        return ClassroomPages.Zip(
            ("sum/exercise.json", json),
            ("sum/statement.md", "# Sum of two\n\nRead two whole numbers on one line and print their **sum**.\n\n<script>window.pwned = 1</script>\n"),
            ("sum/starter/main.py", "a, b = map(int, input().split())\n# print the sum of a and b\n"),
            ("sum/solution/main.py", "a, b = map(int, input().split())\nprint(a + b)\n"),
            ("sum/tests/small.in", "1 2\n"),
            ("sum/tests/small.out", "3\n"),
            ("sum/tests/large.in", $"{VisibleInput} 1\n"),
            ("sum/tests/large.out", "31338\n"),
            ("sum/tests/secret.in", "7325119 1860423\n"),
            ("sum/tests/secret.out", "9185542\n"));
    }

    private static ILocator Result(IdePage student, string name) =>
        student.Page.Locator($"[data-testid='test-result'][data-case='{name}']");

    private static ILocator Cell(IPage teacher, string student) =>
        teacher.Locator($"[data-testid='gradebook-cell'][data-student='{student}'][data-title='Sum of two']");

    [Fact]
    public async Task TeacherImportsAndPublishes_StudentsCheckAndSubmit_HiddenDataNeverReachesThem_GradebookShowsBoth()
    {
        var teacher = await Pages.SignInAsTeacherAsync();
        var (classId, code) = await ClassroomPages.MakeClassAsync(teacher, "Algebra 1");
        var ada = await Pages.JoinAsync(code, "Ada", "1234");

        // Grace's browser is listened to from its first request: every WebSocket frame the server sends it is kept.
        var gracePage = await Pages.NewPageAsync();
        var frames = new List<IWebSocketFrame>();
        gracePage.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) => { lock (frames) { frames.Add(frame); } };
        await fixture.LoadIdeAsync(gracePage, () => gracePage.GotoAsync(fixture.Host.Address.ToString()));
        var grace = await Pages.JoinAsync(code, "Grace", "5678", gracePage);

        // The teacher imports the zip: a draft, opened for checking. The reference solution passes every case.
        await teacher.GetByTestId("exercise-import-input").SetInputFilesAsync(new FilePayload
        {
            Name = "sum.zip",
            MimeType = "application/zip",
            Buffer = SumZip(),
        });
        await IdeBrowser.WaitForAddressAsync(teacher, new Regex("/exercises/[^/]+$"));
        await ClassroomPages.TeacherPageReadyAsync(teacher);
        await Assertions.Expect(teacher.GetByTestId("exercise-title")).ToHaveValueAsync("Sum of two");
        await Assertions.Expect(teacher.GetByTestId("exercise-case")).ToHaveCountAsync(3);
        await teacher.GetByTestId("exercise-run-solution").ClickAsync();
        foreach (var name in new[] { "small", "large", "secret" })
        {
            await Assertions.Expect(teacher.Locator($"[data-testid='solution-result'][data-case='{name}']"))
                .ToHaveAttributeAsync("data-outcome", "passed", new LocatorAssertionsToHaveAttributeOptions { Timeout = 60_000 });
        }

        await teacher.GetByTestId("exercise-publish").ClickAsync();
        await Assertions.Expect(teacher.GetByTestId("exercise-editor")).ToHaveAttributeAsync("data-published", "true");

        // Both students see it at once, without a reload, and have its starter file.
        foreach (var student in new[] { ada, grace })
        {
            await student.ExplorerItem("sum-of-two/main.py").WaitForAsync();
            await student.Page.Locator("[data-testid='exercise-item'][data-title='Sum of two']").ClickAsync();
            await Assertions.Expect(student.TestId("exercise-statement")).ToContainTextAsync("print their sum");
        }

        Assert.Equal(0, await ada.Page.Locator("[data-testid='exercise-statement'] script").CountAsync());
        Assert.True(await ada.Page.EvaluateAsync<bool>("() => window.pwned === undefined"), "the statement's <script> ran");

        // Ada writes the right program: Check runs the visible cases, Submit all of them.
        await ada.OpenAsync("sum-of-two/main.py");
        await ada.PasteAsync("a, b = map(int, input().split())\nprint(a + b)\n");
        await ada.TestId("check-button").ClickAsync();
        await Assertions.Expect(ada.TestId("score")).ToHaveTextAsync("2 / 2", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        await Assertions.Expect(Result(ada, "small")).ToHaveAttributeAsync("data-outcome", "passed");
        await Assertions.Expect(Result(ada, "secret")).ToHaveCountAsync(0); // Check runs no hidden case
        await ada.TestId("submit-button").ClickAsync();
        await Assertions.Expect(ada.TestId("score")).ToHaveTextAsync("4 / 4", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        await Assertions.Expect(Result(ada, "secret")).ToHaveAttributeAsync("data-visible", "false");
        await Assertions.Expect(Result(ada, "secret")).ToHaveAttributeAsync("data-outcome", "passed");

        // Grace subtracts: her visible cases show the input and a diff; the hidden one only that it failed.
        await grace.OpenAsync("sum-of-two/main.py");
        await grace.PasteAsync("a, b = map(int, input().split())\nprint(a - b)\n");
        await grace.TestId("check-button").ClickAsync();
        await Assertions.Expect(grace.TestId("score")).ToHaveTextAsync("0 / 2", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        await Assertions.Expect(Result(grace, "large")).ToHaveAttributeAsync("data-outcome", "wrong-answer");
        await Assertions.Expect(Result(grace, "large").GetByTestId("test-diff")).ToContainTextAsync("31338");
        await grace.TestId("submit-button").ClickAsync();
        await Assertions.Expect(grace.TestId("score")).ToHaveTextAsync("0 / 4", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        var secret = Result(grace, "secret");
        await Assertions.Expect(secret).ToHaveAttributeAsync("data-visible", "false");
        await Assertions.Expect(secret).ToHaveAttributeAsync("data-outcome", "wrong-answer");
        await Assertions.Expect(secret).ToContainTextAsync("Failed");
        Assert.Equal(0, await secret.GetByTestId("test-diff").CountAsync());

        // On the wire: the visible input reached Grace's browser, and nothing of the hidden case ever did.
        var received = Received(frames);
        Assert.Contains(VisibleInput, received);
        foreach (var hidden in HiddenData)
        {
            Assert.DoesNotContain(hidden, received);
            Assert.DoesNotContain(hidden, await grace.Page.ContentAsync());
        }

        // The gradebook: both students, best score and attempts; and the same as CSV.
        await Pages.GoToTeacherPageAsync(teacher, $"teacher/classes/{classId}/gradebook");
        await Assertions.Expect(teacher.GetByTestId("gradebook")).ToBeVisibleAsync();
        await Assertions.Expect(Cell(teacher, "Ada")).ToHaveAttributeAsync("data-score", "4");
        await Assertions.Expect(Cell(teacher, "Ada")).ToHaveAttributeAsync("data-attempts", "1");
        await Assertions.Expect(Cell(teacher, "Grace")).ToHaveAttributeAsync("data-score", "0");
        await Cell(teacher, "Grace").GetByTestId("gradebook-open-submission").ClickAsync();
        await Assertions.Expect(teacher.GetByTestId("submission")).ToContainTextAsync("print(a - b)");

        var download = await teacher.RunAndWaitForDownloadAsync(() => teacher.GetByTestId("gradebook-csv").ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync(), Encoding.UTF8);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Student,", lines[0].TrimStart('\uFEFF'));
        Assert.Contains("Sum of two", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("Ada,4 / 4,1,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Grace,0 / 4,1,", StringComparison.Ordinal));
    }

    /// <summary>
    /// Everything the server sent over the WebSockets, as text: SignalR's JSON messages, and inside them every string
    /// that is base64 (Blazor's render batches are bytes, sent as base64) decoded as UTF-8; binary frames as UTF-8.
    /// </summary>
    private static string Received(List<IWebSocketFrame> frames)
    {
        var text = new StringBuilder();
        lock (frames)
        {
            foreach (var frame in frames)
            {
                if (frame.Binary is { } binary)
                {
                    text.Append(Encoding.UTF8.GetString(binary)).Append('\n');
                    continue;
                }

                foreach (var message in (frame.Text ?? "").Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
                {
                    text.Append(message).Append('\n');
                    try
                    {
                        using var json = JsonDocument.Parse(message);
                        AppendStrings(json.RootElement, text);
                    }
                    catch (JsonException)
                    {
                        // not JSON: kept as it came
                    }
                }
            }
        }

        return text.ToString();
    }

    private static void AppendStrings(JsonElement element, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    AppendStrings(property.Value, text);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AppendStrings(item, text);
                }

                break;
            case JsonValueKind.String when element.GetString() is { Length: > 0 } value && Base64().IsMatch(value):
                text.Append(Encoding.UTF8.GetString(Convert.FromBase64String(value))).Append('\n');
                break;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9+/]+={0,2}$")]
    private static partial Regex Base64();
}
