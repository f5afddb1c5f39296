using CodeRunner.Engine.Pools;

namespace CodeRunner.Tests.Unit;

public sealed class FairQueueTests
{
    private static FairQueue<string, string> Queue(params (string Session, string Run)[] items)
    {
        var queue = new FairQueue<string, string>();
        foreach (var (session, run) in items)
        {
            queue.Enqueue(session, run);
        }

        return queue;
    }

    private static List<string> Drain(FairQueue<string, string> queue)
    {
        var order = new List<string>();
        while (queue.TryDequeue(out var item))
        {
            order.Add(item);
        }

        return order;
    }

    [Fact]
    public void ManyRunsOfOneSession_DelayAnotherSessionsRunByOneTurn()
    {
        var queue = Queue(("a", "a1"), ("a", "a2"), ("a", "a3"), ("a", "a4"), ("b", "b1"), ("c", "c1"), ("b", "b2"));

        Assert.Equal(["a1", "b1", "c1", "a2", "b2", "a3", "a4"], Drain(queue));
    }

    [Fact]
    public void ASessionThatWasServed_GoesBehindTheOthers()
    {
        var queue = Queue(("a", "a1"), ("b", "b1"));
        Assert.True(queue.TryDequeue(out var first));
        queue.Enqueue("a", "a2");
        queue.Enqueue("c", "c1");

        Assert.Equal("a1", first);
        Assert.Equal(["b1", "a2", "c1"], Drain(queue));
    }

    [Fact]
    public void Positions_MatchTheOrderOfService()
    {
        var queue = Queue(("a", "a1"), ("a", "a2"), ("a", "a3"), ("b", "b1"), ("c", "c1"), ("c", "c2"), ("b", "b2"));
        var positions = queue.Positions().ToDictionary(p => p.Item, p => p.Ahead);

        var served = Drain(queue);

        Assert.Equal(served.Count, positions.Count);
        Assert.All(served.Select((item, index) => (item, index)), s => Assert.Equal(s.index, positions[s.item]));
    }

    [Fact]
    public void Remove_TakesARunOutOfLine_AndItsEmptySessionOutOfTheRotation()
    {
        var queue = Queue(("a", "a1"), ("b", "b1"), ("a", "a2"));

        Assert.True(queue.Remove("b", "b1"));
        Assert.False(queue.Remove("b", "b1"));
        Assert.Equal(2, queue.Count);
        Assert.Equal(["a1", "a2"], Drain(queue));
        Assert.Equal(0, queue.Count);
    }
}
