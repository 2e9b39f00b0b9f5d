namespace FraudGateway.Decisions;

// One decision as the decision store keeps it: identifiers only as HMACs (ClientId of the address, AccountId of the
// account), reasons as the gateway's own words, no header, body or address.
public sealed class DecisionEntry
{
    // Store-assigned, "<unix ms>-<sequence>" (a Redis stream id); newer entries sort after older ones.
    public string Id { get; set; } = "";

    public DateTimeOffset Time { get; set; }

    // What the client saw as requestId in its problem+json.
    public string RequestId { get; set; } = "";

    public string Route { get; set; } = "";

    public string Policy { get; set; } = "";

    // allow, challenge or block.
    public string Action { get; set; } = "";

    public bool Enforced { get; set; }

    public string Stage { get; set; } = "";

    public string Reason { get; set; } = "";

    // Every finding of every stage ("body:disposable-email", "counters:over-limit-cache", "scoring:would-block-..."),
    // the limits that refused, and the captcha's reasons.
    public List<string> Findings { get; set; } = [];

    public List<string> LimitsHit { get; set; } = [];

    // The login's password is in the breach corpus (true) or not (false); absent when not checked. Nothing else of it.
    public bool? BreachedPassword { get; set; }

    // The client's TLS fingerprint (JA4), when the gateway terminated TLS or a trusted front end sent it.
    public string? Ja4 { get; set; }

    public List<string> CaptchaReasons { get; set; } = [];

    public double? Score { get; set; }

    public string? ModelVersion { get; set; }

    public string? RiskDecision { get; set; }

    // The ladder's rung: allow, proof-of-work, captcha or block.
    public string? RiskRung { get; set; }

    // At the block threshold: the signal groups that each earned a challenge alone (a block needs two).
    public string? RiskEvidence { get; set; }

    public List<DecisionFeature> TopFeatures { get; set; } = [];

    // The candidate model's view of the same request (Model:CandidatePath), when one scored it.
    public string? CandidateVersion { get; set; }

    public double? CandidateScore { get; set; }

    public string? CandidateDecision { get; set; }

    public string? ClientId { get; set; }

    public string? AccountId { get; set; }

    // The scored request's feature vector, in FeatureSchema order (numbers only): what GET /admin/training-export
    // turns into training rows once the decision is labelled.
    public float[]? Features { get; set; }

    // Set by a security engineer (POST /admin/decisions/{requestId}/label); kept beside the entry, not in it.
    public DecisionLabel? Label { get; set; }

    // Is this entry about the subject with this HMAC (its client or its account)?
    public bool Concerns(string subjectId) => ClientId == subjectId || AccountId == subjectId;
}

// fraud or legitimate; the note is free text without personal data (checked: no IP address), at most 200 characters.
public sealed record DecisionLabel(string Label, string? Note, DateTimeOffset Time, string KeyId);

public sealed record DecisionFeature(string Name, double Value, double Contribution);
