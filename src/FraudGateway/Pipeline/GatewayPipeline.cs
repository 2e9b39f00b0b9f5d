using FraudGateway.AccessLists;
using FraudGateway.BodyInspection;
using FraudGateway.Captcha;
using FraudGateway.Counters;
using FraudGateway.Identity;
using FraudGateway.RateLimiting;
using FraudGateway.Scoring;

namespace FraudGateway.Pipeline;

// The order of the protection pipeline, written here and nowhere else (docs/architecture.md, "One request").
// Decision, forwarding and observation are GatewayMiddleware's own steps around this list.
// Scoring runs before the captcha check because a score in the challenge band is what asks for a captcha: the
// captcha stage then verifies the token or pass in the same request.
internal sealed class GatewayPipeline(ClientIdentityStage identity, AccessListStage accessLists, BodyInspectionStage body, Defense.DeviceTrustStage deviceTrust,
    CountersStage counters, RateLimitStage rateLimits, Defense.DefenseStage defense, ScoringStage scoring, CaptchaStage captcha)
{
    public IReadOnlyList<IGatewayStage> Stages { get; } =
    [
        identity,     // real client IP through trusted proxies, prefix, user agent, request time, store subjects
        accessLists,  // static deny / allow lists
        body,         // bounded body read: account (as HMAC), e-mail domain, message, honeypot
        deviceTrust,  // a returning device's token or a solved challenge's pass: no route-wide quota refuses it
        counters,     // one store round trip: ban flags and every rate-limit window
        defense,      // site-wide attack detection; defended mode challenges logins without a trusted device
        rateLimits,   // any window over its limit -> 429
        scoring,      // features -> risk model: block, or ask the captcha stage for a captcha
        captcha,      // captcha required / verified, or a valid pass
    ];
}
