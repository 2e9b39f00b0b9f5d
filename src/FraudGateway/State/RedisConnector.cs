using FraudGateway.Observation;
using FraudGateway.Validation;
using StackExchange.Redis;

namespace FraudGateway.State;

internal static partial class RedisConnector
{
    // An unreachable Redis at start does not stop the gateway: it starts, says so, keeps reconnecting in the
    // background, and meanwhile every protected request follows its policy's OnStoreFailure and /readyz is 503.
    // Commands fail fast while disconnected instead of queueing behind the outage.
    public static IConnectionMultiplexer Connect(string connectionString, StoreOptions options, ILogger logger)
    {
        var config = ConfigurationOptions.Parse(connectionString);
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        if (options.RedisSocketManager == RedisSocketManagerKind.ThreadPool)
        {
            config.SocketManager = SocketManager.ThreadPool;
        }

        if (!connectionString.Contains("connectTimeout", StringComparison.OrdinalIgnoreCase))
        {
            config.ConnectTimeout = 2000;
        }

        if (!connectionString.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase))
        {
            config.AsyncTimeout = Math.Max(options.OperationTimeoutMs, 1000);
        }

        var connection = ConnectionMultiplexer.Connect(config);
        if (!connection.IsConnected)
        {
            Log.Unreachable(logger, string.Join(",", config.EndPoints.Select(e => e.ToString())));
        }

        connection.ConnectionFailed += (_, e) => Log.ConnectionFailed(logger, e.EndPoint?.ToString() ?? "?", e.FailureType.ToString());
        connection.ConnectionRestored += (_, e) => Log.ConnectionRestored(logger, e.EndPoint?.ToString() ?? "?");
        return connection;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.RedisConnectionUnreachable, EventName = nameof(LogEvents.RedisConnectionUnreachable), Level = LogLevel.Error, Message = "Redis at {Endpoints} is unreachable. The gateway starts anyway and keeps reconnecting; until then protected routes follow their OnStoreFailure setting and /readyz answers 503.")]
        public static partial void Unreachable(ILogger logger, string endpoints);

        [LoggerMessage(EventId = LogEvents.RedisConnectionFailed, EventName = nameof(LogEvents.RedisConnectionFailed), Level = LogLevel.Warning, Message = "Lost the Redis connection to {Endpoint} ({FailureType}); reconnecting.")]
        public static partial void ConnectionFailed(ILogger logger, string endpoint, string failureType);

        [LoggerMessage(EventId = LogEvents.RedisConnectionRestored, EventName = nameof(LogEvents.RedisConnectionRestored), Level = LogLevel.Information, Message = "Redis connection to {Endpoint} restored.")]
        public static partial void ConnectionRestored(ILogger logger, string endpoint);
    }
}
