using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CodeRunner.Tests.EndToEnd;
using CodeRunner.Web.Admin;

namespace CodeRunner.Tests.Hosting;

/// <summary>The admin surface is off without a key, refuses requests without the right one, and refuses weak keys.</summary>
public sealed class AdminTests
{
    private static readonly string Key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static Dictionary<string, string> Settings(string? key) => new()
    {
        ["Engine__PoolSize"] = "0",
        ["Engine__NetworkKits"] = "0",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Admin__Key"] = key ?? "",
    };

    [Fact]
    public async Task WithoutAKey_TheAdminSurfaceDoesNotExist()
    {
        await using var host = await WebHostProcess.StartAsync(Settings(null));
        using var http = new HttpClient { BaseAddress = host.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "anything");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/admin/status")).StatusCode);
    }

    [Fact]
    public async Task WithAKey_OnlyTheRightKeyGetsTheStatus()
    {
        await using var host = await WebHostProcess.StartAsync(Settings(Key));
        using var http = new HttpClient { BaseAddress = host.Address };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/admin/status")).StatusCode);

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key[..^1] + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/admin/status")).StatusCode);

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var response = await http.GetAsync("/admin/status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(SandboxRuntimes(), status.RootElement.GetProperty("pools").GetArrayLength());
    }

    /// <summary>A pool per runtime folder whose manifest names no service (the SQL server has none).</summary>
    private static int SandboxRuntimes() =>
        Directory.EnumerateFiles(Path.Combine(WebHostProcess.RepositoryRoot(), "runtimes"), "runtime.json", SearchOption.AllDirectories)
            .Count(path => !JsonDocument.Parse(File.ReadAllText(path)).RootElement.TryGetProperty("service", out _));

    [Theory]
    [InlineData("short-key")]
    [InlineData("changeme-changeme-changeme-changeme-changeme")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void AWeakKey_IsRefused_WithASentenceNamingTheKey(string key)
    {
        var result = new AdminOptionsValidator().Validate(null, new AdminOptions { Key = key });
        Assert.True(result.Failed);
        Assert.Contains("Admin:Key", result.FailureMessage);
    }
}
