#!/bin/sh
# Runs a command and checks its exit code: exit_code.sh EXPECTED CMD ARGS...
expected=$1; shift
"$@"
rc=$?
if [ "$rc" -ne "$expected" ]; then
  echo "exit code $rc, expected $expected" >&2
  exit 1
fi
exit 0
