#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs the JMH benchmarks matching a regex.
#
#   benchmarks/run.sh                        # everything (about 8 minutes on 2 vCPU)
#   benchmarks/run.sh 'Pipeline'             # only the pipeline benchmarks
#   benchmarks/run.sh 'LangGraph' -prof gc   # extra arguments go to JMH and override the defaults
#   SKIP_BUILD=1 benchmarks/run.sh ...       # reuse the jar that is already built
#   MAX_LOAD=1.5 benchmarks/run.sh ...       # first wait (30 min at most) for a 1-minute load below 1.5
#
# Defaults: fork 1, warmup 3 x 2 s, measurement 5 x 2 s; each benchmark class sets its own mode and unit
# (AverageTime in microseconds, or SingleShotTime in milliseconds for the whole-session ones).
# Results: benchmarks/results/<UTC timestamp>.json (JMH JSON) and .txt (console log); a summary with
# medians and the marginal per-step cost is printed at the end when python3 is available.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

regex="${1:-.*}"
shift || true

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$root" && mvn -B -q -pl benchmarks -am package -DskipTests)
fi

load() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo unknown; }
if [[ -n "${MAX_LOAD:-}" ]]; then
  for ((waited = 0; waited < 1800; waited += 15)); do
    awk -v l="$(load)" -v m="$MAX_LOAD" 'BEGIN { exit !(l < m) }' && break
    sleep 15
  done
fi

mkdir -p "$here/results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
json="$here/results/$stamp.json"
log="$here/results/$stamp.txt"
echo "start $(date -u +%FT%TZ) load $(load) on $(nproc) CPUs, $("$java" -version 2>&1 | head -1)" >"$log"

# JMH rejects a repeated option, so a default is passed only when the caller did not give that flag.
defaults=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
options=()
for ((i = 0; i < ${#defaults[@]}; i += 2)); do
  flag="${defaults[i]}"
  if [[ " $* " != *" $flag "* ]]; then
    options+=("$flag" "${defaults[i + 1]}")
  fi
done

"$java" -jar "$here/target/benchmarks.jar" "$regex" "${options[@]}" \
  -rf json -rff "$json" "$@" 2>&1 | tee -a "$log"

echo "end $(date -u +%FT%TZ) load $(load)" | tee -a "$log"
echo "JSON results: $json"
if command -v python3 >/dev/null; then
  python3 "$here/summarize.py" "$json"
fi
