#!/usr/bin/env bash
# Benchmark: the same requests against the SampleApi directly, through bare YARP (same route config),
# and through FraudGateway (protected and unprotected routes), all in one run on loopback, with wrk.
# Prints requests/s, p50 and p99 for each and the gateway / bare-YARP ratios, then the CPU cost of scoring one request
# (load-tests/ScoringBench).
# Then HTTPS: the gateway and bare YARP with the same certificate (openssl, self-signed), on kept-alive connections and
# with a new TLS connection for every request (where the gateway's JA4 fingerprint is computed once per connection).
#   DURATION=10s PACED=30s CONNECTIONS=32 THREADS=2 load-tests/bench.sh
#   ONLY_HTTPS=1 load-tests/bench.sh      # the HTTPS comparison alone
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
PACED=${PACED:-30s}  # the paced runs' p99 is the 1%-worst of what they send: 10 s (~18,000 requests) moved it by a millisecond between runs
WARMUP=${WARMUP:-15s}  # long enough for tiered JIT to finish in every process (3 s left the gateways still compiling)
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
UPSTREAM=5180; BARE=5181; GATEWAY=5182; MANAGEMENT=5183; GATEWAY_REDIS=5184; MANAGEMENT_REDIS=5185; REDIS=5186
GATEWAY_CAPTCHA=5187; MANAGEMENT_CAPTCHA=5188; SIMULATOR=5189; GATEWAY_RULES=5190; MANAGEMENT_RULES=5191; PEER=5192
GATEWAY_QUIET=5193; MANAGEMENT_QUIET=5194; BARE_TLS=5195; GATEWAY_TLS=5196; MANAGEMENT_TLS=5197

command -v wrk >/dev/null || { echo "bench.sh: wrk is needed (apt-get install -y wrk)"; exit 1; }
command -v redis-server >/dev/null || { echo "bench.sh: redis-server is needed (apt-get install -y redis-server)"; exit 1; }
command -v jq >/dev/null || { echo "bench.sh: jq is needed (apt-get install -y jq)"; exit 1; }
mkdir -p .bench
echo "Building Release..."
for p in src/SampleApi src/FraudGateway src/CaptchaSimulator load-tests/BareYarp load-tests/RedisPeer; do
  dotnet build "$p" -c Release -nologo >.bench/build.log 2>&1 || { cat .bench/build.log; exit 1; }
done

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT

# The benchmark's configuration (routes, policies, the arguments that keep every limit and the model from refusing).
source load-tests/bench-config.sh
bench_appsettings "http://127.0.0.1:$UPSTREAM" .bench/appsettings.json

dotnet src/SampleApi/bin/Release/net10.0/SampleApi.dll --urls "http://127.0.0.1:$UPSTREAM" >.bench/sampleapi.log 2>&1 &
pids+=($!)
UPSTREAM_PID=$!
dotnet load-tests/BareYarp/bin/Release/net10.0/BareYarp.dll --config .bench/appsettings.json --urls "http://127.0.0.1:$BARE" >.bench/bare.log 2>&1 &
pids+=($!)
BARE_PID=$!
redis-server --port $REDIS --bind 127.0.0.1 --save "" --appendonly no >.bench/redis.log 2>&1 &
pids+=($!)
REDIS_PID=$!
# The .NET peer: YARP + RedisRateLimiting with the same four limits (load-tests/RedisPeer), on the same Redis.
for i in $(seq 1 50); do redis-cli -p $REDIS ping >/dev/null 2>&1 && break; sleep 0.1; done
dotnet load-tests/RedisPeer/bin/Release/net10.0/RedisPeer.dll --config .bench/appsettings.json --redis "127.0.0.1:$REDIS" --urls "http://127.0.0.1:$PEER" >.bench/peer.log 2>&1 &
pids+=($!)
PEER_PID=$!
start_gateway .bench gateway.log $GATEWAY $MANAGEMENT
GATEWAY_PID=$!
start_gateway .bench gateway-redis.log $GATEWAY_REDIS $MANAGEMENT_REDIS \
  --ConnectionStrings:Redis "127.0.0.1:$REDIS" --FraudGateway:Privacy:HmacKey bench-hmac-key-0123456789abcdef0123456789
GATEWAY_REDIS_PID=$!

# The same in-memory gateway with the login policy's risk scoring off: what scoring itself costs.
start_gateway .bench gateway-rules.log $GATEWAY_RULES $MANAGEMENT_RULES --FraudGateway:Policies:login:Scoring:Mode Off
GATEWAY_RULES_PID=$!

# The in-memory gateway with metrics off (FraudGateway:Metrics:Enabled false: no OpenTelemetry meter provider, so no
# instrument, the gateway's or the platform's, has a listener): what the per-request metrics cost on login.
start_gateway .bench gateway-quiet.log $GATEWAY_QUIET $MANAGEMENT_QUIET --FraudGateway:Metrics:Enabled false
GATEWAY_QUIET_PID=$!

# A gateway where the login policy always requires a captcha (Turnstile, answered by the captcha simulator):
# the benchmark gets one pass and then sends it with every request, so no request calls the provider.
dotnet src/CaptchaSimulator/bin/Release/net10.0/CaptchaSimulator.dll --urls "http://127.0.0.1:$SIMULATOR" >.bench/simulator.log 2>&1 &
pids+=($!)
start_gateway .bench gateway-captcha.log $GATEWAY_CAPTCHA $MANAGEMENT_CAPTCHA \
  --FraudGateway:Captcha:Providers:sim:Type Turnstile --FraudGateway:Captcha:Providers:sim:SiteKey bench \
  --FraudGateway:Captcha:Providers:sim:Secret 1x0000000000000000000000000000000AA --FraudGateway:Captcha:Providers:sim:Simulated true \
  --FraudGateway:Captcha:Providers:sim:VerifyUrl "http://127.0.0.1:$SIMULATOR/turnstile/v0/siteverify" \
  --FraudGateway:Captcha:Pass:LifetimeSeconds 3600 \
  --FraudGateway:Policies:login:Captcha:Mode Always --FraudGateway:Policies:login:Captcha:Provider sim

for port in $UPSTREAM $BARE $GATEWAY $GATEWAY_REDIS $GATEWAY_CAPTCHA $GATEWAY_RULES $GATEWAY_QUIET $PEER; do
  for i in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/api/ping" >/dev/null 2>&1 && break
    [ "$i" = 100 ] && { echo "bench.sh: nothing answers on $port"; tail .bench/*.log; exit 1; }
    sleep 0.2
  done
done

declare -A RPS P50 P99 CPU REDISSTAT
# CPU seconds a process has used so far (utime + stime from /proc, in clock ticks).
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Children's CPU seconds of this shell so far (wrk runs as one), from bash's `times` written by the shell itself
# (`times` in a $(...) subshell would count that subshell's children only).
children_cpu() { sed -n 2p "$1" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }'; }
HZ=$(getconf CLK_TCK)
# run NAME URL [SCRIPT] [HEADER] [WARMUP] [PROXY_PID] [refusals]: throughput and latency; with PROXY_PID, the CPU each
# process spent per request (µs) during the measured run: the proxy, redis-server, the upstream, wrk.
run() {
  local name=$1 url=$2 script=${3:-} header=${4:-} warmup=${5:-$WARMUP} proxy=${6:-} refusals=${7:-}
  local args=(-t"$THREADS" -c"$CONNECTIONS" --latency)
  [ -n "$script" ] && args+=(-s "$script")
  [ -n "$header" ] && args+=(-H "$header")
  wrk "${args[@]}" -d"$warmup" "$url" >/dev/null
  local p0=0 r0 u0; [ -n "$proxy" ] && p0=$(ticks "$proxy"); r0=$(ticks "$REDIS_PID"); u0=$(ticks "$UPSTREAM_PID"); times >.bench/times-before
  redis-cli -p "$REDIS" config resetstat >/dev/null
  local out; out=$(wrk "${args[@]}" -d"$DURATION" "$url")
  times >.bench/times-after
  if [ -z "$refusals" ] && grep -q "Non-2xx" <<<"$out"; then echo "bench.sh: $name got non-2xx answers:"; echo "$out"; exit 1; fi
  RPS[$name]=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  P50[$name]=$(awk '$1=="50%" {print $2}' <<<"$out")
  P99[$name]=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '%-34s %10s req/s   p50 %8s   p99 %8s\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}"
  if [ -n "$proxy" ]; then
    local requests; requests=$(awk '/requests in/ {print $1}' <<<"$out")
    CPU[$name]=$(awk -v hz="$HZ" -v n="$requests" -v p="$(( $(ticks "$proxy") - p0 ))" -v r="$(( $(ticks "$REDIS_PID") - r0 ))" \
      -v u="$(( $(ticks "$UPSTREAM_PID") - u0 ))" -v w0="$(children_cpu .bench/times-before)" -v w1="$(children_cpu .bench/times-after)" \
      'BEGIN { f = 1e6 / hz / n; printf "%7.1f %7.1f %7.1f %7.1f", p * f, r * f, u * f, (w1 - w0) * 1e6 / n }')
    # redis-server's own account (INFO commandstats): script time (EVAL/EVALSHA, everything inside included) and the
    # commands run, scripts' inner redis.call()s included, per request.
    REDISSTAT[$name]=$(redis-cli -p "$REDIS" info commandstats | tr -d '\r' | awk -v n="$requests" -F'[:=,]' '
      /^cmdstat_/ { calls = $3; usec = $5; if ($1 ~ /^cmdstat_eval/) { script += usec } else if ($1 !~ /^cmdstat_(config|info)$/) { inner += calls; plain += usec } }
      END { printf "%7.1f %7.2f", (script + plain) / n, inner / n }')
  fi
}

ratio() { awk -v a="${RPS[$1]}" -v b="${RPS[$2]}" 'BEGIN { printf "%.3f", a / b }'; }
# HTTPS: bare YARP and the gateway (no policy on ping: the TLS stack and JA4 only) with one certificate.
https_part() {
  mkdir -p .bench/tls
  [ -f .bench/tls/cert.pem ] || openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout .bench/tls/key.pem -out .bench/tls/cert.pem 2>/dev/null
  local certs=(--Kestrel:Certificates:Default:Path "$PWD/.bench/tls/cert.pem" --Kestrel:Certificates:Default:KeyPath "$PWD/.bench/tls/key.pem")
  dotnet load-tests/BareYarp/bin/Release/net10.0/BareYarp.dll --config .bench/appsettings.json --urls "https://127.0.0.1:$BARE_TLS" "${certs[@]}" >.bench/bare-tls.log 2>&1 &
  pids+=($!)
  BARE_TLS_PID=$!
  start_gateway .bench gateway-tls.log $GATEWAY_TLS $MANAGEMENT_TLS --Urls "https://127.0.0.1:$GATEWAY_TLS" "${certs[@]}"
  GATEWAY_TLS_PID=$!
  for i in $(seq 1 150); do
    curl -skf "https://127.0.0.1:$BARE_TLS/api/ping" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$MANAGEMENT_TLS/readyz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  echo
  echo "HTTPS, the same certificate (ECDSA P-256), GET ping (no policy):"
  run "bare YARP  HTTPS keep-alive GET ping" "https://127.0.0.1:$BARE_TLS/api/ping" "" "" "$WARMUP" "$BARE_TLS_PID"
  run "gateway    HTTPS keep-alive GET ping" "https://127.0.0.1:$GATEWAY_TLS/api/ping" "" "" "$WARMUP" "$GATEWAY_TLS_PID"
  run "bare YARP  HTTPS new conn.  GET ping" "https://127.0.0.1:$BARE_TLS/api/ping" "" "Connection: close" "$WARMUP" "$BARE_TLS_PID"
  run "gateway    HTTPS new conn.  GET ping" "https://127.0.0.1:$GATEWAY_TLS/api/ping" "" "Connection: close" "$WARMUP" "$GATEWAY_TLS_PID"
  echo "HTTPS throughput, gateway / bare YARP: keep-alive $(ratio "gateway    HTTPS keep-alive GET ping" "bare YARP  HTTPS keep-alive GET ping"), a new TLS connection each request $(ratio "gateway    HTTPS new conn.  GET ping" "bare YARP  HTTPS new conn.  GET ping")"
  echo "HTTPS CPU per request, µs (proxy redis upstream wrk):"
  for name in "bare YARP  HTTPS keep-alive GET ping" "gateway    HTTPS keep-alive GET ping" "bare YARP  HTTPS new conn.  GET ping" "gateway    HTTPS new conn.  GET ping"; do
    printf '  %-36s %s\n' "$name" "${CPU[$name]}"
  done
}

echo "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per target (after $WARMUP warm-up), $(nproc) cores shared by everything"
if [ "${ONLY_HTTPS:-0}" = "1" ]; then
  https_part
  exit 0
fi
LOGIN=load-tests/wrk/login.lua
run "direct upstream      GET ping"  "http://127.0.0.1:$UPSTREAM/api/ping"
run "bare YARP            GET ping"  "http://127.0.0.1:$BARE/api/ping"
run "gateway, no policy   GET ping"  "http://127.0.0.1:$GATEWAY/api/ping"
run "direct upstream      POST login" "http://127.0.0.1:$UPSTREAM/api/auth/login" $LOGIN
LIMITS=load-tests/wrk/limits.lua
FLOOD=load-tests/wrk/flood.lua
# One round: the rate-limit targets (bare YARP, the gateway in memory, on Redis with exact and approximate counting,
# and the peer, YARP + RedisRateLimiting: the same four limits), a flood every answer of which is a refusal, and the
# login targets. The box drifts by 10-20% within a run: the rounds are taken three times, alternating (later rounds
# warm up 2 s: every process has compiled by then), and the median is reported.
round() {
  local suffix=$1 warm=${2:-$WARMUP}
  run "bare YARP            POST limits$suffix" "http://127.0.0.1:$BARE/api/auth/login" $LIMITS "" "$warm" "$BARE_PID"
  run "gateway in-memory    POST limits$suffix" "http://127.0.0.1:$GATEWAY/api/auth/login" $LIMITS "" "$warm" "$GATEWAY_PID"
  run "gateway Redis        POST limits$suffix" "http://127.0.0.1:$GATEWAY_REDIS/api/auth/login" $LIMITS "" "$warm" "$GATEWAY_REDIS_PID"
  BENCH_POLICY=approx run "gateway Redis approx POST limits$suffix" "http://127.0.0.1:$GATEWAY_REDIS/api/auth/login" $LIMITS "" "$warm" "$GATEWAY_REDIS_PID"
  run "YARP+RedisRateLimiting POST limits$suffix" "http://127.0.0.1:$PEER/api/auth/login" $LIMITS "" "$warm" "$PEER_PID"
  run "gateway Redis        POST flood$suffix" "http://127.0.0.1:$GATEWAY_REDIS/api/auth/login" $FLOOD "" "$warm" "$GATEWAY_REDIS_PID" refusals
  run "bare YARP            POST login$suffix" "http://127.0.0.1:$BARE/api/auth/login" $LOGIN "" "$warm" "$BARE_PID"
  run "gateway in-memory    POST login$suffix" "http://127.0.0.1:$GATEWAY/api/auth/login" $LOGIN "" "$warm" "$GATEWAY_PID"
  run "gateway mem, no score POST login$suffix" "http://127.0.0.1:$GATEWAY_RULES/api/auth/login" $LOGIN "" "$warm" "$GATEWAY_RULES_PID"
  run "gateway mem, no metrics POST login$suffix" "http://127.0.0.1:$GATEWAY_QUIET/api/auth/login" $LOGIN "" "$warm" "$GATEWAY_QUIET_PID"
  run "gateway Redis        POST login$suffix" "http://127.0.0.1:$GATEWAY_REDIS/api/auth/login" $LOGIN "" "$warm" "$GATEWAY_REDIS_PID"
}
round ""
round " #2" 2s
round " #3" 2s
# The pass is bound to the user agent, so it is fetched with the browser headers login.lua sends.
PASS=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' -H "X-Captcha-Token: bench-$RANDOM" \
  -H 'User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36' \
  -H 'Accept: application/json, text/plain, */*' -H 'Accept-Language: en-US,en;q=0.9' \
  -H 'Sec-Fetch-Site: same-origin' -H 'Sec-Fetch-Mode: cors' -H 'Sec-Fetch-Dest: empty' \
  -d '{"username":"alice","password":"correct-horse-battery"}' "http://127.0.0.1:$GATEWAY_CAPTCHA/api/auth/login" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-captcha-pass" {print $2}')
[ -n "$PASS" ] || { echo "bench.sh: the captcha gateway issued no pass"; tail .bench/gateway-captcha.log; exit 1; }
run "gateway captcha pass POST login" "http://127.0.0.1:$GATEWAY_CAPTCHA/api/auth/login" $LOGIN "X-Captcha-Pass: $PASS"

echo
echo "paced: 20 connections, 10 ms between requests on each (at most ~2,000 requests/s), $PACED"
paced() {
  local name=$1 url=$2 script=${3:-load-tests/wrk/login-paced.lua}
  wrk -t2 -c20 -d"$WARMUP" -s "$script" "$url" -- 10 >/dev/null
  local out; out=$(wrk -t2 -c20 -d"$PACED" --latency -s "$script" "$url" -- 10)
  RPS[$name]=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  P50[$name]=$(awk '$1=="50%" {print $2}' <<<"$out")
  P99[$name]=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '%-34s %10s req/s   p50 %8s   p99 %8s\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}"
}
paced "paced bare YARP     POST login" "http://127.0.0.1:$BARE/api/auth/login"
paced "paced gateway Redis POST login" "http://127.0.0.1:$GATEWAY_REDIS/api/auth/login"
paced "paced bare YARP     POST limits" "http://127.0.0.1:$BARE/api/auth/login" $LIMITS
paced "paced gateway Redis POST limits" "http://127.0.0.1:$GATEWAY_REDIS/api/auth/login" $LIMITS

# wrk prints latencies as 412.00us, 1.23ms or 1.05s.
ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.3f", n }'; }
echo
echo "throughput, gateway / bare YARP:"
echo "  no policy  (GET ping):                 $(ratio "gateway, no policy   GET ping" "bare YARP            GET ping")"
median3() {
  local a b c
  a=$(ratio "$1" "$2"); b=$(ratio "$1 #2" "$2 #2"); c=$(ratio "$1 #3" "$2 #3")
  printf '%s (rounds: %s %s %s)' "$(printf '%s\n' "$a" "$b" "$c" | sort -n | sed -n 2p)" "$a" "$b" "$c"
}
echo "  login, in-memory store, limits + scoring on:    $(median3 "gateway in-memory    POST login" "bare YARP            POST login")"
echo "  login, in-memory store, limits on, scoring off: $(median3 "gateway mem, no score POST login" "bare YARP            POST login")"
echo "  login, in-memory store, limits + scoring, metrics off: $(median3 "gateway mem, no metrics POST login" "bare YARP            POST login")"
echo "  login, Redis store, limits + scoring on:        $(median3 "gateway Redis        POST login" "bare YARP            POST login")"
echo "  rate limits only (4 limits, 4,096 clients), in-memory store: $(median3 "gateway in-memory    POST limits" "bare YARP            POST limits")"
echo "  rate limits only (4 limits, 4,096 clients), Redis store:     $(median3 "gateway Redis        POST limits" "bare YARP            POST limits")"
echo "  rate limits only, Redis store, approximate counting:         $(median3 "gateway Redis approx POST limits" "bare YARP            POST limits")"
echo "  rate limits only, YARP + RedisRateLimiting (the peer):        $(median3 "YARP+RedisRateLimiting POST limits" "bare YARP            POST limits")"
echo "  flood from 16 addresses, all refused, Redis store:           $(median3 "gateway Redis        POST flood" "bare YARP            POST limits")"
echo "  login, captcha required, pass in use:  $(ratio "gateway captcha pass POST login" "bare YARP            POST login")"
added() { awk -v a="$(ms "$1")" -v b="$(ms "$2")" 'BEGIN { printf "%.3f ms", a - b }'; }
echo
# Field by field, the median of a target's three rounds (each round's CPU or INFO line): one round of a busy box moved
# a process's µs per request by a fifth, the median of three far less. $1: the printf format of each field.
median_fields() {
  printf '%s\n' "$2" "$3" "$4" | awk -v formats="$1" '
    { for (i = 1; i <= NF; i++) v[i, NR] = $i; n = NF }
    END {
      split(formats, f, " ")
      for (i = 1; i <= n; i++) {
        a = v[i, 1]; b = v[i, 2]; c = v[i, 3]
        max = a > b ? (a > c ? a : c) : (b > c ? b : c); min = a < b ? (a < c ? a : c) : (b < c ? b : c)
        printf f[i] " ", a + b + c - max - min
      }
    }'
}
echo "CPU per request, µs (median of the three rounds, each column on its own; proxy = the process under test):"
echo "  (redis-server by INFO commandstats: µs of command time and commands run per request, a script's inner calls included)"
printf '  %-36s %7s %7s %7s %7s    %7s %7s\n' target proxy redis upstream wrk 'r.µs' 'r.cmds'
for name in "bare YARP            POST limits" "gateway in-memory    POST limits" "gateway Redis        POST limits" \
  "gateway Redis approx POST limits" "YARP+RedisRateLimiting POST limits" "gateway Redis        POST flood" \
  "bare YARP            POST login" "gateway in-memory    POST login" "gateway mem, no score POST login" "gateway mem, no metrics POST login" \
  "gateway Redis        POST login"; do
  printf '  %-36s %s   %s\n' "$name" "$(median_fields "%7.1f %7.1f %7.1f %7.1f" "${CPU[$name]}" "${CPU[$name #2]}" "${CPU[$name #3]}")" \
    "$(median_fields "%7.1f %7.2f" "${REDISSTAT[$name]}" "${REDISSTAT[$name #2]}" "${REDISSTAT[$name #3]}")"
done
echo "added latency at the paced rate, gateway Redis - bare YARP:"
echo "  login (all stages):  p50 $(added "${P50[paced gateway Redis POST login]}" "${P50[paced bare YARP     POST login]}")   p99 $(added "${P99[paced gateway Redis POST login]}" "${P99[paced bare YARP     POST login]}")"
echo "  rate limits only:    p50 $(added "${P50[paced gateway Redis POST limits]}" "${P50[paced bare YARP     POST limits]}")   p99 $(added "${P99[paced gateway Redis POST limits]}" "${P99[paced bare YARP     POST limits]}")"

https_part

echo
echo "scoring CPU per request (one thread, after warm-up):"
dotnet build load-tests/ScoringBench -c Release -nologo >.bench/build-scoring.log 2>&1 || { cat .bench/build-scoring.log; exit 1; }
dotnet load-tests/ScoringBench/bin/Release/net10.0/ScoringBench.dll models/fraudgateway.zip 200000
