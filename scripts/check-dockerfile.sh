#!/usr/bin/env bash
# No Docker engine runs here, so the Dockerfile is checked for what can drift: every COPY source exists and is not
# excluded by .dockerignore, and every file an image runs (ENTRYPOINT, HEALTHCHECK) is produced by the build stage's
# own `dotnet publish` commands, run here into the same layout. Also: the published gateway carries its model, and its
# health probe answers 1 for a port where nothing listens. First, the Dockerfile is linted with dockerfile-utils 0.16.3
# (npm, MIT; the linter behind the Dockerfile language server: instruction arguments, flags, durations, ports), from
# scripts/dockerfile-lint (test.sh runs `npm ci` there). Prints "check-dockerfile: passed" or the first problem.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "check-dockerfile: $*"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The linter (hadolint is not packaged for this Debian; dockerfilelint 1.8.0 from npm does not know HEALTHCHECK's
# --start-period).
if [ -x scripts/dockerfile-lint/node_modules/.bin/dockerfile-utils ]; then
  scripts/dockerfile-lint/node_modules/.bin/dockerfile-utils lint Dockerfile >"$out/lint.log" 2>&1 || { cat "$out/lint.log"; fail "dockerfile-utils lint found problems"; }
else
  fail "the Dockerfile linter is not installed (cd scripts/dockerfile-lint && npm ci)"
fi

# COPY sources (not --from): each exists, and no .dockerignore line removes it.
while read -r line; do
  read -ra parts <<<"${line#COPY }"
  for source in "${parts[@]:0:${#parts[@]}-1}"; do
    [ -e "$source" ] || fail "COPY source '$source' does not exist"
    while read -r ignored; do
      [[ -z "$ignored" || "$ignored" == \#* ]] && continue
      [[ "${source%/}" == "${ignored%/}" ]] && fail "COPY source '$source' is excluded by .dockerignore"
    done <.dockerignore
  done
done < <(grep -E '^COPY ' Dockerfile | grep -v -- '--from=')

# The build stage's publish commands, into $out instead of /out.
publishes=$(sed -n '/^RUN dotnet publish/,/^$/p' Dockerfile | grep -oE 'dotnet publish [^&\\]+' | sed "s# -o /out/# -o $out/out/#")
[ -n "$publishes" ] || fail "no dotnet publish in the build stage"
while read -r command; do
  $command -v quiet >"$out/publish.log" 2>&1 || { cat "$out/publish.log"; fail "'$command' failed"; }
done <<<"$publishes"

# Each runtime stage: what it copies from /out/<name> must hold the dll its ENTRYPOINT and HEALTHCHECK run.
stage=""; from=""
while read -r line; do
  case "$line" in
    FROM*" AS "*) stage=${line##* AS }; from="" ;;
    "COPY --from=build /out/"*) from=${line#COPY --from=build /out/}; from=${from%% *} ;;
    ENTRYPOINT*|*'CMD ["dotnet"'*)
      dll=$(grep -oE '/app/[A-Za-z.]+\.dll' <<<"$line" | head -1)
      [ -n "$from" ] || fail "stage $stage runs $dll but copies nothing from the build stage"
      [ -f "$out/out/$from/${dll#/app/}" ] || fail "stage $stage runs $dll, which the publish of /out/$from does not produce" ;;
  esac
done < <(sed 's/^  *//' Dockerfile)

[ -f "$out/out/gateway/models/fraudgateway.zip" ] || fail "the published gateway has no models/fraudgateway.zip"
grep -q '^USER app' Dockerfile || fail "the images do not run as the non-root user"
if dotnet "$out/out/gateway/FraudGateway.dll" healthcheck "http://127.0.0.1:9/healthz" 2>/dev/null; then
  fail "the health probe answered healthy for a port where nothing listens"
fi
echo "check-dockerfile: passed"
