#!/bin/sh
# Makes the two secrets docker/compose.yaml hands to its services, once: the PostgreSQL password and the
# cluster key (32 random bytes, hex) that opens the secrets the Kinline nodes share. Existing files are
# kept: a new cluster key would not open the secrets already in the database.
#
# The directory is the operator's only (700); the files are readable (644) because Compose bind-mounts
# them into containers that run as other users (kinline, postgres). Back both up with the database.
set -eu
cd "$(dirname "$0")"
umask 077
mkdir -p secrets certs
chmod 700 secrets
for name in db-password cluster-key; do
  if [ -s "secrets/$name" ]; then
    echo "secrets/$name exists, kept"
  else
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"secrets/$name"
    echo "secrets/$name created"
  fi
  chmod 644 "secrets/$name"
done
