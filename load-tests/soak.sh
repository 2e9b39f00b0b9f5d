#!/usr/bin/env bash
# Soak: two gateways on one redis-server in front of the SampleApi, with mixed traffic (people logging in, a
# credential-stuffing run over 4,096 addresses, a contact-form spam run) for SOAK_SECONDS, and redis-server killed in
# the middle and started again OUTAGE seconds later. Reports each gateway's resident memory every SAMPLE seconds,
# every answer by scenario, the errors (anything but the policies' own answers; during the outage the login policy's
# 503 store-unavailable is its own answer), Error-level log lines, and whether a limit is still exact afterwards.
# Loopback only. Exits non-zero on any failed verdict.
#   SOAK_SECONDS=1800 SAMPLE=60 load-tests/soak.sh      (the 30-minute run in load-tests/README.md)
#   SOAK_SECONDS=60 SAMPLE=10 load-tests/soak.sh        (what test.sh runs)
set -euo pipefail
cd "$(dirname "$0")/.."

SOAK_SECONDS=${SOAK_SECONDS:-1800}
SAMPLE=${SAMPLE:-60}
OUTAGE=${OUTAGE:-5}
OUTAGE_AT=$((SOAK_SECONDS / 2))
BASE=${SOAK_PORT_BASE:-5280}  # six loopback ports from here
UPSTREAM=$BASE; GATEWAY1=$((BASE + 1)); MANAGEMENT1=$((BASE + 2)); GATEWAY2=$((BASE + 3)); MANAGEMENT2=$((BASE + 4)); REDIS=$((BASE + 5))
OUT=$(realpath -m "${SOAK_OUT:-.soak}")
ROOT=$PWD

command -v redis-server >/dev/null || { echo "soak.sh: redis-server is needed (apt-get install -y redis-server)"; exit 1; }
command -v jq >/dev/null || { echo "soak.sh: jq is needed (apt-get install -y jq)"; exit 1; }
mkdir -p "$OUT"
if [ "${SOAK_NO_BUILD:-}" != 1 ]; then
  for p in src/SampleApi src/FraudGateway load-tests/Soak; do
    dotnet build "$p" -c Release -nologo >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
  done
fi

pids=()
redis_pid=""
rm -f "$OUT/redis-restarted.pid"
trap 'kill "${pids[@]}" $redis_pid $(cat "$OUT/redis-restarted.pid" 2>/dev/null) 2>/dev/null; wait 2>/dev/null' EXIT

# The shipped demo configuration (its login, contact-form and signup policies as an operator starts from), with the
# upstream on the soak's port and one more route for the exactness check: POST /api/auth/password-reset limited
# to 50 per 10 minutes per address, failing closed.
jq --arg up "http://127.0.0.1:$UPSTREAM" '
  .ReverseProxy.Clusters["sample-api"].Destinations.primary.Address = $up
  | .ReverseProxy.Routes.exact = {ClusterId: "sample-api", Match: {Path: "/api/auth/password-reset"}, Metadata: {"FraudGateway.Policy": "exact"}}
  | .FraudGateway.Policies.exact = {OnStoreFailure: "FailClosed", RateLimits: [{Name: "ip-10min", Key: "ip", Limit: 50, WindowSeconds: 600}]}' \
  src/FraudGateway/appsettings.json > "$OUT/appsettings.json"

start_redis() {
  redis-server --port $REDIS --bind 127.0.0.1 --save "" --appendonly no >>"$OUT/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 50); do redis-cli -p $REDIS ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "soak.sh: redis-server did not start"; tail "$OUT/redis.log"; exit 1
}
start_redis

dotnet src/SampleApi/bin/Release/net10.0/SampleApi.dll --urls "http://127.0.0.1:$UPSTREAM" >"$OUT/sampleapi.log" 2>&1 &
pids+=($!)
gateway() {
  local port=$1 management=$2 log=$3
  (cd "$OUT" && exec dotnet "$ROOT/src/FraudGateway/bin/Release/net10.0/FraudGateway.dll" --contentRoot "$PWD" \
    --Urls "http://127.0.0.1:$port" --FraudGateway:Management:Url "http://127.0.0.1:$management" \
    --ConnectionStrings:Redis "127.0.0.1:$REDIS" --FraudGateway:Privacy:HmacKey soak-hmac-key-0123456789abcdef0123456789 \
    --Logging:LogLevel:Default Warning) >"$OUT/$log" 2>&1 &
  pids+=($!)
}
gateway $GATEWAY1 $MANAGEMENT1 gateway1.log
gateway1_pid=${pids[-1]}
gateway $GATEWAY2 $MANAGEMENT2 gateway2.log
gateway2_pid=${pids[-1]}
for port in $MANAGEMENT1 $MANAGEMENT2; do
  for i in $(seq 1 150); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    [ "$i" = 150 ] && { echo "soak.sh: the gateway on management port $port never became ready"; tail "$OUT"/gateway*.log; exit 1; }
    sleep 0.2
  done
done

# Redis goes away in the middle of the run (killed: no persistence, so its counters are gone too) and comes back.
(
  sleep "$OUTAGE_AT"
  kill -9 "$redis_pid" 2>/dev/null || true
  echo "soak.sh: redis-server killed at ${OUTAGE_AT}s"
  sleep "$OUTAGE"
  redis-server --port $REDIS --bind 127.0.0.1 --save "" --appendonly no >>"$OUT/redis.log" 2>&1 &
  echo $! >"$OUT/redis-restarted.pid"
  echo "soak.sh: redis-server started again"
  wait
) &
pids+=($!)

status=0
dotnet load-tests/Soak/bin/Release/net10.0/Soak.dll \
  --gateway "http://127.0.0.1:$GATEWAY1" --gateway "http://127.0.0.1:$GATEWAY2" \
  --pid "$gateway1_pid" --pid "$gateway2_pid" --seconds "$SOAK_SECONDS" --sample-seconds "$SAMPLE" \
  --outage-at "$OUTAGE_AT" --outage-seconds "$OUTAGE" --report "$OUT/soak.json" || status=1

# Error-level lines other than the Redis connection's own (event ids 1320/1321: unreachable, connection failed).
errors=$(grep -hE '^(fail|crit): ' "$OUT"/gateway*.log | grep -vE '\[(1320|1321)\]$' || true)
if [ -n "$errors" ]; then
  echo "soak.sh: Error-level log lines:"; echo "$errors" | sort | uniq -c; status=1
fi
echo "soak.sh: log lines by level: $(grep -hoE '^(trce|dbug|info|warn|fail|crit): ' "$OUT"/gateway*.log | sort | uniq -c | tr '\n' ' ')"
exit $status
