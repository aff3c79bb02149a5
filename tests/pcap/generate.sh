#!/usr/bin/env bash
# Regenerates the committed DTMF pcaps and tone files with io.kinline.tests.pcap.DtmfPcapWriter, and the
# talk WAVs of the hand-call scenarios with sox.
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
# Speech for the hand-call scenarios' rtp_stream (PT 0, looped): the handset counts one to ten in English
# with 0.55 s between the numbers, the called party in Spanish with 0.9 s, from the prompt library. A
# recording of a hand call has a voice on each channel, and the two rhythms differ enough for a test to
# tell which voice is on which channel (io.kinline.e2e.Voices). Headerless mu-law: rtp_stream sends a
# file's bytes as they are, so a WAV header would go out as a click at every loop.
talk() {
  local lang=$1 gap=$2 out=$3 silence parts=()
  silence="$(mktemp --suffix=.wav)"
  sox -n -r 8000 -c 1 -b 16 -e signed-integer "$silence" trim 0 "$gap"
  for n in 1 2 3 4 5 6 7 8 9 10; do
    parts+=("$ROOT/config/prompts/$lang/num-$n.wav" "$silence")
  done
  sox -D "${parts[@]}" -t ul -r 8000 -c 1 "$out"   # -D: no dither, the same bytes every time
  rm -f "$silence"
}
talk en 0.55 "$OUT/talk-inmate-en.ulaw"
talk es 0.9 "$OUT/talk-called-es.ulaw"
ls -l "$OUT"
