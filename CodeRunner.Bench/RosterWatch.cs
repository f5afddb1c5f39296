using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace CodeRunner.Bench;

/// <summary>A student's last verdict as the teacher's roster came to show it, stamped in the browser (Unix ms).</summary>
internal sealed record RosterStamp(string Student, string Outcome, double At);

/// <summary>
/// Watches the roster in the teacher's page: a MutationObserver stamps each student's row whenever the outcome it shows
/// changes, with <c>performance.timeOrigin + performance.now()</c>, so that the time is taken in the browser that shows
/// it, on the machine's clock the server's verdicts are stamped with.
/// </summary>
internal sealed class RosterWatch
{
    /// <summary>A stamp this much before a verdict is still taken as its own: the two clocks round differently.</summary>
    private const double ClockSlackMs = 20;

    /// <summary>Longer than this is not the verdict's display but a later run's (each outcome comes back every 20 s).</summary>
    private const double LongestMs = 15_000;

    private const string Script = """
        () => {
          const last = new Map();
          const stamps = [];
          const scan = () => {
            const at = performance.timeOrigin + performance.now();
            for (const row of document.querySelectorAll("[data-testid='roster-row']")) {
              const student = row.getAttribute('data-student');
              const outcome = row.querySelector("[data-testid='roster-last-verdict']")?.getAttribute('data-outcome') ?? '';
              if (last.get(student) !== outcome) {
                last.set(student, outcome);
                if (outcome) stamps.push({ student, outcome, at });
              }
            }
          };
          scan();
          new MutationObserver(scan).observe(document.body,
            { subtree: true, childList: true, attributes: true, attributeFilter: ['data-outcome', 'data-student'] });
          window.__rosterStamps = stamps;
        }
        """;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private readonly IPage _page;

    private RosterWatch(IPage page) => _page = page;

    public static async Task<RosterWatch> StartAsync(IPage page)
    {
        await page.EvaluateAsync(Script);
        return new RosterWatch(page);
    }

    /// <summary>Polls until the roster has shown every verdict, or <paramref name="timeout"/> passed; returns what it matched.</summary>
    public async Task<(List<double> Latencies, List<ClassroomVerdict> Missed)> WaitForAsync(IReadOnlyList<ClassroomVerdict> verdicts, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var json = await _page.EvaluateAsync<string>("() => JSON.stringify(window.__rosterStamps)");
            var matched = Match(verdicts, JsonSerializer.Deserialize<List<RosterStamp>>(json, Web)!);
            if (matched.Missed.Count == 0 || waited.Elapsed > timeout)
            {
                return matched;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>
    /// Each verdict with the first stamp of its student showing its outcome at or after it. The students' runs
    /// alternate between a program that succeeds and a checker that fails, so each verdict changes what the row shows.
    /// </summary>
    public static (List<double> Latencies, List<ClassroomVerdict> Missed) Match(IEnumerable<ClassroomVerdict> verdicts, IReadOnlyList<RosterStamp> stamps)
    {
        var latencies = new List<double>();
        var missed = new List<ClassroomVerdict>();
        foreach (var student in verdicts.GroupBy(v => v.Student))
        {
            var shown = stamps.Where(s => s.Student == student.Key).OrderBy(s => s.At).ToList();
            var next = 0;
            foreach (var verdict in student.OrderBy(v => v.AtUnixMs))
            {
                var i = shown.FindIndex(next, s => s.Outcome == verdict.Outcome && s.At >= verdict.AtUnixMs - ClockSlackMs);
                if (i < 0 || shown[i].At - verdict.AtUnixMs > LongestMs)
                {
                    missed.Add(verdict);
                    continue;
                }

                latencies.Add(shown[i].At - verdict.AtUnixMs);
                next = i + 1;
            }
        }

        return (latencies, missed);
    }
}
