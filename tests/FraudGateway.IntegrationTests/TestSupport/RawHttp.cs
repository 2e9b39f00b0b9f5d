using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace FraudGateway.IntegrationTests.TestSupport;

// One request written byte by byte on a fresh connection (what HttpClient will not send: broken chunk framing,
// CONNECT, non-ASCII header bytes, backslashes in the path), and the answer read until the server closes.
public static class RawHttp
{
    public static async Task<(int Status, string? ProblemType, string Text)> SendAsync(string baseUrl, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", new Uri(baseUrl).Port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        await stream.FlushAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var answer = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            answer.Write(buffer, 0, n);
        }

        var text = Encoding.UTF8.GetString(answer.ToArray());
        Assert.True(text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal), $"no answer: '{text}'");
        var status = int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var payload = split < 0 ? "" : text[(split + 4)..];
        var json = payload.IndexOf('{', StringComparison.Ordinal) is var at and >= 0 ? payload[at..(payload.LastIndexOf('}') + 1)] : null;
        using var document = json is null ? null : JsonDocument.Parse(json);
        return (status, document is not null && document.RootElement.TryGetProperty("type", out var type) ? type.GetString() : null, text);
    }

    // A request with "Connection: close" and the given head lines and body.
    public static byte[] Request(string requestLine, IEnumerable<string> headers, byte[]? body = null)
    {
        var head = requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "\r\n";
        var bytes = Encoding.UTF8.GetBytes(head);
        return body is null ? bytes : [.. bytes, .. body];
    }
}
