#!/usr/bin/env bash
# Secure-media unit costs in one run, beside their reference: libsrtp2 (media/src/test/c/srtp_peer.c
# bench) and Kinline's SRTP (SecureMediaCpu, both crypto back-ends), both as CPU time per packet on the
# same packet sizes (172-byte G.711 and 100-byte Opus packets), with JMH's SrtpBenchmark beside them
# (wall time, and bytes allocated per packet); then the DTLS-SRTP handshake (DtlsHandshakeLoad) and the
# codec work per 20 ms frame (SecureMediaCpu: Opus both ways against G.711). CPU time is the figure to
# compare on a shared machine; JMH's wall time there includes waiting for a core.
#
# Usage: flock /tmp/kinline-bench.lock tests/bench/srtp.sh      (after: mvn -B -q package -DskipTests)
# Environment: JAVA [$JAVA_HOME/bin/java], COUNT [1000000] libsrtp packets per size, HANDSHAKES [200]
# Output: stdout and tests/bench/results/secure-media-<UTC date>.md, with the commit and load average.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
JAVA="${JAVA:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java}"
COUNT="${COUNT:-1000000}"
HANDSHAKES="${HANDSHAKES:-200}"
STAMP="$(date -u +%Y%m%d-%H%M%S)"
REPORT="tests/bench/results/secure-media-$STAMP.md"
PEER="$(mktemp -d /tmp/kinline-srtp.XXXXXX)/srtp_peer"
trap 'rm -rf "$(dirname "$PEER")"' EXIT

[ -f tests/target/benchmarks.jar ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
gcc -O2 -o "$PEER" media/src/test/c/srtp_peer.c -lsrtp2
KEY=e1f97a0d3e018be0d64fa32c06de41390ec675ad498afeebb6960b3aabe6

{
  echo "# Secure media units, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- commit: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with local changes)')"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; $("$JAVA" -version 2>&1 | head -1)"
  echo
  echo "## libsrtp2 (CPU time per packet, $COUNT packets)"
  echo '```'
  for size in 172 100; do "$PEER" bench "$KEY" "$size" "$COUNT"; done
  echo '```'
  echo
  echo "## Kinline SRTP and codecs (CPU time per operation)"
  echo '```'
  "$JAVA" -cp tests/target/benchmarks.jar io.kinline.bench.SecureMediaCpu
  echo '```'
  echo
  echo "## Kinline SRTP (JMH: wall ns and bytes allocated per packet)"
  echo '```'
  "$JAVA" -jar tests/target/benchmarks.jar SrtpBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s \
    -prof gc 2>/dev/null | grep -E '^(Benchmark|SrtpBenchmark\.)' || true
  echo '```'
  echo
  echo "## DTLS-SRTP handshake (client and server in one process, $HANDSHAKES handshakes)"
  echo '```'
  "$JAVA" -cp tests/target/benchmarks.jar io.kinline.bench.DtlsHandshakeLoad "$HANDSHAKES"
  echo '```'
  echo
  echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$REPORT"
