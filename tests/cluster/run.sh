#!/usr/bin/env bash
# A Kinline cluster as processes on loopback (issue 14): one PostgreSQL (Debian's), two Kinline nodes on
# different ports, Kamailio with the project's dispatcher config (docker/kamailio/kamailio.cfg) as the SIP
# front door, SIPp as the handsets (through Kamailio) and as the called parties (the nodes' trunk). The
# same topology as docker/compose.yaml, without containers. See tests/cluster/README.md.
#
#   tests/cluster/run.sh [--smoke|--fault|--bench] [--keep]
#
#   --smoke  (CI, ~2 min) full calls at 4 CPS for 30 s through Kamailio; node B is killed with SIGKILL
#            at 15 s and started again at 18 s, then 4 CPS for 10 s more once Kamailio has it back; then
#            every call, record, cent and recording is checked
#   --fault  the same fault under more load: 8 CPS for 90 s, 20 s talk, the default mix of outcomes;
#            kill at 30 s, restart at 45 s, 8 CPS for 20 s once it is back
#   --bench  the same machine, the same run: one node behind Kamailio, then the two-node cluster, each
#            with a CPS ramp of full IVR calls and a plateau of concurrent recorded calls; CPU by process
#
# Everything is on 127.0.0.1, bounded in calls and time (RUN_TIMEOUT_S), and every child (PostgreSQL,
# Kamailio, nodes, SIPp, sampler) is stopped on exit. Exit status: 0 all checks passed, 1 a check
# failed, 2 usage or setup.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/tests/cluster"
LOAD="$ROOT/tests/load"
MODE=smoke
KEEP="${KEEP:-0}"
for arg in "$@"; do
  case "$arg" in
    --smoke) MODE=smoke ;; --fault) MODE=fault ;; --bench) MODE=bench ;; --keep) KEEP=1 ;;
    -h|--help) sed -n '2,19p' "$0"; sed -n '/^# Environment:/,/^[^#]/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "run.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

# ---- parameters -------------------------------------------------------------------------------------
# Environment:
#   STEPS       "cps:seconds ..." offered load (one SIPp handset process per step, back to back)
#   TALK_S      conversation length of accepted calls        MIX  call kinds with weights (tests/load/README.md)
#   KILL_AT / RESTART_AT  seconds into the load when node B gets SIGKILL / is started again ("" = no fault)
#   REJOIN_STEPS  load offered once Kamailio has node B back (after STEPS): it must take its share
#   BASE_PORT   Kamailio SIP BASE, nodes BASE+1/+2, admin BASE+21/+22, trunk BASE+30, handsets BASE+40+i (11200)
#   MEDIA_MIN   RTP ports: node A MEDIA_MIN..+3999, node B +4000..+7999 (12000)   SIPP_MP SIPp's media (10000)
#   JAVA_OPTS   node JVM options                              SWITCH_CLASSPATH  run io.kinline.cli.Kinline
#   PG_BIN      PostgreSQL server binaries (newest /usr/lib/postgresql/*/bin)     KAMAILIO  /usr/sbin/kamailio
#   RUN_TIMEOUT_S  hard bound on the whole run                REPORT_DIR  where the report goes
#   ENCRYPTION  recordings encrypted at rest on both nodes (true; false for --bench, measured plain)
#   BENCH_WARMUP / BENCH_RAMP / BENCH_PLATEAU  --bench: a warm-up, the CPS ramp (default mix, TALK_S) and the
#               concurrency plateau (full calls, PLATEAU_TALK_S); each runs on one node, then on two
FULL_MIX="accept_inmate_hangup:3,accept_called_hangup:1"
DEFAULT_MIX="accept_inmate_hangup:45,accept_called_hangup:20,prepaid:10,refuse:8,block:5,no_answer:5,denied:7"
case "$MODE" in
  smoke) D_STEPS="4:30"; D_TALK=5;  D_MIX="$FULL_MIX";    D_KILL=15; D_RESTART=18; D_REJOIN="4:10"; D_TIMEOUT=300 ;;
  fault) D_STEPS="8:90"; D_TALK=20; D_MIX="$DEFAULT_MIX"; D_KILL=30; D_RESTART=45; D_REJOIN="8:20"; D_TIMEOUT=900 ;;
  bench) D_STEPS="";     D_TALK=5;  D_MIX="$DEFAULT_MIX"; D_KILL="";  D_RESTART="";  D_REJOIN="";     D_TIMEOUT=3000 ;;
esac
STEPS="${STEPS-$D_STEPS}"
TALK_S="${TALK_S:-$D_TALK}"
MIX="${MIX:-$D_MIX}"
KILL_AT="${KILL_AT-$D_KILL}"
RESTART_AT="${RESTART_AT-$D_RESTART}"
REJOIN_STEPS="${REJOIN_STEPS-$D_REJOIN}"
RUN_TIMEOUT_S="${RUN_TIMEOUT_S:-$D_TIMEOUT}"
if [ "$MODE" = bench ]; then ENCRYPTION="${ENCRYPTION:-false}"; else ENCRYPTION="${ENCRYPTION:-true}"; fi
BENCH_WARMUP="${BENCH_WARMUP:-5:20}"
BENCH_RAMP="${BENCH_RAMP:-10:20 20:20 30:20 40:20 50:30}"
BENCH_PLATEAU="${BENCH_PLATEAU:-20:30 0:60}"
PLATEAU_TALK_S="${PLATEAU_TALK_S:-45}"
INMATES=16
PREPAID="${PREPAID:-4}"
# Allowances of the handsets (IVR before the talk; recording the name on an inmate's first calls), a little
# wider than tests/load's: two JVMs, PostgreSQL and Kamailio share the cores here.
SETUP_S="${SETUP_S:-12}"
NAME_S="${NAME_S:-12}"
BASE_PORT="${BASE_PORT:-11200}"
KAM_PORT=$BASE_PORT; UAS_PORT=$((BASE_PORT + 30)); KAM_HTTP=$((BASE_PORT + 9))
MEDIA_MIN="${MEDIA_MIN:-12000}"
SIPP_MP="${SIPP_MP:-10000}"
# The nodes hand out RTP ports anywhere in their ranges: a SIP or admin port inside one could be taken by a
# call's RTP while its node is down, and the node could not start again.
if [ "$BASE_PORT" -le $((MEDIA_MIN + 7999)) ] && [ $((BASE_PORT + 60)) -ge "$MEDIA_MIN" ]; then
  echo "run.sh: BASE_PORT $BASE_PORT..+60 overlaps the nodes' RTP ports $MEDIA_MIN..$((MEDIA_MIN + 7999))" >&2; exit 2
fi
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="${JAVA:-$JAVA_HOME/bin/java}"
JAVA_OPTS="${JAVA_OPTS:--Xms128m -Xmx1g}"
SIPP="${SIPP:-/usr/bin/sipp}"
KAMAILIO="${KAMAILIO:-/usr/sbin/kamailio}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
JAR="${JAR:-$ROOT/switch/target/kinline.jar}"
REPORT_DIR="${REPORT_DIR:-$HERE/reports}"
PYTHON="${PYTHON:-python3}"
STAMP="$(date -u +%Y%m%d-%H%M%S)"
WORK="$(mktemp -d "/tmp/kinline-cluster-$MODE.XXXXXX")"
LOG="$WORK/run.log"
EVENTS="$WORK/events.log"; : >"$EVENTS"
PIDS_FILE="$WORK/sipp.pids"; : >"$PIDS_FILE"
declare -A NODE_PID=() NODE_SIP=() NODE_ADMIN=()
NODE_SIP[a]=$((BASE_PORT + 1)); NODE_SIP[b]=$((BASE_PORT + 2))
NODE_ADMIN[a]=$((BASE_PORT + 21)); NODE_ADMIN[b]=$((BASE_PORT + 22))
KAM_PID=""; UAS_PID=""; SAMPLER_PID=""; WATCHDOG_PID=""; FAULT_PID=""; PG_UP=0
declare -a UAC_PIDS=()
AS_PG=(); [ "$(id -u)" = 0 ] && AS_PG=(runuser -u postgres --)

say() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$LOG"; }
die() { say "ERROR: $*"; exit 2; }
event() { echo "$(date +%s.%N) $*" >>"$EVENTS"; }

stop_pid() { # pid: TERM, then KILL after 10 s
  local p=$1
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 0
  kill "$p" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$p" 2>/dev/null
}

cleanup() {
  local rc=$?
  # Every SIPp this run started (the fault's handsets start in a sub-shell), then the rest.
  for p in $(cat "$PIDS_FILE" 2>/dev/null) "${UAC_PIDS[@]}" $UAS_PID $SAMPLER_PID $WATCHDOG_PID $FAULT_PID ${STEPS_PID:-} ${LISTEN_PID:-}; do
    kill "$p" 2>/dev/null
  done
  for n in "${!NODE_PID[@]}"; do stop_pid "${NODE_PID[$n]}"; done
  stop_pid "$KAM_PID"
  if [ "$PG_UP" = 1 ]; then "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1; fi
  if [ "$KEEP" = 1 ] || [ "$rc" -ne 0 ]; then
    echo "work files kept: $WORK"
  else
    rm -rf "$WORK/recordings" "$WORK/pg"
    echo "work files: $WORK (recordings and database deleted; --keep keeps them)"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- prerequisites ----------------------------------------------------------------------------------
[ -x "$SIPP" ] || die "SIPp not found at $SIPP (Debian: apt-get install sip-tester)"
[ -x "$KAMAILIO" ] || die "Kamailio not found at $KAMAILIO (Debian: apt-get install kamailio)"
[ -x "$PG_BIN/initdb" ] || die "PostgreSQL server not found (Debian: apt-get install postgresql), PG_BIN=$PG_BIN"
[ -x "$JAVA" ] || die "no Java at $JAVA (set JAVA_HOME to a JDK 21+)"
command -v curl >/dev/null || die "curl is required"
if [ -z "${SWITCH_CLASSPATH:-}" ] && [ ! -f "$JAR" ]; then
  say "building $JAR"
  (cd "$ROOT" && JAVA_HOME="$JAVA_HOME" mvn -B -q -ntp package -DskipTests -pl switch -am) >>"$LOG" 2>&1 \
    || die "build failed, see $LOG"
fi
mkdir -p "$REPORT_DIR" "$WORK/recordings"
( trap 'kill $sp 2>/dev/null; exit 0' TERM; sleep "$RUN_TIMEOUT_S" & sp=$!; wait $sp || exit 0
  echo "run.sh: RUN_TIMEOUT_S=$RUN_TIMEOUT_S reached" >>"$LOG"; kill -TERM $$ ) >/dev/null 2>&1 &
WATCHDOG_PID=$!
LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg)"
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- switch media 2>/dev/null || echo +changes)"
say "mode $MODE: work $WORK; load average $LOADAVG; commit $COMMIT"

# ---- PostgreSQL -------------------------------------------------------------------------------------
PG_PORT=$((BASE_PORT + 10))
# PostgreSQL refuses to run as root: as root it runs as postgres, which must reach its directory.
chmod 755 "$WORK"; mkdir -p "$WORK/pg"; [ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"
chmod 700 "$WORK/pg"
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 >>"$LOG" 2>&1 || die "initdb failed"
# Sized like a small production server for two nodes: 40 connections (2 × poolSize 10, plus tools).
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w -o \
  "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=60 -c shared_buffers=128MB" start >>"$LOG" 2>&1 \
  || die "PostgreSQL did not start: $(tail -3 "$WORK/pg/server.log")"
PG_UP=1
psql_() { "${AS_PG[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
psql_ -c "CREATE ROLE kinline LOGIN PASSWORD 'kinline'" -c "CREATE DATABASE kinline OWNER kinline" >>"$LOG" 2>&1 \
  || die "cannot create the kinline database"
JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/kinline"
say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"

# ---- nodes ------------------------------------------------------------------------------------------
if [ -n "${SWITCH_CLASSPATH:-}" ]; then LAUNCH=(-cp "$SWITCH_CLASSPATH" io.kinline.cli.Kinline); else LAUNCH=(-jar "$JAR"); fi
node_config() { # node letter, index
  local lo=$((MEDIA_MIN + $2 * 4000))
  sed -e "s|@MEDIA_MIN@|$lo|" -e "s|@MEDIA_MAX@|$((lo + 3999))|" -e "s|@JDBC_URL@|$JDBC_URL|" \
      -e "s|@NODE_ID@|node-$1|" -e "s|@RECORDINGS@|$WORK/recordings|" -e "s|@CLUSTER_KEY@|$WORK/cluster-key|" \
      -e "s|@ENCRYPTION@|$ENCRYPTION|" \
      "$HERE/node.yaml" >"$WORK/node-$1.yaml"
}
start_node() { # node letter
  local n=$1
  # shellcheck disable=SC2086
  "$JAVA" $JAVA_OPTS "${LAUNCH[@]}" run --config "$WORK/node-$n.yaml" --data-dir "$WORK/data-$n" \
    --sip-port "${NODE_SIP[$n]}" --admin-port "${NODE_ADMIN[$n]}" --trunk "127.0.0.1:$UAS_PORT" >>"$WORK/node-$n.out" 2>&1 &
  NODE_PID[$n]=$!
  echo "${NODE_PID[$n]}" >"$WORK/node-$n.pid"
  event "start node-$n pid ${NODE_PID[$n]}"
}
wait_node() { # node letter
  local n=$1
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:${NODE_ADMIN[$n]}/api/health" >/dev/null 2>&1 && { event "healthy node-$n"; return 0; }
    kill -0 "${NODE_PID[$n]}" 2>/dev/null || die "node-$n exited: $(tail -3 "$WORK/node-$n.out")
$(ss -tulpn 2>/dev/null | grep -E ":(${NODE_SIP[$n]}|${NODE_ADMIN[$n]})\b")"
    sleep 0.25
  done
  die "node-$n not healthy after 60 s"
}
# The cluster key, as docker/init-secrets.sh makes it: node A keeps the cluster's secrets (PIN pepper,
# recording keys) in PostgreSQL wrapped by it; node B, given the same key, fetches them (docs/DEPLOYMENT.md).
(umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/cluster-key")
node_config a 0; node_config b 1
start_node a; wait_node a
[ -s "$WORK/data-a/admin-token" ] || die "node-a wrote no admin token on PostgreSQL"
TOKEN_FILE="$WORK/data-a/admin-token"
say "node-a pid ${NODE_PID[a]}: SIP ${NODE_SIP[a]}, admin ${NODE_ADMIN[a]}"
if [ "$MODE" != bench ]; then
  start_node b; wait_node b
  say "node-b pid ${NODE_PID[b]}: SIP ${NODE_SIP[b]}, admin ${NODE_ADMIN[b]}"
fi

# ---- Kamailio ---------------------------------------------------------------------------------------
write_dispatcher() { # node letters
  : >"$WORK/dispatcher.list"
  for n in "$@"; do echo "1 sip:127.0.0.1:${NODE_SIP[$n]} 0 0 duid=node-$n" >>"$WORK/dispatcher.list"; done
}
start_kamailio() {
  mkdir -p "$WORK/kamailio"
  "$KAMAILIO" -DD -E -f "$ROOT/docker/kamailio/kamailio.cfg" -Y "$WORK/kamailio" -m 128 -M 8 \
    -A KL_SIP_PORT="$KAM_PORT" -A KL_HTTP_PORT="$KAM_HTTP" -A "KL_DS_LIST=\"$WORK/dispatcher.list\"" \
    -A "KL_CTL=\"unix:$WORK/kamailio/ctl\"" >>"$WORK/kamailio.log" 2>&1 &
  KAM_PID=$!
  for _ in $(seq 1 40); do
    grep -q "KL up\|listening\|Listening" "$WORK/kamailio.log" 2>/dev/null && break
    kill -0 "$KAM_PID" 2>/dev/null || die "Kamailio exited: $(tail -5 "$WORK/kamailio.log")"
    sleep 0.25
  done
  kamcmd_ dispatcher.list >/dev/null || die "Kamailio's control socket does not answer"
}
kamcmd_() { kamcmd -s "unix:$WORK/kamailio/ctl" "$@"; }
wait_active() { # node letter: until Kamailio's dispatcher has it active (its probes answered)
  for _ in $(seq 1 60); do
    kamcmd_ dispatcher.list | awk -v u="sip:127.0.0.1:${NODE_SIP[$1]}" \
      '$1=="URI:"{uri=$2} $1=="FLAGS:" && uri==u && $2 ~ /^A/ {f=1} END{exit !f}' && { event "active node-$1"; return 0; }
    sleep 0.5
  done
  say "WARNING: Kamailio did not take node-$1 back within 30 s"
}
if [ "$MODE" = bench ]; then write_dispatcher a; else write_dispatcher a b; fi
start_kamailio
say "Kamailio $("$KAMAILIO" -v | awk 'NR==1{print $3}') pid $KAM_PID on 127.0.0.1:$KAM_PORT (metrics :$KAM_HTTP)"

# ---- provisioning, pcaps ----------------------------------------------------------------------------
API_A="http://127.0.0.1:${NODE_ADMIN[a]}"; API_B="http://127.0.0.1:${NODE_ADMIN[b]}"
"$PYTHON" "$LOAD/loadtool.py" provision --api "$API_A" --token-file "$TOKEN_FILE" --inmates "$INMATES" \
  --prepaid "$PREPAID" --out "$WORK/accounts.json" | tee -a "$LOG" || die "provisioning failed"
"$PYTHON" "$LOAD/loadtool.py" pcaps "$WORK/pcap" --inmates "$INMATES" >>"$LOG" || die "pcap generation failed"

# ---- called parties (the trunk of both nodes) --------------------------------------------------------
mkdir -p "$WORK/uas"; cp "$LOAD/uas-load.xml" "$WORK/uas/"; ln -s ../pcap "$WORK/uas/pcap"
LONGEST_TALK=$TALK_S; [ "$MODE" = bench ] && [ "$PLATEAU_TALK_S" -gt "$TALK_S" ] && LONGEST_TALK=$PLATEAU_TALK_S
(cd "$WORK/uas" && exec "$SIPP" -sf uas-load.xml -i 127.0.0.1 -p "$UAS_PORT" -mp "$SIPP_MP" -nostdin \
  -set talk_ms $(( (TALK_S + 2) * 1000 )) -set long_ms $(( (SETUP_S + NAME_S + LONGEST_TALK + 20) * 1000 )) \
  -trace_stat -stf stat.csv -fd 1 -trace_err -error_file errors.log >sipp.out 2>&1) &
UAS_PID=$!
echo "$UAS_PID" >>"$PIDS_FILE"
sleep 1
kill -0 "$UAS_PID" 2>/dev/null || die "SIPp UAS did not start: $(tail -5 "$WORK/uas/sipp.out")"

# ---- sampler ----------------------------------------------------------------------------------------
"$PYTHON" "$HERE/clustertool.py" sample --out "$WORK/samples.csv" --node-pid-file "a=$WORK/node-a.pid" \
  --node-pid-file "b=$WORK/node-b.pid" --pg-pid-file "$WORK/pg/postmaster.pid" --kamailio-pid "$KAM_PID" \
  --sipp-pids-file "$PIDS_FILE" 2>>"$LOG" &
SAMPLER_PID=$!

# ---- load -------------------------------------------------------------------------------------------
OFFSET=0; STEP_I=0
run_steps() { # label, steps: offers the steps back to back; the SIPp pids go to UAC_PIDS
  local label=$1 steps=$2 rate secs calls name sdir
  for step in $steps; do
    rate="${step%%:*}"; secs="${step##*:}"; calls=$(( rate * secs ))
    name="s$STEP_I-$label-${rate}cps"; sdir="$WORK/$name"
    mkdir -p "$sdir"; cp "$LOAD/uac-load.xml" "$sdir/"; ln -s ../pcap "$sdir/pcap"
    if [ "$calls" -gt 0 ]; then
      "$PYTHON" "$LOAD/loadtool.py" plan --out "$sdir/plan.csv" --calls "$calls" --mix "$MIX" --inmates "$INMATES" \
        --prepaid "$PREPAID" --talk-s "$TALK_S" --setup-s "$SETUP_S" --name-s "$NAME_S" --offset "$OFFSET" \
        --bye-slack 20 >>"$LOG"
      OFFSET=$(( OFFSET + calls ))
      (cd "$sdir" && exec "$SIPP" "127.0.0.1:$KAM_PORT" -sf uac-load.xml -inf plan.csv \
        -i 127.0.0.1 -p $((BASE_PORT + 40 + STEP_I)) -mp $((SIPP_MP + 100 + 20 * STEP_I)) -r "$rate" -m "$calls" \
        -l 3000 -nostdin -timeout $(( secs + SETUP_S + NAME_S + TALK_S + 90 ))s -timeout_error -trace_stat \
        -stf stat.csv -fd 1 -trace_counts -trace_err -error_file errors.log >sipp.out 2>&1) &
      UAC_PIDS+=($!)
      echo "$!" >>"$PIDS_FILE"
      event "step $name rate $rate calls $calls pid $!"
      say "step $name: $calls calls at $rate cps for ${secs}s"
    fi
    sleep "$secs"
    STEP_I=$((STEP_I + 1))
  done
}
wait_handsets() {
  UAC_FAIL=0
  for p in "${UAC_PIDS[@]}"; do wait "$p" || UAC_FAIL=1; done
  UAC_PIDS=()
}
drain() { # every node's calls end
  for _ in $(seq 1 120); do
    local open=0 n c
    for n in "${!NODE_PID[@]}"; do
      kill -0 "${NODE_PID[$n]}" 2>/dev/null || continue
      c=$(curl -sf -H "Authorization: Bearer $(cat "$TOKEN_FILE")" "http://127.0.0.1:${NODE_ADMIN[$n]}/api/calls" \
          | sed -n 's/.*"count":\([0-9]*\).*/\1/p')
      open=$((open + ${c:-1}))
    done
    [ "$open" = 0 ] && return 0
    sleep 1
  done
  say "WARNING: calls still open after 120 s"
}

# The fault: SIGKILL node B at KILL_AT, start it again at RESTART_AT (the sub-shell only waits; the
# kill and restart happen here, in the main shell, so that it keeps the node's pid).
fault_due() { [ -n "$KILL_AT" ] && [ "$MODE" != bench ]; }
if fault_due; then
  event "load start"
  T_LOAD=$(date +%s)
  (run_steps load "$STEPS"; echo done >"$WORK/steps.done") &
  STEPS_PID=$!
  until [ $(( $(date +%s) - T_LOAD )) -ge "$KILL_AT" ]; do sleep 0.2; done
  kill -9 "${NODE_PID[b]}"; event "kill node-b pid ${NODE_PID[b]}"
  say "node-b killed (SIGKILL) at t=${KILL_AT}s; open calls on it end with it"
  if [ -n "$RESTART_AT" ]; then
    until [ $(( $(date +%s) - T_LOAD )) -ge "$RESTART_AT" ]; do sleep 0.2; done
    start_node b; wait_node b
    say "node-b restarted at t=${RESTART_AT}s (pid ${NODE_PID[b]}), healthy after $(( $(date +%s) - T_LOAD - RESTART_AT ))s"
    wait_active b
  fi
  wait "$STEPS_PID"
  if [ -n "$RESTART_AT" ] && [ -n "$REJOIN_STEPS" ]; then
    # However long node B took to come back, calls are offered once Kamailio has it again: it must take its share.
    # Meanwhile, live listening across nodes: a talking call asked for on the node that does not carry it.
    ( sleep 6; "$PYTHON" "$HERE/clustertool.py" listen --api "a=$API_A" --api "b=$API_B" --token-file "$TOKEN_FILE" \
        --timeout 30 --out "$WORK/listen.json" >>"$LOG" 2>&1 ) &
    LISTEN_PID=$!
    # Offset 5000: other dialled numbers than the first steps (the plan numbers calls idx % 10000), which their
    # called parties may have blocked with 9 9.
    STEP_I=10; OFFSET=$(( OFFSET + 5000 )); run_steps rejoin "$REJOIN_STEPS"
    wait "$LISTEN_PID"; say "$(tail -1 "$LOG")"
  fi
  # The handset processes were started in the sub-shell: wait for them by their pids.
  mapfile -t UAC_PIDS < <(awk '$2=="step"{print $NF}' "$EVENTS")
  UAC_FAIL=0
  for p in "${UAC_PIDS[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 1; done; done
  UAC_PIDS=()
elif [ "$MODE" = bench ]; then
  # The same load on one node, then on two: the same machine, the same run, the same PostgreSQL.
  RAMP_MIX="$MIX"; RAMP_TALK="$TALK_S"
  for phase in single cluster; do
    if [ "$phase" = cluster ]; then
      start_node b; wait_node b
      write_dispatcher a b; kamcmd_ dispatcher.reload >/dev/null
      wait_active b
      say "cluster phase: Kamailio sends to node-a and node-b"
    fi
    # Each node's JIT warms up (and the inmates' first calls record their names) before anything is measured.
    MIX="$RAMP_MIX"; TALK_S="$RAMP_TALK"; run_steps "warmup" "$BENCH_WARMUP"; wait_handsets; drain
    run_steps "$phase" "$BENCH_RAMP"; wait_handsets; drain
    MIX="accept_inmate_hangup:1"; TALK_S="$PLATEAU_TALK_S"; run_steps "$phase" "$BENCH_PLATEAU"; wait_handsets; drain
  done
  MIX="$RAMP_MIX"; TALK_S="$RAMP_TALK"
else
  run_steps load "$STEPS"
  wait_handsets
fi
say "all calls offered and ended at the handsets"
drain
sleep 2
kill -USR1 "$UAS_PID" 2>/dev/null; sleep 1; kill "$UAS_PID" 2>/dev/null; wait "$UAS_PID" 2>/dev/null; UAS_PID=""
kill "$SAMPLER_PID" 2>/dev/null; SAMPLER_PID=""
kamcmd_ dispatcher.list >"$WORK/dispatcher-state.txt" 2>&1

# ---- checks -----------------------------------------------------------------------------------------
"$PYTHON" "$HERE/clustertool.py" check --work "$WORK" --api "a=$API_A" --api "b=$API_B" --token-file "$TOKEN_FILE" \
  --accounts "$WORK/accounts.json" --kamailio-log "$WORK/kamailio.log" --events "$EVENTS" --mode "$MODE" \
  --out "$WORK/check.json" | tee -a "$LOG"
CHECK_RC=${PIPESTATUS[0]}
if [ "$MODE" != bench ]; then
  # The evidence: each node sealed its recordings (node B's cut calls at its restart) in its own manifests with
  # the cluster's signing key; kinline verify checks each node's part against the records in the shared database.
  for n in a b; do
    # shellcheck disable=SC2086
    out=$("$JAVA" $JAVA_OPTS "${LAUNCH[@]}" verify --config "$WORK/node-$n.yaml" --data-dir "$WORK/data-$n" 2>&1)
    rc=$?
    printf '%s\n' "$out" >"$WORK/verify-$n.txt"
    records=$(printf '%s\n' "$out" | sed -n 's/^OK: .* \([0-9]*\) call records with recordings.*/\1/p' | tail -1)
    enc=$(find "$WORK/recordings/node-$n" -path '*/20[0-9][0-9]-*/*' -name '*.wav.enc' | wc -l)
    plain=$(find "$WORK/recordings/node-$n" -path '*/20[0-9][0-9]-*/*' -name '*.wav' | wc -l)
    if [ "$ENCRYPTION" = true ] && { [ "$enc" -eq 0 ] || [ "$plain" -ne 0 ]; }; then
      say "node-$n: $enc encrypted and $plain plain recordings, with encryption on"
      CHECK_RC=1
    fi
    if [ "$rc" -ne 0 ] || [ -z "$records" ] || [ "$records" -eq 0 ]; then
      say "kinline verify node-$n FAILED (exit $rc): $(printf '%s' "$out" | grep -v ' INFO \| WARN ' | tail -5)"
      CHECK_RC=1
    else
      say "kinline verify node-$n ($enc encrypted, $plain plain recordings): $(printf '%s\n' "$out" | grep '^OK: ' | tail -1)"
    fi
  done
fi
if [ "$MODE" = bench ]; then
  "$PYTHON" "$HERE/clustertool.py" bench --work "$WORK" --api "a=$API_A" --token-file "$TOKEN_FILE" --events "$EVENTS" \
    | tee -a "$LOG"
fi
"$PYTHON" "$HERE/clustertool.py" report --work "$WORK" --out "$REPORT_DIR/$MODE-$STAMP.md" \
  --title "Kinline cluster on loopback: $MODE ($STAMP UTC)" --loadavg "$LOADAVG" --commit "$COMMIT" \
  --settings "$(if [ "$MODE" = bench ]; then echo "warm-up '$BENCH_WARMUP', ramp '$BENCH_RAMP' (talk ${TALK_S}s, mix '$MIX'), plateau '$BENCH_PLATEAU' (talk ${PLATEAU_TALK_S}s, full calls), on node-a alone, then on node-a and node-b"; else echo "steps '$STEPS' then '${REJOIN_STEPS:-}' once node-b is back, talk ${TALK_S}s, mix '$MIX', node-b killed at ${KILL_AT:-never}s, restarted at ${RESTART_AT:-never}s"; fi)" \
  | tee -a "$LOG"
if [ "$MODE" = bench ]; then
  # A bench goes past the machine's limit on purpose: the calls that fail there are its result (the report's
  # "checks failed" column), not a failure of the run.
  say "bench finished: $(sed -n 's/.*"problem_count": \([0-9]*\).*/\1/p' "$WORK/check.json") calls not as planned (per step in the report)"
  exit 0
fi
[ "$CHECK_RC" -eq 0 ] && say "PASS ($MODE)" || say "FAILED ($MODE)"
exit "$CHECK_RC"
