#!/usr/bin/env bash
# Full inmate calls under SIPp load (issue 6). Starts its own switch, provisions it through the admin
# API, drives complete calls with SIPp on both sides (handset: INVITE, PIN as RFC 4733, 440 Hz;
# called party: answers, presses 1/2/9 9 or never answers, 1 kHz), samples the switch, checks every
# call record, recording and balance afterwards, prints a table and writes a Markdown report with a
# PNG chart under tests/load/reports/. See tests/load/README.md.
#
#   tests/load/run.sh [--smoke|--run|--ramp|--concurrent|--overload|--soak] [--keep] [--stop-at-fail]
#
# Everything is on 127.0.0.1, bounded in calls and time (RUN_TIMEOUT_S), and every child (switch,
# SIPp, sampler) is killed on exit. Exit status: 0 all checks passed, 1 a check failed, 2 usage/setup.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
LOAD="$ROOT/tests/load"
MODE=run
KEEP="${KEEP:-0}"
STOP_AT_FAIL="${STOP_AT_FAIL:-0}"
for arg in "$@"; do
  case "$arg" in
    --smoke) MODE=smoke ;; --run) MODE=run ;; --ramp) MODE=ramp ;; --concurrent) MODE=concurrent ;;
    --overload) MODE=overload ;; --soak) MODE=soak ;; --keep) KEEP=1 ;; --stop-at-fail) STOP_AT_FAIL=1 ;;
    -h|--help) sed -n '2,12p' "$0"; sed -n '/^# Environment:/,/^[^#]/p' "$0" | sed '$d'; echo "Details: tests/load/README.md"; exit 0 ;;
    *) echo "run.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

# ---- parameters (environment overrides) -------------------------------------------------------------
# Environment:
#   STEPS        "cps:seconds ..." offered load, one SIPp handset process per step, back to back
#   TALK_S       conversation length of accepted calls (s)        MIX   call kinds with weights (README)
#   MAX_CALLS / MAX_CPS   the switch's overload limits            LIMIT SIPp's cap on its open calls
#   BASE_PORT    SIP/admin ports BASE..BASE+60 (11060)            TASKSET=1 pin switch to CPU 1, SIPp to CPU 0
#   JAVA_OPTS    switch JVM options                               PROFILE=1 JFR profile + hot-method summary
#   SWITCH_CLASSPATH  run io.kinline.cli.Kinline from this class path instead of the jar (the JUnit smoke test)
#   MEDIA_MIN / SIPP_MP  first RTP port of the switch (12000) / of SIPp (10000)
#   INBAND_DTMF  true (default, as in production) or false: the switch's media.inbandDtmf
#   ENCRYPT      1: recordings encrypted at rest (media.recording.encryption); the check reads them decrypted
#   RUN_TIMEOUT_S  hard bound on the whole run                    REPORT_DIR where the report goes
#   SETUP_S      IVR time the handset allows before its talk (9)  NAME_S  extra for an inmate's first call (9)
#   STOP_AT_FAIL 1 (or --stop-at-fail): offer no further step once a call failed or was shed (a ramp's edge)
FULL_MIX="accept_inmate_hangup:3,accept_called_hangup:1"
DEFAULT_MIX="accept_inmate_hangup:45,accept_called_hangup:20,prepaid:10,refuse:8,block:5,no_answer:5,denied:7"
case "$MODE" in
  smoke)      D_STEPS="5:10";                         D_TALK=5;  D_MIX="$FULL_MIX"; D_MAXC=2000; D_MAXCPS=400 ;;
  run)        D_STEPS="5:20";                         D_TALK=10; D_MIX="$DEFAULT_MIX"; D_MAXC=2000; D_MAXCPS=400 ;;
  ramp)       D_STEPS="10:20 20:20 30:20 40:20 50:20 60:20 80:20 100:20"; D_TALK=5; D_MIX="$DEFAULT_MIX"; D_MAXC=3000; D_MAXCPS=1000 ;;
  concurrent) D_STEPS="20:30 0:60";                   D_TALK=45; D_MIX="$FULL_MIX"; D_MAXC=3000; D_MAXCPS=400 ;;
  overload)   D_STEPS="2:20 40:15 2:60";              D_TALK=10; D_MIX="$FULL_MIX"; D_MAXC=60; D_MAXCPS=10 ;;
  soak)       D_STEPS="10:600";                       D_TALK=30; D_MIX="$DEFAULT_MIX"; D_MAXC=2000; D_MAXCPS=400 ;;
esac
STEPS="${STEPS:-$D_STEPS}"
TALK_S="${TALK_S:-$D_TALK}"
MIX="${MIX:-$D_MIX}"
MAX_CALLS="${MAX_CALLS:-$D_MAXC}"
MAX_CPS="${MAX_CPS:-$D_MAXCPS}"
LIMIT="${LIMIT:-3000}"
INMATES=16          # uac-load.xml has 16 PIN branches (pcap/inmate-0..15.pcap)
PREPAID="${PREPAID:-4}"
SETUP_S="${SETUP_S:-9}"  # IVR allowance before the talk starts (PIN, prompts, ring, greeting; p99 ~8 s under load)
NAME_S="${NAME_S:-9}"    # more for an inmate's first call, which records the name
BASE_PORT="${BASE_PORT:-11060}"
SIP_PORT=$BASE_PORT; ADMIN_PORT=$((BASE_PORT + 20)); UAS_PORT=$((BASE_PORT + 30))
MEDIA_MIN="${MEDIA_MIN:-12000}" # switch RTP ports MEDIA_MIN..+7999 (below the ephemeral range)
SIPP_MP="${SIPP_MP:-10000}"     # SIPp media ports: called party SIPP_MP, handset steps SIPP_MP+100+20*i
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="${JAVA:-$JAVA_HOME/bin/java}"
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx2g}"
SIPP="${SIPP:-/usr/bin/sipp}"
JAR="${JAR:-$ROOT/switch/target/kinline.jar}"
REPORT_DIR="${REPORT_DIR:-$LOAD/reports}"
TASKSET="${TASKSET:-0}"
PROFILE="${PROFILE:-0}"
RUN_TIMEOUT_S="${RUN_TIMEOUT_S:-1500}"
# Python with matplotlib (Debian's python3-matplotlib lives under /usr/bin/python3)
if [ -z "${PYTHON:-}" ]; then
  PYTHON=python3
  for p in /usr/bin/python3 python3; do
    if "$p" -c 'import matplotlib' 2>/dev/null; then PYTHON="$p"; break; fi
  done
fi
STAMP="$(date -u +%Y%m%d-%H%M%S)"
# Every number is reported with what produced it and how busy the machine was when the run started.
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ] && COMMIT="$COMMIT (with uncommitted changes)"
BUSY=""
if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN{exit !(l > n / 2)}'; then
  BUSY="busy: load average ${LOAD_BEFORE%% *} on $(nproc) CPUs at the start; numbers are not comparable with a quiet run"
fi
WORK="$(mktemp -d "/tmp/kinline-load-$MODE.XXXXXX")"
DATA="$WORK/data"
LOG="$WORK/run.log"
PIDS_FILE="$WORK/sipp.pids"; : >"$PIDS_FILE"
SWITCH_PID=""; UAS_PID=""; SAMPLER_PID=""; WATCHDOG_PID=""
declare -a UAC_PIDS=()

say() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$LOG"; }
die() { say "ERROR: $*"; exit 2; }

cleanup() {
  local rc=$?
  for p in "${UAC_PIDS[@]}" $UAS_PID $SAMPLER_PID $WATCHDOG_PID ${SOAK_GC_PID:-}; do kill "$p" 2>/dev/null; done
  if [ -n "$SWITCH_PID" ] && kill -0 "$SWITCH_PID" 2>/dev/null; then
    kill "$SWITCH_PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$SWITCH_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SWITCH_PID" 2>/dev/null
  fi
  if [ "$KEEP" = 1 ] || [ "$rc" -ne 0 ]; then
    echo "work files kept: $WORK"
  else
    rm -rf "$DATA/recordings" # the WAVs are large; logs, CSVs and the database stay for a look
    echo "work files: $WORK (recordings deleted; --keep keeps them)"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- prerequisites ----------------------------------------------------------------------------------
[ -x "$SIPP" ] || die "SIPp not found at $SIPP (Debian: apt-get install sip-tester)"
[ -x "$JAVA" ] || die "no Java at $JAVA (set JAVA_HOME to a JDK 21+)"
command -v curl >/dev/null || die "curl is required"
if [ -z "${SWITCH_CLASSPATH:-}" ] && [ ! -f "$JAR" ]; then
  say "building $JAR"
  (cd "$ROOT" && JAVA_HOME="$JAVA_HOME" mvn -B -q -o package -DskipTests -pl switch -am) >>"$LOG" 2>&1 \
    || (cd "$ROOT" && JAVA_HOME="$JAVA_HOME" mvn -B -q package -DskipTests -pl switch -am) >>"$LOG" 2>&1 \
    || die "build failed, see $LOG"
fi
"$PYTHON" -c 'import matplotlib' 2>/dev/null || say "note: matplotlib missing (apt-get install python3-matplotlib): the report will have no chart"
mkdir -p "$REPORT_DIR" "$DATA"

# Bound the whole run: the watchdog ends us (and the trap ends the children).
# Its sleep must not hold our stdout open (a caller piping us would wait for it), and it goes with us.
( trap 'kill $sp 2>/dev/null; exit 0' TERM; sleep "$RUN_TIMEOUT_S" & sp=$!; wait $sp || exit 0
  echo "run.sh: RUN_TIMEOUT_S=$RUN_TIMEOUT_S reached" >>"$LOG"; kill -TERM $$ ) >/dev/null 2>&1 &
WATCHDOG_PID=$!

CPU_SWITCH=(); CPU_SIPP=()
if [ "$TASKSET" = 1 ]; then CPU_SWITCH=(taskset -c 1); CPU_SIPP=(taskset -c 0); fi

# ---- switch -----------------------------------------------------------------------------------------
sed -e "s/^\(  maxConcurrentCalls:\).*/\1 $MAX_CALLS/" -e "s/^\(  maxCallsPerSecond:\).*/\1 $MAX_CPS/" \
  -e "s/^\(  inbandDtmf:\).*/\1 ${INBAND_DTMF:-true}/" -e "s/^\(  portMin:\).*/\1 $MEDIA_MIN/" -e "s/^\(  portMax:\).*/\1 $((MEDIA_MIN + 7999))/" \
  "$LOAD/load.yaml" >"$WORK/load.yaml"
if [ "${ENCRYPT:-0}" = 1 ]; then
  sed -i "s/^\(  recordingThreads:.*\)/\1\n  recording:\n    encryption: true/" "$WORK/load.yaml"
fi
JFR_OPT=()
if [ "$PROFILE" = 1 ]; then JFR_OPT=("-XX:StartFlightRecording=filename=$WORK/kinline.jfr,settings=profile,dumponexit=true"); fi
say "mode $MODE: steps '$STEPS' talk ${TALK_S}s mix '$MIX' limits ${MAX_CALLS} calls / ${MAX_CPS} cps; work $WORK"
say "commit $COMMIT; load average at the start $LOAD_BEFORE"
[ -z "$BUSY" ] || say "WARNING: the machine is $BUSY"
# shellcheck disable=SC2086
if [ -n "${SWITCH_CLASSPATH:-}" ]; then LAUNCH=(-cp "$SWITCH_CLASSPATH" io.kinline.cli.Kinline); else LAUNCH=(-jar "$JAR"); fi
"${CPU_SWITCH[@]}" "$JAVA" $JAVA_OPTS "${JFR_OPT[@]}" "${LAUNCH[@]}" run --config "$WORK/load.yaml" --data-dir "$DATA" \
  --sip-port "$SIP_PORT" --admin-port "$ADMIN_PORT" --trunk "127.0.0.1:$UAS_PORT" >"$WORK/switch.out" 2>&1 &
SWITCH_PID=$!
API="http://127.0.0.1:$ADMIN_PORT"
for _ in $(seq 1 120); do
  curl -sf "$API/api/health" >/dev/null 2>&1 && break
  kill -0 "$SWITCH_PID" 2>/dev/null || die "switch exited: $(tail -5 "$WORK/switch.out")"
  sleep 0.5
done
curl -sf "$API/api/health" >/dev/null || die "switch not healthy after 60 s"
[ -s "$DATA/admin-token" ] || die "no admin token in $DATA"
say "switch pid $SWITCH_PID: SIP 127.0.0.1:$SIP_PORT, admin $API, trunk 127.0.0.1:$UAS_PORT"

"$PYTHON" "$LOAD/loadtool.py" provision --api "$API" --token-file "$DATA/admin-token" --inmates "$INMATES" \
  --prepaid "$PREPAID" --out "$WORK/accounts.json" | tee -a "$LOG" || die "provisioning failed"

# ---- pcaps and scenarios ----------------------------------------------------------------------------
"$PYTHON" "$LOAD/loadtool.py" pcaps "$WORK/pcap" --inmates "$INMATES" | tee -a "$LOG" \
  || die "pcap generation failed"

# ---- sampler ----------------------------------------------------------------------------------------
"$PYTHON" "$LOAD/loadtool.py" sample --pid "$SWITCH_PID" --api "$API" --token-file "$DATA/admin-token" \
  --out "$WORK/samples.csv" --sipp-pids-file "$PIDS_FILE" --prepaid "$PREPAID" --media-min "$MEDIA_MIN" 2>>"$LOG" &
SAMPLER_PID=$!
T0=$(date +%s.%N)
rel() { echo "$(date +%s.%N) $T0" | awk '{printf "%.1f", $1 - $2}'; }

# ---- called party (trunk side) ----------------------------------------------------------------------
mkdir -p "$WORK/uas"; cp "$LOAD/uas-load.xml" "$WORK/uas/"; ln -s ../pcap "$WORK/uas/pcap"
(cd "$WORK/uas" && exec "${CPU_SIPP[@]}" "$SIPP" -sf uas-load.xml -i 127.0.0.1 -p "$UAS_PORT" -mp "$SIPP_MP" -nostdin \
  -set talk_ms $(( (TALK_S + 2) * 1000 )) -set long_ms $(( (SETUP_S + NAME_S + TALK_S + 60) * 1000 )) \
  -trace_stat -stf stat.csv -fd 1 -trace_err -error_file errors.log >sipp.out 2>&1) &
UAS_PID=$!
echo "$UAS_PID" >>"$PIDS_FILE"
sleep 1
kill -0 "$UAS_PID" 2>/dev/null || die "SIPp UAS did not start: $(tail -5 "$WORK/uas/sipp.out")"

# ---- offered load: one SIPp handset process per step, started back to back ---------------------------
SOAK_GC_PID=""
if [ "$MODE" = soak ]; then
  # Heap after a full GC every 2 minutes (a leak grows it; garbage does not).
  ( trap 'kill $sp 2>/dev/null; exit 0' TERM
    JCMD="$JAVA_HOME/bin/jcmd"; echo "t,heap_used_after_gc_kb" >"$WORK/heap.csv"
    while kill -0 "$SWITCH_PID" 2>/dev/null; do
      sleep 120 & sp=$!; wait $sp
      "$JCMD" "$SWITCH_PID" GC.run >/dev/null 2>&1
      used=$("$JCMD" "$SWITCH_PID" GC.heap_info 2>/dev/null | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -1)
      echo "$(rel),$used" >>"$WORK/heap.csv"
    done ) >/dev/null 2>&1 &
  SOAK_GC_PID=$!
fi
# 503s the handsets received so far, over every step (SIPp's per-message counts).
count_503() {
  "$PYTHON" - "$WORK" <<'EOF'
import csv, glob, os, sys
total = 0
for f in glob.glob(os.path.join(sys.argv[1], "s*-*cps", "uac-load_*_counts.csv")):
    rows = [r for r in csv.reader(open(f), delimiter=";") if r]
    if len(rows) < 2:
        continue
    for k, v in zip(rows[0], rows[-1]):
        if "_503_" in k and k.endswith("Recv") and v.strip().isdigit():
            total += int(v)
print(total)
EOF
}
echo "[" >"$WORK/steps.json"
i=0; offset=0; first=1
for step in $STEPS; do
  rate="${step%%:*}"; secs="${step##*:}"; calls=$(( rate * secs ))
  name="s$i-${rate}cps"
  sdir="$WORK/$name"; mkdir -p "$sdir"; cp "$LOAD/uac-load.xml" "$sdir/"; ln -s ../pcap "$sdir/pcap"
  t0=$(rel)
  if [ "$calls" -gt 0 ]; then
    "$PYTHON" "$LOAD/loadtool.py" plan --out "$sdir/plan.csv" --calls "$calls" --mix "$MIX" --inmates "$INMATES" \
      --prepaid "$PREPAID" --talk-s "$TALK_S" --setup-s "$SETUP_S" --name-s "$NAME_S" --offset "$offset" >>"$LOG"
    offset=$(( offset + calls ))
    (cd "$sdir" && exec "${CPU_SIPP[@]}" "$SIPP" "127.0.0.1:$SIP_PORT" -sf uac-load.xml -inf plan.csv \
      -i 127.0.0.1 -p $((BASE_PORT + 40 + i)) -mp $((SIPP_MP + 100 + 20 * i)) -r "$rate" -m "$calls" -l "$LIMIT" -nostdin \
      -timeout $(( secs + SETUP_S + NAME_S + TALK_S + 150 ))s -timeout_error -trace_stat -stf stat.csv -fd 1 \
      -trace_counts -trace_err -error_file errors.log -trace_rtt -rtt_freq 1 >sipp.out 2>&1) &
    UAC_PIDS+=($!)
    echo "$!" >>"$PIDS_FILE"
    say "step $name: $calls calls at $rate cps for ${secs}s (SIPp pid $!)"
  else
    say "step $name: no new calls for ${secs}s"
  fi
  sleep "$secs"
  t1=$(rel)
  STOPPED_AT=""
  if [ "$STOP_AT_FAIL" = 1 ]; then
    # SIPp's statistics so far (written every second): a failed or shed call ends the ramp here.
    bad=0
    for f in "$WORK"/s*-*cps/stat.csv; do
      [ -f "$f" ] || continue
      n=$(awk -F';' 'NR==1{for(i=1;i<=NF;i++) if($i=="FailedCall(C)") c=i; next} NF>1{v=$c} END{print v+0}' "$f")
      bad=$((bad + n))
    done
    r=$(count_503)
    if [ "$bad" -gt 0 ] || [ "${r:-0}" -gt 0 ]; then STOPPED_AT="$name"; fi
  fi
  [ $first = 1 ] || echo "," >>"$WORK/steps.json"; first=0
  printf '{"name":"%s","rate":%s,"calls":%s,"t0":%s,"t1":%s,"stat":"%s","rtt":"%s","counts":"%s"}' \
    "$name" "$rate" "$calls" "$t0" "$t1" "$sdir/stat.csv" "$(ls "$sdir"/uac-load_*_rtt.csv 2>/dev/null | head -1)" \
    "$(ls "$sdir"/uac-load_*_counts.csv 2>/dev/null | head -1)" >>"$WORK/steps.json"
  i=$((i + 1))
  if [ -n "$STOPPED_AT" ]; then
    say "step $name: calls failed or were shed: no further step offered (--stop-at-fail)"
    break
  fi
done
echo "]" >>"$WORK/steps.json"

say "all calls offered; waiting for the handset processes to finish"
UAC_FAIL=0
for p in "${UAC_PIDS[@]}"; do
  wait "$p"; rc=$?
  [ "$rc" -eq 0 ] || UAC_FAIL=1
done
UAC_PIDS=()
# SIPp wrote its rtt/counts files only now for short steps: fill in the paths
"$PYTHON" - "$WORK/steps.json" <<'EOF'
import glob, json, os, sys
p = sys.argv[1]
steps = json.load(open(p))
for s in steps:
    d = os.path.dirname(s["stat"])
    for key, pat in (("rtt", "uac-load_*_rtt.csv"), ("counts", "uac-load_*_counts.csv")):
        if not s.get(key):
            f = sorted(glob.glob(os.path.join(d, pat)))
            s[key] = f[0] if f else ""
json.dump(steps, open(p, "w"), indent=1)
EOF
# open calls drain (the switch ends its legs), then stop the trunk side
for _ in $(seq 1 120); do
  n=$(curl -sf -H "Authorization: Bearer $(cat "$DATA/admin-token")" "$API/api/calls" | sed -n 's/.*"count":\([0-9]*\).*/\1/p')
  [ "${n:-1}" = 0 ] && break
  sleep 1
done
sleep 2
kill -USR1 "$UAS_PID" 2>/dev/null; sleep 1; kill "$UAS_PID" 2>/dev/null; wait "$UAS_PID" 2>/dev/null; UAS_PID=""
[ -n "$SOAK_GC_PID" ] && kill "$SOAK_GC_PID" 2>/dev/null
T_END=$(rel)
say "load finished at t=${T_END}s"

# ---- checks -----------------------------------------------------------------------------------------
OK_TOTAL=0; FAIL_TOTAL=0; R503=0
for s in "$WORK"/s*-*cps; do
  [ -f "$s/stat.csv" ] || continue
  ok=$(awk -F';' 'NR==1{for(i=1;i<=NF;i++) if($i=="SuccessfulCall(C)") c=i; next} NF>1{v=$c} END{print v+0}' "$s/stat.csv")
  fl=$(awk -F';' 'NR==1{for(i=1;i<=NF;i++) if($i=="FailedCall(C)") c=i; next} NF>1{v=$c} END{print v+0}' "$s/stat.csv")
  OK_TOTAL=$((OK_TOTAL + ok)); FAIL_TOTAL=$((FAIL_TOTAL + fl))
done
UAS_FAILED=$(awk -F';' 'NR==1{for(i=1;i<=NF;i++) if($i=="FailedCall(C)") c=i; next} NF>1{v=$c} END{print v+0}' "$WORK/uas/stat.csv" 2>/dev/null)
R503=$(count_503)
say "SIPp handsets: $OK_TOTAL successful, $FAIL_TOTAL failed, $R503 shed with 503; called parties: ${UAS_FAILED:-?} failed"
PLANS=$(ls "$WORK"/s*-*cps/plan.csv 2>/dev/null)
# shellcheck disable=SC2086
"$PYTHON" "$LOAD/loadtool.py" check --api "$API" --token-file "$DATA/admin-token" --data-dir "$DATA" \
  --plans $PLANS --accounts "$WORK/accounts.json" --sipp-ok $((OK_TOTAL - R503)) --offered "$offset" --shed "$R503" --steps "$WORK/steps.json" --out "$WORK/check.json" | tee -a "$LOG"
CHECK_RC=${PIPESTATUS[0]}

# ---- profile ----------------------------------------------------------------------------------------
kill "$SWITCH_PID" 2>/dev/null
for _ in $(seq 1 50); do kill -0 "$SWITCH_PID" 2>/dev/null || break; sleep 0.2; done
kill "$SAMPLER_PID" 2>/dev/null; SAMPLER_PID=""
if [ "$PROFILE" = 1 ] && [ -f "$WORK/kinline.jfr" ]; then
  "$JAVA_HOME/bin/jfr" print --events jdk.ExecutionSample "$WORK/kinline.jfr" 2>/dev/null \
    | awk '/stackTrace = \[/{getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); top[$0]++; n++} END{for (k in top) printf "%6d %5.1f%% %s\n", top[k], 100*top[k]/n, k}' \
    | sort -rn | head -25 >"$WORK/profile-top.txt"
  say "JFR: top frames by execution samples ($WORK/profile-top.txt):"; head -15 "$WORK/profile-top.txt" | tee -a "$LOG"
fi

# ---- report -----------------------------------------------------------------------------------------
cat >"$WORK/meta.json" <<EOF
{"mode": "$MODE", "date (UTC)": "$STAMP", "steps (cps:seconds)": "$STEPS", "talk seconds": $TALK_S,
 "mix": "$MIX", "switch limits": "maxConcurrentCalls $MAX_CALLS, maxCallsPerSecond $MAX_CPS",
 "commit": "$COMMIT",
 "machine": "$(nproc) CPUs, $(awk '/MemTotal/{printf "%.0f GB", $2/1048576}' /proc/meminfo), load average at the start: $LOAD_BEFORE${BUSY:+ ($BUSY)}",
 "pinning": "$([ "$TASKSET" = 1 ] && echo 'switch on CPU 1, SIPp on CPU 0' || echo 'none')",
 "SIPp handsets": "$OK_TOTAL successful, $FAIL_TOTAL failed, $R503 shed with 503 + Retry-After",
 "SIPp called parties failed": "${UAS_FAILED:-?}", "work dir": "$WORK"}
EOF
[ -f "$WORK/heap.csv" ] && cp "$WORK/heap.csv" "$REPORT_DIR/$MODE-$STAMP-heap.csv"
"$PYTHON" "$LOAD/loadtool.py" report --work "$WORK" --out "$REPORT_DIR/$MODE-$STAMP.md" \
  --title "Kinline full inmate calls under SIPp: $MODE ($STAMP UTC)" --tail "$SETUP_S" | tee -a "$LOG"

RC=0
if [ "$MODE" != overload ]; then
  [ "$FAIL_TOTAL" -eq 0 ] && [ "$UAC_FAIL" -eq 0 ] || { say "FAIL: $FAIL_TOTAL handset calls failed (SIPp exit status non-zero: $UAC_FAIL)"; RC=1; }
  [ "$R503" -eq 0 ] || { say "FAIL: $R503 calls shed with 503 below the limits"; RC=1; }
  [ "${UAS_FAILED:-1}" -eq 0 ] || { say "FAIL: ${UAS_FAILED:-?} called-party calls failed"; RC=1; }
else
  [ "$R503" -gt 0 ] || { say "FAIL: overload produced no 503"; RC=1; }
  [ "$FAIL_TOTAL" -eq 0 ] && [ "$UAC_FAIL" -eq 0 ] || { say "FAIL: $FAIL_TOTAL handset calls failed (a 503 without Retry-After counts)"; RC=1; }
fi
[ "$CHECK_RC" -eq 0 ] || { say "FAIL: record/recording/billing checks (see $WORK/check.json)"; RC=1; }
[ "$RC" -eq 0 ] && say "PASS ($MODE)" || say "FAILED ($MODE)"
exit "$RC"
