using System.Diagnostics;
using System.Text.RegularExpressions;
using CodeRunner.Tests.Web;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>The explorer's selection and its zip import's bounds, in Chromium against the real web host.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ExplorerBrowserTests(IdeFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const long Megabyte = 1024 * 1024;

    private readonly string _scratch = Directory.CreateTempSubdirectory("coderunner-e2e-").FullName;

    [Fact]
    public async Task EmptySpaceBelowTheTree_ClickedAfterSelectingAFolder_NewFileGoesToTheRoot()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        try
        {
            await ide.ExplorerItem("python").ClickAsync();
            await Assertions.Expect(ide.ExplorerItem("python")).ToHaveClassAsync(new Regex(@"\bselected\b"));

            await ide.TestId("explorer-empty-space").ClickAsync();
            await ide.TestId("new-file-button").ClickAsync();
            await Assertions.Expect(ide.TestId("file-name-label")).ToHaveTextAsync("New file at the project root");
            await ide.TestId("file-name-input").FillAsync("top.py");
            await ide.TestId("file-name-input").PressAsync("Enter");

            await Assertions.Expect(ide.ExplorerItem("top.py")).ToBeVisibleAsync();
            await Assertions.Expect(ide.ExplorerItem("python/top.py")).ToHaveCountAsync(0);
        }
        finally
        {
            await ide.Page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task ZipBomb_Imported_RefusedWithAMessageAndTheHostGrowsByLessThan50MB()
    {
        var bomb = Path.Combine(_scratch, "bomb.zip");
        await File.WriteAllBytesAsync(bomb, ZipBomb.OfSpaces());
        var ide = new IdePage(await fixture.OpenIdeAsync());
        try
        {
            var before = await SettledRssAsync();
            using var sampling = new CancellationTokenSource();
            var peak = PeakRssAsync(sampling.Token);

            await ide.Page.Locator("[data-input=zip]").SetInputFilesAsync(bomb);
            await ide.TestId("explorer-error").WaitForAsync(new LocatorWaitForOptions { Timeout = 180_000 });
            await sampling.CancelAsync();
            var highest = await peak;

            output.WriteLine($"Web host RSS: {before / Megabyte} MB before the import, {highest / Megabyte} MB at most while it ran.");
            Assert.True(highest - before < 50 * Megabyte,
                $"The web host grew from {before / Megabyte} MB to {highest / Megabyte} MB while refusing a zip of {new FileInfo(bomb).Length / 1024} KB.");
            await Assertions.Expect(ide.TestId("explorer-error")).ToContainTextAsync("the total size limit is 3 MB per project");
            await Assertions.Expect(ide.ExplorerItem("bomb")).ToHaveCountAsync(0);
        }
        finally
        {
            await ide.Page.Context.CloseAsync();
        }
    }

    /// <summary>The host's resident memory once a freshly loaded page has stopped changing it (within 1 MB for half a second).</summary>
    private async Task<long> SettledRssAsync()
    {
        var clock = Stopwatch.StartNew();
        var last = Rss();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(500);
            var now = Rss();
            if (Math.Abs(now - last) < Megabyte)
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    /// <summary>The highest resident memory of the host until cancelled, sampled every 20 ms: a peak that GC gives back still counts.</summary>
    private async Task<long> PeakRssAsync(CancellationToken cancellationToken)
    {
        var peak = Rss();
        while (!cancellationToken.IsCancellationRequested)
        {
            peak = Math.Max(peak, Rss());
            try
            {
                await Task.Delay(20, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return Math.Max(peak, Rss());
    }

    /// <summary>The web host's resident set size, from VmRSS in /proc/&lt;pid&gt;/status (in kB there).</summary>
    private long Rss()
    {
        var line = File.ReadLines($"/proc/{fixture.Host.ProcessId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
