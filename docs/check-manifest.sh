#!/usr/bin/env bash
# Checks a Kinline evidence manifest with standard tools only (bash, openssl 3, sha256sum, base64, grep):
# every line's Ed25519 signature and the hash chain. The format is in docs/EVIDENCE.md.
#
#   docs/check-manifest.sh PUBLIC_KEY.pem DAY.manifest [PREVIOUS_DAY.manifest]
#
# PUBLIC_KEY.pem: from `kinline public-key` (keep your own copy). PREVIOUS_DAY.manifest: the manifest written
# before DAY's, to check the first line's link; without it the first line must start the chain (64 zeros).
# Prints one line per problem and a summary; exits 1 if any line fails.
set -euo pipefail
key=$1
file=$2
previous=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -n "$previous" ]; then
    prev=$(tail -n 1 "$previous" | tr -d '\n' | sha256sum | cut -d' ' -f1)
else
    prev=0000000000000000000000000000000000000000000000000000000000000000
fi
n=0
bad=0
while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    printf '%s' "${line%%$'\t'*}" > "$tmp/entry.json"       # the signed bytes: the JSON before the TAB
    printf '%s' "${line#*$'\t'}" | base64 -d > "$tmp/entry.sig"
    if ! openssl pkeyutl -verify -pubin -inkey "$key" -rawin -in "$tmp/entry.json" -sigfile "$tmp/entry.sig" \
            > /dev/null 2>&1; then
        echo "line $n: signature does not verify"
        bad=1
    fi
    claimed=$(grep -o '"prev":"[0-9a-f]*"' "$tmp/entry.json" | cut -d'"' -f4)
    if [ "$claimed" != "$prev" ]; then
        echo "line $n: chain broken: prev is $claimed, the line before hashes to $prev"
        bad=1
    fi
    prev=$(printf '%s' "$line" | sha256sum | cut -d' ' -f1)  # the whole line, without its newline
done < "$file"
if [ "$bad" = 0 ]; then
    echo "$file: $n lines, signatures and chain OK"
else
    echo "$file: $n lines, FAILED"
fi
exit "$bad"
