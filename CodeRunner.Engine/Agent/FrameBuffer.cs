using System.Buffers.Binary;

namespace CodeRunner.Engine.Agent;

/// <summary>Accumulates bytes from the attach stream and hands out whole frames.</summary>
internal sealed class FrameBuffer
{
    private byte[] _data = new byte[128 * 1024];
    private int _start;
    private int _end;

    public Memory<byte> GetWriteMemory(int atLeast)
    {
        if (_data.Length - _end < atLeast)
        {
            var live = _end - _start;
            var target = _data.Length;
            while (target - live < atLeast)
            {
                target *= 2;
            }

            var next = target == _data.Length ? _data : new byte[target];
            Buffer.BlockCopy(_data, _start, next, 0, live);
            _data = next;
            _start = 0;
            _end = live;
        }

        return _data.AsMemory(_end);
    }

    public void Advance(int count) => _end += count;

    /// <summary>Takes the next whole frame; its payload is valid until the next call.</summary>
    public bool TryRead(out FrameType type, out ReadOnlySpan<byte> payload)
    {
        type = default;
        payload = default;
        if (_end - _start < AgentProtocol.HeaderSize)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan(_start));
        if (length > AgentProtocol.MaxFrameSize)
        {
            throw new InvalidDataException($"The agent sent a frame of {length} bytes, above the protocol's limit.");
        }

        if (_end - _start < AgentProtocol.HeaderSize + length)
        {
            return false;
        }

        type = (FrameType)_data[_start + 4];
        payload = _data.AsSpan(_start + AgentProtocol.HeaderSize, (int)length);
        _start += AgentProtocol.HeaderSize + (int)length;
        if (_start == _end)
        {
            _start = _end = 0;
        }

        return true;
    }
}
