using Docker.DotNet;
using CodeRunner.Engine;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Runtimes;
using CodeRunner.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CodeRunner.Tests.Engine;

[Collection(DockerCollection.Name)]
public sealed class EngineLifetimeTests(EngineFixture fixture)
{
    [Fact]
    public async Task StoppingTheHost_RemovesEveryContainerAndNetworkItCreated()
    {
        var before = await ManagedNames();
        using var host = await EngineFixture.StartHostAsync(EngineFixture.Settings(poolSize: 1));
        var engine = host.Services.GetRequiredService<IExecutionEngine>();
        var session = engine.CreateSession();
        var fast = await session.RunAsync("a.py", "print(1)");
        Assert.True(fast.Verdict.Succeeded, fast.ToString());
        var network = await session.RunAsync("b.py", "print(2)", RunMode.Network);
        Assert.True(network.Verdict.Succeeded, network.ToString());
        var created = (await ManagedNames()).Except(before).ToList();
        Assert.True(created.Count >= 6, string.Join(", ", created)); // 4 pools, a holder, a runtime container, a network

        await host.StopAsync();
        Assert.Empty((await ManagedNames()).Intersect(created));
    }

    [Fact]
    public async Task StartUp_RemovesResourcesLeftByADeadEngine()
    {
        const int deadPid = 3_999_999;
        Assert.False(Directory.Exists($"/proc/{deadPid}"));
        var orphanLabels = new EngineLabels().For(Labels.RoleHolder, kit: "orphan");
        orphanLabels[Labels.Owner] = $"{Environment.MachineName}/{deadPid}/0";
        var (networkName, orphan) = await LeaveOrphanAsync(orphanLabels);

        using var host = await EngineFixture.StartHostAsync(EngineFixture.Settings(poolSize: 0));
        var names = await ManagedNames();
        Assert.DoesNotContain(networkName, names);
        Assert.DoesNotContain((await fixture.Containers.ListManagedAsync()).Select(c => c.Id), id => id == orphan.Id);
        await host.StopAsync();
    }

    /// <summary>
    /// A network and a holder container owned by a dead engine. The fixture's own engine sweeps such orphans every few
    /// seconds as well, and CI saw it take the container between its create and its start ("cannot start a stopped
    /// process"): then the orphan is made again, up to five times.
    /// </summary>
    private async Task<(string Network, AttachedContainer Container)> LeaveOrphanAsync(Dictionary<string, string> labels)
    {
        for (var attempt = 1; ; attempt++)
        {
            var networkName = $"coderunner-net-orphan{Random.Shared.Next():x}";
            try
            {
                await fixture.Networks.CreateAsync(networkName, labels, "198.19.255.240/28", "cr-orphantest", isInternal: false);
                var orphan = await fixture.Containers.RunAsync(ContainerFactory.HolderSpec(fixture.Internal.Catalog.AgentImage, networkName, labels));
                if ((await ManagedNames()).Contains(networkName))
                {
                    return (networkName, orphan);
                }
            }
            catch (DockerApiException) when (attempt < 5)
            {
            }

            Assert.True(attempt < 5, "the orphan was swept away before the test could use it, five times over");
            bool Orphaned(ManagedResource r) => r.Labels.GetValueOrDefault(Labels.Owner) == labels[Labels.Owner];
            foreach (var container in (await fixture.Containers.ListManagedAsync()).Where(Orphaned))
            {
                await fixture.Containers.RemoveAsync(container.Id);
            }

            foreach (var network in (await fixture.Networks.ListManagedAsync()).Where(Orphaned))
            {
                await fixture.Networks.RemoveAsync(network.Id);
            }
        }
    }

    [Fact]
    public async Task RuntimeImages_CarryTheHashTheEngineComputes()
    {
        foreach (var runtime in fixture.Internal.Catalog.Runtimes)
        {
            var labels = await fixture.Images.GetLabelsAsync(runtime.Image);
            Assert.Equal(runtime.Hash, labels?.GetValueOrDefault(RuntimeCatalog.HashLabel));
        }
    }

    private async Task<List<string>> ManagedNames() =>
        (await fixture.Containers.ListManagedAsync()).Select(c => c.Name)
        .Concat((await fixture.Networks.ListManagedAsync()).Select(n => n.Name)).ToList();
}
