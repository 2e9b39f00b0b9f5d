# Sourced by bench.sh and profile.sh: the configuration every gateway and bare YARP of a benchmark run use.

# bench_appsettings UPSTREAM_URL OUT: the gateway's own demo config, with the upstream moved to the benchmark's, and
# the benchmark's routes on POST /api/auth/login, chosen by the header X-Bench-Policy: "ratelimits" goes to a policy
# with only the example limits (per address a minute and an hour, per /24 or /64 prefix, on the whole route), raised so
# high that nothing is refused; "approx" to the same limits counted approximately; "flood" to one login a minute per
# address. Bare YARP reads the same routes.
bench_appsettings() {
  jq --arg up "$1" '
    .ReverseProxy.Clusters["sample-api"].Destinations.primary.Address = $up
    | .ReverseProxy.Routes.limited = {ClusterId: "sample-api", Match: {Path: "/api/auth/login", Headers: [{Name: "X-Bench-Policy", Values: ["ratelimits"]}]}, Metadata: {"FraudGateway.Policy": "ratelimits"}}
    | .FraudGateway.Policies.ratelimits = {OnStoreFailure: "FailClosed", RateLimits: [
        {Name: "ip-minute", Key: "ip", Limit: 1000000000, WindowSeconds: 60},
        {Name: "ip-hour", Key: "ip", Limit: 1000000000, WindowSeconds: 3600},
        {Name: "prefix-minute", Key: "prefix", Limit: 1000000000, WindowSeconds: 60},
        {Name: "route-minute", Key: "route", Limit: 1000000000, WindowSeconds: 60}]}
    | .ReverseProxy.Routes["limited-approx"] = {ClusterId: "sample-api", Match: {Path: "/api/auth/login", Headers: [{Name: "X-Bench-Policy", Values: ["approx"]}]}, Metadata: {"FraudGateway.Policy": "ratelimits-approx"}}
    | .FraudGateway.Policies["ratelimits-approx"] = (.FraudGateway.Policies.ratelimits + {Counting: "Approximate"})
    | .ReverseProxy.Routes.flood = {ClusterId: "sample-api", Match: {Path: "/api/auth/login", Headers: [{Name: "X-Bench-Policy", Values: ["flood"]}]}, Metadata: {"FraudGateway.Policy": "flood"}}
    | .FraudGateway.Policies.flood = {OnStoreFailure: "FailClosed", RateLimits: [{Name: "ip-minute", Key: "ip", Limit: 1, WindowSeconds: 60}]}' \
    src/FraudGateway/appsettings.json > "$2"
}

# Every limit of the shipped "login" policy stays on, raised so high that nothing is refused: a benchmark measures the
# cost of counting, not of refusing. The risk model scores every request but challenges only a score of 1 and blocks
# none: the benchmark measures what scoring costs, not what it refuses. The site-wide detector counts as it would (the
# benchmark's logins all succeed, so it never defends). Logs at Warning.
NO_REFUSALS=()
for i in 0 1 2 3 4 5 6 7 8; do
  NO_REFUSALS+=(--FraudGateway:Policies:login:RateLimits:$i:Limit 1000000000 --FraudGateway:Policies:login:RateLimits:$i:PenaltySeconds 0)
done
NO_REFUSALS+=(--FraudGateway:Policies:login:RateLimits:3:Burst 1000000000 --FraudGateway:Policies:login:RateLimits:5:Burst 1000000000
  --Logging:LogLevel:Default Warning --Logging:LogLevel:FraudGateway Warning
  --FraudGateway:Policies:login:Scoring:Ladder:ProofOfWork:Threshold 1 --FraudGateway:Policies:login:Scoring:Ladder:Block:Enabled false)

# start_gateway DIR LOG PORT MANAGEMENT_PORT [ARGS...]: one FraudGateway in the background, run from DIR (which holds
# the appsettings.json bench_appsettings wrote there), with NO_REFUSALS and then ARGS; it logs to DIR/LOG. Its PID is
# added to the caller's pids and is $! when this returns.
start_gateway() {
  local dir=$1 log=$2 port=$3 management=$4
  shift 4
  (cd "$dir" && exec dotnet ../src/FraudGateway/bin/Release/net10.0/FraudGateway.dll --contentRoot "$PWD" \
    --Urls "http://127.0.0.1:$port" --FraudGateway:Management:Url "http://127.0.0.1:$management" "${NO_REFUSALS[@]}" "$@") >"$dir/$log" 2>&1 &
  pids+=($!)
}
