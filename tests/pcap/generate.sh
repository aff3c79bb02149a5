#!/usr/bin/env bash
# Regenerates the committed DTMF pcaps and tone files with io.kinline.tests.pcap.DtmfPcapWriter.
# Usage: tests/pcap/generate.sh   (from the repository root; compiles the tests module first if needed)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/tests/pcap"
CLASSES="$ROOT/tests/target/classes"
if [ ! -f "$CLASSES/io/kinline/tests/pcap/DtmfPcapWriter.class" ]; then
  (cd "$ROOT" && mvn -B -q -o -pl tests -am compile)
fi
CP="$CLASSES:$(find ~/.m2/repository/org/slf4j/slf4j-api -name 'slf4j-api-*.jar' | head -1)"
gen() { java -cp "$CP" io.kinline.tests.pcap.DtmfPcapWriter "$@" >/dev/null; }

# RFC 4733 only (packets only during events): 120 ms per digit, 80 ms between digits.
for d in '1234#' '5678#' '0000#' 1 2 5 9 99; do
  name="${d//#/h}"
  gen "$d" "$OUT/dtmf-$name.pcap" --mode rfc4733
  # Same digits inside a continuous PCMU stream (silence around the events).
  gen "$d" "$OUT/dtmf-$name-audio.pcap" --mode audio
done
# In-band (PCMU dual tones, 120 ms tone / 80 ms silence).
gen '1234#' "$OUT/inband-1234h.pcap" --mode inband
# One second of 440 Hz PCMU, and one second of PCMU silence (for "audio flows" checks).
gen '' "$OUT/tone-440-1s.pcap" --mode audio --lead-ms 1000 --tail-ms 0 --fill-tone 440
gen '' "$OUT/silence-1s.pcap" --mode audio --lead-ms 1000 --tail-ms 0
# DTMF tones 1234# as audio for SIPp rtp_stream (headerless mu-law, PT 0) and as a mu-law WAV.
gen --wav '1234#' "$OUT/inband-1234h.ulaw"
gen --wav '1234#' "$OUT/inband-1234h.wav"
ls -l "$OUT"
