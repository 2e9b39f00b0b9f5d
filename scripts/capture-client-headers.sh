#!/usr/bin/env bash
# Regenerates data/client-headers/captured.jsonl: the headers real client software sends on a login request,
# captured on this machine through `fraudgateway-trainer capture` (loopback only). The simulator draws its header
# sets from this file instead of inventing them. Clients and what they send:
#   curl, wget                         JSON POST (curl also a form POST and a GET)
#   Python urllib, requests, httpx, aiohttp (Debian python3 packages)   JSON POST
#   Node fetch (undici), axios (npm)   JSON POST
#   Go net/http (Debian golang), .NET HttpClient, Java HttpClient        JSON POST
#   Chromium headless under Playwright (npm playwright-core), Chromium --headless, Chromium and Firefox-ESR in a real
#   window under Xvfb: the capture page's fetch() JSON POST, the same with a library's Accept, and a form POST
# Needs (installed with apt when missing, as root): curl wget python3-requests python3-httpx python3-aiohttp golang-go
# default-jdk-headless chromium firefox-esr xvfb xauth; node/npm and the .NET SDK.
# No personal data: loopback only, every tool with its defaults, host and origin replaced by placeholders.
#   scripts/capture-client-headers.sh
#
# With --tls the same clients are driven over HTTPS and each line also holds the connection's TLS fingerprint (JA4):
# that regenerates data/tls-clients/captured.jsonl, the corpus the gateway's TLS-stack signal reads
# (src/FraudGateway/Tls/TlsStacks.cs). The capture's certificate comes from a throwaway CA made here by openssl;
# Firefox trusts the CA in its profile (libnss3-tools' certutil), every other client is told not to verify the
# certificate, which does not change its ClientHello.
#   scripts/capture-client-headers.sh --tls
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TLS=0
[ "${1:-}" = "--tls" ] && TLS=1
BODY='{"username":"alice","password":"correct-horse-battery"}'
if [ "$TLS" = 1 ]; then
  OUT=data/tls-clients/captured.jsonl
  PORT=${CAPTURE_PORT:-5098}
  BASE="https://127.0.0.1:$PORT"
  export CAPTURE_INSECURE=1 NODE_TLS_REJECT_UNAUTHORIZED=0 NODE_NO_WARNINGS=1
  CURL=(curl -k); WGET=(wget --no-check-certificate); BROWSER_TLS=(--ignore-certificate-errors)
else
  OUT=data/client-headers/captured.jsonl
  PORT=${CAPTURE_PORT:-5099}
  BASE="http://127.0.0.1:$PORT"
  CURL=(curl); WGET=(wget); BROWSER_TLS=()
fi

need() { command -v "$1" >/dev/null 2>&1 || MISSING="$MISSING $2"; }
MISSING=""
need curl curl; need wget wget; need go golang-go; need java default-jdk-headless; need chromium chromium
need firefox-esr firefox-esr; need xvfb-run xvfb; need xauth xauth; need certutil libnss3-tools
/usr/bin/python3 -c 'import requests' 2>/dev/null || MISSING="$MISSING python3-requests"
/usr/bin/python3 -c 'import httpx' 2>/dev/null || MISSING="$MISSING python3-httpx"
/usr/bin/python3 -c 'import aiohttp' 2>/dev/null || MISSING="$MISSING python3-aiohttp"
if [ -n "$MISSING" ]; then
  echo "installing:$MISSING"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $MISSING >/dev/null
fi

WORK=$(mktemp -d)
CAPTURE_PID=""
cleanup() { [ -n "$CAPTURE_PID" ] && kill "$CAPTURE_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

CAPTURE_TLS=()
if [ "$TLS" = 1 ]; then
  # A CA for this run only, and the loopback certificate it signs.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=FraudGateway capture CA" \
    -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign" -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=127.0.0.1" -keyout "$WORK/leaf.key" -out "$WORK/leaf.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:false\nextendedKeyUsage=serverAuth\n' > "$WORK/leaf.cnf"
  openssl x509 -req -in "$WORK/leaf.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial -days 2 -extfile "$WORK/leaf.cnf" -out "$WORK/leaf.pem" 2>/dev/null
  CAPTURE_TLS=(--tls --certificate "$WORK/leaf.pem" --key "$WORK/leaf.key")
fi

dotnet build src/FraudGateway.Trainer -c Release -nologo -clp:ErrorsOnly >/dev/null
rm -f "$OUT"
src/FraudGateway.Trainer/bin/Release/net10.0/fraudgateway-trainer capture "${CAPTURE_TLS[@]}" --port "$PORT" --out "$OUT" &
CAPTURE_PID=$!
for _ in $(seq 1 100); do "${CURL[@]}" -sf "$BASE/count" >/dev/null 2>&1 && break; sleep 0.1; done

count() { "${CURL[@]}" -sf "$BASE/count"; }
# Waits until the capture has at least $1 requests, at most $2 seconds.
wait_for() { for _ in $(seq 1 $(( $2 * 10 ))); do [ "$(count)" -ge "$1" ] && return 0; sleep 0.1; done; echo "timed out waiting for $1 requests" >&2; return 1; }

v_curl=$(curl --version | awk 'NR==1{print $2}')
"${CURL[@]}" -s -o /dev/null --json "$BODY" "$BASE/capture/curl/post-json?version=$v_curl"
"${CURL[@]}" -s -o /dev/null -d 'username=alice&password=correct-horse-battery' "$BASE/capture/curl/post-form?version=$v_curl"
"${CURL[@]}" -s -o /dev/null "$BASE/capture/curl/get?version=$v_curl"

v_wget=$(wget --version | awk 'NR==1{print $3}')
"${WGET[@]}" -q -O /dev/null --header='Content-Type: application/json' --post-data="$BODY" "$BASE/capture/wget/post-json?version=$v_wget"

PY=/usr/bin/python3
$PY - "$BASE" "$TLS" <<'PY'
import json, sys, ssl, urllib.request, asyncio, platform, warnings
warnings.filterwarnings("ignore")
base = sys.argv[1]
# --tls: the capture's certificate is not verified (the ClientHello is the same).
verify = sys.argv[2] != "1"
context = None if verify else ssl._create_unverified_context()
body = {"username": "alice", "password": "correct-horse-battery"}
v = platform.python_version()
urllib.request.urlopen(urllib.request.Request(f"{base}/capture/python-urllib/post-json?version={v}", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}), context=context).read()
import requests
requests.post(f"{base}/capture/python-requests/post-json?version={requests.__version__}", json=body, verify=verify)
requests.post(f"{base}/capture/python-requests/post-form?version={requests.__version__}", data=body, verify=verify)
import httpx
httpx.post(f"{base}/capture/python-httpx/post-json?version={httpx.__version__}", json=body, verify=verify)
import aiohttp
async def main():
    async with aiohttp.ClientSession() as s:
        async with s.post(f"{base}/capture/python-aiohttp/post-json?version={aiohttp.__version__}", json=body, ssl=None if verify else False) as r:
            await r.read()
asyncio.run(main())
PY

cp scripts/capture-clients/node-clients.mjs scripts/capture-clients/playwright.mjs "$WORK/"
(cd "$WORK" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund axios@1.21.1 playwright-core@1.64.1 >/dev/null)
node "$WORK/node-clients.mjs" "$BASE" fetch
node "$WORK/node-clients.mjs" "$BASE" axios

v_go=$(go version | awk '{print $3}' | sed 's/^go//')
(cd "$WORK" && cp "$ROOT/scripts/capture-clients/client.go" . && GOFLAGS=-mod=mod GO111MODULE=off go run client.go "$BASE/capture/go-net-http/post-json?version=$v_go")

v_java=$(java -version 2>&1 | awk -F'"' 'NR==1{print $2}')
java scripts/capture-clients/Client.java "$BASE/capture/java-httpclient/post-json?version=$v_java"

v_dotnet=$(dotnet --version)
(cd "$WORK" && cp "$ROOT/scripts/capture-clients/client.cs" . && dotnet run client.cs -- "$BASE/capture/dotnet-httpclient/post-json?version=$v_dotnet" >/dev/null)

v_chromium=$(chromium --version 2>/dev/null | awk '{print $2}')
CHROMIUM_FLAGS=(--no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --no-default-browser-check "${BROWSER_TLS[@]}")
n=$(count)
node "$WORK/playwright.mjs" "$BASE/page/chromium-playwright-headless?version=$v_chromium" /usr/bin/chromium
wait_for $((n + 3)) 30

# Chromium's own headless mode, no automation.
n=$(count)
chromium --headless "${CHROMIUM_FLAGS[@]}" --user-data-dir="$WORK/chromium-headless" --virtual-time-budget=10000 --dump-dom \
  "$BASE/page/chromium-headless?version=$v_chromium" >/dev/null 2>&1 &
B=$!; wait_for $((n + 3)) 60; kill $B 2>/dev/null || true; wait $B 2>/dev/null || true

# Real windows on a virtual display: what a person's browser sends.
n=$(count)
xvfb-run -a chromium "${CHROMIUM_FLAGS[@]}" --user-data-dir="$WORK/chromium-window" "$BASE/page/chromium?version=$v_chromium" >/dev/null 2>&1 &
B=$!; wait_for $((n + 3)) 90; pkill -P $B 2>/dev/null || true; kill $B 2>/dev/null || true; pkill -f "$WORK/chromium-window" 2>/dev/null || true; wait $B 2>/dev/null || true

v_firefox=$(firefox-esr --version 2>/dev/null | awk '{print $3}')
mkdir -p "$WORK/firefox-profile"
if [ "$TLS" = 1 ]; then
  # The run's CA trusted in a fresh profile's NSS database.
  certutil -N -d "sql:$WORK/firefox-profile" --empty-password
  certutil -A -n fraudgateway-capture-ca -t "CT,," -i "$WORK/ca.pem" -d "sql:$WORK/firefox-profile"
fi
n=$(count)
xvfb-run -a firefox-esr --no-remote --profile "$WORK/firefox-profile" "$BASE/page/firefox-esr?version=$v_firefox" >/dev/null 2>&1 &
B=$!; wait_for $((n + 3)) 120; pkill -f "$WORK/firefox-profile" 2>/dev/null || true; kill $B 2>/dev/null || true; wait $B 2>/dev/null || true

echo "captured $(count) requests -> $OUT"
kill "$CAPTURE_PID"; wait "$CAPTURE_PID" 2>/dev/null || true; CAPTURE_PID=""
