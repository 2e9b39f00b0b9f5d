#!/usr/bin/env bash
# Rebuilds the shipped model from scratch, reproducibly: simulate training traffic (seed 1, training families),
# simulate held-out traffic (seed 2, half from held-out browser families, held-out crawlers), train, evaluate on
# real data (invariance, held-out user-agent sources, captured header sets) and on the held-out simulation.
# Writes models/fraudgateway.zip, models/fraudgateway.md (model card) and models/fraudgateway.metrics.json.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/FraudGateway.Trainer -c Release -nologo -clp:ErrorsOnly >/dev/null
trainer=src/FraudGateway.Trainer/bin/Release/net10.0/fraudgateway-trainer
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=${1:-models/fraudgateway.zip}
"$trainer" simulate --seed 1 --split train --scale 2 --out "$work/simulated-train-seed1.jsonl"
"$trainer" simulate --seed 2 --split holdout --scale 1 --out "$work/simulated-holdout-seed2.jsonl"
"$trainer" train --data "$work/simulated-train-seed1.jsonl" --seed 1 --out "$out" --force
"$trainer" evaluate --model "$out" --data "$work/simulated-holdout-seed2.jsonl" --seed 2
