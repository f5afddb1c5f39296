using CodeRunner.Engine;
using CodeRunner.Engine.Hosting;
using CodeRunner.Engine.Docker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Tests.Infrastructure;

/// <summary>
/// A real engine on the real Docker engine, started the way the web host starts it. It fails loudly when Docker or
/// an image is missing: a Docker test never passes without having run anything.
/// </summary>
public sealed class EngineFixture : IAsyncLifetime
{
    /// <summary>Shorter than the product's 30 s, so that timeout tests finish sooner; long enough for javac under load.</summary>
    public const int TimeoutSeconds = 10;

    public const int PoolSize = 2;

    private IHost? _host;

    public IExecutionEngine Engine => _host!.Services.GetRequiredService<IExecutionEngine>();

    internal ExecutionEngine Internal => _host!.Services.GetRequiredService<ExecutionEngine>();

    public IEngineAdministration Administration => _host!.Services.GetRequiredService<IEngineAdministration>();

    internal IContainerOperations Containers => _host!.Services.GetRequiredService<IContainerOperations>();

    internal INetworkOperations Networks => _host!.Services.GetRequiredService<INetworkOperations>();

    internal IImageOperations Images => _host!.Services.GetRequiredService<IImageOperations>();

    /// <summary>Settings for this fixture's engine, over the defaults.</summary>
    public static Dictionary<string, string?> Settings(int poolSize = PoolSize) => new()
    {
        ["Engine:PoolSize"] = poolSize.ToString(),
        ["Engine:Limits:TimeoutSeconds"] = TimeoutSeconds.ToString(),
        ["Engine:SweepInterval"] = "00:00:05",
    };

    public async Task InitializeAsync()
    {
        _host = await StartHostAsync(Settings());
    }

    /// <summary>Starts an engine host with these settings; <paramref name="services"/> may register what the engine takes first.</summary>
    public static async Task<IHost> StartHostAsync(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        services?.Invoke(builder.Services);
        builder.Services.AddCodeRunnerEngine();
        var host = builder.Build();
        await host.StartAsync();
        var engine = host.Services.GetRequiredService<IExecutionEngine>();
        await engine.Warmed.WaitAsync(TimeSpan.FromMinutes(3));
        if (engine.Problem is { } problem)
        {
            await host.StopAsync();
            host.Dispose();
            throw new InvalidOperationException("The engine cannot run programs: " + problem);
        }

        return host;
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "docker";
}
