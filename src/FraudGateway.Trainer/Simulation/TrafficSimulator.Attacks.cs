using System.Net;
using FraudGateway.Model;

namespace FraudGateway.Trainer.Simulation;

// The attack scenarios: credential stuffing (rotating IPv4, one IPv6 /64, low and slow, headless), brute force,
// contact-form spam, crawlers and signup abuse. The people and the generation loop are in TrafficSimulator.cs.
public sealed partial class TrafficSimulator
{
    private void StuffingRotatingIpv4()
    {
        var pool = Enumerable.Range(0, 300).Select(_ => _random.NextDouble() < 0.6 ? _addresses.Datacenter(_random) : _addresses.Residential4(_random)).ToArray();
        var time = AnyMoment();
        var attempts = _random.Next(1200, 1800);
        var perMinute = _random.Next(10, 40);
        for (var i = 0; i < attempts; i++)
        {
            time = time.AddSeconds(_random.Exponential(60.0 / perMinute));
            Add(time, pool[_random.Next(pool.Length)], Endpoint.Login, AttackerHeaders(0.3), NewAccount(), _random.NextDouble() < 0.97, true, "stuffing-rotating-ipv4", _random.Next(40, 90));
        }
    }

    // Every attempt from a new address inside one /64: per-address limits never see a repeat.
    private void StuffingOneIpv6Prefix()
    {
        var prefix = AddressSpace.Residential64(_random);
        var time = AnyMoment();
        var perMinute = _random.Next(2, 8);
        for (var i = 0; i < _random.Next(600, 1000); i++)
        {
            time = time.AddSeconds(_random.Exponential(60.0 / perMinute));
            Add(time, AddressSpace.InPrefix64(prefix, _random), Endpoint.Login, AttackerHeaders(0.5), NewAccount(), _random.NextDouble() < 0.97, true, "stuffing-ipv6-64", _random.Next(40, 90));
        }
    }

    private void BruteForce()
    {
        var account = NewAccount();
        var rotating = _random.NextDouble() < 0.3;
        var single = _random.NextDouble() < 0.5 ? _addresses.Datacenter(_random) : _addresses.Residential4(_random);
        var headers = AttackerHeaders(0.4);
        var time = AnyMoment();
        var gap = _random.Next(2, 30);
        for (var i = 0; i < _random.Next(100, 400); i++)
        {
            time = time.AddSeconds(gap * (0.5 + _random.NextDouble()));
            var ip = rotating ? (_random.NextDouble() < 0.5 ? _addresses.Datacenter(_random) : _addresses.Residential4(_random)) : single;
            Add(time, ip, Endpoint.Login, headers, account, true, true, "brute-force", _random.Next(40, 90));
        }
    }

    private void ContactSpamBurst()
    {
        var ips = Enumerable.Range(0, _random.Next(1, 6)).Select(_ => _random.NextDouble() < 0.6 ? _addresses.Datacenter(_random) : _addresses.Residential4(_random)).ToArray();
        var time = AnyMoment();
        var count = _random.Next(30, 150);
        var span = _random.Next(300, 1200);
        var kind = _random.NextDouble();
        for (var i = 0; i < count; i++)
        {
            time = time.AddSeconds(_random.Exponential((double)span / count));
            var headers = kind switch
            {
                < 0.35 => ScriptHeaders(),
                < 0.5 => _headers.BrowserHeadersUnder(BotAgent(), _random, jsonBody: false),
                < 0.7 => _headers.Headless(_random),
                _ => _headers.Spoofed(SpoofAgent(), _random, jsonBody: false, 0.4),
            };
            Add(time, ips[_random.Next(ips.Length)], Endpoint.Contact, headers, null, false, true, "contact-spam", _random.Next(300, 4000),
                disposable: _random.NextDouble() < 0.5 ? 1 : 0, links: _random.Next(2, 13), fill: 0.3 + (_random.NextDouble() * 2.7));
        }
    }

    // One attempt every ~90 s, like clockwork, each on a new account: under any per-minute limit, with a
    // well-copied browser header set. Given away by its regularity, accounts per address and failures.
    private void LowAndSlow()
    {
        var ip = _random.NextDouble() < 0.5 ? _addresses.Datacenter(_random) : _addresses.Residential4(_random);
        var headers = AttackerHeaders(0.9);
        var time = AnyMoment();
        var period = _random.Next(60, 150);
        var hours = _random.Next(6, 13);
        for (var i = 0; i < hours * 3600 / period; i++)
        {
            time = time.AddSeconds(period + _random.Normal(0, period * 0.03));
            Add(time, ip, Endpoint.Login, headers, NewAccount(), _random.NextDouble() < 0.97, true, "low-and-slow", _random.Next(40, 90));
        }
    }

    private void Crawler()
    {
        var agent = _crawlers.Pick(_random).UserAgent;
        var ip = _random.NextDouble() < 0.7 ? _addresses.Datacenter(_random) : _addresses.Residential4(_random);
        var endpoint = _random.NextDouble() < 0.5 ? Endpoint.Contact : Endpoint.Login;
        // Half send their own headers, half a copied browser's: the user agent gives them away either way.
        var own = _random.NextDouble() < 0.5;
        var headers = (own ? _headers.Tool(_random, agent) : _headers.BrowserHeadersUnder(agent, _random, jsonBody: _random.NextDouble() < 0.5))
            with { Method = _random.NextDouble() < 0.6 ? "GET" : "POST" };
        var time = AnyMoment();
        for (var i = 0; i < _random.Next(1, 4); i++)
        {
            Add(time, ip, endpoint, headers, null, false, true, "crawler", headers.Method == "GET" ? 0 : _random.Next(20, 400));
            time = time.AddSeconds(_random.Next(1, 20));
        }
    }

    private void HeadlessStuffing()
    {
        var time = AnyMoment();
        for (var i = 0; i < _random.Next(80, 150); i++)
        {
            time = time.AddSeconds(_random.Exponential(8));
            var headers = _random.NextDouble() < 0.5 ? _headers.Headless(_random) : _headers.Browser(Headless(SpoofAgent()), _random, jsonBody: true);
            Add(time, _addresses.Datacenter(_random), Endpoint.Login, headers,
                NewAccount(), _random.NextDouble() < 0.95, true, "headless-stuffing", _random.Next(40, 90));
        }
    }

    private void SignupAbuse()
    {
        var time = AnyMoment();
        for (var i = 0; i < _random.Next(100, 300); i++)
        {
            time = time.AddSeconds(_random.Exponential(20));
            Add(time, _random.NextDouble() < 0.7 ? _addresses.Residential4(_random) : _addresses.Vpn(_random), Endpoint.Signup, AttackerHeaders(0.5), NewAccount(), false, true,
                "signup-abuse", _random.Next(80, 200), disposable: _random.NextDouble() < 0.8 ? 1 : 0, fill: _random.NextDouble() * 3);
        }
    }

    // ---- helpers ----

    // A script with its library's own headers (25%); a bot or library user agent behind a copied browser header set
    // (15%); a copied browser user agent with some of the browser's headers (35%). A quarter drive a real browser
    // with a stealth plugin: a genuine user agent and its full header set.
}
