using System.Diagnostics.CodeAnalysis;

// Every analyzer finding this project keeps, with the reason, in one place (AnalysisMode Recommended, warnings as errors).

[assembly: SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Scope = "member", Target = "~F:FraudGateway.State.CounterCall.CountersSha",
    Justification = "Redis names Lua scripts by their SHA-1 (EVALSHA): an identifier the protocol fixes, not a security measure.")]
[assembly: SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Scope = "type", Target = "~T:FraudGateway.Privacy.SubjectHasher",
    Justification = "A singleton for the process's lifetime; its per-thread HMAC contexts die with their threads.")]
[assembly: SuppressMessage("Performance", "CA1873:Avoid potentially expensive logging", Scope = "member", Target = "~M:FraudGateway.Decisions.DecisionRecorder.Record(Microsoft.AspNetCore.Http.HttpContext,FraudGateway.Pipeline.FraudGatewayFeature,FraudGateway.Pipeline.GatewayDecision,System.Boolean)",
    Justification = "The method returns early unless the record's level is enabled: the arguments are only built when they are logged.")]
[assembly: SuppressMessage("Performance", "CA1873:Avoid potentially expensive logging", Scope = "member", Target = "~M:FraudGateway.StartupReport.StartAsync(System.Threading.CancellationToken)~System.Threading.Tasks.Task",
    Justification = "Logged once, at start.")]
[assembly: SuppressMessage("Performance", "CA1873:Avoid potentially expensive logging", Scope = "member", Target = "~M:FraudGateway.State.RedisConnector.Connect(System.String,FraudGateway.State.StoreOptions,Microsoft.Extensions.Logging.ILogger)~StackExchange.Redis.IConnectionMultiplexer",
    Justification = "Logged when the connection to Redis is lost or restored: rare, and worth every argument.")]
