#!/usr/bin/env bash
# Starts the demo: the SampleApi (the protected upstream) on 127.0.0.1:5080 and FraudGateway in front of it
# on 127.0.0.1:5000 (management on 127.0.0.1:5001), with the in-memory store: no Redis, no Docker.
# Sends a few requests to show what gets through and what is blocked, then keeps running until Ctrl-C.
# DEMO_EXIT=1 ./demo.sh shows the requests and stops; DEMO_NO_BUILD=1 uses what is built.
# DEMO_HTTPS=1 ./demo.sh: the public endpoint on HTTPS (https://127.0.0.1:5000) with a self-signed certificate made
# here by openssl (.demo/tls/), so the gateway fingerprints each client's TLS ClientHello (JA4, in the decision records).
set -euo pipefail
cd "$(dirname "$0")"

export FraudGateway__Management__ApiKey="${FraudGateway__Management__ApiKey:-demo-admin-key-change-me}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
# The repository's model file itself (not the copy in the build output): replace it and the demo reloads it.
export FraudGateway__Model__Path="${FraudGateway__Model__Path:-$PWD/models/fraudgateway.zip}"

for port in 5000 5001 5080; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "demo.sh: port $port is already in use; stop whatever listens there first." >&2
    exit 1
  fi
done

mkdir -p .demo
PUBLIC=http://127.0.0.1:5000
TLS=()
GATEWAY_ENV=()
if [ "${DEMO_HTTPS:-0}" = "1" ]; then
  mkdir -p .demo/tls
  if [ ! -f .demo/tls/cert.pem ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj "/CN=127.0.0.1" \
      -addext "subjectAltName=IP:127.0.0.1" -keyout .demo/tls/key.pem -out .demo/tls/cert.pem 2>/dev/null
  fi
  PUBLIC=https://127.0.0.1:5000
  TLS=(-k)
  # For the gateway only (the SampleApi reads the same variables).
  GATEWAY_ENV=(Urls=$PUBLIC Kestrel__Certificates__Default__Path="$PWD/.demo/tls/cert.pem" Kestrel__Certificates__Default__KeyPath="$PWD/.demo/tls/key.pem"
    FraudGateway__Decisions__Record=All)
fi
if [ "${DEMO_NO_BUILD:-0}" != "1" ]; then
  echo "Building (log in .demo/build.log)..."
  if ! { dotnet build src/FraudGateway -c Release -nologo && dotnet build src/SampleApi -c Release -nologo; } >.demo/build.log 2>&1; then
    cat .demo/build.log; exit 1
  fi
fi

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

(cd src/SampleApi && exec dotnet bin/Release/net10.0/SampleApi.dll) >.demo/sampleapi.log 2>&1 &
pids+=($!)
(cd src/FraudGateway && exec env "${GATEWAY_ENV[@]}" dotnet bin/Release/net10.0/FraudGateway.dll) >.demo/gateway.log 2>&1 &
pids+=($!)

for i in $(seq 1 150); do
  curl -fs http://127.0.0.1:5001/readyz >/dev/null 2>&1 && curl -fs http://127.0.0.1:5080/api/ping >/dev/null 2>&1 && break
  if [ "$i" = 150 ] || ! kill -0 "${pids[@]}" 2>/dev/null; then
    echo "demo.sh: the gateway or the SampleApi did not start:" >&2; tail -20 .demo/gateway.log .demo/sampleapi.log >&2; exit 1
  fi
  sleep 0.2
done

show() {
  local label=$1; shift
  local out
  out=$(curl -s "${TLS[@]}" -w '\n%{http_code}' "$@")
  printf '  %-58s -> %s %s\n' "$label" "$(tail -n1 <<<"$out")" "$(head -n1 <<<"$out" | cut -c1-110)"
}

cat <<INFO

FraudGateway is running.
  public:     $PUBLIC   (routes: /api/auth/* policy "login", /api/contact policy "contact-form", /api/ping unprotected)
  management: http://127.0.0.1:5001   (/dashboard in a browser, /metrics, /readyz, /admin/... with X-Api-Key: $FraudGateway__Management__ApiKey)
  upstream:   http://127.0.0.1:5080   (SampleApi)
  logs:       .demo/gateway.log (decision records, with risk score and top reasons), .demo/sampleapi.log
  model:      models/fraudgateway.zip (card: models/fraudgateway.md); "login" and "contact-form" enforce it: a proof of work when one signal is odd, a block for two

Requests through the gateway (127.0.0.1 is configured as a trusted proxy, so X-Forwarded-For names the client):
INFO
json='Content-Type: application/json'
# What a browser's fetch() sends: the risk model scores user agent and headers together.
browser=(-H 'User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36'
  -H 'Accept: application/json, text/plain, */*' -H 'Accept-Language: en-US,en;q=0.9' -H 'Accept-Encoding: gzip, deflate, br, zstd'
  -H 'Sec-Fetch-Site: same-origin' -H 'Sec-Fetch-Mode: cors' -H 'Sec-Fetch-Dest: empty')
show "login from a browser, good password"    -X POST $PUBLIC/api/auth/login "${browser[@]}" -H "$json" -H 'X-Forwarded-For: 81.2.69.160' -d '{"username":"alice","password":"correct-horse-battery"}'
show "login from a browser, wrong password (upstream 401)" -X POST $PUBLIC/api/auth/login "${browser[@]}" -H "$json" -H 'X-Forwarded-For: 81.2.69.160' -d '{"username":"alice","password":"nope"}'
show "login from a python-requests script (2 signals: block)" -X POST $PUBLIC/api/auth/login -H 'User-Agent: python-requests/2.32.3' -H 'Accept: */*' -H "$json" -H 'X-Forwarded-For: 81.2.69.161' -d '{"username":"bob","password":"123456"}'
show "login, crawler UA + browser headers (1 signal: challenge)" -X POST $PUBLIC/api/auth/login "${browser[@]:2}" -H 'User-Agent: Googlebot/2.1 (+http://www.google.com/bot.html)' -H "$json" -H 'X-Forwarded-For: 81.2.69.162' -d '{"username":"alice","password":"correct-horse-battery"}'
show "admin: which model scores"              http://127.0.0.1:5001/admin/model -H "X-Api-Key: $FraudGateway__Management__ApiKey"
show "login from 203.0.113.9 (policy deny list)" -X POST $PUBLIC/api/auth/login -H "$json" -H 'X-Forwarded-For: 203.0.113.9' -d '{"username":"alice","password":"x"}'
show "contact from 198.51.100.4 (global deny list)" -X POST $PUBLIC/api/contact -H "$json" -H 'X-Forwarded-For: 198.51.100.4' -d '{"name":"A","email":"a@example.org","message":"hi"}'
show "contact form, normal client"          -X POST $PUBLIC/api/contact "${browser[@]}" -H "$json" -H 'X-Forwarded-For: 100.64.1.2' -d '{"name":"A","email":"a@example.org","message":"hi"}'
show "admin: ban 100.64.1.2 for 10 minutes" -X POST http://127.0.0.1:5001/admin/bans -H "$json" -H "X-Api-Key: $FraudGateway__Management__ApiKey" -d '{"subject":"100.64.1.2","ttlSeconds":600,"reason":"demo"}'
show "contact form, now banned client"      -X POST $PUBLIC/api/contact "${browser[@]}" -H "$json" -H 'X-Forwarded-For: 100.64.1.2' -d '{"name":"A","email":"a@example.org","message":"hi"}'
show "admin: lift the ban"                  -X DELETE "http://127.0.0.1:5001/admin/bans?subject=100.64.1.2" -H "X-Api-Key: $FraudGateway__Management__ApiKey"
show "unprotected /api/ping"                $PUBLIC/api/ping
if [ "${DEMO_HTTPS:-0}" = "1" ]; then
  echo
  echo "TLS fingerprints (JA4) of the requests above, from /admin/decisions (curl's OpenSSL stack, whatever user agent it claimed):"
  curl -s "http://127.0.0.1:5001/admin/decisions" -H "X-Api-Key: $FraudGateway__Management__ApiKey" | grep -o '"ja4":"[^"]*"' | sort | uniq -c
fi

if [ "${DEMO_EXIT:-0}" = "1" ]; then
  exit 0
fi
echo
echo "Press Ctrl-C to stop."
wait
