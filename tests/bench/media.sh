#!/usr/bin/env bash
# Media relay benchmark: rtpengine (userspace only, --table=-1) as the reference RTP relay.
# Starts rtpengine on 127.0.0.1, then for each step sets up FLOWS calls over the ng control protocol
# (bencode over UDP: offer/answer/delete, io.kinline.tests.load.RtpEngineLoad) and streams one
# 172-byte RTP packet per 20 ms in both directions of every call for STEP_SECONDS. Records per step:
# packets sent/received, loss, rtpengine CPU % and CPU microseconds per 1,000 relayed packets, PSS.
# The Kinline side (io.kinline.bench.RelayLoad, written by the media helper) runs when
# KINLINE_RELAY_CMD is set: it is run once per step with FLOWS and STEP_SECONDS in the environment and
# must print a line "flows=.. sent=.. received=.. lost=.. loss_pct=.. seconds=.. cpu_ms=..".
#
# Usage: tests/bench/media.sh
# Environment: FLOWS_STEPS ["50 100 200 400 800"], STEP_SECONDS [15], NG_PORT [22223],
#   RTP_PORTS ["30000-39999"], RTPENGINE_THREADS [2], JAVA [$JAVA_HOME/bin/java | JDK 25 | java]
# Output: table on stdout and tests/bench/results/media-<UTC date>.md. Loopback only, bounded, cleans up.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
FLOWS_STEPS="${FLOWS_STEPS:-50 100 200 400 800}"
STEP_SECONDS="${STEP_SECONDS:-15}"
NG_PORT="${NG_PORT:-22223}"
RTP_PORTS="${RTP_PORTS:-30000-39999}"
RTPENGINE_THREADS="${RTPENGINE_THREADS:-2}"
CLK_TCK=$(getconf CLK_TCK)
STAMP="$(date -u +%Y%m%d-%H%M%S)"
WORK="$(mktemp -d /tmp/kinline-media.XXXXXX)"
REPORT="$ROOT/tests/bench/results/media-$STAMP.md"
if [ -z "${JAVA:-}" ]; then
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java";
  elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java;
  else JAVA=java; fi
fi
CHILDREN=()
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
tree() { local p=$1 c; echo "$p"; for c in $(pgrep -P "$p" 2>/dev/null || true); do tree "$c"; done; }
kill_tree() { local p; for p in $(tree "$1" | tac); do kill -"$2" "$p" 2>/dev/null || true; done; }
cleanup() {
  local p
  for p in "${CHILDREN[@]:-}"; do [ -n "$p" ] && kill_tree "$p" TERM; done
  sleep 1
  for p in "${CHILDREN[@]:-}"; do [ -n "$p" ] && kill_tree "$p" KILL; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cpu_ticks() {
  local total=0 p s
  for p in $(tree "$1"); do
    s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    s=${s##*) }
    total=$((total + $(echo "$s" | awk '{print $12 + $13}')))
  done
  echo "$total"
}
mem_kb() {
  local total=0 p v
  for p in $(tree "$1"); do
    v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

if ! command -v rtpengine >/dev/null 2>&1; then
  log "rtpengine missing: installing rtpengine-daemon"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q rtpengine-daemon >/dev/null 2>&1 || {
    apt-get update -q >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q rtpengine-daemon >/dev/null
  }
fi
CLASSES="$ROOT/tests/target/classes"
if [ ! -f "$CLASSES/io/kinline/tests/load/RtpEngineLoad.class" ]; then
  (cd "$ROOT" && mvn -B -q -o -pl tests -am compile)
fi
CP="$CLASSES:$(find ~/.m2/repository/org/slf4j/slf4j-api -name 'slf4j-api-*.jar' | head -1)"

if ss -lun "sport = :$NG_PORT" | grep -q ":$NG_PORT"; then log "port $NG_PORT busy"; exit 1; fi
rtpengine --table=-1 --interface=127.0.0.1 --listen-ng="127.0.0.1:$NG_PORT" --foreground --log-stderr \
  --log-level=4 --port-min="${RTP_PORTS%-*}" --port-max="${RTP_PORTS#*-}" --num-threads="$RTPENGINE_THREADS" \
  --pidfile="$WORK/rtpengine.pid" >"$WORK/rtpengine.log" 2>&1 &
ENGINE=$!
CHILDREN+=("$ENGINE")
for _ in $(seq 100); do
  ss -lun "sport = :$NG_PORT" | grep -q ":$NG_PORT" && break
  kill -0 "$ENGINE" 2>/dev/null || { tail -20 "$WORK/rtpengine.log" >&2; exit 1; }
  sleep 0.1
done
log "rtpengine pid $ENGINE, work dir $WORK"

HEADER="| relay     | flows | pkt/s offered | sent     | received | loss %  | CPU %  | CPU us/1k pkt | PSS MiB |"
SEP="|-----------|-------|---------------|----------|----------|---------|--------|---------------|---------|"
ROWS=()
echo "$HEADER"; echo "$SEP"
for flows in $FLOWS_STEPS; do
  c0=$(cpu_ticks "$ENGINE"); t0=$(date +%s.%N)
  out=$(timeout $((STEP_SECONDS + 60)) "$JAVA" -cp "$CP" io.kinline.tests.load.RtpEngineLoad \
        --ng "127.0.0.1:$NG_PORT" --flows "$flows" --seconds "$STEP_SECONDS" 2>>"$WORK/load.err" | tail -1) || true
  t1=$(date +%s.%N); c1=$(cpu_ticks "$ENGINE")
  sent=$(echo "$out" | grep -o 'sent=[0-9]*' | cut -d= -f2); sent=${sent:-0}
  recv=$(echo "$out" | grep -o 'received=[0-9]*' | cut -d= -f2); recv=${recv:-0}
  loss=$(echo "$out" | grep -o 'loss_pct=[0-9.]*' | cut -d= -f2); loss=${loss:--}
  wall=$(echo "$t1 - $t0" | bc -l)
  cpu=$(echo "scale=1; ($c1 - $c0) * 100 / $CLK_TCK / $wall" | bc -l)
  per1k="-"
  [ "$recv" -gt 0 ] && per1k=$(echo "scale=1; ($c1 - $c0) * 1000000 / $CLK_TCK / $recv * 1000" | bc -l)
  row=$(printf "| %-9s | %5s | %13s | %8s | %8s | %7s | %6s | %13s | %7s |" rtpengine "$flows" "$((flows * 100))" \
        "$sent" "$recv" "$loss" "$cpu" "$per1k" "$(($(mem_kb "$ENGINE") / 1024))")
  ROWS+=("$row"); echo "$row"
  if [ -n "${KINLINE_RELAY_CMD:-}" ]; then
    kout=$(FLOWS=$flows STEP_SECONDS=$STEP_SECONDS timeout $((STEP_SECONDS + 60)) bash -c "$KINLINE_RELAY_CMD" 2>>"$WORK/kinline.err" | tail -1) || true
    ks=$(echo "$kout" | grep -o 'sent=[0-9]*' | cut -d= -f2); kr=$(echo "$kout" | grep -o 'received=[0-9]*' | cut -d= -f2)
    kl=$(echo "$kout" | grep -o 'loss_pct=[0-9.]*' | cut -d= -f2); kc=$(echo "$kout" | grep -o 'cpu_ms=[0-9.]*' | cut -d= -f2)
    ksec=$(echo "$kout" | grep -o 'seconds=[0-9.]*' | cut -d= -f2)
    kcpu="-"; kper="-"
    if [ -n "${kc:-}" ] && [ -n "${ksec:-}" ]; then kcpu=$(echo "scale=1; $kc / 10 / $ksec" | bc -l); fi
    if [ -n "${kc:-}" ] && [ "${kr:-0}" -gt 0 ]; then kper=$(echo "scale=1; $kc * 1000 / $kr * 1000" | bc -l); fi
    row=$(printf "| %-9s | %5s | %13s | %8s | %8s | %7s | %6s | %13s | %7s |" kinline "$flows" "$((flows * 100))" \
          "${ks:--}" "${kr:--}" "${kl:--}" "$kcpu" "$kper" "-")
    ROWS+=("$row"); echo "$row"
  fi
  sleep 1
done

mkdir -p "$(dirname "$REPORT")"
{
  echo "# Media relay benchmark $STAMP"
  echo
  echo "Machine: $(nproc) cores, $(uname -sr). rtpengine: $(rtpengine --version 2>&1 | head -1), userspace only"
  echo "(--table=-1), $RTPENGINE_THREADS threads, 127.0.0.1. Load: io.kinline.tests.load.RtpEngineLoad (Java, same"
  echo "machine): per flow one ng offer/answer, then a 172-byte RTP packet (PCMU 20 ms) every 20 ms in each"
  echo "direction, for ${STEP_SECONDS} s per step; delete at the end. 'pkt/s offered' counts both directions."
  echo "CPU % = rtpengine CPU time / wall time of the step (100 % = one core), including set-up and tear-down;"
  echo "CPU us/1k pkt = rtpengine CPU time per 1,000 packets relayed (received by the far end)."
  echo
  echo "$HEADER"; echo "$SEP"
  for r in "${ROWS[@]}"; do echo "$r"; done
  echo
  [ -z "${KINLINE_RELAY_CMD:-}" ] && echo "- Kinline relay not run: set KINLINE_RELAY_CMD (see the script header)."
} >"$REPORT"
log "report: $REPORT"
