#!/usr/bin/env bash
# Where the gateway's CPU goes, per request, next to bare YARP: a sampling profile (Linux perf, with .NET's perf map
# so JIT-compiled methods have names) of each proxy while wrk drives it, turned into µs of CPU per request by
# component (the kernel, the runtime, each assembly's code, OpenSSL, ...) for every target side by side.
# Throughput ratios on a shared 2-core box move by a tenth between rounds, and a round's total CPU per request with
# them; one component's µs (the gateway's own code, OpenTelemetry, OpenSSL, the model) moves by about half a µs, so
# comparing components is how a change to one part of the gateway is told from the box's drift (load-tests/README.md,
# "Profile").
#   load-tests/profile.sh                 # limits and login routes: bare YARP, the gateway, the gateway without scoring,
#                                         # three interleaved rounds, the median of each component (about 9 minutes)
#   ROUNDS=1 DURATION=20s ROUTES=login load-tests/profile.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-15s}
ROUTES=${ROUTES:-"limits login"}
FREQ=${FREQ:-999}
ROUNDS=${ROUNDS:-3}
UPSTREAM=5280; BARE=5281; GATEWAY=5282; MANAGEMENT=5283; NOSCORE=5284; MANAGEMENT_NOSCORE=5285

for tool in wrk:wrk jq:jq perf:linux-perf column:bsdextrautils curl:curl; do
  command -v "${tool%%:*}" >/dev/null || { echo "profile.sh: ${tool%%:*} is needed (apt-get install -y ${tool##*:})"; exit 1; }
done
OUT=.profile
mkdir -p "$OUT"
perf record -q -F "$FREQ" -o "$OUT/check.data" -- true 2>/dev/null || { echo "profile.sh: perf cannot sample here (perf_event_paranoid?)"; exit 1; }
echo "Building Release..."
for p in src/SampleApi src/FraudGateway load-tests/BareYarp; do
  dotnet build "$p" -c Release -nologo >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
done

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT
# Method names for perf: the runtime writes /tmp/perf-<pid>.map; W^X off so that code is not mapped twice.
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0

# The benchmark's configuration (load-tests/bench-config.sh, as bench.sh uses it).
source load-tests/bench-config.sh
bench_appsettings "http://127.0.0.1:$UPSTREAM" "$OUT/appsettings.json"

dotnet src/SampleApi/bin/Release/net10.0/SampleApi.dll --urls "http://127.0.0.1:$UPSTREAM" >"$OUT/sampleapi.log" 2>&1 &
pids+=($!)
dotnet load-tests/BareYarp/bin/Release/net10.0/BareYarp.dll --config "$OUT/appsettings.json" --urls "http://127.0.0.1:$BARE" >"$OUT/bare.log" 2>&1 &
pids+=($!); BARE_PID=$!
start_gateway "$OUT" gateway.log $GATEWAY $MANAGEMENT
GATEWAY_PID=$!
start_gateway "$OUT" gateway-noscore.log $NOSCORE $MANAGEMENT_NOSCORE --FraudGateway:Policies:login:Scoring:Mode Off
NOSCORE_PID=$!
for port in $UPSTREAM $BARE $GATEWAY $NOSCORE; do
  for i in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/api/ping" >/dev/null 2>&1 && break
    [ "$i" = 100 ] && { echo "profile.sh: nothing answers on $port"; tail "$OUT"/*.log; exit 1; }
    sleep 0.2
  done
done

# profile NAME PID URL SCRIPT: warm up, then sample PID for the measured run; NAME.n holds the requests served.
profile() {
  local name=$1 pid=$2 url=$3 script=$4
  wrk -t2 -c32 -d"$WARMUP" -s "$script" "$url" >/dev/null
  perf record -q -F "$FREQ" -p "$pid" -o "$OUT/$name.data" 2>/dev/null &
  local recorder=$!
  sleep 0.5
  local out; out=$(wrk -t2 -c32 -d"$DURATION" -s "$script" "$url")
  kill -INT "$recorder"; wait "$recorder" 2>/dev/null || true
  awk '/requests in/ {print $1}' <<<"$out" >"$OUT/$name.n"
  printf '%-22s %9s req/s\n' "$name" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
}

# components NAME: "component<TAB>µs" lines, the CPU per request of each component (samples / frequency / requests).
# A JIT-compiled method counts to the assembly of its type (perf map names read "... [Assembly] Namespace.Type::Method",
# the only bracketed assembly followed by a space); the runtime's stubs to "runtime stubs"; native code to its library.
components() {
  local name=$1
  perf report -i "$OUT/$name.data" --no-children -n --sort dso,sym --stdio -g none 2>/dev/null | awk -v n="$(cat "$OUT/$name.n")" -v f="$FREQ" '
    /^#/ || NF < 4 { next }
    {
      samples = $2; part = $3
      if ($3 == "[JIT]" || $3 ~ /^memfd:/) {
        sym = substr($0, index($0, "[.] ") + 4)
        if (sym ~ /^stub /) part = "runtime stubs"
        else if (match(sym, /\[[A-Za-z0-9_.]+\] /)) part = substr(sym, RSTART + 1, RLENGTH - 3)
        else part = "other JIT code"
      }
      us[part] += samples * 1e6 / f / n
    }
    END { for (p in us) printf "%s\t%.2f\n", p, us[p] }'
}

echo "perf at $FREQ Hz, wrk 2 threads, 32 connections, $DURATION per target after $WARMUP warm-up, $ROUNDS round(s)"
targets=()
for round in $(seq 1 "$ROUNDS"); do
  # Later rounds warm up 2 s: every process has compiled by then.
  [ "$round" -gt 1 ] && WARMUP=2s
  for route in $ROUTES; do
    script=load-tests/wrk/$route.lua
    profile "bare-$route.$round" "$BARE_PID" "http://127.0.0.1:$BARE/api/auth/login" "$script"
    profile "gateway-$route.$round" "$GATEWAY_PID" "http://127.0.0.1:$GATEWAY/api/auth/login" "$script"
    [ "$route" = login ] && profile "noscore-$route.$round" "$NOSCORE_PID" "http://127.0.0.1:$NOSCORE/api/auth/login" "$script"
    if [ "$round" = 1 ]; then
      targets+=("bare-$route" "gateway-$route")
      [ "$route" = login ] && targets+=("noscore-$route")
    fi
  done
done

# One file per target and round; the table gives each component's median over the rounds (a round that slowed the
# whole box moves every component of that target at once: the median of three leaves it out).
files=()
for t in "${targets[@]}"; do
  for round in $(seq 1 "$ROUNDS"); do components "$t.$round" >"$OUT/$t.$round.components"; files+=("$OUT/$t.$round.components"); done
done
echo
echo "µs of CPU per request in each proxy process, by component, median of $ROUNDS round(s) (noscore: the gateway with the"
echo "login policy's scoring off); components under 0.2 µs in every target are summed in '(smaller parts)':"
{
  printf 'component'; printf '\t%s' "${targets[@]}"; printf '\n'
  awk -F'\t' -v targets="${#targets[@]}" -v rounds="$ROUNDS" '
    FNR == 1 { file++; t = int((file - 1) / rounds) + 1; r = (file - 1) % rounds + 1 }
    { v[$1, t, r] = $2; seen[$1] = 1 }
    function median(c, t,    i, j, n, a, x) {
      n = 0; for (i = 1; i <= rounds; i++) a[++n] = v[c, t, i] + 0
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END {
      for (c in seen) for (t = 1; t <= targets; t++) { m[c, t] = median(c, t); if (m[c, t] > max[c]) max[c] = m[c, t] }
      for (c in seen) if (max[c] >= 0.2) order[++k] = c
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (max[order[j]] > max[order[i]]) { x = order[i]; order[i] = order[j]; order[j] = x }
      for (i = 1; i <= k; i++) { printf "%s", order[i]; for (t = 1; t <= targets; t++) { printf "\t%.2f", m[order[i], t]; total[t] += m[order[i], t] }; printf "\n" }
      printf "(smaller parts)"; for (t = 1; t <= targets; t++) { s = 0; for (c in seen) if (max[c] < 0.2) s += m[c, t]; total[t] += s; printf "\t%.2f", s }; printf "\n"
      printf "TOTAL (sum of the medians)"; for (t = 1; t <= targets; t++) printf "\t%.2f", total[t]; printf "\n"
    }' "${files[@]}"
} | column -t -s $'\t'
