#!/usr/bin/env bash
# Signalling benchmark: ramps SIPp call attempts per second (CPS) through a SIP element that sits
# in front of a SIPp UAS, step by step, until calls fail or setup time explodes.
#   (a) Kamailio as a stateful record-routing proxy (tests/bench/kamailio.cfg): the reference.
#   (b) Kinline as a pure B2BUA pass-through to the trunk:
#       java -jar switch/target/kinline.jar run --sip-port P --trunk 127.0.0.1:UAS --data-dir D --mode=b2bua-passthrough
# Per step it records offered CPS, successful/failed calls, achieved CPS, INVITE->200 setup time
# (p50/p99 from SIPp's rtd timer, -trace_rtt), and the CPU% and memory (PSS) of the element under
# test (all its processes) and of the SIPp UAS.
#
# Usage: tests/bench/signalling.sh [kamailio|kinline|all]      (default: all)
# Environment (defaults in brackets):
#   STEPS ["50 100 200 400 800 1600 3200"]  offered CPS per step
#   STEP_SECONDS [15]   length of a step (calls = CPS x STEP_SECONDS, bounded by MAX_CALLS)
#   MAX_CALLS [150000]  upper bound on the calls of the whole run, per target
#   HOLD_MS [500]       call hold time between ACK and BYE
#   FAIL_PCT [1]        stop the ramp once more than this % of a step's calls fail
#   P99_LIMIT_MS [1000] ... or once the p99 setup time exceeds this
#   KAMAILIO_CHILDREN [2]  UDP worker processes of Kamailio (the machine has 2 cores)
#   KINLINE_JAR [switch/target/kinline.jar]  KINLINE_ARGS [extra arguments]  JAVA [$JAVA_HOME/bin/java, JDK 25, java]
#   BASE_PORT [25060]   ports used: BASE (kamailio), BASE+10 (kinline), BASE+20 (UAC), BASE+30 (UAS)
# Output: a table on stdout and tests/bench/results/signalling-<UTC date>.md; work files in /tmp.
# Loopback only; every step is bounded in count and time; all children are killed on exit.
set -euo pipefail

TARGET="${1:-all}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SIPP_DIR="$ROOT/tests/sipp"
SIPP="${SIPP:-/usr/bin/sipp}"
STEPS="${STEPS:-50 100 200 400 800 1600 3200}"
STEP_SECONDS="${STEP_SECONDS:-15}"
MAX_CALLS="${MAX_CALLS:-150000}"
HOLD_MS="${HOLD_MS:-500}"
FAIL_PCT="${FAIL_PCT:-1}"
P99_LIMIT_MS="${P99_LIMIT_MS:-1000}"
KAMAILIO_CHILDREN="${KAMAILIO_CHILDREN:-2}"
KINLINE_JAR="${KINLINE_JAR:-$ROOT/switch/target/kinline.jar}"
KINLINE_ARGS="${KINLINE_ARGS:---config $ROOT/tests/bench/kinline-bench.yaml}"
# The switch targets Java 21+: prefer the JDK the project builds with over an older default java.
if [ -z "${JAVA:-}" ]; then
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java";
  elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java;
  else JAVA=java; fi
fi
BASE_PORT="${BASE_PORT:-25060}"
KAM_PORT=$BASE_PORT
KIN_PORT=$((BASE_PORT + 10))
UAC_PORT=$((BASE_PORT + 20))
UAS_PORT=$((BASE_PORT + 30))
CLK_TCK=$(getconf CLK_TCK)
STAMP="$(date -u +%Y%m%d-%H%M%S)"
WORK="$(mktemp -d /tmp/kinline-signalling.XXXXXX)"
RESULTS_DIR="$ROOT/tests/bench/results"
REPORT="$RESULTS_DIR/signalling-$STAMP.md"
CHILDREN=()

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

cleanup() {
  local p
  for p in "${CHILDREN[@]:-}"; do
    [ -n "$p" ] && kill_tree "$p" TERM
  done
  sleep 1
  for p in "${CHILDREN[@]:-}"; do
    [ -n "$p" ] && kill_tree "$p" KILL
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# pid and all its descendants
tree() {
  local p=$1 c
  echo "$p"
  for c in $(pgrep -P "$p" 2>/dev/null || true); do tree "$c"; done
}
kill_tree() {
  local p
  for p in $(tree "$1" | tac); do kill -"$2" "$p" 2>/dev/null || true; done
}
# utime+stime (clock ticks) summed over a process tree
cpu_ticks() {
  local total=0 p s
  for p in $(tree "$1"); do
    s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    s=${s##*) }   # fields after the command name; $12/$13 here are utime/stime (fields 14/15)
    total=$((total + $(echo "$s" | awk '{print $12 + $13}')))
  done
  echo "$total"
}
# proportional set size (kB) summed over a process tree: shared memory counted once overall
mem_kb() {
  local total=0 p v
  for p in $(tree "$1"); do
    v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || true)
    [ -z "$v" ] && v=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
wait_udp_port() { # port timeout_s pid
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    if ss -lun "sport = :$1" 2>/dev/null | grep -q ":$1"; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}
port_free() { ! ss -lun "sport = :$1" 2>/dev/null | grep -q ":$1"; }

ensure_kamailio() {
  if ! command -v kamailio >/dev/null 2>&1; then
    log "kamailio missing: installing the Debian package"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q kamailio >/dev/null 2>&1 || {
      apt-get update -q >/dev/null 2>&1
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q kamailio >/dev/null
    }
  fi
}

ensure_sipp() {
  if [ ! -x "$SIPP" ]; then
    log "sipp missing: installing the Debian package sip-tester"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q sip-tester >/dev/null 2>&1 || {
      apt-get update -q >/dev/null 2>&1
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q sip-tester >/dev/null
    }
  fi
}

UAS_PID=""
start_uas() {
  port_free "$UAS_PORT" || { log "port $UAS_PORT busy"; exit 1; }
  (cd "$WORK" && exec "$SIPP" -sf "$SIPP_DIR/uas-answer.xml" -i 127.0.0.1 -p "$UAS_PORT" -nostdin \
      -trace_err -error_file "$WORK/uas-errors.log" >"$WORK/uas.out" 2>&1) &
  UAS_PID=$!
  CHILDREN+=("$UAS_PID")
  wait_udp_port "$UAS_PORT" 10 "$UAS_PID" || { log "SIPp UAS did not start"; cat "$WORK/uas.out" >&2; exit 1; }
}
stop_pid() {
  kill_tree "$1" TERM
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$1" 2>/dev/null || return 0; sleep 0.3; done
  kill_tree "$1" KILL
}

ELEMENT_PID=""
start_kamailio() {
  ensure_kamailio
  local mods
  mods=$(dirname "$(find /usr/lib -path '*kamailio/modules/tm.so' 2>/dev/null | head -1)")
  sed -e "s|@LISTEN_PORT@|$KAM_PORT|" -e "s|@UAS_PORT@|$UAS_PORT|" -e "s|@CHILDREN@|$KAMAILIO_CHILDREN|" \
      -e "s|@MODULES@|$mods|" "$ROOT/tests/bench/kamailio.cfg" >"$WORK/kamailio.cfg"
  kamailio -c -f "$WORK/kamailio.cfg" >"$WORK/kamailio-check.log" 2>&1 || { cat "$WORK/kamailio-check.log" >&2; exit 1; }
  port_free "$KAM_PORT" || { log "port $KAM_PORT busy"; exit 1; }
  kamailio -f "$WORK/kamailio.cfg" -D -E -m 256 -M 16 -w "$WORK" -P "$WORK/kamailio.pid" >"$WORK/kamailio.log" 2>&1 &
  ELEMENT_PID=$!
  CHILDREN+=("$ELEMENT_PID")
  wait_udp_port "$KAM_PORT" 15 "$ELEMENT_PID" || { log "kamailio did not start"; tail -20 "$WORK/kamailio.log" >&2; return 1; }
  sleep 1
}

start_kinline() {
  if [ ! -f "$KINLINE_JAR" ]; then
    log "no $KINLINE_JAR: build it with 'mvn -B -pl switch -am package -DskipTests'"
    return 1
  fi
  port_free "$KIN_PORT" || { log "port $KIN_PORT busy"; exit 1; }
  mkdir -p "$WORK/kinline-data"
  # shellcheck disable=SC2086
  "$JAVA" -Xms512m -Xmx1g -jar "$KINLINE_JAR" run --sip-port "$KIN_PORT" --trunk "127.0.0.1:$UAS_PORT" \
      --data-dir "$WORK/kinline-data" --mode=b2bua-passthrough $KINLINE_ARGS >"$WORK/kinline.log" 2>&1 &
  ELEMENT_PID=$!
  CHILDREN+=("$ELEMENT_PID")
  wait_udp_port "$KIN_PORT" 60 "$ELEMENT_PID" || { log "kinline did not start"; tail -30 "$WORK/kinline.log" >&2; return 1; }
  sleep 2
}

ROWS=()
# run_step <label> <element port> <cps> <calls>; appends a table row; returns 1 when saturated
run_step() {
  local label=$1 port=$2 cps=$3 calls=$4
  local dir="$WORK/$label-$cps"
  mkdir -p "$dir"
  local c0 u0 t0 c1 u1 t1 rc
  c0=$(cpu_ticks "$ELEMENT_PID"); u0=$(cpu_ticks "$UAS_PID"); t0=$(date +%s.%N)
  set +e
  (cd "$dir" && exec /usr/bin/time -f "%e %U %S" -o "$dir/uac-time.txt" timeout -k 5 $((STEP_SECONDS * 3 + 60)) "$SIPP" "127.0.0.1:$port" -sf "$SIPP_DIR/uac-bench.xml" \
      -s 1000 -i 127.0.0.1 -p "$UAC_PORT" -r "$cps" -m "$calls" -l $((cps * 4 + 100)) -d "$HOLD_MS" \
      -recv_timeout 10000 -timeout $((STEP_SECONDS * 3 + 30))s -timeout_error -nostdin \
      -trace_stat -stf "$dir/stat.csv" -fd 1 -trace_rtt -rtt_freq 1 \
      -trace_err -error_file "$dir/errors.log" >"$dir/sipp.out" 2>&1)
  rc=$?
  set -e
  t1=$(date +%s.%N); c1=$(cpu_ticks "$ELEMENT_PID"); u1=$(cpu_ticks "$UAS_PID")
  local mem; mem=$(mem_kb "$ELEMENT_PID")
  local ok failed
  read -r ok failed < <(awk -F';' 'NR==1 {for (i=1;i<=NF;i++) h[$i]=i; next}
      NF>1 {o=$h["SuccessfulCall(C)"]; f=$h["FailedCall(C)"]} END {print (o==""?0:o), (f==""?0:f)}' "$dir/stat.csv" 2>/dev/null || echo "0 0")
  local rtt; rtt=$(ls "$dir"/*_rtt.csv 2>/dev/null | head -1 || true)
  local p50="-" p99="-"
  if [ -n "$rtt" ] && [ -s "$rtt" ]; then
    read -r p50 p99 < <(awk -F';' 'NR>1 && $2 ~ /^[0-9.]+$/ {print $2}' "$rtt" | sort -n |
        awk '{v[NR]=$1} END {if (NR==0) {print "- -"} else {i50=int(NR*0.5); if(i50<1)i50=1; i99=int(NR*0.99); if(i99<1)i99=1; printf "%.1f %.1f\n", v[i50], v[i99]}}')
  fi
  local wall cpu ucpu achieved uaccpu="-"
  if [ -s "$dir/uac-time.txt" ]; then
    uaccpu=$(awk 'END {if ($1 > 0) printf "%.1f", ($2 + $3) * 100 / $1}' "$dir/uac-time.txt")
  fi
  wall=$(echo "$t1 - $t0" | bc -l)
  cpu=$(echo "scale=1; ($c1 - $c0) * 100 / $CLK_TCK / $wall" | bc -l)
  ucpu=$(echo "scale=1; ($u1 - $u0) * 100 / $CLK_TCK / $wall" | bc -l)
  achieved=$(echo "scale=1; $ok / $wall" | bc -l)
  local row
  row=$(printf "| %-8s | %6s | %7s | %7s | %6s | %8s | %7s | %7s | %6s | %8s | %6s | %6s | %3s |" \
      "$label" "$cps" "$calls" "$ok" "$failed" "$achieved" "$p50" "$p99" "$cpu" "$((mem / 1024))" "$ucpu" "$uaccpu" "$rc")
  ROWS+=("$row")
  echo "$row"
  local limit=$((calls * FAIL_PCT / 100))
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then return 1; fi
  if [ "$failed" -gt "$limit" ] || [ "$ok" -lt $((calls - limit)) ]; then return 1; fi
  if [ "$p99" != "-" ] && [ "$(echo "$p99 > $P99_LIMIT_MS" | bc -l)" = 1 ]; then return 1; fi
  return 0
}

HEADER="| target   | CPS    | calls   | ok      | failed | achieved | p50 ms  | p99 ms  | CPU %  | PSS MiB  | UAS %  | UAC %  | rc  |"
SEP="|----------|--------|---------|---------|--------|----------|---------|---------|--------|----------|--------|--------|-----|"

ramp() { # label port
  local label=$1 port=$2 budget=$MAX_CALLS cps calls
  echo "$HEADER"; echo "$SEP"
  for cps in $STEPS; do
    calls=$((cps * STEP_SECONDS))
    [ "$calls" -gt "$budget" ] && calls=$budget
    [ "$calls" -le 0 ] && { log "$label: call budget used up"; break; }
    budget=$((budget - calls))
    if ! run_step "$label" "$port" "$cps" "$calls"; then
      log "$label: saturated at $cps CPS (failures, SIPp error or p99 > $P99_LIMIT_MS ms)"
      SATURATION+=("$label: first failing step at $cps CPS offered")
      return 0
    fi
    sleep 2 # let calls in timewait drain between steps
  done
  SATURATION+=("$label: no failing step up to the last offered rate")
}

ensure_sipp
SATURATION=()
log "work dir $WORK"
start_uas
NOTES=()
if [ "$TARGET" = kamailio ] || [ "$TARGET" = all ]; then
  if start_kamailio; then
    ramp kamailio "$KAM_PORT"
    stop_pid "$ELEMENT_PID"
  else
    NOTES+=("kamailio: failed to start (see $WORK/kamailio.log)")
  fi
fi
if [ "$TARGET" = kinline ] || [ "$TARGET" = all ]; then
  if start_kinline; then
    ramp kinline "$KIN_PORT"
    stop_pid "$ELEMENT_PID"
  else
    NOTES+=("kinline: not run (missing jar or failed to start; see $WORK/kinline.log)")
  fi
fi

mkdir -p "$RESULTS_DIR"
{
  echo "# Signalling benchmark $STAMP"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr);"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work shares the machine)."
  echo "SIPp: $("$SIPP" -v 2>&1 | grep -o 'SIPp v[^ ]*' | head -1); Kamailio: $(kamailio -v 2>/dev/null | head -1 | awk '{print $2, $3}' || echo n/a);"
  echo "Java: $("$JAVA" -version 2>&1 | head -1 || echo n/a)."
  echo
  echo "Set-up: SIPp UAC (tests/sipp/uac-bench.xml, UDP, one socket) -> element under test -> SIPp UAS"
  echo "(tests/sipp/uas-answer.xml), all on 127.0.0.1 and on the same $(nproc) cores, so the SIPp processes"
  echo "compete with the element for CPU. Call = INVITE/100/180/200/ACK, hold ${HOLD_MS} ms, BYE/200."
  echo "Steps of ${STEP_SECONDS} s (calls = CPS x ${STEP_SECONDS}); a step fails when > ${FAIL_PCT}% of its calls fail,"
  echo "SIPp exits with an error, or p99 INVITE->200 > ${P99_LIMIT_MS} ms; the ramp stops at the first failing step."
  echo "Kamailio: stateful (tm) record-routing proxy, ${KAMAILIO_CHILDREN} UDP workers (tests/bench/kamailio.cfg)."
  echo "Kinline: \`kinline.jar run --mode=b2bua-passthrough\` (B2BUA, two dialogs per call)."
  echo
  echo "Columns: CPS offered; calls attempted; ok/failed calls; achieved = ok calls / wall time of the step;"
  echo "p50/p99 = INVITE->200 setup time (SIPp rtd); CPU % = CPU time of the element (all processes) / wall"
  echo "time (100 % = one core); PSS = proportional memory of the element after the step; UAS % / UAC % = CPU of"
  echo "the SIPp UAS / UAC (SIPp is single-threaded: near 100 % it is the bottleneck, not the element);"
  echo "rc = SIPp UAC exit code (0 all ok, 1 some failed, 255 global timeout/fatal)."
  echo
  echo "$HEADER"
  echo "$SEP"
  for r in "${ROWS[@]:-}"; do [ -n "$r" ] && echo "$r"; done
  echo
  for s in "${SATURATION[@]:-}"; do [ -n "$s" ] && echo "- $s"; done
  for n in "${NOTES[@]:-}"; do [ -n "$n" ] && echo "- $n"; done
} >"$REPORT"
log "report: $REPORT"
cat "$REPORT"
