using System.Diagnostics;
using System.Text.Json;

namespace CodeRunner.Tests.Deployment;

/// <summary>scripts/install on this machine: the unit it installs is valid, and the installed app is ready and says how to begin.</summary>
[Collection(DeploymentCollection.Name)]
public sealed class SystemdServiceTests(DeploymentFixture deployment)
{
    [Fact]
    public async Task InstalledUnit_PassesSystemdAnalyzeVerify()
    {
        var service = await deployment.ServiceAsync();
        // systemd-analyze comes from Debian's systemd package, which scripts/test installs; missing, this fails here.
        var result = await Scripts.RunAsync("systemd-analyze", ["verify", service.UnitFile], TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0 && result.Output.Trim().Length == 0, $"systemd-analyze verify {service.UnitFile}:\n{result.Output}");
    }

    [Fact]
    public async Task InstalledApp_AnswersReadyz_Healthy()
    {
        var service = await deployment.ServiceAsync();
        using var http = new HttpClient { BaseAddress = service.Address };
        var response = await http.GetAsync("/readyz");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/readyz answered {(int)response.StatusCode}:\n{body}");
        using var report = JsonDocument.Parse(body);
        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Install_OnAFreshDatabase_PrintsTheAddressAndTheTeacherSetupLink()
    {
        var service = await deployment.ServiceAsync();
        Assert.Contains($"on this server: {service.Address.ToString().TrimEnd('/')}", service.InstallOutput);
        Assert.Matches(@"/setup\?token=[A-Za-z0-9_-]{20,}", service.InstallOutput);
    }

    [Fact]
    public async Task InstalledApp_KilledAbruptly_IsStartedAgain()
    {
        var service = await deployment.ServiceAsync();
        var before = await AppProcessAsync(service) ?? throw new InvalidOperationException($"{service.Name} has no process.");
        (await Scripts.RunAsync("kill", ["-KILL", before.ToString()], TimeSpan.FromSeconds(10))).EnsureSuccess("kill");

        // Restart=on-failure, after RestartSec (5 s): under systemd, or under deploy/supervise where systemd is not PID 1.
        using var http = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await Task.Delay(1000);
            var after = await AppProcessAsync(service, required: false);
            if (after is { } pid && pid != before && await AnswersAsync(http, "/readyz"))
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"{service.Name} was not ready again within 2 minutes of a SIGKILL.");
        }
    }

    [Fact]
    public async Task Uninstall_WithoutPurge_KeepsTheDataAndSettings_AndPurgeRemovesThem()
    {
        var service = await deployment.UninstallKeepingDataAsync();
        try
        {
            Assert.False(File.Exists(service.UnitFile), "the unit stayed");
            Assert.False(Directory.Exists($"/opt/{service.Name}"), "the app stayed");
            Assert.True(File.Exists($"/var/lib/{service.Name}/{service.Name}.db"), "the database went");
            Assert.True(File.Exists($"/etc/{service.Name}/{service.Name}.env"), "the settings went");
            Assert.Null(await AppProcessAsync(service, required: false));
        }
        finally
        {
            await service.DisposeAsync();
        }

        Assert.False(Directory.Exists($"/var/lib/{service.Name}"), "--purge left the data");
        Assert.False(Directory.Exists($"/etc/{service.Name}"), "--purge left the settings");
        Assert.NotEqual(0, (await Scripts.RunAsync("id", [service.Name], TimeSpan.FromSeconds(10))).ExitCode);
    }

    /// <summary>The installed app's process id (its ExecStart, not the supervisor's), or null.</summary>
    private static async Task<int?> AppProcessAsync(InstalledService service, bool required = true)
    {
        var result = await Scripts.RunAsync("pgrep", ["-f", $"^/opt/{service.Name}/app/CodeRunner.Web$"], TimeSpan.FromSeconds(10));
        var pids = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        Assert.True(!required || pids.Count == 1, $"expected one process of {service.Name}, found: {result.Output}");
        return pids.Count == 1 ? pids[0] : null;
    }

    private static async Task<bool> AnswersAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
