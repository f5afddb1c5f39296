using CodeRunner.Engine;

namespace CodeRunner.Tests.Unit;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(new EngineOptionsValidator().Validate(null, new EngineOptions()).Succeeded);
    }

    [Fact]
    public void WrongValue_NamesTheKey()
    {
        var options = new EngineOptions { PoolSize = -1, Limits = { MemoryMb = 2 } };
        var result = new EngineOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("Engine:PoolSize", result.FailureMessage);
        Assert.Contains("Engine:Limits:MemoryMb", result.FailureMessage);
    }

    [Fact]
    public void KernelTimeouts_OfZero_NameTheirKeys()
    {
        var options = new EngineOptions { Kernels = { IdleTimeout = TimeSpan.Zero, CellTimeout = TimeSpan.Zero } };
        var result = new EngineOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("Engine:Kernels:IdleTimeout", result.FailureMessage);
        Assert.Contains("Engine:Kernels:CellTimeout", result.FailureMessage);
    }

    [Fact]
    public void KernelCaps_BelowOneOrServerBelowSession_NameTheirKeys()
    {
        var none = new EngineOptionsValidator().Validate(null, new EngineOptions { Kernels = { MaxPerSession = 0 } });
        var inverted = new EngineOptionsValidator().Validate(null, new EngineOptions { Kernels = { MaxPerSession = 5, MaxKernels = 4 } });

        Assert.Contains("Engine:Kernels:MaxPerSession must be between 1 and 64 (it is 0)", none.FailureMessage);
        Assert.Contains("Engine:Kernels:MaxKernels must be at least Engine:Kernels:MaxPerSession", inverted.FailureMessage);
        Assert.True(new EngineOptionsValidator().Validate(null, new EngineOptions()).Succeeded);
    }
}
