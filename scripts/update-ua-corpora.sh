#!/usr/bin/env bash
# Regenerates data/corpora/ from the two public user-agent corpora the trainer's simulator draws from:
#   user-agents (npm, BSD-2-Clause, Intoli LLC): real browser user agents with their traffic weights
#   crawler-user-agents (npm, MIT, Martin Monperrus): real crawler / bot user agents
# Usage: scripts/update-ua-corpora.sh [user-agents-version] [crawler-user-agents-version]
set -euo pipefail
cd "$(dirname "$0")/.."
UA_VERSION="${1:-2.1.198}"
CRAWLER_VERSION="${2:-1.60.0}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "user-agents@$UA_VERSION" "crawler-user-agents@$CRAWLER_VERSION" >/dev/null)
mkdir -p "$work/ua" "$work/crawler"
tar xzf "$work/user-agents-$UA_VERSION.tgz" -C "$work/ua"
tar xzf "$work/crawler-user-agents-$CRAWLER_VERSION.tgz" -C "$work/crawler"
out=data/corpora
mkdir -p "$out"
cp "$work/ua/package/LICENSE" "$out/LICENSE.user-agents"
cp "$work/crawler/package/LICENSE" "$out/LICENSE.crawler-user-agents"
node - "$work" "$out" "$UA_VERSION" "$CRAWLER_VERSION" <<'JS'
const fs = require('fs');
const [work, out, uaVersion, crawlerVersion] = process.argv.slice(2);
const clean = s => s.replace(/[\t\r\n]/g, ' ');
const browsers = JSON.parse(fs.readFileSync(`${work}/ua/package/dist/user-agents.json`, 'utf8'));
let lines = [`# user-agents@${uaVersion} (npm, BSD-2-Clause, see LICENSE.user-agents): weight, device category, user agent`];
for (const b of browsers) lines.push(`${b.weight}\t${b.deviceCategory}\t${clean(b.userAgent)}`);
fs.writeFileSync(`${out}/browser-user-agents.tsv`, lines.join('\n') + '\n');
const crawlers = JSON.parse(fs.readFileSync(`${work}/crawler/package/crawler-user-agents.json`, 'utf8'));
lines = [`# crawler-user-agents@${crawlerVersion} (npm, MIT, see LICENSE.crawler-user-agents): pattern, instance`];
for (const c of crawlers) for (const i of (c.instances || [])) lines.push(`${clean(c.pattern)}\t${clean(i)}`);
fs.writeFileSync(`${out}/crawler-user-agents.tsv`, lines.join('\n') + '\n');
console.log(`browser user agents: ${browsers.length}; crawler patterns: ${crawlers.length}`);
JS
