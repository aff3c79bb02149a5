#!/usr/bin/env bash
# Generates the synthetic prompt audio from prompts.tsv with espeak-ng and sox.
#
#   ./generate.sh                 # every prompt of every language
#   ./generate.sh welcome busy    # only these names
#   LANGS="es" ./generate.sh      # only these languages
#
# Output: <lang>/<name>.wav, 8 kHz 16-bit mono PCM. Each file is trimmed to <= 50 ms of silence at
# either end (30 ms of padding is put back so words don't start with a click), high-passed at 120 Hz
# (phones don't reproduce it and it wastes headroom), and gain-adjusted so the loudest 50 ms window
# sits at about -16 dBFS RMS while no sample exceeds -1 dBFS. That gives every prompt the same
# loudness whatever its length, which matters when words are strung together ("three dollars and ...").
#
# The output is deterministic (no dither) for a given espeak-ng/sox version, so re-running it only changes files
# whose text changed. A human recording dropped in place of a generated file will be overwritten if you
# regenerate that name: keep human recordings in an override directory instead (see README.md).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
tsv="$here/prompts.tsv"
rate_wpm="${RATE_WPM:-160}"     # espeak-ng words per minute; its default (175) is hurried on a phone
target_rms_pk="${TARGET_RMS_PK:--16}"
max_peak="-1"

command -v espeak-ng >/dev/null || { echo "espeak-ng not found" >&2; exit 1; }
command -v sox >/dev/null || { echo "sox not found" >&2; exit 1; }

voice_for() {
  case "$1" in
    en) echo "en-us" ;;
    es) echo "es-419" ;;
    *) echo "$1" ;;
  esac
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The header (first non-comment line) names the languages: name<TAB>en<TAB>es...
header=""
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  header="$line"
  break
done < "$tsv"
# Tabs are IFS whitespace, so bash would merge empty cells; split on a non-whitespace separator.
us=$'\x1f'
IFS="$us" read -r -a cols <<< "${header//$'\t'/$us}"
[[ "${cols[0]}" == "name" ]] || { echo "prompts.tsv: header must start with 'name'" >&2; exit 1; }
langs=("${cols[@]:1}")
if [[ -n "${LANGS:-}" ]]; then
  read -r -a langs <<< "$LANGS"
fi

declare -A wanted=()
for n in "$@"; do wanted["$n"]=1; done

count=0
seen_header=0
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  if [[ $seen_header -eq 0 ]]; then seen_header=1; continue; fi
  IFS="$us" read -r -a cells <<< "${line//$'\t'/$us}"
  name="${cells[0]}"
  if [[ $# -gt 0 && -z "${wanted[$name]:-}" ]]; then continue; fi
  for i in "${!cols[@]}"; do
    [[ $i -eq 0 ]] && continue
    lang="${cols[$i]}"
    [[ " ${langs[*]} " == *" $lang "* ]] || continue
    text="${cells[$i]:-}"
    [[ -z "$text" ]] && continue
    mkdir -p "$here/$lang"
    out="$here/$lang/$name.wav"
    # A cell starting with <speak> is SSML, e.g. to say an English place name with English sounds
    # inside a Spanish sentence: <speak>el Centro <voice xml:lang="en-US">South Central</voice></speak>
    ssml=()
    [[ "$text" == "<speak>"* ]] && ssml=(-m)
    espeak-ng "${ssml[@]}" -v "$(voice_for "$lang")" -s "$rate_wpm" -w "$tmp/raw.wav" -- "$text"
    # Trim (0.3% threshold, 20 ms hold), high-pass, resample with the high-quality rate filter.
    sox -D -V1 "$tmp/raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$tmp/mid.wav" \
      silence 1 0.02 0.3% reverse silence 1 0.02 0.3% reverse highpass 120 rate -v 8000
    stats="$(sox "$tmp/mid.wav" -n stats 2>&1)"
    pk="$(awk '/^Pk lev dB/ {print $4}' <<< "$stats")"
    rmspk="$(awk '/^RMS Pk dB/ {print $4}' <<< "$stats")"
    gain="$(awk -v t="$target_rms_pk" -v m="$max_peak" -v p="$pk" -v r="$rmspk" \
      'BEGIN { g = t - r; if (p + g > m) g = m - p; printf "%.2f", g }')"
    sox -D -V1 "$tmp/mid.wav" "$out" gain "$gain" pad 0.03 0.03
    count=$((count + 1))
  done
done < "$tsv"
echo "generated $count prompt files under $here"
