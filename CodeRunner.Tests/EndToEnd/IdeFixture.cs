using Microsoft.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>
/// The web host and a headless Chromium (Debian's /usr/bin/chromium, never a downloaded one), shared by the browser
/// tests, which run one after another. It fails loudly when Chromium, Docker or an image is missing.
/// </summary>
public sealed class IdeFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public WebHostProcess Host { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>The first teacher of the host under test.</summary>
    public const string TeacherUser = "teacher";
    public const string TeacherPassword = "a-long-test-password";

    /// <summary>How long the host keeps a disconnected circuit (and so its engine session) alive: its default.</summary>
    public static readonly TimeSpan CircuitRetention = TimeSpan.FromSeconds(global::CodeRunner.Web.Sessions.CircuitSession.DefaultRetentionSeconds);

    public async Task InitializeAsync()
    {
        // Chromium first: when it is missing, no web host (and none of its containers) is started.
        _playwright = await Playwright.CreateAsync();
        Browser = await IdeBrowser.LaunchAsync(_playwright);
        Host = await WebHostProcess.StartAsync(new Dictionary<string, string>
        {
            ["Engine__PoolSize"] = "1",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Teacher__InitialUser"] = TeacherUser,
            ["Teacher__InitialPassword"] = TeacherPassword,
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

    /// <summary>The IDE on a phone: 390 × 844 CSS pixels, a mobile viewport (the page's viewport meta applies) and touch.</summary>
    public async Task<IPage> OpenPhoneIdeAsync() => await OpenIdeAsync(await Browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = PhoneWidth, Height = PhoneHeight },
        IsMobile = true,
        HasTouch = true,
        DeviceScaleFactor = 2,
    }));

    public const int PhoneWidth = 390;
    public const int PhoneHeight = 844;

    /// <summary>Navigates (or reloads) and waits for the IDE; see <see cref="IdeBrowser.LoadIdeAsync"/>.</summary>
    public Task LoadIdeAsync(IPage page, Func<Task> navigate) => IdeBrowser.LoadIdeAsync(page, navigate, Host);

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
