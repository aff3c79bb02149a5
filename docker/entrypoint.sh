#!/bin/sh
# Kinline container entry point: `run` (the default) starts the switch with the mounted configuration
# and data directory; any other kinline command (token, secrets, verify, ...) runs as given, e.g.
#   docker compose run --rm kinline-a token create --name ops --role admin
set -eu
umask 077
if [ "${1:-run}" = run ]; then
  [ "$#" -gt 0 ] && shift
  set -- run --config "${KINLINE_CONFIG:-/etc/kinline/kinline.yaml}" --data-dir "${KINLINE_DATA:-/var/lib/kinline}" "$@"
fi
# JAVA_OPTS is split on spaces on purpose (a list of JVM flags).
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar /opt/kinline/kinline.jar "$@"
