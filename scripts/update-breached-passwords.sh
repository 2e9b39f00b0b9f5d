#!/usr/bin/env bash
# Regenerates the demo's breach corpus from a real public password list: zxcvbn's password frequency list (npm
# zxcvbn@4.4.2, MIT, Dan Wheeler and Dropbox), 30,000 passwords most common first, written in the Pwned Passwords
# format (<SHA-1 in upper-case hex>:<count>, sorted by hash; the count is 30,000 minus the rank, as the list carries
# ranks, not counts) to data/breached-passwords/zxcvbn-passwords.txt, then compiled with the trainer into the file the
# gateway ships (src/FraudGateway/data/breached-passwords.bin). For production, compile the full Pwned Passwords file
# the same way: fraudgateway-trainer breached-passwords --pwned pwnedpasswords.txt --out breached-passwords.bin
#   scripts/update-breached-passwords.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack zxcvbn@4.4.2 --silent >/dev/null && tar xzf zxcvbn-4.4.2.tgz)
cp "$WORK/package/LICENSE.txt" data/breached-passwords/LICENSE.zxcvbn
node -e '
const crypto = require("crypto");
const passwords = require(process.argv[1]).passwords;
const lines = passwords.map((p, rank) => crypto.createHash("sha1").update(p, "utf8").digest("hex").toUpperCase() + ":" + (passwords.length - rank));
lines.sort();
process.stdout.write(lines.join("\n") + "\n");
' "$WORK/package/lib/frequency_lists.js" > data/breached-passwords/zxcvbn-passwords.txt
dotnet build src/FraudGateway.Trainer -c Release -nologo -clp:ErrorsOnly >/dev/null
src/FraudGateway.Trainer/bin/Release/net10.0/fraudgateway-trainer breached-passwords \
  --pwned data/breached-passwords/zxcvbn-passwords.txt --out src/FraudGateway/data/breached-passwords.bin
