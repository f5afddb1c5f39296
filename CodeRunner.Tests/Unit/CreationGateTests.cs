using CodeRunner.Engine.Pools;

namespace CodeRunner.Tests.Unit;

public sealed class CreationGateTests
{
    [Fact]
    public async Task NoMoreThanTheSlots_RunAtOnce()
    {
        var gate = new CreationGate(2);
        using var first = await gate.EnterAsync(CreationPriority.Refill, CancellationToken.None);
        using var second = await gate.EnterAsync(CreationPriority.Refill, CancellationToken.None);
        var third = gate.EnterAsync(CreationPriority.RunWaiting, CancellationToken.None);

        Assert.False(third.IsCompleted);
        Assert.Equal(1, gate.Queued);
        first.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        Assert.Equal(0, gate.Queued);
    }

    [Fact]
    public async Task ACreationARunWaitsFor_GoesBeforeQueuedRefills()
    {
        var gate = new CreationGate(1);
        var held = await gate.EnterAsync(CreationPriority.Refill, CancellationToken.None);
        var order = new List<string>();
        var refills = Enumerable.Range(0, 3).Select(i => TakeAsync(gate, CreationPriority.Refill, $"refill {i}", order)).ToList();
        var forRun = TakeAsync(gate, CreationPriority.RunWaiting, "run", order);

        held.Dispose();
        await Task.WhenAll([.. refills, forRun]).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["run", "refill 0", "refill 1", "refill 2"], order);
    }

    [Fact]
    public async Task ACancelledWaiter_LeavesTheQueue_AndTakesNoSlot()
    {
        var gate = new CreationGate(1);
        var held = await gate.EnterAsync(CreationPriority.Refill, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var abandoned = gate.EnterAsync(CreationPriority.RunWaiting, cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal(0, gate.Queued);

        held.Dispose();
        var next = gate.EnterAsync(CreationPriority.Refill, CancellationToken.None);
        Assert.True(next.IsCompletedSuccessfully, "the slot went to the waiter that had left");
    }

    private static async Task TakeAsync(CreationGate gate, CreationPriority priority, string name, List<string> order)
    {
        using var slot = await gate.EnterAsync(priority, CancellationToken.None);
        lock (order)
        {
            order.Add(name);
        }

        await Task.Yield();
    }
}
