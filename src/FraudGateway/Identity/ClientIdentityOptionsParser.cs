using FraudGateway.Networking;
using FraudGateway.Validation;

namespace FraudGateway.Identity;

// FraudGateway:Identity -> ClientIdentitySettings, every problem listed with its path.
internal static class ClientIdentityOptionsParser
{
    public const string Path = "FraudGateway:Identity";

    public static ClientIdentitySettings Parse(ClientIdentityOptions options, List<string> errors)
    {
        ConfigCheck.Range(options.Ipv4PrefixLength, 1, 32, Path + ":Ipv4PrefixLength", errors);
        ConfigCheck.Range(options.Ipv6PrefixLength, 1, 128, Path + ":Ipv6PrefixLength", errors);
        ConfigCheck.Range(options.MaxForwardedHops, 1, 64, Path + ":MaxForwardedHops", errors);
        ConfigCheck.Range(options.MaxUserAgentChars, 16, 16_384, Path + ":MaxUserAgentChars", errors);
        if (string.IsNullOrWhiteSpace(options.ForwardedForHeader))
        {
            errors.Add($"{Path}:ForwardedForHeader must not be empty.");
        }

        return new ClientIdentitySettings
        {
            TrustedProxies = CidrSet.Parse(options.TrustedProxies, Path + ":TrustedProxies", errors),
            ForwardedForHeader = options.ForwardedForHeader,
            MaxForwardedHops = options.MaxForwardedHops,
            Ipv4PrefixLength = options.Ipv4PrefixLength,
            Ipv6PrefixLength = options.Ipv6PrefixLength,
            MaxUserAgentChars = options.MaxUserAgentChars,
            Ja4Header = options.Ja4Header.Trim(),
            Ja4UpstreamHeader = options.Ja4UpstreamHeader.Trim(),
        };
    }
}
