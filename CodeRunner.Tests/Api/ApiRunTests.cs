using System.Net;
using System.Text;
using System.Text.Json;

namespace CodeRunner.Tests.Api;

/// <summary><c>POST /api/v1/runs</c> on the real engine: runs, compile errors, test cases, polling, and bad requests.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiRunTests(ApiFixture fixture)
{
    private static object Python(string code, string? stdin = null) => new
    {
        language = "python",
        files = new[] { new { path = "main.py", content = code } },
        entry = "main.py",
        stdin,
    };

    [Fact]
    public async Task PythonHello_WithStdin_AnswersItsOutputAndVerdict()
    {
        var (http, _) = await fixture.ClientAsync();
        using (http)
        {
            var response = await ApiFixture.PostAsync(http, "/api/v1/runs", Python("name = input()\nprint('hello', name)", "Ada\n"));
            var body = await ApiFixture.JsonAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
            Assert.Equal("finished", body.GetProperty("status").GetString());
            Assert.Equal("succeeded", body.GetProperty("verdict").GetString());
            Assert.Equal("hello Ada\n", body.GetProperty("stdout").GetString());
            Assert.Equal(0, body.GetProperty("exitCode").GetInt32());
            Assert.True(body.GetProperty("timeSeconds").GetDouble() > 0);
        }
    }

    [Fact]
    public async Task ProgramThatReads_WithoutStdin_GetsEndOfInput_AndDoesNotHang()
    {
        var (http, _) = await fixture.ClientAsync();
        using (http)
        {
            var body = await ApiFixture.JsonAsync(await ApiFixture.PostAsync(http, "/api/v1/runs",
                Python("import sys\nprint(repr(sys.stdin.read()))")));
            Assert.Equal("''\n", body.GetProperty("stdout").GetString());
        }
    }

    [Fact]
    public async Task CProgramThatDoesNotCompile_HasTheCompileFailedVerdict_AndTheCompilersMessage()
    {
        var (http, _) = await fixture.ClientAsync();
        using (http)
        {
            var body = await ApiFixture.JsonAsync(await ApiFixture.PostAsync(http, "/api/v1/runs", new
            {
                language = "c",
                files = new[] { new { path = "main.c", content = "int main(void) { return missing; }\n" } },
            }));
            Assert.Equal("compile-failed", body.GetProperty("verdict").GetString());
            Assert.Contains("missing", body.GetProperty("stderr").GetString());
        }
    }

    [Fact]
    public async Task TestCases_OnePassingOneFailing_AnswerAResultPerCase()
    {
        var (http, _) = await fixture.ClientAsync();
        using (http)
        {
            var response = await ApiFixture.PostAsync(http, "/api/v1/runs", new
            {
                language = "python",
                files = new[] { new { path = "sum.py", content = "a, b = map(int, input().split())\nprint(a + b)" } },
                testCases = new[]
                {
                    new { name = "small", input = "1 2\n", expectedOutput = "3\n" },
                    new { name = "wrong", input = "2 2\n", expectedOutput = "5\n" },
                },
            });
            var body = await ApiFixture.JsonAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
            Assert.Equal("failed", body.GetProperty("verdict").GetString());
            var cases = body.GetProperty("cases").EnumerateArray().ToList();
            Assert.Equal(["passed", "wrongAnswer"], cases.Select(c => c.GetProperty("outcome").GetString()));
            Assert.Equal([3, 4], cases.Select(c => c.GetProperty("judge0StatusId").GetInt32()));
            Assert.Equal("4\n", cases[1].GetProperty("stdout").GetString());
        }
    }

    [Fact]
    public async Task WaitFalse_Answers202WithAnId_ThatItsOwnerPollsUntilFinished_AndNoOtherTeacherSees()
    {
        var (http, _) = await fixture.ClientAsync();
        var (stranger, _) = await fixture.ClientAsync(teacherId: await fixture.AddTeacherAsync());
        using (http)
        using (stranger)
        {
            var response = await ApiFixture.PostAsync(http, "/api/v1/runs?wait=false", Python("import time\ntime.sleep(1)\nprint('late')"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var id = (await ApiFixture.JsonAsync(response)).GetProperty("id").GetString();
            Assert.Equal($"/api/v1/runs/{id}", response.Headers.Location?.ToString());

            var first = await ApiFixture.JsonAsync(await http.GetAsync($"/api/v1/runs/{id}"));
            Assert.Equal("running", first.GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/runs/{id}")).StatusCode);

            JsonElement polled;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            do
            {
                Assert.True(DateTime.UtcNow < deadline, "the run did not finish within 60 s");
                await Task.Delay(200);
                polled = await ApiFixture.JsonAsync(await http.GetAsync($"/api/v1/runs/{id}"));
            }
            while (polled.GetProperty("status").GetString() == "running");

            Assert.Equal("late\n", polled.GetProperty("stdout").GetString());
        }
    }

    [Fact]
    public async Task MissingPath_Gets400_NamingTheField()
    {
        var (http, _) = await fixture.ClientAsync();
        using (http)
        {
            var response = await ApiFixture.PostAsync(http, "/api/v1/runs", new { language = "python", files = new[] { new { content = "print(1)" } } });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await ApiFixture.JsonAsync(response)).GetProperty("errors").TryGetProperty("files[0].path", out _));
        }
    }

    [Fact]
    public async Task WrongType_Gets400_NamingTheField()
    {
        var (http, _) = await fixture.ClientAsync();
        using (http)
        {
            using var content = new StringContent("""{"language": "python", "files": [{"path": "a.py", "content": "print(1)"}], "args": "not a list"}""",
                Encoding.UTF8, "application/json");
            var response = await http.PostAsync("/api/v1/runs", content);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await ApiFixture.JsonAsync(response)).GetProperty("errors").TryGetProperty("args", out _));
        }
    }

    [Fact]
    public async Task UnknownLanguage_Gets400_NamingIt()
    {
        var (http, _) = await fixture.ClientAsync();
        using (http)
        {
            var response = await ApiFixture.PostAsync(http, "/api/v1/runs", new { language = "cobol", files = new[] { new { path = "a.cob", content = "" } } });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var message = (await ApiFixture.JsonAsync(response)).GetProperty("errors").GetProperty("language")[0].GetString();
            Assert.Contains("'cobol'", message);
        }
    }

    [Fact]
    public async Task OversizeBody_Gets413()
    {
        var (http, _) = await fixture.ClientAsync();
        using (http)
        {
            var response = await ApiFixture.PostAsync(http, "/api/v1/runs", Python("# " + new string('x', (int)ApiFixture.MaxRequestBytes)));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("Api:MaxRequestBytes", (await ApiFixture.JsonAsync(response)).GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Languages_ListTheEnginesLanguages()
    {
        var (http, _) = await fixture.ClientAsync();
        using (http)
        {
            var languages = (await ApiFixture.JsonAsync(await http.GetAsync("/api/v1/languages"))).EnumerateArray().ToList();
            var python = languages.Single(l => l.GetProperty("id").GetString() == "python");
            Assert.True(python.GetProperty("available").GetBoolean());
            Assert.Contains(".py", python.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()));
        }
    }
}
