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
}
