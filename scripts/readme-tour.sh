#!/usr/bin/env bash
# Runs the README's five-minute tour exactly as written against the demo (./demo.sh) and checks that each request
# answers what the README says it does. test.sh runs it (counted as one test); it needs ports 5000, 5001 and 5080.
# TOUR_NO_BUILD=1 skips demo.sh's build (test.sh has built everything).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${TOUR_OUT:-.demo/tour}
mkdir -p "$OUT"

# The first ```bash block after the "## A five-minute tour" heading.
awk '/^## A five-minute tour/{tour=1} tour && /^```bash$/{inside=1; next} inside && /^```$/{exit} inside{print}' README.md >"$OUT/tour.sh"
[ -s "$OUT/tour.sh" ] || { echo "readme-tour: no bash block under '## A five-minute tour' in README.md"; exit 1; }

DEMO_NO_BUILD=${TOUR_NO_BUILD:-0} ./demo.sh >"$OUT/demo.log" 2>&1 &
demo=$!
trap 'kill $demo 2>/dev/null; wait $demo 2>/dev/null' EXIT
for _ in $(seq 1 600); do
  grep -q "Press Ctrl-C to stop." "$OUT/demo.log" && break
  kill -0 $demo 2>/dev/null || { echo "readme-tour: the demo did not start:"; tail -20 "$OUT/demo.log"; exit 1; }
  sleep 0.2
done
grep -q "Press Ctrl-C to stop." "$OUT/demo.log" || { echo "readme-tour: the demo did not start in 2 minutes"; exit 1; }

bash "$OUT/tour.sh" >"$OUT/tour.out" 2>&1
status=0
expect() {
  if grep -qE -- "$1" "$OUT/tour.out"; then echo "readme-tour: ok: $2"; else echo "readme-tour: MISSING: $2 (/$1/)"; status=1; fi
}
# What the README's comments promise, in its order.
expect '^HTTP/1.1 200 OK' "a browser's login gets through (200)"
expect '^HTTP/1.1 401 ' "a wrong password gets the upstream's 401"
expect 'urn:fraudgateway:problem:risk-too-high' "a script's user agent and header set: risk-too-high"
expect "\"live\":\{\"path\":\"$PWD/models/fraudgateway.zip\",\"version\":\"fraudgateway@" "GET /admin/model names the repository's model file"
expect 'urn:fraudgateway:problem:captcha-required' "a crawler's user agent behind browser headers: a proof of work (captcha-required)"
expect '"provider":"pow"' "the challenge names the pow provider"
expect 'urn:fraudgateway:problem:access-denied' "the deny lists: access-denied"
expect '^HTTP/1.1 201 Created' "a ban is created (201)"
expect 'urn:fraudgateway:problem:client-banned' "the banned client: client-banned"
expect '^HTTP/1.1 204 No Content' "the ban is lifted (204)"
expect '^401 401 401 401 401 401 401 401 401 401 429 $' "ten wrong passwords reach the upstream, the eleventh is 429"
expect 'urn:fraudgateway:problem:quota-exceeded' "the limit's 429 is quota-exceeded"
expect '^Retry-After: [0-9]+' "with Retry-After"
expect '"status":"pong"' "/api/ping is proxied untouched"
[ "$status" -eq 0 ] || { echo "readme-tour: the tour's output:"; cat "$OUT/tour.out"; }
exit $status
