#!/usr/bin/env bash
# Load of complete inmate calls through a running Kinline switch, with SIPp on both sides:
#   SIPp UAC (tests/sipp/uac-inmate-call.xml: handset, PIN 1234#)  ->  Kinline  ->  trunk ->
#   SIPp UAS (tests/sipp/uas-called-party.xml: answers, presses 1 to accept, waits for BYE).
# The switch must already run with its trunk pointing at 127.0.0.1:$TRUNK_PORT and accept the demo
# PIN; e.g. java -jar switch/target/kinline.jar run --sip-port 5060 --trunk 127.0.0.1:5090 --data-dir /tmp/k
#
# Usage: tests/load/inmate-calls.sh
# Environment: SWITCH [127.0.0.1:5060], TRUNK_PORT [5090], DIALLED [15551234567], CALLER [2001],
#   PIN [1234], RATE [2] calls/s, CALLS [20], LIMIT [50] concurrent, GREETING_MS [3000] before the PIN,
#   CALLED_GREETING_MS [13500] before the called party presses 1 (after the recorded-call notice: a key
#   pressed during it does not count unless the facility sets consentDuringNotice), TALK_MS [10000],
#   TIMEOUT_S [300]
# Bounded by CALLS and TIMEOUT_S; loopback only; kills its SIPp processes on exit.
# Smoke test without a switch (the handset calls the called party directly):
#   SWITCH=127.0.0.1:5590 TRUNK_PORT=5590 CALLS=3 RATE=3 GREETING_MS=200 CALLED_GREETING_MS=200 TALK_MS=1000 tests/load/inmate-calls.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SIPP="${SIPP:-/usr/bin/sipp}"
SWITCH="${SWITCH:-127.0.0.1:5060}"
TRUNK_PORT="${TRUNK_PORT:-5090}"
DIALLED="${DIALLED:-15551234567}"
CALLER="${CALLER:-2001}"
PIN="${PIN:-1234}"
RATE="${RATE:-2}"
CALLS="${CALLS:-20}"
LIMIT="${LIMIT:-50}"
GREETING_MS="${GREETING_MS:-3000}"
CALLED_GREETING_MS="${CALLED_GREETING_MS:-13500}"
TALK_MS="${TALK_MS:-10000}"
TIMEOUT_S="${TIMEOUT_S:-300}"
WORK="$(mktemp -d /tmp/kinline-load.XXXXXX)"
UAS=""
cleanup() { [ -n "$UAS" ] && kill "$UAS" 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# SIPp writes its traces into the working directory; play_pcap_audio finds its pcaps next to the scenarios,
# rtp_stream (the phones' voices) relative to the working directory: link them there.
cd "$WORK"
ln -s "$ROOT/tests/pcap" "$WORK/pcap"
"$SIPP" -sf "$ROOT/tests/sipp/uas-called-party.xml" -i 127.0.0.1 -p "$TRUNK_PORT" -mp 26000 -m "$CALLS" -nostdin \
  -set choice 1 -set greeting_ms "$CALLED_GREETING_MS" -set talk_ms "$((TALK_MS * 3 + CALLED_GREETING_MS))" \
  -timeout "${TIMEOUT_S}s" -trace_stat -stf "$WORK/uas-stat.csv" -fd 5 -trace_err -error_file "$WORK/uas-errors.log" \
  >"$WORK/uas.out" 2>&1 &
UAS=$!
sleep 1
set +e
"$SIPP" "$SWITCH" -sf "$ROOT/tests/sipp/uac-inmate-call.xml" -s "$DIALLED" -key caller "$CALLER" -i 127.0.0.1 -mp 27000 \
  -set pin "$PIN" -set greeting_ms "$GREETING_MS" -set talk_ms "$TALK_MS" \
  -r "$RATE" -m "$CALLS" -l "$LIMIT" -nostdin -timeout "${TIMEOUT_S}s" -timeout_error \
  -trace_stat -stf "$WORK/uac-stat.csv" -fd 5 -trace_err -error_file "$WORK/uac-errors.log" -trace_rtt -rtt_freq 1 \
  >"$WORK/uac.out" 2>&1
RC=$?
wait "$UAS" 2>/dev/null; UAS_RC=$?; UAS=""
set -e
last() { awk -F';' -v col="$2" 'NR==1 {for (i=1;i<=NF;i++) if ($i==col) c=i; next} NF>1 {v=$c} END {print v}' "$1"; }
echo "UAC (handsets): exit $RC, successful $(last "$WORK/uac-stat.csv" 'SuccessfulCall(C)'), failed $(last "$WORK/uac-stat.csv" 'FailedCall(C)')"
echo "UAS (called parties): exit $UAS_RC, successful $(last "$WORK/uas-stat.csv" 'SuccessfulCall(C)'), failed $(last "$WORK/uas-stat.csv" 'FailedCall(C)')"
echo "work files: $WORK"
[ "$RC" -eq 0 ]
