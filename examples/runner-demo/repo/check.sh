#!/bin/sh
# The fixture's test suite: every note must end with '!'.
status=0
for f in notes/*.txt; do
  [ -e "$f" ] || continue
  if grep -q '!$' "$f"; then
    echo "ok   $f"
  else
    echo "FAIL $f: a note must end with '!'"
    status=1
  fi
done
exit $status
