using CodeRunner.Web.Components.Editor;
using Microsoft.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>
/// The web host and a headless Chromium (Debian's /usr/bin/chromium, never a downloaded one), shared by the browser
/// tests, which run one after another. It fails loudly when Chromium, Docker or an image is missing.
/// </summary>
public sealed class IdeFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright? _playwright;

    public WebHostProcess Host { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>How long the host keeps a disconnected circuit (and so its engine session) alive: its default.</summary>
    public static readonly TimeSpan CircuitRetention = TimeSpan.FromSeconds(global::CodeRunner.Web.Sessions.CircuitSession.DefaultRetentionSeconds);

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/test (it installs Debian's chromium), or apt-get install chromium.");
        }

        Host = await WebHostProcess.StartAsync(new Dictionary<string, string>
        {
            ["Engine__PoolSize"] = "1",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh browser context (its own localStorage) with a page on the IDE, loaded and ready.</summary>
    public async Task<IPage> OpenIdeAsync(IBrowserContext? context = null)
    {
        context ??= await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await LoadIdeAsync(page, () => page.GotoAsync(Host.Address.ToString()));
        return page;
    }

    /// <summary>
    /// Navigates (or reloads) and waits for the IDE. Chromium aborts loads with ERR_NETWORK_CHANGED when the host's
    /// network interfaces change, which Docker does whenever a session network is made or removed (by these tests or
    /// by anything else on the machine); such a load is retried, twice at most. Any other failure is reported with
    /// the browser console and the web host's output.
    /// </summary>
    public async Task LoadIdeAsync(IPage page, Func<Task> navigate)
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
                await WaitForIdeAsync(page);
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
                    $"The IDE did not load: {ex.Message}\nBrowser console:\n{string.Join('\n', browserLog)}\nWeb host output:\n{Host.Output}", ex);
            }
        }
    }

    private static async Task WaitForIdeAsync(IPage page)
    {
        var timeout = new LocatorWaitForOptions { Timeout = 20_000 };
        await page.Locator(".ide[data-loaded=true]").WaitForAsync(timeout);
        await page.Locator($"#{CodeEditor.EditorId} .monaco-editor[role=code]").WaitForAsync(timeout);
    }

    public static string ScreenshotFolder()
    {
        var folder = Path.Combine(WebHostProcess.RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        return folder;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<IdeFixture>
{
    public const string Name = "browser";
}
