#!/bin/bash
# HEALTHCHECK: GET /api/health on the admin port, healthy only on "200" (the store and SIP are up).
# Plain bash (/dev/tcp), so the image needs no curl and no second JVM every interval.
port="${KINLINE_ADMIN_PORT:-8080}"
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
read -r -t 3 _ status _ <&3 || exit 1
[ "$status" = 200 ]
