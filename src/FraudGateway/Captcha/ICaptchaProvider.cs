using System.Net;

namespace FraudGateway.Captcha;

/// <summary>
/// A named captcha provider from FraudGateway:Captcha:Providers. Throws CaptchaProviderException when it cannot answer.
/// </summary>
internal interface ICaptchaProvider
{
    string Name { get; }

    CaptchaProviderType Type { get; }

    string SiteKey { get; }

    IReadOnlyList<string> Hostnames { get; }

    ValueTask<SiteVerifyResult> VerifyAsync(string token, IPAddress clientAddress, CancellationToken cancellationToken);
}
