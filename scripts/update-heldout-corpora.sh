#!/usr/bin/env bash
# Regenerates data/heldout/: real user agents from two public packages that the trainer NEVER trains on; `evaluate`
# and the model card report on them separately (bots and browsers sent with the same header sets).
#   top-user-agents (npm, MIT, see LICENSE.top-user-agents): the most common current browser user agents
#   random-useragent (npm, MIT, see LICENSE.random-useragent): a user-agent switcher's list; its spider, bot,
#     downloader, validator, feed-reader and library folders are the bots
# Format: class (browser | bot) <TAB> user agent <TAB> where it comes from.
#   scripts/update-heldout-corpora.sh [top-user-agents-version] [random-useragent-version]
set -euo pipefail
cd "$(dirname "$0")/.."
TOP_VERSION=${1:-2.1.138}
RANDOM_VERSION=${2:-0.5.0}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "top-user-agents@$TOP_VERSION" "random-useragent@$RANDOM_VERSION" >/dev/null)
mkdir -p "$WORK/top" "$WORK/random" data/heldout
tar xzf "$WORK/top-user-agents-$TOP_VERSION.tgz" -C "$WORK/top"
tar xzf "$WORK/random-useragent-$RANDOM_VERSION.tgz" -C "$WORK/random"
cp "$WORK/top/package/LICENSE.md" data/heldout/LICENSE.top-user-agents; chmod 644 data/heldout/LICENSE.top-user-agents
cp "$WORK/random/package/LICENSE-MIT" data/heldout/LICENSE.random-useragent
node - "$WORK" "$TOP_VERSION" "$RANDOM_VERSION" <<'JS'
const fs = require('fs');
const [work, topVersion, randomVersion] = process.argv.slice(2);
const clean = s => s.replace(/[\t\r\n]/g, ' ').trim();
const top = require(`${work}/top/package/src/index.json`);
let lines = [`# top-user-agents@${topVersion} (npm, MIT): class, user agent, source. Never used in training.`];
for (const ua of new Set(top.map(clean))) lines.push(`browser\t${ua}\ttop-user-agents`);
fs.writeFileSync('data/heldout/top-user-agents.tsv', lines.join('\n') + '\n');
const all = require(`${work}/random/package/useragent-data.json`);
const bot = /Spiders|Bots - |Downloaders|Validators|Feed Readers|Libraries/;
lines = [`# random-useragent@${randomVersion} (npm, MIT): class, user agent, folder. Only its bot folders. Never used in training.`];
const seen = new Set();
for (const a of all) {
  const ua = clean(a.userAgent);
  if (!bot.test(a.folder) || !ua || seen.has(ua)) continue;
  seen.add(ua);
  lines.push(`bot\t${ua}\t${a.folder.replace(/^\//, '')}`);
}
fs.writeFileSync('data/heldout/random-useragent-bots.tsv', lines.join('\n') + '\n');
console.log(`held out: ${top.length} browsers, ${seen.size} bots`);
JS
