using CodeRunner.Engine.Networking;

namespace CodeRunner.Tests.Unit;

public sealed class SubnetAllocatorTests
{
    [Fact]
    public void Subnets_AreConsecutiveBlocksOfTheRange()
    {
        var subnets = new SubnetAllocator("198.18.0.0/16", 28);
        Assert.Equal(4096, subnets.Capacity);
        Assert.Equal(["198.18.0.0/28", "198.18.0.16/28", "198.18.0.32/28"], [subnets.Take(), subnets.Take(), subnets.Take()]);
    }

    [Fact]
    public void EverySubnetOfTheRange_IsHandedOut_AndReleasedByItsOwnName()
    {
        // Addresses whose last byte is 128 or more once came out sign-extended and were refused.
        var subnets = new SubnetAllocator("198.18.0.0/16", 28);
        var all = Enumerable.Range(0, subnets.Capacity).Select(_ => subnets.Take()).ToList();
        Assert.Equal("198.18.0.128/28", all[8]);
        Assert.Equal("198.18.255.240/28", all[^1]);
        Assert.Equal(subnets.Capacity, all.Distinct().Count());

        subnets.Release("198.18.200.128/28");
        Assert.Equal("198.18.200.128/28", subnets.Take());
    }

    [Fact]
    public void AReleasedSubnet_IsTakenAgain_OnlyAfterTheOthers()
    {
        var subnets = new SubnetAllocator("10.9.8.0/26", 28); // four blocks
        var first = subnets.Take();
        subnets.Release(first);
        Assert.Equal(["10.9.8.16/28", "10.9.8.32/28", "10.9.8.48/28", "10.9.8.0/28"],
            [subnets.Take(), subnets.Take(), subnets.Take(), subnets.Take()]);
    }

    [Fact]
    public void AnExhaustedRange_SaysWhichSettingToWiden()
    {
        var subnets = new SubnetAllocator("10.9.8.0/28", 28);
        subnets.Take();
        var ex = Assert.Throws<InvalidOperationException>(subnets.Take);
        Assert.Contains("Engine:SessionSubnets", ex.Message);
    }

    [Theory]
    [InlineData("not-a-range")]
    [InlineData("10.0.0.0")]
    [InlineData("::1/64")]
    [InlineData("10.0.0.0/40")]
    public void ABadRange_IsRefused(string range) => Assert.Throws<FormatException>(() => new SubnetAllocator(range, 28));
}
