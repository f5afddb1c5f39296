using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>Runs made in the IDE show in <c>/metrics</c>, counted by language and outcome, with their durations and queue waits.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MetricsBrowserTests(IdeFixture fixture)
{
    [Fact]
    public async Task RunsInTheIde_AreCountedByLanguageAndOutcome()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.Address };
        var before = await http.GetStringAsync("/metrics");

        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.CreateFileAsync("again.py");
        await ide.TypeAsync("print('again')\n");
        await ide.RunAsync("again.py");
        Assert.Contains("exit code 0", await ide.WaitForVerdictAsync("again.py"));
        await ide.CreateFileAsync("broken.c");
        await ide.TypeAsync("int main(void) { return missing; }\n");
        await ide.RunAsync("broken.c");
        await ide.WaitForVerdictAsync("broken.c");
        await ide.OpenAsync("python/hello.py"); // last: a new file goes into the folder of the one selected
        await ide.RunAsync("python/hello.py");
        Assert.Contains("exit code 0", await ide.WaitForVerdictAsync("python/hello.py"));

        var after = await http.GetStringAsync("/metrics");
        double Delta(string metric, params (string, string)[] labels) =>
            PrometheusText.Sum(after, metric, labels) - PrometheusText.Sum(before, metric, labels);

        var python = ("coderunner_language", "python");
        var c = ("coderunner_language", "c");
        Assert.Equal(2, Delta("coderunner_runs_total", python, ("coderunner_run_kind", "program"), ("coderunner_run_outcome", "succeeded")));
        Assert.Equal(1, Delta("coderunner_runs_total", c, ("coderunner_run_outcome", "compile_error")));
        Assert.Equal(0, Delta("coderunner_runs_total", c, ("coderunner_run_outcome", "succeeded")));
        Assert.Equal(2, Delta("coderunner_run_duration_seconds_count", python));
        Assert.Equal(3, Delta("coderunner_run_queue_duration_seconds_count"));
        Assert.True(Delta("coderunner_run_duration_seconds_sum", python) > 0);
        Assert.True(PrometheusText.Sum(after, "coderunner_sessions") >= 1, "the open IDE tab has an engine session");
        Assert.True(PrometheusText.Sum(after, "coderunner_container_creations_total", ("coderunner_runtime", "python"), ("coderunner_outcome", "created")) >= 1);
        Assert.True(PrometheusText.Sum(after, "coderunner_pool_containers_live", ("coderunner_runtime", "python")) >= 1, "the python pool owns its warm container");
        await ide.Page.Context.CloseAsync();
    }
}
