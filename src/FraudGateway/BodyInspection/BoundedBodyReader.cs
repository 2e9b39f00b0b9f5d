namespace FraudGateway.BodyInspection;

// Reads at most maxBytes + 1 of a request body (a chunked body may be longer than it says), buffering what it reads
// so the upstream receives the body byte for byte: the buffered part is replayed, the rest streams through untouched.
internal static class BoundedBodyReader
{
    public readonly record struct BodyRead(ReadOnlyMemory<byte> Bytes, bool OverLimit);

    public static async ValueTask<BodyRead> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return new BodyRead(ReadOnlyMemory<byte>.Empty, true);
        }

        request.EnableBuffering(bufferThreshold: maxBytes);

        // A declared length is exact (the server enforces it): read just that. Otherwise read into a pooled buffer
        // and keep only what arrived, so a 60-byte login does not cost a 64 KiB allocation.
        var declared = request.ContentLength;
        var buffer = declared is { } length ? new byte[length] : System.Buffers.ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        var capacity = declared is { } exact ? (int)exact : maxBytes + 1;
        var read = 0;
        try
        {
            int n;
            while (read < capacity && (n = await request.Body.ReadAsync(buffer.AsMemory(read, capacity - read), cancellationToken)) > 0)
            {
                read += n;
            }

            if (declared is not null)
            {
                return new BodyRead(buffer.AsMemory(0, read), false);
            }

            return read > maxBytes ? new BodyRead(ReadOnlyMemory<byte>.Empty, true) : new BodyRead(buffer.AsSpan(0, read).ToArray(), false);
        }
        finally
        {
            request.Body.Position = 0;
            if (declared is null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
