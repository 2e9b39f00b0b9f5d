#!/usr/bin/env bash
# Runs every test of every test project and ends with one line "N passed, N failed".
# Installs what the tests need (redis-server, from apt, when missing) and starts it on a free loopback port.
set -uo pipefail
cd "$(dirname "$0")"

# redis-server for the tests; jq and curl for the soak (load-tests/soak.sh); Chromium for the dashboard's browser test;
# docker-compose (Debian's 1.29, no engine needed) to resolve docker-compose.yml in ComposeEnvironmentTests; promtool
# (Debian's prometheus package) to check and unit-test the alert rules in deploy/prometheus.
for tool in redis-server:redis-server jq:jq curl:curl chromium:chromium docker-compose:docker-compose promtool:prometheus; do
  if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
    echo "test.sh: installing ${tool##*:} (apt)..."
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${tool##*:}" >/dev/null \
      || { echo "test.sh: could not install ${tool##*:}"; echo "0 passed, 1 failed"; exit 1; }
  fi
done

# A port below the kernel's ephemeral range (32768+ by default): a port in that range can be the local end of some
# outgoing connection, which no connect test sees but which makes redis-server's bind fail.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( (RANDOM % 12000) + 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

# Start redis-server and wait until it answers; on a port that turns out to be taken, try another.
REDIS_PID=""
trap '[ -n "$REDIS_PID" ] && kill $REDIS_PID 2>/dev/null; wait 2>/dev/null' EXIT
for attempt in 1 2 3 4 5; do
  REDIS_PORT=$(free_port) || { echo "test.sh: no free port"; echo "0 passed, 1 failed"; exit 1; }
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >/tmp/fraudgateway-test-redis-$REDIS_PORT.log 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 50); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break 2
    kill -0 "$REDIS_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill "$REDIS_PID" 2>/dev/null; REDIS_PID=""
  [ "$attempt" = 5 ] && { echo "test.sh: redis-server did not start:"; tail -5 /tmp/fraudgateway-test-redis-$REDIS_PORT.log; echo "0 passed, 1 failed"; exit 1; }
done
export FRAUDGATEWAY_TEST_REDIS="127.0.0.1:$REDIS_PORT"
echo "test.sh: redis-server $(redis-server --version | awk '{print $3}') on $FRAUDGATEWAY_TEST_REDIS"

RESULTS=.test-results
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
status=0

# Node, npm and the k6 scripts' packages (TypeScript, @types/k6): the scripts run through the k6 compatibility runner
# in the integration tests (no k6 binary can be installed here). npm comes from apt when missing.
if ! command -v npm >/dev/null 2>&1; then
  echo "test.sh: installing nodejs and npm (apt)..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null || true
fi
(cd load-tests/k6 && npm ci --no-audit --no-fund --silent) >"$RESULTS/npm-ci.log" 2>&1 || { echo "test.sh: npm ci in load-tests/k6 failed:"; cat "$RESULTS/npm-ci.log"; }
(cd scripts/dockerfile-lint && npm ci --no-audit --no-fund --silent) >>"$RESULTS/npm-ci.log" 2>&1 || { echo "test.sh: npm ci in scripts/dockerfile-lint failed:"; cat "$RESULTS/npm-ci.log"; }
dotnet build FraudGateway.sln -c Release -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" || status=1
done

# No outcome may depend on the wall clock or the time zone: the scoring and model tests run again under a shifted
# clock (libfaketime, from apt when missing) at 01:30 and 18:30 UTC, the second in another time zone. redis-server
# stays on the real clock (it hangs under libfaketime); these tests do not use it.
if ! command -v faketime >/dev/null 2>&1; then
  echo "test.sh: installing faketime (apt)..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq faketime >/dev/null || true
fi
if command -v faketime >/dev/null 2>&1; then
  for shifted in "0130|2026-12-02 01:30:00|UTC" "1830|2026-12-05 18:30:00|Pacific/Auckland"; do
    IFS='|' read -r tag instant zone <<<"$shifted"
    TZ="$zone" faketime "$instant" dotnet test tests/FraudGateway.IntegrationTests/FraudGateway.IntegrationTests.csproj -c Release --no-build -nologo \
      --filter "FullyQualifiedName~FraudGateway.IntegrationTests.Scoring" \
      --logger "trx;LogFileName=ScoringAt$tag.trx" --results-directory "$RESULTS" || status=1
    TZ="$zone" faketime "$instant" dotnet test tests/FraudGateway.Tests/FraudGateway.Tests.csproj -c Release --no-build -nologo \
      --filter "FullyQualifiedName~FraudGateway.Tests.Model" \
      --logger "trx;LogFileName=ModelAt$tag.trx" --results-directory "$RESULTS" || status=1
  done
else
  echo "test.sh: faketime is missing and could not be installed: the shifted-clock runs count as one failure"; status=1; clock_missing=1
fi

# The k6 scripts are type-checked with TypeScript and @types/k6 (node_modules installed above); the check counts as
# one test. They also run, through the compatibility runner, in K6ScriptTests.
k6_check=failed
if (cd load-tests/k6 && npx --no-install tsc -p .) >"$RESULTS/k6-typecheck.log" 2>&1; then
  k6_check=passed
else
  echo "test.sh: the k6 scripts do not type-check:"; cat "$RESULTS/k6-typecheck.log"; status=1
fi
echo "test.sh: k6 scripts type-check: $k6_check"

# The Dockerfile cannot be built here (no Docker engine): scripts/check-dockerfile.sh checks its COPY sources and runs
# its publish commands to prove every ENTRYPOINT and HEALTHCHECK target exists. Counts as one test.
docker_check=failed
if scripts/check-dockerfile.sh >"$RESULTS/dockerfile.log" 2>&1; then
  docker_check=passed
else
  echo "test.sh: the Dockerfile check failed:"; tail -20 "$RESULTS/dockerfile.log"; status=1
fi
echo "test.sh: Dockerfile check: $docker_check"

# The Prometheus alert rules (deploy/prometheus/alerts.yml) parse, and each fires on the series it is for and stays
# quiet on ordinary traffic (alerts.test.yml). Counts as one test.
alerts_check=failed
if (cd deploy/prometheus && promtool check rules alerts.yml && promtool test rules alerts.test.yml) >"$RESULTS/alerts.log" 2>&1; then
  alerts_check=passed
else
  echo "test.sh: the alert rules check failed:"; tail -20 "$RESULTS/alerts.log"; status=1
fi
echo "test.sh: alert rules check: $alerts_check"

# The README's five-minute tour, run exactly as written against ./demo.sh (scripts/readme-tour.sh): each request
# answers what the README says. Counts as one test.
tour_check=failed
if TOUR_NO_BUILD=1 TOUR_OUT="$RESULTS/tour" scripts/readme-tour.sh >"$RESULTS/tour.log" 2>&1; then
  tour_check=passed
else
  echo "test.sh: the README tour failed:"; tail -40 "$RESULTS/tour.log"; status=1
fi
echo "test.sh: README tour: $tour_check"

# A 60-second soak (load-tests/soak.sh: two gateways on their own redis-server, mixed traffic, Redis killed and
# restarted in the middle): no error but the policies' own answers, no Error-level log line, a limit still exact
# afterwards. Counts as one test.
soak_check=failed
if SOAK_SECONDS=60 SAMPLE=10 SOAK_NO_BUILD=1 SOAK_PORT_BASE=5380 SOAK_OUT="$RESULTS/soak" load-tests/soak.sh >"$RESULTS/soak.log" 2>&1; then
  soak_check=passed
else
  echo "test.sh: the 60-second soak failed:"; tail -25 "$RESULTS/soak.log"; status=1
fi
echo "test.sh: 60-second soak: $soak_check ($(grep -E '^soak: (answers|exact)' "$RESULTS/soak.log" | tr '\n' ' '))"

passed=0; failed=0
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# A project that crashed or produced no result file counts as a failure.
expected=$(ls tests/*/*.csproj | wc -l)
found=$(ls "$RESULTS"/*.trx 2>/dev/null | wc -l)
[ "$found" -lt "$expected" ] && { failed=$((failed + expected - found)); status=1; }

if [ "$k6_check" = passed ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
if [ "$soak_check" = passed ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
if [ "$docker_check" = passed ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
if [ "$alerts_check" = passed ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
if [ "$tour_check" = passed ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
failed=$((failed + ${clock_missing:-0}))

echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
