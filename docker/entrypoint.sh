#!/bin/sh
# Kinline container entry point. `run` (the default) starts the switch with the mounted configuration and
# data directory; `token create` and `reconcile` get the same two, so they open the node's store; any other
# kinline command runs as given, e.g.
#   docker compose run --rm kinline-a token create --name ops --role admin
set -eu
umask 077
CONFIG="${KINLINE_CONFIG:-/etc/kinline/kinline.yaml}"
DATA="${KINLINE_DATA:-/var/lib/kinline}"
case "${1:-run}" in
  run)
    [ "$#" -gt 0 ] && shift
    set -- run --config "$CONFIG" --data-dir "$DATA" "$@" ;;
  token)
    if [ "${2:-}" = create ]; then shift 2; set -- token create --config "$CONFIG" --data-dir "$DATA" "$@"; fi ;;
  reconcile)
    shift; set -- reconcile --config "$CONFIG" --data-dir "$DATA" "$@" ;;
esac
# JAVA_OPTS is split on spaces on purpose (a list of JVM flags).
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar /opt/kinline/kinline.jar "$@"
