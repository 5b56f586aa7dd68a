#!/bin/sh
# Runs the Orchestra4j runner on this demo until every issue has reached its handoff state (Human Review),
# then stops it and prints the outcome. Offline: the agent is the built-in coding-run topology on the scripted model.
#
#   ./mvnw -B install -DskipTests       # builds runner/target/orchestra4j-runner.jar
#   sh examples/runner-demo/run-demo.sh
#
# Needs a JDK 21+ installed somewhere usual (bin/java21 finds it). The demo runs in a temporary copy; this directory stays clean.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/../../runner/target/orchestra4j-runner.jar"
java="$here/../../bin/java21" # JAVA_HOME when it is >= 21, else the newest JDK >= 21 installed
if [ ! -f "$jar" ]; then
  echo "run-demo: $jar is missing; build it first with: ./mvnw -B install -DskipTests" >&2
  exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/orchestra4j-runner-demo.XXXXXX")
cp -R "$here/WORKFLOW.md" "$here/issues" "$here/repo" "$work/"
"$java" -jar "$jar" --i-understand-that-this-will-be-running-without-the-usual-guardrails \
  --port 0 --logs-root "$work/log" "$work/WORKFLOW.md" > "$work/runner.out" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT INT TERM
echo "run-demo: runner pid $pid, working in $work"
deadline=$(( $(date +%s) + 180 ))
while :; do
  handed=$(grep -l '^state: "Human Review"' "$work"/issues/*.md 2>/dev/null | wc -l)
  [ "$handed" -eq 3 ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "run-demo: the runner exited early:" >&2; cat "$work/runner.out" >&2; exit 1
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "run-demo: timed out; runner output:" >&2; cat "$work/runner.out" >&2; exit 1
  fi
  sleep 0.5
done
kill "$pid"; wait "$pid" 2>/dev/null || true
trap - EXIT INT TERM
echo "run-demo: every issue is in Human Review"
for issue in "$work"/issues/*.md; do
  id=$(basename "$issue" .md)
  verdicts=$(grep -h '^## Proof of work' "$work/issues/comments/$id"/*.md | sed 's/## Proof of work: //' | tr '\n' ' ')
  echo "  $id: $(grep '^state:' "$issue" | sed 's/state: //')  proof-of-work runs: $verdicts"
done
echo "run-demo: workspaces in $work/.work/workspaces, comments in $work/issues/comments, logs in $work/log"
