#!/usr/bin/env bash
# Solves the Curtois & Qu instances with the release binary, checks every schedule with the
# independent checker and prints a Markdown table row per instance.
# Usage: scripts/curtois.sh [TIME_LIMIT] [THREADS] [FIRST] [LAST]
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${1:-60s}
threads=${2:-2}
first=${3:-1}
last=${4:-24}
bench=../shared/benchmarks/curtois
out=$(mktemp -d)
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p turnus-cli
echo "| instance | best known | turnus | gap % | checker feasible | checker objective | wall s |"
echo "|---|---|---|---|---|---|---|"
for i in $(seq "$first" "$last"); do
    best=$(grep -E "^\| $i \|" "$bench/BEST_KNOWN.md" | head -1 | awk -F'|' '{gsub(/ /,"",$6); print $6}')
    start=$(date +%s.%N)
    ./target/release/turnus solve "$bench/Instance$i.txt" --time-limit "$limit" --threads "$threads" \
        --out "$out/$i.csv" --report "$out/$i.json" -q || true
    end=$(date +%s.%N)
    ours=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['objective'])" "$out/$i.json")
    check=$(python3 "$bench/../../tools/curtois_check.py" "$bench/Instance$i.txt" "$out/$i.csv" || true)
    feasible=$(python3 -c "import json,sys; print('yes' if json.loads(sys.argv[1])['feasible'] else 'no')" "$check")
    objective=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['objective'])" "$check")
    gap=$(python3 -c "print(f'{(int($ours) - int($best)) / int($best) * 100:.1f}')")
    wall=$(python3 -c "print(f'{$end - $start:.1f}')")
    echo "| $i | $best | $ours | $gap | $feasible | $objective | $wall |"
done
