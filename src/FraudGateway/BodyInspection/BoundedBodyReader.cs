namespace FraudGateway.BodyInspection;

// Reads at most maxBytes + 1 of a request body (a chunked body may be longer than it says), buffering what it reads
// so the upstream receives the body byte for byte: the buffered part is replayed, the rest streams through untouched.
// A body of declared length is read whole into one array, which then becomes the request's body: EnableBuffering
// would have copied the same bytes a second time into its own buffer on every inspected request.
// A body the client framed wrongly (bad chunk sizes, missing CRLF, more data than declared, a huge trailer, too slow
// for the server's minimum data rate, cut off) is the client's fault: it comes back as ClientFault with the status
// Kestrel gives it (400, 408, 413, 431), never as an exception.
internal static class BoundedBodyReader
{
    public readonly record struct BodyRead(ReadOnlyMemory<byte> Bytes, bool OverLimit, int ClientFault = 0, string? FaultReason = null);

    public static async ValueTask<BodyRead> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return new BodyRead(ReadOnlyMemory<byte>.Empty, true);
        }

        // A declared length is exact (the server enforces it): read just that. Otherwise read into a pooled buffer
        // and keep only what arrived, so a 60-byte login does not cost a 64 KiB allocation.
        var declared = request.ContentLength;
        if (declared is null)
        {
            request.EnableBuffering(bufferThreshold: maxBytes);
        }

        var buffer = declared is { } length ? new byte[length] : System.Buffers.ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        var capacity = declared is { } exact ? (int)exact : maxBytes + 1;
        var read = 0;
        try
        {
            int n;
            try
            {
                while (read < capacity && (n = await request.Body.ReadAsync(buffer.AsMemory(read, capacity - read), cancellationToken)) > 0)
                {
                    read += n;
                }
            }
            catch (BadHttpRequestException e)
            {
                return new BodyRead(ReadOnlyMemory<byte>.Empty, false, e.StatusCode, e.StatusCode == StatusCodes.Status408RequestTimeout ? "body-too-slow" : "body-framing");
            }
            catch (IOException)
            {
                // Kestrel wraps some framing errors (an overflowing chunk size) and a body cut off mid-way in IOException.
                return new BodyRead(ReadOnlyMemory<byte>.Empty, false, StatusCodes.Status400BadRequest, "body-framing");
            }

            if (declared is not null)
            {
                // Everything the client declared has arrived (Kestrel ends the body there, or fails the read above):
                // the upstream gets these bytes.
                request.Body = new MemoryStream(buffer, 0, read, writable: false);
                return new BodyRead(buffer.AsMemory(0, read), false);
            }

            return read > maxBytes ? new BodyRead(ReadOnlyMemory<byte>.Empty, true) : new BodyRead(buffer.AsSpan(0, read).ToArray(), false);
        }
        finally
        {
            // The buffered part is replayed to the upstream; after a broken read there is nothing to forward.
            if (request.Body.CanSeek)
            {
                request.Body.Position = 0;
            }

            if (declared is null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
