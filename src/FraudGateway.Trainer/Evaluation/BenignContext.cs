using FraudGateway.Model;
using FraudGateway.Trainer.Simulation;

namespace FraudGateway.Trainer.Evaluation;

// "Blocked on its user agent alone?": a first login from a residential address at a normal hour with the headers
// that browser really sends, nothing else suspicious. Used by evaluate (model card) and by the shipped-model test.
public static class BenignContext
{
    public static RequestFacts For(string userAgent, AddressSpace addresses, Random random)
    {
        var headers = HeaderFactory.Browser(userAgent, random, jsonBody: true);
        var facts = new RequestFacts
        {
            Ip = addresses.Residential4(random),
            UserAgent = userAgent,
            Method = "POST",
            Accept = headers.Accept,
            AcceptLanguage = headers.AcceptLanguage,
            AcceptEncoding = headers.AcceptEncoding,
            SecFetchSite = headers.SecFetchSite,
            SecFetchMode = headers.SecFetchMode,
            SecFetchDest = headers.SecFetchDest,
            SecChUa = headers.SecChUa,
            ContentType = headers.ContentType,
            HeaderCount = headers.HeaderCount,
            BodyLength = 60,
            Timestamp = new DateTimeOffset(2026, 11, 3, 14, 0, 0, TimeSpan.Zero),
        };
        facts.SetCounter(FeatureSchema.RequestsPerIpMinute, 1);
        facts.SetCounter(FeatureSchema.RequestsPerIpHour, 1);
        facts.SetCounter(FeatureSchema.RequestsPerPrefixMinute, 1);
        facts.SetCounter(FeatureSchema.DistinctAccountsPerIp, 1);
        facts.SetCounter(FeatureSchema.DistinctAccountsPerPrefix, 1);
        facts.SetCounter(FeatureSchema.FailuresPerAccount, 0);
        facts.SetCounter(FeatureSchema.FailuresPerIp, 0);
        facts.SetCounter(FeatureSchema.DistinctIpsPerAccount, 1);
        return facts;
    }
}
