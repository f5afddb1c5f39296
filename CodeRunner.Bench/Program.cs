using CodeRunner.Bench;
using CodeRunner.Engine;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Pools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Measures the engine against the floor and the alternatives, in one run on one machine, and prints the figures
// with their ratios. Usage: scripts/bench [--quick] [--output PATH]. --quick is a tiny setting for the tests.
// With --soak [--minutes M] [--sessions N] it runs the soak instead (scripts/soak); with --hello N it only warms the
// pools from nothing and times N fast-mode Python hello worlds.
var quick = args.Contains("--quick");
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var output = Option("--output") ?? Path.Combine("artifacts", "bench", "latest.json");
var settings = quick ? BenchSettings.Quick : BenchSettings.Full;

var builder = Host.CreateApplicationBuilder();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Engine:PoolSize"] = "3",
    // The soak checks that pools grown in a rush come back to their size; it need not wait the default 5 minutes.
    ["Engine:PoolTrimAfter"] = args.Contains("--soak") ? "00:00:15" : "00:05:00",
});
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddCodeRunnerEngine();
using var host = builder.Build();

var figures = new Figures();
var warmStarted = System.Diagnostics.Stopwatch.GetTimestamp();
await host.StartAsync();
var engine = host.Services.GetRequiredService<ExecutionEngine>();
await engine.Warmed;
if (engine.Problem is { } problem)
{
    Console.Error.WriteLine($"error: {problem}");
    return 1;
}

if (args.Contains("--soak"))
{
    var soak = new Soak(engine, host.Services.GetRequiredService<IContainerOperations>(), host.Services.GetRequiredService<INetworkOperations>(),
        host.Services.GetRequiredService<EngineLabels>(), TimeSpan.FromMinutes(double.Parse(Option("--minutes") ?? "5")), int.Parse(Option("--sessions") ?? "40"));
    var code = await soak.RunAsync();
    await host.StopAsync();
    return code;
}

figures.Add("warm_all_pools_ms", System.Diagnostics.Stopwatch.GetElapsedTime(warmStarted).TotalMilliseconds);
var scenarios = new Scenarios(engine, host.Services.GetRequiredService<ContainerFactory>(), host.Services.GetRequiredService<EngineLabels>(),
    settings, figures);
if (Option("--hello") is { } runs)
{
    // The two figures of the engine issue: pools warmed from nothing, and Python hello world start to verdict.
    await scenarios.FastPythonAsync(int.Parse(runs));
    await host.StopAsync();
    figures.PrintTable(Console.Out);
    return 0;
}

foreach (var language in HelloWorlds.Languages)
{
    await scenarios.FloorAndFastAsync(language);
}

await scenarios.AlternativesAsync();
await scenarios.NetworkAsync();
await scenarios.BurstAsync();
await scenarios.ThroughputAsync();

await host.StopAsync();
Console.WriteLine();
figures.PrintTable(Console.Out);
await figures.WriteJsonAsync(output);
Console.WriteLine($"\nwritten to {output}");
return 0;
