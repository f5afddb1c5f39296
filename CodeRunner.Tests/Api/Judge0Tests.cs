using System.Net;
using System.Text;
using System.Text.Json;

namespace CodeRunner.Tests.Api;

/// <summary>The Judge0 CE-compatible subset, as a Judge0 client uses it: its field names, base64, tokens, batches and status ids.</summary>
[Collection(ApiCollection.Name)]
public sealed class Judge0Tests(ApiFixture fixture)
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Unb64(JsonElement value) => Encoding.UTF8.GetString(Convert.FromBase64String(value.GetString()!));

    private async Task<JsonElement> SubmitAndWaitAsync(object submission)
    {
        var (http, _) = await fixture.ClientAsync();
        using (http)
        {
            var response = await ApiFixture.PostAsync(http, "/submissions?wait=true", submission);
            var body = await ApiFixture.JsonAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
            return body;
        }
    }

    private static async Task<JsonElement> PollAsync(HttpClient http, string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var body = await ApiFixture.JsonAsync(await http.GetAsync(path));
            if (done(body))
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{path} did not finish: {body}");
            await Task.Delay(200);
        }
    }

    private static bool Finished(JsonElement submission) => submission.GetProperty("status").GetProperty("id").GetInt32() > 2;

    [Fact]
    public async Task WaitTrue_Base64_AcceptedWithBase64Output()
    {
        var (http, _) = await fixture.ClientAsync();
        using (http)
        {
            var response = await ApiFixture.PostAsync(http, "/submissions?wait=true&base64_encoded=true", new
            {
                source_code = B64("print('é', input())"),
                language_id = 71,
                stdin = B64("Ada\n"),
                expected_output = B64("é Ada\n"),
            });
            var body = await ApiFixture.JsonAsync(response);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(3, body.GetProperty("status").GetProperty("id").GetInt32());
            Assert.Equal("Accepted", body.GetProperty("status").GetProperty("description").GetString());
            Assert.Equal("é Ada\n", Unb64(body.GetProperty("stdout")));
            Assert.True(body.GetProperty("memory").GetInt64() > 0);
            Assert.NotNull(body.GetProperty("time").GetString());
        }
    }

    [Fact]
    public async Task WithoutExpectedOutput_ARunThatEndsWell_IsAccepted()
    {
        var body = await SubmitAndWaitAsync(new { source_code = "print(42)", language_id = 71 });
        Assert.Equal(3, body.GetProperty("status").GetProperty("id").GetInt32());
        Assert.Equal("42\n", body.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task WrongOutput_IsWrongAnswer4()
    {
        var body = await SubmitAndWaitAsync(new { source_code = "print(41)", language_id = 71, expected_output = "42" });
        Assert.Equal(4, body.GetProperty("status").GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task CThatDoesNotCompile_IsCompilationError6_WithTheCompileOutput()
    {
        var body = await SubmitAndWaitAsync(new { source_code = "int main(void) { return missing; }", language_id = 50 });
        Assert.Equal(6, body.GetProperty("status").GetProperty("id").GetInt32());
        Assert.Contains("missing", body.GetProperty("compile_output").GetString());
    }

    [Fact]
    public async Task PastTheCpuTimeLimit_IsTimeLimitExceeded5()
    {
        var body = await SubmitAndWaitAsync(new { source_code = "while True:\n    pass", language_id = 71, cpu_time_limit = 1, wall_time_limit = 3 });
        Assert.Equal(5, body.GetProperty("status").GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task WithoutWait_TheTokenIsPolledUntilTheResult_Base64OnRequest()
    {
        var (http, _) = await fixture.ClientAsync();
        using (http)
        {
            var created = await ApiFixture.PostAsync(http, "/submissions", new { source_code = "print('polled')", language_id = 71 });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var token = (await ApiFixture.JsonAsync(created)).GetProperty("token").GetString();

            var done = await PollAsync(http, $"/submissions/{token}?base64_encoded=true", Finished);
            Assert.Equal(token, done.GetProperty("token").GetString());
            Assert.Equal("polled\n", Unb64(done.GetProperty("stdout")));
        }
    }

    [Fact]
    public async Task Batch_GivesATokenPerSubmission_AndGetBatchAnswersEach()
    {
        var (http, _) = await fixture.ClientAsync();
        using (http)
        {
            var response = await ApiFixture.PostAsync(http, "/submissions/batch", new
            {
                submissions = new object[]
                {
                    new { source_code = "print(1)", language_id = 71, expected_output = "1" },
                    new { source_code = "print(2)", language_id = 71, expected_output = "3" },
                    new { source_code = "print(3)", language_id = 9999 },
                },
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var answers = (await ApiFixture.JsonAsync(response)).EnumerateArray().ToList();
            Assert.True(answers[2].TryGetProperty("language_id", out _), answers[2].ToString()); // the bad one says why
            var tokens = answers.Take(2).Select(a => a.GetProperty("token").GetString()).ToList();

            var batch = await PollAsync(http, $"/submissions/batch?tokens={string.Join(',', tokens)}",
                b => b.GetProperty("submissions").EnumerateArray().All(Finished));
            Assert.Equal([3, 4], batch.GetProperty("submissions").EnumerateArray().Select(s => s.GetProperty("status").GetProperty("id").GetInt32()));
        }
    }

    [Fact]
    public async Task Languages_UseJudge0Ids_AndStatuses_Judge0Descriptions()
    {
        var (http, _) = await fixture.ClientAsync();
        using (http)
        {
            var languages = (await ApiFixture.JsonAsync(await http.GetAsync("/languages"))).EnumerateArray().ToList();
            Assert.Contains(languages, l => l.GetProperty("id").GetInt32() == 71 && l.GetProperty("name").GetString()!.Contains("Python"));
            Assert.Contains(languages, l => l.GetProperty("id").GetInt32() == 54);

            var statuses = (await ApiFixture.JsonAsync(await http.GetAsync("/statuses"))).EnumerateArray()
                .ToDictionary(s => s.GetProperty("id").GetInt32(), s => s.GetProperty("description").GetString());
            Assert.Equal("Accepted", statuses[3]);
            Assert.Equal("Wrong Answer", statuses[4]);
            Assert.Equal("Time Limit Exceeded", statuses[5]);
            Assert.Equal("Compilation Error", statuses[6]);
            Assert.Equal("Runtime Error (NZEC)", statuses[11]);
            Assert.Equal("Internal Error", statuses[13]);
        }
    }
}
