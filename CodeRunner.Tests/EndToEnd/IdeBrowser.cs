using System.Text.RegularExpressions;
using CodeRunner.Web.Components.Editor;
using Microsoft.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>
/// How the browser tests and the benchmark drive the IDE: Debian's headless Chromium (never a downloaded one), and
/// a page load that waits until the IDE is ready.
/// </summary>
public static class IdeBrowser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <summary>Starts headless Chromium, or says how to install it.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/test (it installs Debian's chromium), or apt-get install chromium.");
        }

        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
    }

    /// <summary>
    /// Navigates (or reloads) and waits for the IDE and its editor. Chromium aborts a page load, or the circuit's
    /// WebSocket, with ERR_NETWORK_CHANGED when the host's network interfaces change. Docker changes them whenever a
    /// container joins a bridge network or a session network is made or removed (by the host under test or by
    /// anything else on the machine), so such a load is retried, twice at most. Any other failure is reported with
    /// the browser console and the web host's output.
    /// </summary>
    public static async Task LoadIdeAsync(IPage page, Func<Task> navigate, WebHostProcess host, TimeSpan? timeout = null)
    {
        var browserLog = new List<string>();
        page.Console += (_, message) => browserLog.Add($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => browserLog.Add($"page error: {error}");
        for (var attempt = 1; ; attempt++)
        {
            browserLog.Clear();
            try
            {
                await navigate();
                await WaitForIdeAsync(page, timeout ?? TimeSpan.FromSeconds(40));
                return;
            }
            catch (PlaywrightException ex) when (attempt < 3 && ex.Message.Contains("ERR_NETWORK_CHANGED", StringComparison.Ordinal))
            {
                navigate = () => page.ReloadAsync();
            }
            catch (TimeoutException) when (attempt < 3 && browserLog.Any(l => l.Contains("ERR_NETWORK_CHANGED", StringComparison.Ordinal)))
            {
                navigate = () => page.ReloadAsync();
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException(
                    $"The IDE did not load (attempt {attempt}): {ex.Message}\nBrowser console:\n{string.Join('\n', browserLog)}\nWeb host output:\n{host.Output}", ex);
            }
        }
    }

    /// <summary>
    /// Waits until the page's address matches <paramref name="address"/>. Not WaitForURLAsync: that one reads the
    /// address, then subscribes to navigations, and loses a navigation that lands in between
    /// (microsoft/playwright-dotnet#3364), so that it waits out its whole timeout. This asks the browser until it matches.
    /// </summary>
    public static Task WaitForAddressAsync(IPage page, Regex address, TimeSpan? timeout = null) =>
        Assertions.Expect(page).ToHaveURLAsync(address, new() { Timeout = (float)(timeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds });

    /// <summary>
    /// Opens, fills and submits a form (all in <paramref name="submit"/>) whose answer sends the browser to
    /// <paramref name="address"/>, and waits until it is there. Chromium aborts a request with ERR_NETWORK_CHANGED when
    /// Docker changes the host's network interfaces (a fresh web host makes its network kits as it starts) and then
    /// shows its own error page: the form is submitted again from the start, twice at most.
    /// </summary>
    public static async Task SubmitFormAsync(IPage page, Func<Task> submit, Regex address, TimeSpan? timeout = null)
    {
        var arrivedOrAborted = new Regex($"(?:{address})|^chrome-error:");
        for (var attempt = 1; ; attempt++)
        {
            await submit();
            await WaitForAddressAsync(page, arrivedOrAborted, timeout);
            if (!page.Url.StartsWith("chrome-error:", StringComparison.Ordinal))
            {
                return;
            }

            if (attempt == 3)
            {
                throw new TimeoutException($"The form's answer never reached the browser in {attempt} tries: it stayed on {page.Url}.");
            }
        }
    }

    private static async Task WaitForIdeAsync(IPage page, TimeSpan timeout)
    {
        var options = new LocatorWaitForOptions { Timeout = (float)timeout.TotalMilliseconds };
        await page.Locator(".ide[data-loaded=true]").WaitForAsync(options);
        // Made, not visible: a reload that opens a binary file (or an image) shows its preview, and the editor stays hidden.
        await page.Locator($"#{CodeEditor.EditorId}[data-ready=true]")
            .WaitForAsync(new LocatorWaitForOptions { Timeout = options.Timeout, State = WaitForSelectorState.Attached });
    }
}
