#!/usr/bin/env bash
# Crash test: SIGKILL a process running the real store, service and outbox
# 20 times while feeding it 10,000 check-ins; prints the counts.
# PIKET_CRASH_MESSAGES=1000 for a shorter run.
set -euo pipefail
cd "$(dirname "$0")/.."
PIKET_CRASH=1 go test -count=1 -v -run '^TestCrash$' -timeout 20m ./crashtest
