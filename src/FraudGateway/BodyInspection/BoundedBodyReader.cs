namespace FraudGateway.BodyInspection;

// Reads at most maxBytes + 1 of a request body (a chunked body may be longer than it says), buffering what it reads
// so the upstream receives the body byte for byte: the buffered part is replayed, the rest streams through untouched.
public static class BoundedBodyReader
{
    public readonly record struct BodyRead(ReadOnlyMemory<byte> Bytes, bool OverLimit);

    public static async ValueTask<BodyRead> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return new BodyRead(ReadOnlyMemory<byte>.Empty, true);
        }

        request.EnableBuffering(bufferThreshold: maxBytes);
        var buffer = new byte[maxBytes + 1];
        var read = 0;
        try
        {
            int n;
            while (read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            {
                read += n;
            }
        }
        finally
        {
            request.Body.Position = 0;
        }

        return read > maxBytes ? new BodyRead(ReadOnlyMemory<byte>.Empty, true) : new BodyRead(buffer.AsMemory(0, read), false);
    }
}
