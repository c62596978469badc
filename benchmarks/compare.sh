#!/usr/bin/env bash
# Runs jobengine's benchmarks and the Python peer (when python3 exists) back to back and prints
# one table: workload, metric, Python, jobengine, ratio (>1 means jobengine is better).
# Usage: benchmarks/compare.sh [--only W1,W2,...]      (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
only=()
if [ "${1:-}" = "--only" ]; then only=(--only "$2"); fi
peer=benchmarks/python/python_mp_peer.py   # stdlib only
out=$(mktemp -d)
./mvnw -B -q package -DskipTests -pl benchmarks -am
java -jar benchmarks/target/benchmarks.jar "${only[@]}" > "$out/jobengine.tsv"
# W1 on every other JDK installed beside this one: class-data sharing and start-up differ by JDK.
for home in /usr/lib/jvm/*/; do
  jv="$home/bin/java"
  if [ -x "$jv" ] && [ "$(readlink -f "$jv")" != "$(readlink -f "$(command -v java)")" ]; then
    v=$("$jv" -version 2>&1 | head -1 | sed 's/.*"\(.*\)".*/\1/')
    "$jv" -jar benchmarks/target/benchmarks.jar --only W1 2>/dev/null \
      | awk -F'\t' -v v="$v" 'BEGIN{OFS="\t"} {$2=$2"_jdk"v; print}' >> "$out/jobengine.tsv" || true
  fi
done
if command -v python3 >/dev/null; then
  python3 "$peer" "${only[@]}" > "$out/python.tsv" 2>/dev/null || true
else
  echo "compare.sh: python3 is not installed: the python column stays empty (install python3 to compare)" >&2
  : > "$out/python.tsv"
fi
# Which Python metric each of ours is compared with.
awk -F'\t' '
  function better(unit) { return (unit == "ms" || unit == "us") ? -1 : 1 }
  FNR == NR { py[$1 "/" $2] = $3; pyunit[$1 "/" $2] = $4; next }
  $4 == "outcome" { outcomes = outcomes sprintf("%-4s %s\n     jobengine: %s\n", $1, $2, $3); next }
  {
    split("", peers)
    base = $2
    sub(/_(first|cold)$/, "", base)
    if ($2 ~ /^startup/) { peers[1] = "startup_fork"; peers[2] = "startup_spawn" }
    else if ($1 ~ /W[6-9]|W10/) { peers[1] = "native_" base; peers[2] = "manager_" base }
    else { peers[1] = base }
    for (i = 1; i in peers; i++) {
      k = $1 "/" peers[i]
      if (!(k in py)) { if (i == 1) printf "%-5s %-26s %12s %12s %8s %s\n", $1, $2, "-", $3, "-", $4; continue }
      r = better($4) > 0 ? $3 / py[k] : py[k] / $3
      printf "%-5s %-26s %12s %12s %7.2fx %s (vs %s)\n", $1, $2, py[k], $3, r, $4, peers[i]
    }
  }
  END {
    if (outcomes != "") {
      printf "\nFault behaviours (jobengine; Python peer below)\n%s", outcomes
      for (k in py) if (pyunit[k] == "outcome") pyout = pyout sprintf("     python %s: %s\n", k, py[k])
      printf "%s", pyout
    }
  }' "$out/python.tsv" "$out/jobengine.tsv" | { printf "%-5s %-26s %12s %12s %8s %s\n" workload metric python jobengine ratio unit; cat; }
echo "(raw lines in $out)"
