using CodeRunner.Engine;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Runtimes;
using CodeRunner.Engine.Testing;
using Microsoft.Extensions.Options;

namespace CodeRunner.Tests.Unit;

/// <summary>A run's own limits under the server's ceiling, and its arguments after the run step.</summary>
public sealed class LimitCeilingTests
{
    private static readonly RuntimeCatalog Catalog = new(Options.Create(new EngineOptions { Limits = { TimeoutSeconds = 10 } }));

    private static RunPlan Plan(RunLimits limits, params string[] arguments) => RunPlanner.Plan(new RunRequest
    {
        EntryFile = "main.py",
        Files = [SourceFile.Text("main.py", "print(1)")],
        Limits = limits,
        Arguments = arguments,
    }, Catalog, new RequestLimits());

    [Fact]
    public void NoLimitsAsked_GivesTheServersOwn_AndNoneForCpuOrMemory()
    {
        var limits = Plan(new RunLimits()).Limits;
        Assert.Equal((TimeSpan.FromSeconds(10), 1024L * 1024, (TimeSpan?)null, (long?)null), (limits.Timeout, limits.OutputLimit, limits.Cpu, limits.Memory));
    }

    [Fact]
    public void LimitsBelowTheCeiling_AreTheRunsOwn()
    {
        var limits = Plan(new RunLimits { WallTime = TimeSpan.FromSeconds(2), CpuTime = TimeSpan.FromSeconds(1), MemoryBytes = 32L << 20, OutputBytes = 4096 }).Limits;
        Assert.Equal((TimeSpan.FromSeconds(2), 4096L, (TimeSpan?)TimeSpan.FromSeconds(1), (long?)(32L << 20)), (limits.Timeout, limits.OutputLimit, limits.Cpu, limits.Memory));
    }

    [Fact]
    public void AMemoryLimitAtTheCeiling_IsLeftToTheContainer() =>
        Assert.Null(Plan(new RunLimits { MemoryBytes = 128L << 20 }).Limits.Memory);

    [Theory]
    [InlineData("wall", "A time limit of 60 s is above this server's ceiling of 10 s; ask for 10 s or less.")]
    [InlineData("cpu", "A CPU time limit of 11 s is above this server's ceiling of 10 s; ask for 10 s or less.")]
    [InlineData("memory", "A memory limit of 512 MB is above this server's ceiling of 128 MB; ask for 128 MB or less.")]
    [InlineData("output", "An output limit of 2 MB is above this server's ceiling of 1 MB; ask for 1 MB or less.")]
    public void ALimitAboveTheCeiling_IsRefused_NamingBothFigures(string which, string message)
    {
        var limits = which switch
        {
            "wall" => new RunLimits { WallTime = TimeSpan.FromSeconds(60) },
            "cpu" => new RunLimits { CpuTime = TimeSpan.FromSeconds(11) },
            "memory" => new RunLimits { MemoryBytes = 512L << 20 },
            _ => new RunLimits { OutputBytes = 2L << 20 },
        };

        var refused = Assert.Throws<LimitAboveCeilingException>(() => Plan(limits));
        Assert.Equal(message, refused.Message);
    }

    [Fact]
    public void AZeroLimit_IsRefused() =>
        Assert.Throws<InvalidRunRequestException>(() => Plan(new RunLimits { WallTime = TimeSpan.Zero }));

    [Fact]
    public void Arguments_FollowTheRunStep() =>
        Assert.Equal(["python3", "main.py", "a b", "--x"], Plan(new RunLimits(), "a b", "--x").Steps[^1]);

    [Fact]
    public void AnArgumentWithANul_IsRefused() =>
        Assert.Throws<InvalidRunRequestException>(() => Plan(new RunLimits(), "a\0b"));
}
