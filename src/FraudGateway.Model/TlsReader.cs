using System.Buffers.Binary;

namespace FraudGateway.Model;

// Big-endian reads over a span that never throw: every method answers false when the span is too short.
internal ref struct TlsReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _data = data;

    public readonly int Remaining => _data.Length;

    public bool TryU16(out int value)
    {
        value = 0;
        if (_data.Length < 2)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_data);
        _data = _data[2..];
        return true;
    }

    public bool TrySkip(int count)
    {
        if (_data.Length < count)
        {
            return false;
        }

        _data = _data[count..];
        return true;
    }

    public bool TryVector8(out ReadOnlySpan<byte> value) => TryVector(1, out value);

    public bool TryVector16(out ReadOnlySpan<byte> value) => TryVector(2, out value);

    private bool TryVector(int lengthBytes, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (_data.Length < lengthBytes)
        {
            return false;
        }

        var length = lengthBytes == 1 ? _data[0] : BinaryPrimitives.ReadUInt16BigEndian(_data);
        if (_data.Length - lengthBytes < length)
        {
            return false;
        }

        value = _data.Slice(lengthBytes, length);
        _data = _data[(lengthBytes + length)..];
        return true;
    }
}
