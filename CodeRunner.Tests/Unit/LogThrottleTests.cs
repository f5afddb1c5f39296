using CodeRunner.Engine.Pools;

namespace CodeRunner.Tests.Unit;

public sealed class LogThrottleTests
{
    [Fact]
    public void AFaultOnEveryRun_IsLoggedOncePerInterval_WithHowManyWereHeldBack()
    {
        var throttle = new LogThrottle(TimeSpan.FromMilliseconds(200));

        Assert.True(throttle.TryEnter(out var first));
        var heldBack = Enumerable.Range(0, 1000).Count(_ => !throttle.TryEnter(out _));
        Thread.Sleep(250);
        Assert.True(throttle.TryEnter(out var next));

        Assert.Equal(0, first);
        Assert.Equal(1000, heldBack);
        Assert.Equal(1000, next);
    }
}
