#!/usr/bin/env bash
# A scripted Codex app server for the black-box runner tests (RunnerBlackBoxTest). It answers the app-server
# handshake on stdio, then plays the scenario named by the first "SCENARIO=<name>" in the turn's prompt:
#   handoff  move the issue to "Human Review" in the file tracker, then complete the turn
#   fail     end the turn with status "failed"
#   hang     wait until a file "release" appears in the workspace, then hand off; while it waits it holds a marker
#            in $FAKE_SHARED/running and records how many markers it saw in $FAKE_SHARED/concurrency.log
#   ask      ask the operator a question (item/tool/requestUserInput)
#   (none)   complete the turn
# It records its pid, working directory, environment and every prompt in the workspace, and every start in
# $FAKE_SHARED/starts.log ("<identifier> <scenario>").
set -u
id=$(basename "$PWD")
shared=${FAKE_SHARED:?FAKE_SHARED is not set}
echo "$$" > agent.pid
pwd > agent-cwd.txt
env > agent-env.txt

send() { printf '%s\n' "$1"; }

move() {
  f="$FAKE_ISSUES/$id.md"
  sed "s/^state:.*/state: \"$1\"/" "$f" > "$f.tmp.$$" && mv "$f.tmp.$$" "$f"
}

complete() { send '{"method":"turn/completed","params":{"turn":{"id":"tu","status":"completed"}}}'; }

play() {
  scenario=$(printf '%s' "$1" | grep -o 'SCENARIO=[a-z]*' | head -n 1 | cut -d= -f2)
  echo "$id ${scenario:-none}" >> "$shared/starts.log"
  case "$scenario" in
    handoff) move "Human Review"; complete ;;
    fail) send '{"method":"turn/completed","params":{"turn":{"id":"tu","status":"failed","error":{"message":"boom"}}}}' ;;
    hang)
      mkdir -p "$shared/running"
      : > "$shared/running/$id"
      ls "$shared/running" | wc -l >> "$shared/concurrency.log"
      while [ ! -f release ]; do sleep 0.05; done
      rm -f "$shared/running/$id" release
      move "Human Review"
      complete ;;
    ask) send '{"id":101,"method":"item/tool/requestUserInput","params":{"question":"Which colour?"}}' ;;
    *) complete ;;
  esac
}

while IFS= read -r line; do
  case "$line" in
    *'"method":"initialize"'*) send '{"id":1,"result":{"userAgent":"fake"}}' ;;
    *'"method":"thread/start"'*) send '{"id":2,"result":{"thread":{"id":"th"}}}' ;;
    *'"method":"turn/start"'*)
      printf '%s\n' "$line" >> prompts.log
      send '{"id":3,"result":{"turn":{"id":"tu"}}}'
      play "$line" ;;
  esac
done
