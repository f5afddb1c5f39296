using System.Text.Json;
using CodeRunner.Tests.EndToEnd;
using Microsoft.Playwright;

namespace CodeRunner.Bench;

/// <summary>
/// What a student sees: from the click on Run to the first line of a Python hello world's output in the console, in
/// Chromium, through the IDE's data-testids. Both ends are taken in the page itself (a click listener and a
/// MutationObserver), so Playwright's own round trips are not counted.
/// </summary>
internal sealed class UiScenario(BenchSettings settings, Figures figures)
{
    private const string File = "python/hello.py"; // the starter project's: it prints "Hello from Python, line 1" first
    private static readonly TimeSpan PauseBetweenRuns = TimeSpan.FromMilliseconds(300);

    // Resolves with the milliseconds from the next click on Run to the first stdout of the console of `path`.
    // The console was cleared first, so any stdout in it is this run's.
    private const string Arm = """
        path => {
          window.__firstOutput = new Promise(resolve => {
            let clicked = 0;
            const seen = () => document.querySelector(`[data-testid=console-output][data-path="${path}"] [data-testid=console-line] .kind-stdout`);
            const observer = new MutationObserver(() => {
              if (clicked && seen()) {
                observer.disconnect();
                resolve(performance.now() - clicked);
              }
            });
            observer.observe(document.body, { childList: true, subtree: true, characterData: true });
            const onClick = e => {
              if (e.target.closest?.("[data-testid=run-button]")) {
                clicked = performance.now();
                window.removeEventListener("click", onClick, true);
              }
            };
            window.addEventListener("click", onClick, true);
          });
        }
        """;

    /// <summary>The measured runs come in this many rounds, with <c>between</c> run after each.</summary>
    public const int Rounds = 5;

    /// <param name="between">
    /// Work to run after each round, such as the engine's own figure: measured in alternation, both see the same
    /// machine, which is shared and noisy.
    /// </param>
    public async Task RunAsync(Func<Task>? between = null)
    {
        await using var host = await WebHostProcess.StartAsync(new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await WaitForWarmPoolsAsync(host.Address);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await IdeBrowser.LaunchAsync(playwright);
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await IdeBrowser.LoadIdeAsync(page, () => page.GotoAsync(host.Address.ToString()), host, TimeSpan.FromSeconds(60));
        await page.Locator($"[data-testid='explorer-item'][data-path='{File}']").ClickAsync();
        await page.Locator($"[data-testid='editor'][data-path='{File}']").WaitForAsync();

        for (var i = 0; i < settings.Warmup; i++)
        {
            await Task.Delay(PauseBetweenRuns);
            await FirstOutputAsync(page);
        }

        var times = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < Math.Max(1, settings.UiRuns / Rounds); i++)
            {
                await Task.Delay(PauseBetweenRuns);
                times.Add(await FirstOutputAsync(page));
            }

            if (between is not null)
            {
                await between();
            }
        }

        figures.Add("ui_first_output_python_p50_ms", Stats.Percentile(times, 50), baseline: "fast_python_p50_ms");
        figures.Add("ui_first_output_python_p95_ms", Stats.Percentile(times, 95), baseline: "fast_python_p50_ms");
        await context.CloseAsync();
    }

    /// <summary>
    /// The host warms its pools in the background after it starts: a run then would wait for a container, or share the
    /// cores with the warming. /readyz says each pool's state; a minute at most, then the warm-up runs absorb the rest.
    /// </summary>
    private static async Task WaitForWarmPoolsAsync(Uri address)
    {
        using var http = new HttpClient { BaseAddress = address };
        for (var waited = 0; waited < 60; waited++)
        {
            // 503 while a check fails: the pools' states are in the body all the same.
            using var response = await http.GetAsync("/readyz");
            using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var pools = report.RootElement.GetProperty("checks").EnumerateArray().FirstOrDefault(c => c.GetProperty("name").GetString() == "pools");
            var states = pools.ValueKind == JsonValueKind.Object && pools.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                ? data.EnumerateObject().Select(p => p.Value.GetString() ?? "").ToList()
                : [];
            if (states.Any(s => s.StartsWith("warm (", StringComparison.Ordinal))
                && !states.Any(s => s == "cold" || s.StartsWith("warming", StringComparison.Ordinal)))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    private static async Task<double> FirstOutputAsync(IPage page)
    {
        var output = page.Locator($"[data-testid='console-output'][data-path='{File}']");
        if (await output.CountAsync() > 0)
        {
            await page.Locator("[data-testid='console-clear']").ClickAsync();
            await page.Locator($"[data-testid='console-output'][data-path='{File}'][data-entries='0']").WaitForAsync();
        }

        await page.EvaluateAsync(Arm, File);
        await page.Locator("[data-testid='run-button']").ClickAsync();
        var time = await page.EvaluateAsync<double>("() => window.__firstOutput");
        // The next run starts once this one has ended, as the engine's own figure does.
        await page.Locator($"[data-testid='console-output'][data-path='{File}'][data-running='false'] [data-testid='verdict']").WaitForAsync();
        return time;
    }
}
