#!/usr/bin/env bash
# Crash test: runs the real piket binary (serve, Telegram polling) against a
# fake Bot API holding 10,000 check-ins, SIGKILLs it 20 times, restarts it,
# and checks that nothing was lost or doubled; prints the counts. Replies go
# out at Telegram's real 30/s, so a full run takes about 9 minutes (more on a
# busy machine): longer than go test's 10-minute default, hence -timeout 40m.
# PIKET_CRASH_MESSAGES=1000 for a shorter run (about a minute; CI uses it).
# Then the same on WhatsApp against the emulator (TestCrashWhatsApp, 1,000
# check-ins, PIKET_CRASH_WA_MESSAGES to change; about two minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
PIKET_CRASH=1 go test -count=1 -v -run '^TestCrash(WhatsApp)?$' -timeout 40m ./crashtest
