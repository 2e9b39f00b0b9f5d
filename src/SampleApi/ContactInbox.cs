using System.Collections.Concurrent;

namespace SampleApi;

// Keeps the last messages in memory, bounded, so the demo cannot be made to grow without limit.
public sealed class ContactInbox
{
    private const int Capacity = 1000;
    private readonly ConcurrentQueue<ContactMessage> _messages = new();
    private long _nextId;

    public long Add(ContactMessage message)
    {
        _messages.Enqueue(message);
        while (_messages.Count > Capacity && _messages.TryDequeue(out _))
        {
        }

        return Interlocked.Increment(ref _nextId);
    }
}
