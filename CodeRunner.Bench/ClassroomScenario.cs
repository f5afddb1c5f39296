using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using CodeRunner.Tests.EndToEnd;
using Microsoft.Playwright;

namespace CodeRunner.Bench;

/// <summary>
/// A class at work: the real web host (its own SQLite file) with the teacher's class page open in Chromium, and the
/// students inside the host (<see cref="ClassroomLoad"/>), each saving every 2 s and running every 10 s. Measures each
/// save as the server performs it, the time from a run's verdict on the server to the teacher's roster showing it,
/// and the host's resident memory.
/// </summary>
internal sealed class ClassroomScenario(int students, TimeSpan duration, Figures figures)
{
    private const string TeacherUser = "bench-teacher";
    private const string TeacherPassword = "bench-teacher-password";
    private const double SaveGoalMs = 50;
    private const double RosterGoalMs = 1000;
    private const double RssGoalMb = 600;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("coderunner-classroom-");
        try
        {
            await using var host = await WebHostProcess.StartAsync(new Dictionary<string, string>
            {
                ["Logging__LogLevel__Default"] = "Warning",
                ["Teacher__InitialUser"] = TeacherUser,
                ["Teacher__InitialPassword"] = TeacherPassword,
                ["DOTNET_STARTUP_HOOKS"] = typeof(ClassroomLoad).Assembly.Location,
                [ClassroomExchange.FolderVariable] = folder.FullName,
            });

            // Interrupted: the host must stop (SIGTERM, so that its engine removes its containers) even if this process
            // is made to exit before its own clean-up runs.
            using var stopHost = cancellationToken.Register(() => Terminate(host.ProcessId));
            var exchange = new ClassroomExchange(folder.FullName);
            await exchange.WaitForReadyAsync(() => host.Output);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await IdeBrowser.LaunchAsync(playwright);
            var (page, code) = await OpenClassAsync(browser, host);
            var roster = await RosterWatch.StartAsync(page);
            Console.Error.WriteLine($"classroom: {students} students join class {code}, then save every 2 s and run every 10 s for {duration.TotalSeconds:0} s…");
            var loadBefore = LoadAverage();
            await using var memory = ResidentMemory.Sample(host.ProcessId);
            await exchange.OrderAsync(new ClassroomOrder(code, students, duration.TotalSeconds));
            var results = await exchange.WaitForResultsAsync(() => host.Output, duration + TimeSpan.FromMinutes(3), cancellationToken);
            var (latencies, missed) = await roster.WaitForAsync(results.Verdicts, TimeSpan.FromSeconds(10));
            var (peak, end) = await memory.StopAsync();
            var rows = await page.Locator("[data-testid='roster-row'][data-online='true']").CountAsync();
            if (rows != students)
            {
                throw new InvalidOperationException($"The roster shows {rows} students online, not {students}.");
            }

            // The machine is shared: the figures' tails follow what else runs on it.
            Console.Error.WriteLine($"classroom: the machine's load average was {loadBefore} before the class, {LoadAverage()} after it");
            Report(results, latencies, missed, peak, end);
            ReportHostProblems(host.Output);
            await page.Context.CloseAsync();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The teacher signs in, makes the class, hands out main.py and its checker, and stays on the class page.</summary>
    private static async Task<(IPage Page, string Code)> OpenClassAsync(IBrowser browser, WebHostProcess host)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var signIn = Stopwatch.StartNew();
        try
        {
            await IdeBrowser.SubmitFormAsync(page, async () =>
            {
                await page.GotoAsync(new Uri(host.Address, "login").ToString());
                await page.GetByTestId("login-user").FillAsync(TeacherUser);
                await page.GetByTestId("login-password").FillAsync(TeacherPassword);
                await page.GetByTestId("login-submit").ClickAsync();
            }, new Regex("/teacher$"), TimeSpan.FromSeconds(60));
            Console.Error.WriteLine($"classroom: the teacher's sign-in reached /teacher in {signIn.ElapsedMilliseconds} ms");
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            throw new InvalidOperationException($"The teacher's sign-in did not lead to /teacher (the page is at {page.Url}). The web host's output:\n{host.Output}", ex);
        }

        await page.Locator(".teacher[data-interactive=true]").WaitForAsync();
        await page.GetByTestId("new-class-button").ClickAsync();
        await page.GetByTestId("class-name-input").FillAsync("Benchmark class");
        await page.GetByTestId("class-create").ClickAsync();
        await IdeBrowser.WaitForAddressAsync(page, new Regex("/teacher/classes/[^/]+$"), TimeSpan.FromSeconds(60));
        await page.Locator(".teacher[data-interactive=true]").WaitForAsync();
        var code = (await page.GetByTestId("class-code").InnerTextAsync()).Trim();
        await page.GetByTestId("push-files-input").SetInputFilesAsync(new[]
        {
            Payload(ClassroomStudent.MainFile, ClassroomStudent.MainText("your name", 0)),
            Payload(ClassroomStudent.CheckFile, ClassroomStudent.CheckText),
        });
        await page.GetByText("Handed out 2 files").WaitForAsync();
        return (page, code);
    }

    private static FilePayload Payload(string name, string text) => new() { Name = name, MimeType = "text/x-python", Buffer = Encoding.UTF8.GetBytes(text) };

    private void Report(ClassroomResults results, List<double> latencies, List<ClassroomVerdict> missed, double peakMb, double endMb)
    {
        var wrong = results.Verdicts.Where(v => v.Outcome != v.Expected).ToList();
        var problems = results.SaveProblems.Select(p => $"save: {p}")
            .Concat(results.RunsNotStarted.Select(r => $"run did not start: {r}"))
            .Concat(wrong.Select(v => $"run of {v.File} by {v.Student}: {v.Outcome}, expected {v.Expected} ({v.Summary})"))
            .Concat(missed.Select(v => $"the roster never showed {v.Student}'s {v.Outcome} ({v.File})"))
            .ToList();
        // The shortest latency tells the two clocks agree: it cannot be below zero, and is rarely above a few tens of ms.
        Console.Error.WriteLine($"classroom: {latencies.Count} verdicts shown on the roster, the soonest {latencies.DefaultIfEmpty(double.NaN).Min():0.#} ms after its verdict");
        foreach (var (problem, count) in problems.CountBy(p => p).OrderByDescending(p => p.Value).Take(10))
        {
            Console.Error.WriteLine($"  classroom problem, {count} ×: {problem}");
        }

        figures.Add("classroom_students", students, unit: "");
        figures.Add("classroom_join_p95_ms", Stats.Percentile(results.JoinMs, 95));
        figures.Add("classroom_saves", results.SaveMs.Count, unit: "saves");
        figures.Add("classroom_runs", results.Verdicts.Count + results.RunsNotStarted.Count, unit: "runs");
        figures.Add("classroom_failed", problems.Count, unit: "");
        figures.Add("classroom_save_goal_ms", SaveGoalMs);
        figures.Add("classroom_save_p50_ms", Stats.Percentile(results.SaveMs, 50), baseline: "classroom_save_goal_ms");
        figures.Add("classroom_save_p95_ms", Stats.Percentile(results.SaveMs, 95), baseline: "classroom_save_goal_ms");
        figures.Add("classroom_run_p95_ms", Stats.Percentile([.. results.Verdicts.Select(v => v.RunMs)], 95), baseline: "fast_python_p50_ms");
        figures.Add("classroom_roster_goal_ms", RosterGoalMs);
        figures.Add("classroom_roster_p50_ms", Stats.Percentile(latencies, 50), baseline: "classroom_roster_goal_ms");
        figures.Add("classroom_roster_p95_ms", Stats.Percentile(latencies, 95), baseline: "classroom_roster_goal_ms");
        figures.Add("classroom_roster_max_ms", latencies.DefaultIfEmpty(double.NaN).Max(), baseline: "classroom_roster_goal_ms");
        figures.Add("classroom_rss_goal_mb", RssGoalMb, unit: "MB");
        figures.Add("classroom_rss_peak_mb", peakMb, unit: "MB", baseline: "classroom_rss_goal_mb");
        figures.Add("classroom_rss_end_mb", endMb, unit: "MB", baseline: "classroom_rss_goal_mb");
    }

    /// <summary>What the web host logged as a warning or an error during the class (its log level is Warning): shown, not counted.</summary>
    private static void ReportHostProblems(string output)
    {
        var lines = output.Split('\n');
        var problems = lines.Select((line, i) => (line, i)).Where(l => l.line.StartsWith("warn:", StringComparison.Ordinal)
            || l.line.StartsWith("fail:", StringComparison.Ordinal) || l.line.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        Console.Error.WriteLine($"classroom: the web host logged {problems.Count} warnings or errors");
        foreach (var (line, i) in problems.Take(10))
        {
            Console.Error.WriteLine($"  {line.Trim()} {(i + 1 < lines.Length ? lines[i + 1].Trim() : "")}");
        }
    }

    /// <summary>The 1, 5 and 15 minute load averages, as uptime shows them.</summary>
    internal static string LoadAverage() => string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>SIGTERM, then waits for the host to have removed what its engine made; nothing when it is gone already.</summary>
    private static void Terminate(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            using (var term = Process.Start("kill", ["-TERM", processId.ToString()]))
            {
                term.WaitForExit();
            }

            process.WaitForExit(TimeSpan.FromSeconds(30));
        }
        catch (ArgumentException)
        {
            // The host has exited already.
        }
    }
}
