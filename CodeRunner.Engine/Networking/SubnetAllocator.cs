using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CodeRunner.Engine.Networking;

/// <summary>
/// Hands out small subnets for session networks from one configured range. Docker's default address pools hold
/// about thirty bridge networks, fewer than a class in network mode; a session needs only its holder's address.
/// </summary>
internal sealed class SubnetAllocator
{
    private readonly uint _base;
    private readonly int _prefix;
    private readonly int _count;
    private readonly HashSet<int> _taken = [];
    private int _next;

    public SubnetAllocator(string range, int prefix)
    {
        var (network, rangePrefix) = Parse(range);
        _base = network;
        _prefix = prefix;
        _count = 1 << (prefix - rangePrefix);
    }

    public int Capacity => _count;

    /// <summary>The next free subnet, such as 198.18.0.16/28.</summary>
    public string Take()
    {
        lock (_taken)
        {
            for (var tried = 0; tried < _count; tried++)
            {
                var index = (_next + tried) % _count;
                if (_taken.Add(index))
                {
                    _next = (index + 1) % _count;
                    return Format(index);
                }
            }
        }

        throw new InvalidOperationException(
            $"All {_count} session subnets of /{_prefix} are in use; widen {EngineOptions.SectionName}:SessionSubnets.");
    }

    public void Release(string subnet)
    {
        var index = (int)((Parse(subnet).Network - _base) >> (32 - _prefix));
        lock (_taken)
        {
            _taken.Remove(index);
        }
    }

    private string Format(int index)
    {
        var address = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(address, _base + ((uint)index << (32 - _prefix)));
        return new IPNetwork(new IPAddress(address), _prefix).ToString();
    }

    /// <summary>Parses "a.b.c.d/n" into the network address, as a host-order integer, and the prefix length.</summary>
    public static (uint Network, int Prefix) Parse(string cidr)
    {
        if (!IPNetwork.TryParse(cidr, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork
            || network.PrefixLength is < 8 or > 30)
        {
            throw new FormatException($"'{cidr}' is not an IPv4 range such as 198.18.0.0/16.");
        }

        return (BinaryPrimitives.ReadUInt32BigEndian(network.BaseAddress.GetAddressBytes()), network.PrefixLength);
    }
}
