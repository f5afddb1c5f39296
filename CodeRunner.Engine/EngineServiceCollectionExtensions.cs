using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Hosting;
using CodeRunner.Engine.Networking;
using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runtimes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CodeRunner.Engine;

/// <summary>Registers the engine and starts it with the host.</summary>
public static class EngineServiceCollectionExtensions
{
    public static IServiceCollection AddCodeRunnerEngine(this IServiceCollection services)
    {
        services.AddOptions<EngineOptions>().BindConfiguration(EngineOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EngineOptions>, EngineOptionsValidator>());
        services.TryAddSingleton<DockerClientProvider>();
        services.TryAddSingleton<IContainerOperations, ContainerOperations>();
        services.TryAddSingleton<INetworkOperations, NetworkOperations>();
        services.TryAddSingleton<IImageOperations, ImageOperations>();
        services.TryAddSingleton<ISystemOperations, SystemOperations>();
        services.TryAddSingleton<RuntimeCatalog>();
        services.TryAddSingleton<EngineLabels>();
        services.AddMetrics();
        services.TryAddSingleton<EngineMetrics>();
        services.TryAddSingleton<ContainerFactory>();
        services.TryAddSingleton<ContainerReset>();
        services.TryAddSingleton(_ => new HostFirewall());
        services.TryAddSingleton<ExecutionEngine>();
        services.TryAddSingleton<IExecutionEngine>(sp => sp.GetRequiredService<ExecutionEngine>());
        services.TryAddSingleton<IEngineAdministration, EngineAdministration>();

        // In this order: hosted services start in order and stop in reverse, so the maintenance loop starts after the
        // engine is up and stops before the engine removes everything.
        services.AddHostedService<EngineHostedService>();
        services.AddHostedService<EngineMaintenance>();
        return services;
    }
}

/// <summary>Starts the engine with the host and removes everything it created when the host stops.</summary>
internal sealed class EngineHostedService(ExecutionEngine engine) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => engine.StartAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await engine.DisposeAsync().ConfigureAwait(false);
}
