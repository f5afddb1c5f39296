using System.Diagnostics;
using CodeRunner.Engine;
using CodeRunner.Engine.Hosting;
using CodeRunner.Engine.Runs;
using CodeRunner.Tests.EndToEnd;
using CodeRunner.Web.Runs;
using Microsoft.Playwright;

namespace CodeRunner.Bench;

/// <summary>The figures that involve the IDE's side: a console's ring buffer, and the web host with many sessions open.</summary>
internal sealed class WebScenarios(ExecutionEngine engine, BenchSettings settings, Figures figures)
{
    /// <summary>A program that prints many lines, through the engine and into a console's ring buffer, as the IDE does.</summary>
    public async Task OutputAsync()
    {
        var lines = settings.OutputLines;
        var name = lines >= 1000 ? $"{lines / 1000}k" : lines.ToString();
        await using var session = engine.CreateSession();
        using var console = new RunConsole("lines.py");
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        console.RunStateChanged += c =>
        {
            if (c.Verdict is not null)
            {
                done.TrySetResult();
            }
        };
        var started = Stopwatch.GetTimestamp();
        var run = await session.StartRunAsync(new RunRequest
        {
            EntryFile = "lines.py",
            Files = [SourceFile.Text("lines.py", $"for i in range({lines}):\n    print(i)")],
        });
        console.Attach(run, RunMode.Fast, "lines.py");
        await done.Task;
        figures.Add($"output_{name}_lines_ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds, baseline: "fast_python_p50_ms");
        if (!console.Verdict!.Succeeded || console.Lines.Last(l => l.Length > 0).Text != $"{lines - 1}")
        {
            throw new InvalidOperationException($"The output run did not end as expected: {console.Verdict.Summary}");
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        figures.Add($"output_{name}_server_mb", GC.GetTotalMemory(forceFullCollection: true) / 1048576.0, unit: "MB");
    }

    /// <summary>The web host, started as scripts/run starts it, with many browser sessions open that each ran a program.</summary>
    public async Task MemoryAsync()
    {
        await using var host = await WebHostProcess.StartAsync(new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Warning",
        });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await IdeBrowser.LaunchAsync(playwright);
        var pages = new List<IPage>();
        for (var i = 0; i < settings.MemorySessions; i += 4)
        {
            pages.AddRange(await Task.WhenAll(Enumerable.Range(i, Math.Min(4, settings.MemorySessions - i))
                .Select(_ => OpenAndRunAsync(browser, host))));
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        var rss = ResidentMemory.Megabytes(host.ProcessId);
        figures.Add($"rss_{settings.MemorySessions}_sessions_mb", rss, unit: "MB");
        foreach (var page in pages)
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>A student's tab: the IDE loads, the Python example opens, Run, and the verdict shows.</summary>
    private static async Task<IPage> OpenAndRunAsync(IBrowser browser, WebHostProcess host)
    {
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await IdeBrowser.LoadIdeAsync(page, () => page.GotoAsync(host.Address.ToString()), host, TimeSpan.FromSeconds(60));

        const string File = "python/hello.py";
        await page.Locator($"[data-testid='explorer-item'][data-path='{File}']").ClickAsync();
        await page.Locator($"[data-testid='editor'][data-path='{File}']").WaitForAsync();
        await page.Locator("[data-testid='run-button']").ClickAsync();
        await page.Locator($"[data-testid='console-output'][data-path='{File}'] [data-testid='verdict']").WaitForAsync();
        return page;
    }
}
