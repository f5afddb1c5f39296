using System.Diagnostics;

namespace CodeRunner.Tests.Deployment;

/// <summary>
/// The web app published once by scripts/publish (Release, with the runtime folders), for both deployment paths:
/// scripts/install and scripts/build-web-image take it with --published, so the slow publish happens once. It also
/// holds the one deployment that runs at a time, the installed service or the web container: starting one removes the
/// other, so that two engines never warm their pools at once on a small machine, and disposal removes whichever is left.
/// </summary>
public sealed class DeploymentFixture : IAsyncLifetime, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DirectoryInfo? _folder;
    private InstalledService? _service;
    private WebContainer? _container;

    public string Published => Path.Combine(_folder!.FullName, "published");

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("coderunner-deploy-");
        var clock = Stopwatch.StartNew();
        (await Scripts.ScriptAsync("publish", TimeSpan.FromMinutes(10), Published)).EnsureSuccess("scripts/publish");
        Console.WriteLine($"Deployment: scripts/publish took {clock.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>The app installed by scripts/install under a name and a loopback port of its own.</summary>
    public async Task<InstalledService> ServiceAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await RemoveContainerAsync();
            return _service ??= await InstalledService.InstallAsync(Published);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The web image, built from the same publish output, started with the socket, a volume and a loopback port.</summary>
    public async Task<WebContainer> ContainerAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await RemoveServiceAsync();
            return _container ??= await WebContainer.StartAsync(Published);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs scripts/uninstall without --purge on the installed service and hands it over: the caller looks at what stayed,
    /// then disposes it (--purge). The next <see cref="ServiceAsync"/> installs again.
    /// </summary>
    public async Task<InstalledService> UninstallKeepingDataAsync()
    {
        var service = await ServiceAsync();
        await _gate.WaitAsync();
        try
        {
            _service = null;
            (await Scripts.ScriptAsync("uninstall", TimeSpan.FromMinutes(3), "--name", service.Name)).EnsureSuccess("scripts/uninstall");
            return service;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RemoveServiceAsync()
    {
        if (Interlocked.Exchange(ref _service, null) is { } service)
        {
            await service.DisposeAsync();
        }
    }

    private async Task RemoveContainerAsync()
    {
        if (Interlocked.Exchange(ref _container, null) is { } container)
        {
            await container.DisposeAsync();
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            await RemoveServiceAsync();
        }
        finally
        {
            await RemoveContainerAsync();
            _folder?.Delete(recursive: true);
        }
    }

    public void Dispose() => _gate.Dispose();
}

[CollectionDefinition(Name)]
public sealed class DeploymentCollection : ICollectionFixture<DeploymentFixture>
{
    public const string Name = "deployment";
}
