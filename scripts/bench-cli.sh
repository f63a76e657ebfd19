#!/bin/sh
# Start-up and build times of the CLI next to a bare Node start, with hyperfine
# (Debian: apt-get install -y hyperfine). Needs `npm run build` first. Writes a markdown table to
# stdout (wall-time mean ± σ, and user + system CPU time in hyperfine's JSON, summarised below it).
#   sh scripts/bench-cli.sh [runs]
set -e
cd "$(dirname "$0")/.."
runs=${1:-20}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
hyperfine -N --warmup 3 --runs "$runs" --export-markdown "$out/table.md" --export-json "$out/times.json" \
  -n "node -e 0" "node -e 0" \
  -n "matprop --help" "node bin/matprop.js --help" \
  -n "matprop run (logm-probe, cpu)" "node bin/matprop.js run examples/logm-probe/model.ts --inputs examples/logm-probe/inputs.json --backend cpu" \
  -n "matprop build logm-probe" "node bin/matprop.js build examples/logm-probe/model.ts -o $out/b1" \
  -n "matprop build o2p-layer" "node bin/matprop.js build examples/o2p-layer/model.ts -o $out/b2" \
  -n "matprop build ncuts-layer" "node bin/matprop.js build examples/ncuts-layer/model.ts --inputs examples/ncuts-layer/inputs.json -o $out/b3" \
  -n "matprop build o2p-mnist" "node bin/matprop.js build examples/o2p-mnist/model.ts --inputs examples/o2p-mnist/inputs.json -o $out/b4" \
  -n "matprop build ncuts-segmentation" "node bin/matprop.js build examples/ncuts-segmentation/model.ts --inputs examples/ncuts-segmentation/inputs.json -o $out/b5" \
  > /dev/null
cat "$out/table.md"
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
const base = r[0];
console.log("\n| command | wall − bare node (mean) | CPU (user + system, mean) |\n|---|---|---|");
for (const x of r) console.log(`| ${x.command} | ${((x.mean - base.mean) * 1000).toFixed(0)} ms | ${((x.user + x.system) * 1000).toFixed(0)} ms |`);
' "$out/times.json"
