using FraudGateway.Model;

namespace FraudGateway.Trainer.Simulation;

// Walks the simulated timeline in order and gives each request the counters the gateway would have read from its
// store at that moment: requests per address per minute and hour, per prefix per minute, distinct accounts per
// address and prefix, failures per account and per address, distinct addresses per account (all over the last
// hour unless named otherwise). Counts include the request itself, like the gateway's (it counts, then scores);
// failures are those recorded before it (its own outcome is not known yet).
public static class CounterReplay
{
    public const int HourSeconds = 3600;

    public static IEnumerable<(SimulatedRequest Request, float[] Counters)> Replay(IReadOnlyList<SimulatedRequest> requests)
    {
        var ordered = requests.Select((r, i) => (r, i)).OrderBy(x => x.r.Time).ThenBy(x => x.i).Select(x => x.r);
        var perIpMinute = new SlidingCount(60);
        var perIpHour = new SlidingCount(HourSeconds);
        var perPrefixMinute = new SlidingCount(60);
        var accountsPerIp = new SlidingDistinct(HourSeconds);
        var accountsPerPrefix = new SlidingDistinct(HourSeconds);
        var ipsPerAccount = new SlidingDistinct(HourSeconds);
        var failuresPerAccount = new SlidingCount(HourSeconds);
        var failuresPerIp = new SlidingCount(HourSeconds);

        foreach (var r in ordered)
        {
            var t = r.Time.UtcTicks;
            var ip = r.Ip.ToString();
            var prefix = PrefixKey(r.Ip);
            var counters = new float[FeatureSchema.CounterSlots.Count];
            Array.Fill(counters, -1f);
            void Set(int slot, float value) => counters[slot - FeatureSchema.RequestsPerIpMinute] = value;

            Set(FeatureSchema.RequestsPerIpMinute, perIpMinute.Add(ip, t));
            Set(FeatureSchema.RequestsPerIpHour, perIpHour.Add(ip, t));
            Set(FeatureSchema.RequestsPerPrefixMinute, perPrefixMinute.Add(prefix, t));
            if (r.Endpoint != Endpoint.Contact && r.Account is not null)
            {
                Set(FeatureSchema.DistinctAccountsPerIp, accountsPerIp.Add(ip, r.Account, t));
                Set(FeatureSchema.DistinctAccountsPerPrefix, accountsPerPrefix.Add(prefix, r.Account, t));
            }

            if (r.Endpoint == Endpoint.Login && r.Account is not null)
            {
                Set(FeatureSchema.DistinctIpsPerAccount, ipsPerAccount.Add(r.Account, ip, t));
                Set(FeatureSchema.FailuresPerAccount, failuresPerAccount.Count(r.Account, t));
                Set(FeatureSchema.FailuresPerIp, failuresPerIp.Count(ip, t));
                if (r.LoginFails)
                {
                    failuresPerAccount.Add(r.Account, t);
                    failuresPerIp.Add(ip, t);
                }
            }

            yield return (r, counters);
        }
    }

    private static string PrefixKey(System.Net.IPAddress ip)
    {
        var bytes = ip.GetAddressBytes();
        return bytes.Length == 4 ? $"{bytes[0]}.{bytes[1]}.{bytes[2]}/24" : Convert.ToHexString(bytes, 0, 8) + "/64";
    }

    private sealed class SlidingCount(int windowSeconds)
    {
        private readonly Dictionary<string, Queue<long>> _events = [];

        public int Add(string key, long ticks)
        {
            var queue = Trim(key, ticks);
            queue.Enqueue(ticks);
            return queue.Count;
        }

        public int Count(string key, long ticks) => Trim(key, ticks).Count;

        private Queue<long> Trim(string key, long ticks)
        {
            if (!_events.TryGetValue(key, out var queue))
            {
                _events[key] = queue = new Queue<long>();
            }

            var horizon = ticks - (windowSeconds * TimeSpan.TicksPerSecond);
            while (queue.Count > 0 && queue.Peek() <= horizon)
            {
                queue.Dequeue();
            }

            return queue;
        }
    }

    private sealed class SlidingDistinct(int windowSeconds)
    {
        private readonly Dictionary<string, (Queue<(long Ticks, string Value)> Events, Dictionary<string, int> Counts)> _state = [];

        public int Add(string key, string value, long ticks)
        {
            if (!_state.TryGetValue(key, out var s))
            {
                _state[key] = s = (new Queue<(long, string)>(), new Dictionary<string, int>());
            }

            var horizon = ticks - (windowSeconds * TimeSpan.TicksPerSecond);
            while (s.Events.Count > 0 && s.Events.Peek().Ticks <= horizon)
            {
                var old = s.Events.Dequeue();
                if (--s.Counts[old.Value] == 0)
                {
                    s.Counts.Remove(old.Value);
                }
            }

            s.Events.Enqueue((ticks, value));
            s.Counts[value] = s.Counts.GetValueOrDefault(value) + 1;
            return s.Counts.Count;
        }
    }
}
