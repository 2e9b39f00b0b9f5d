namespace FraudGateway.Model;

// What a feature slot is evidence about. Slots of one group are not independent of each other (a library's user agent
// and its missing browser structure are one fact); slots of different groups are.
public enum SignalGroup
{
    // The User-Agent string: its structure, browser family and version, bot patterns, automation tokens.
    UserAgent,

    // The header set against what that user agent's browser sends (Accept*, Sec-Fetch-*, client hints).
    HeaderSet,

    // The operator's address lists (datacenter, Tor, VPN); unknown when a list is not configured.
    Network,

    // What the form says (a disposable e-mail domain, links in a message).
    Content,

    // What people ordinarily vary: timing, counts of requests, accounts, addresses and failures. Not model evidence:
    // the policy's limits judge it.
    Behaviour,

    // Method, content type, body length, address family: the same for a person and a script. Not evidence.
    RequestShape,
}
