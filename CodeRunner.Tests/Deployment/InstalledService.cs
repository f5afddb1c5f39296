using System.Diagnostics;

namespace CodeRunner.Tests.Deployment;

/// <summary>
/// CodeRunner installed by scripts/install as the technician runs it, under a name of its own (its unit, user and
/// folders: /etc/systemd/system/NAME.service, /opt/NAME, /var/lib/NAME) on a free loopback port, so that it never meets
/// a real install. Disposal runs scripts/uninstall --purge, which stops it and removes all of that.
/// </summary>
public sealed class InstalledService : IAsyncDisposable
{
    private InstalledService(string name, Uri address, string output)
    {
        Name = name;
        Address = address;
        InstallOutput = output;
    }

    public string Name { get; }

    public Uri Address { get; }

    /// <summary>What scripts/install printed.</summary>
    public string InstallOutput { get; }

    public string UnitFile => $"/etc/systemd/system/{Name}.service";

    public static async Task<InstalledService> InstallAsync(string published)
    {
        var name = $"coderunner-test-{Scripts.Suffix()}";
        var address = new Uri($"http://127.0.0.1:{Scripts.FreeLoopbackPort()}");
        var clock = Stopwatch.StartNew();
        var result = await Scripts.ScriptAsync("install", TimeSpan.FromMinutes(8),
            "--name", name, "--urls", address.ToString().TrimEnd('/'), "--published", published);
        Console.WriteLine($"Deployment: scripts/install took {clock.Elapsed.TotalSeconds:0} s");
        var service = new InstalledService(name, address, result.Output);
        if (result.ExitCode != 0)
        {
            await service.DisposeAsync();
            result.EnsureSuccess("scripts/install");
        }

        return service;
    }

    public async ValueTask DisposeAsync() =>
        (await Scripts.ScriptAsync("uninstall", TimeSpan.FromMinutes(3), "--name", Name, "--purge")).EnsureSuccess("scripts/uninstall --purge");
}
