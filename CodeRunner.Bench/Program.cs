using CodeRunner.Bench;
using CodeRunner.Engine;
using CodeRunner.Engine.Pools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Measures the engine against the floor and the alternatives, in one run on one machine, and prints the figures
// with their ratios. Usage: scripts/bench [--quick] [--output PATH]. --quick is a tiny setting for the tests.
var quick = args.Contains("--quick");
var output = args.SkipWhile(a => a != "--output").Skip(1).FirstOrDefault() ?? Path.Combine("artifacts", "bench", "latest.json");
var settings = quick ? BenchSettings.Quick : BenchSettings.Full;

var builder = Host.CreateApplicationBuilder();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Engine:PoolSize"] = "3" });
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

figures.Add("warm_all_pools_ms", System.Diagnostics.Stopwatch.GetElapsedTime(warmStarted).TotalMilliseconds);
var scenarios = new Scenarios(engine, host.Services.GetRequiredService<ContainerFactory>(), settings, figures);
foreach (var language in HelloWorlds.Languages)
{
    await scenarios.FloorAsync(language);
}

foreach (var language in HelloWorlds.Languages)
{
    await scenarios.FastAsync(language);
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
