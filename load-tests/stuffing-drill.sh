#!/usr/bin/env bash
# The credential-stuffing drill: for each phase, a fresh redis-server, SampleApi (2,000 accounts) and two gateways on
# the shipped appsettings.json; people log in throughout (about 10 logins a second, each person from an address of
# their own, solving the proof of work when asked) while one attack runs (load-tests/StuffingDrill). Prints one
# table row per phase: attack attempts reaching the upstream (all, and after the attack's first 60 s), accounts
# taken over of the valid combinations tried, and what people met. Loopback only.
#   load-tests/stuffing-drill.sh                         (every phase: about 12 minutes)
#   PHASES="distributed slow" load-tests/stuffing-drill.sh
#   dotnet load-tests/StuffingDrill/bin/Release/net10.0/StuffingDrill.dll --measure-pow   (an attacker that solves)
set -euo pipefail
cd "$(dirname "$0")/.."

PHASES=${PHASES:-"baseline naive distributed ipv6 slow"}
BASE=${DRILL_PORT_BASE:-5480}  # six loopback ports from here
UPSTREAM=$BASE; GATEWAY1=$((BASE + 1)); MANAGEMENT1=$((BASE + 2)); GATEWAY2=$((BASE + 3)); MANAGEMENT2=$((BASE + 4)); REDIS=$((BASE + 5))
OUT=$(realpath -m "${DRILL_OUT:-.drill}")
ROOT=$PWD

command -v redis-server >/dev/null || { echo "stuffing-drill.sh: redis-server is needed (apt-get install -y redis-server)"; exit 1; }
command -v jq >/dev/null || { echo "stuffing-drill.sh: jq is needed (apt-get install -y jq)"; exit 1; }
mkdir -p "$OUT"
for p in src/SampleApi src/FraudGateway load-tests/StuffingDrill; do
  dotnet build "$p" -c Release -nologo >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
done

jq --arg up "http://127.0.0.1:$UPSTREAM" '.ReverseProxy.Clusters["sample-api"].Destinations.primary.Address = $up' \
  src/FraudGateway/appsettings.json > "$OUT/appsettings.json"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT

run_phase() {
  local phase=$1 seconds=$2
  pids=()
  redis-server --port $REDIS --bind 127.0.0.1 --save "" --appendonly no >"$OUT/redis-$phase.log" 2>&1 &
  pids+=($!)
  dotnet src/SampleApi/bin/Release/net10.0/SampleApi.dll --urls "http://127.0.0.1:$UPSTREAM" >"$OUT/sampleapi-$phase.log" 2>&1 &
  pids+=($!)
  for g in "$GATEWAY1 $MANAGEMENT1" "$GATEWAY2 $MANAGEMENT2"; do
    set -- $g
    (cd "$OUT" && exec dotnet "$ROOT/src/FraudGateway/bin/Release/net10.0/FraudGateway.dll" --contentRoot "$PWD" \
      --Urls "http://127.0.0.1:$1" --FraudGateway:Management:Url "http://127.0.0.1:$2" \
      --ConnectionStrings:Redis "127.0.0.1:$REDIS" --FraudGateway:Privacy:HmacKey drill-hmac-key-0123456789abcdef0123456789 \
      --FraudGateway:Model:Path "$ROOT/models/fraudgateway.zip" --Logging:LogLevel:Default Warning) >"$OUT/gateway-$phase-$1.log" 2>&1 &
    pids+=($!)
  done
  for port in $MANAGEMENT1 $MANAGEMENT2; do
    for i in $(seq 1 150); do
      curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
      [ "$i" = 150 ] && { echo "stuffing-drill.sh: the gateway on $port never became ready"; tail "$OUT"/gateway-$phase-*.log; exit 1; }
      sleep 0.2
    done
  done
  dotnet load-tests/StuffingDrill/bin/Release/net10.0/StuffingDrill.dll --phase "$phase" --seconds "$seconds" \
    --gateway "http://127.0.0.1:$GATEWAY1" --gateway "http://127.0.0.1:$GATEWAY2" --upstream "http://127.0.0.1:$UPSTREAM" >"$OUT/$phase.json"
  kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true
}

echo "| phase | attack attempts | forwarded to the upstream | forwarded after the first 60 s | takeovers of valid combos | people's logins (right password) | in at once | in after a proof of work | returning logins challenged | refused |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for phase in $PHASES; do
  case $phase in
    baseline) seconds=60 ;;
    slow) seconds=200 ;;
    *) seconds=140 ;;
  esac
  run_phase "$phase" "$seconds"
  jq -r '"| \(.phase) | \(.attack.attempts) | \(.attack.forwarded) (\(if .attack.attempts > 0 then (.attack.forwarded * 1000 / .attack.attempts | round / 10) else 0 end) %) | \(.attack.forwardedAfter60s) of \(.attack.attemptsAfter60s) | \(.attack.takenOver) of \(.attack.validCombos) | \(.people.logins) (\(.people.rightPassword)) | \(.people.inDirectly) | \(.people.inAfterSolving) | \(.people.returningChallenged) of \(.people.returning) | \(.people.refused) |"' "$OUT/$phase.json"
done
