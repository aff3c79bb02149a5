#!/usr/bin/env bash
# Builds docker/Dockerfile with podman and runs the image (issue 14), on a machine that cannot pull
# from Docker Hub: the Dockerfile's base images (eclipse-temurin:25-jdk / 25-jre by default) are
# replaced, through its build arguments, by local ones made here from Debian packages:
#
#   rootfs      debootstrap --variant=minbase bookworm (cached in $CACHE/rootfs)
#   jdk image   rootfs + this machine's JDK 25 ($JAVA_HOME) as /opt/java/openjdk, like Temurin's images
#   jre image   rootfs + a jlink'd Java 25 runtime of the same JDK
#
# then `podman build` (Maven from Maven Central inside the build, as for everyone) and a run of the
# image: healthy by its own HEALTHCHECK, not root, the bootstrap admin token written mode 600 to the
# data volume, heap sized from the container's memory limit, and with PostgreSQL (Debian's, started
# here on loopback) the node creates its admin token on the database too.
#
#   tests/docker/run.sh            exit 0 pass, 1 a check failed, 2 cannot run here (says why)
#
# Environment: CACHE (/var/tmp/kinline-podman), JAVA_HOME (Temurin 25), PODMAN_RUNTIME (runc),
# KEEP=1 keeps the images and the work directory.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${CACHE:-/var/tmp/kinline-podman}"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
RUNTIME="${PODMAN_RUNTIME:-runc}"
KEEP="${KEEP:-0}"
WORK="$(mktemp -d /tmp/kinline-docker.XXXXXX)"
TAG="localhost/kinline:test-$$"
CTR="kinline-test-$$"
PG_PID=""
say() { echo "[$(date -u +%H:%M:%S)] $*"; }
cannot() { say "CANNOT RUN: $*"; exit 2; }
fail() { say "FAIL: $*"; exit 1; }

cleanup() {
  local rc=$?
  podman rm -f "$CTR" "$CTR-pg" >/dev/null 2>&1
  if [ -n "$PG_PID" ]; then "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1; fi
  if [ "$KEEP" != 1 ]; then
    podman rmi -f "$TAG" >/dev/null 2>&1
    rm -rf "$WORK"
  else
    echo "kept: $WORK, image $TAG"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- what this needs ---------------------------------------------------------------------------------
command -v podman >/dev/null || cannot "podman is not installed (apt-get install podman)"
command -v "$RUNTIME" >/dev/null || cannot "OCI runtime $RUNTIME missing (apt-get install $RUNTIME)"
[ -x "$JAVA_HOME/bin/jlink" ] || cannot "no JDK 25 at $JAVA_HOME"
# This machine's limits are below podman's defaults and it may not raise them (no CAP_SYS_RESOURCE),
# so every container asks for less than the shell has.
ULIMITS=(--ulimit "nofile=$(( $(ulimit -n) / 2 )):$(( $(ulimit -n) / 2 ))" --ulimit "nproc=4096:4096")
PODMAN=(podman --runtime "$RUNTIME")

# ---- local base images -------------------------------------------------------------------------------
mkdir -p "$CACHE"
if [ ! -x "$CACHE/rootfs/bin/bash" ]; then
  command -v debootstrap >/dev/null || cannot "debootstrap is not installed (apt-get install debootstrap)"
  say "debootstrap bookworm into $CACHE/rootfs (once)"
  rm -rf "$CACHE/rootfs.tmp"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$CACHE/rootfs.tmp" http://deb.debian.org/debian \
    >"$CACHE/debootstrap.log" 2>&1 || cannot "debootstrap failed: $(tail -3 "$CACHE/debootstrap.log")"
  mv "$CACHE/rootfs.tmp" "$CACHE/rootfs"
fi
# The JDK's trust store is this machine's (which knows any egress proxy's CA), so Maven Central is reached
# from inside the build the same way as from the host.
jdk_id="$(sha256sum "$JAVA_HOME/release" | cut -c1-12)"
JDK_IMAGE="localhost/kinline-base-jdk:25-$jdk_id"
JRE_IMAGE="localhost/kinline-base-jre:25-$jdk_id"
if ! podman image exists "$JDK_IMAGE" || ! podman image exists "$JRE_IMAGE"; then
  say "making $JDK_IMAGE and $JRE_IMAGE from the rootfs and $JAVA_HOME"
  stage="$WORK/stage"; mkdir -p "$stage"
  for kind in jdk jre; do
    rm -rf "$stage/$kind"; mkdir -p "$stage/$kind/opt/java"
    if [ "$kind" = jdk ]; then
      cp -a "$JAVA_HOME" "$stage/$kind/opt/java/openjdk"
    else
      mods=$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//' | grep -v -E '^jdk\.(jshell|jdeps|jlink|jpackage|javadoc|compiler|hotspot\.agent|jconsole|jstatd)$' | paste -sd,)
      "$JAVA_HOME/bin/jlink" --add-modules "$mods" --strip-debug --no-man-pages --no-header-files \
        --output "$stage/$kind/opt/java/openjdk" || cannot "jlink failed"
    fi
    rm -f "$stage/$kind/opt/java/openjdk/lib/security/cacerts"
    cp -L "$JAVA_HOME/lib/security/cacerts" "$stage/$kind/opt/java/openjdk/lib/security/cacerts"
    image="$JDK_IMAGE"; [ "$kind" = jre ] && image="$JRE_IMAGE"
    tar -C "$CACHE/rootfs" -c . -C "$stage/$kind" ./opt/java \
      | podman import --change 'ENV JAVA_HOME=/opt/java/openjdk' \
          --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
          --change 'CMD ["/bin/bash"]' - "$image" >/dev/null || cannot "podman import failed"
  done
  rm -rf "$stage"
fi

# ---- build -------------------------------------------------------------------------------------------
say "podman build -f docker/Dockerfile (BUILD_IMAGE=$JDK_IMAGE, RUN_IMAGE=$JRE_IMAGE)"
t0=$(date +%s)
# --format docker: the OCI image format has no HEALTHCHECK (podman would drop it with a warning).
if ! "${PODMAN[@]}" build --format docker "${ULIMITS[@]}" -f "$ROOT/docker/Dockerfile" -t "$TAG" \
    --build-arg "BUILD_IMAGE=$JDK_IMAGE" --build-arg "RUN_IMAGE=$JRE_IMAGE" "$ROOT" >"$WORK/build.log" 2>&1; then
  tail -30 "$WORK/build.log"
  fail "podman build failed (log above)"
fi
say "built $TAG in $(( $(date +%s) - t0 )) s, $(podman image inspect "$TAG" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"
user=$(podman image inspect "$TAG" --format '{{.Config.User}}')
[ "$user" = kinline ] || fail "image user is '$user', want kinline"
health=$(podman image inspect "$TAG" --format '{{json .Config.Healthcheck}}')
echo "$health" | grep -q healthcheck.sh || fail "no HEALTHCHECK in the image: $health"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# ---- run on the embedded default ---------------------------------------------------------------------
run_node() { # name, config file, data volume dir, memory
  # (podman cannot arm its own health timer without systemd here; wait_healthy runs the check itself)
  "${PODMAN[@]}" run -d --name "$1" "${ULIMITS[@]}" --network host --memory "$4" \
    -e KINLINE_ADMIN_PORT="$ADMIN" -v "$2:/etc/kinline/kinline.yaml:ro,Z" -v "$3:/var/lib/kinline:Z" "$TAG" \
    >/dev/null 2>>"$WORK/podman.err"
}
wait_healthy() { # name
  for _ in $(seq 1 90); do
    if "${PODMAN[@]}" healthcheck run "$1" >/dev/null 2>&1; then return 0; fi
    [ "$(podman inspect "$1" --format '{{.State.Running}}')" = true ] || return 1
    sleep 2
  done
  return 1
}
ADMIN=$(free_port); SIP=$(free_port)
mkdir -p "$WORK/data" && chmod 777 "$WORK/data"   # the container's user (uid 10001) writes here
cat >"$WORK/h2.yaml" <<EOF
sip: {bind: 127.0.0.1, port: $SIP}
media: {bind: 127.0.0.1, portMin: 31000, portMax: 31999}
admin: {bind: 127.0.0.1, port: $ADMIN}
store: {loadDemoData: true}
EOF
say "run: embedded store, admin port $ADMIN, memory limit 768m"
run_node "$CTR" "$WORK/h2.yaml" "$WORK/data" 768m || fail "podman run failed"
if ! wait_healthy "$CTR"; then podman logs "$CTR" 2>&1 | tail -30; fail "container never became healthy"; fi
say "healthy (HEALTHCHECK /api/health = 200)"
uid=$(podman exec "$CTR" id -u); [ "$uid" != 0 ] || fail "the switch runs as root"
mode=$(stat -c '%a %u' "$WORK/data/admin-token" 2>/dev/null) || fail "no admin-token in the data volume"
[ "${mode%% *}" = 600 ] || fail "admin-token mode ${mode%% *}, want 600"
[ "${mode##* }" = "$uid" ] || fail "admin-token owned by ${mode##* }, want the switch's uid $uid"
curl -sf -H "Authorization: Bearer $(cat "$WORK/data/admin-token")" "http://127.0.0.1:$ADMIN/api/facilities" \
  | grep -q '"scc"' || fail "the admin token does not work against the API"
heap=$(podman exec "$CTR" sh -c 'java $JAVA_OPTS -XX:+PrintFlagsFinal -version 2>/dev/null' | awk '$2=="MaxHeapSize"{print $4}')
# 60 % of 768 MiB, as the JVM rounds it
[ -n "$heap" ] && [ "$heap" -gt $((400 * 1048576)) ] && [ "$heap" -lt $((480 * 1048576)) ] \
  || fail "MaxHeapSize $heap is not 60 % of the 768 MiB limit"
say "user $uid, admin-token $mode, MaxHeapSize $((heap / 1048576)) MiB under a 768 MiB limit"
podman stop -t 20 "$CTR" >/dev/null 2>>"$WORK/podman.err"
# SIGTERM: the JVM runs the shutdown hook (calls ended, store closed) and exits with 143 (128 + SIGTERM).
code=$(podman inspect "$CTR" --format '{{.State.ExitCode}}')
[ "$code" = 143 ] || [ "$code" = 0 ] || fail "exit code $code after docker stop, want 143 (SIGTERM handled)"
say "stopped by SIGTERM: exit code $code"
podman rm -f "$CTR" >/dev/null 2>>"$WORK/podman.err"

# ---- run on PostgreSQL: the node writes the admin token there too ------------------------------------
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -n "$PG_BIN" ]; then
  AS_PG=(); [ "$(id -u)" = 0 ] && AS_PG=(runuser -u postgres --)
  PG_PORT=$(free_port)
  # PostgreSQL refuses to run as root: as root it runs as postgres, which must reach its directory.
  chmod 755 "$WORK"; mkdir -p "$WORK/pg"; [ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"; chmod 700 "$WORK/pg"
  "${AS_PG[@]}" "$PG_BIN/initdb" -D "$WORK/pg" -U kinline --auth=trust >"$WORK/pg.log" 2>&1 || fail "initdb failed"
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1" start >/dev/null \
    || fail "PostgreSQL did not start"
  PG_PID=1
  "${AS_PG[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U kinline kinline || fail "createdb failed"
  mkdir -p "$WORK/data-pg" && chmod 777 "$WORK/data-pg"
  # The secrets as docker/compose.yaml hands them over (init-secrets.sh: a 700 directory, 644 files, mounted
  # read-only at /run/secrets): the database password and the cluster key.
  mkdir -p "$WORK/secrets" && chmod 700 "$WORK/secrets"
  printf 'not-checked-by-trust-auth\n' >"$WORK/secrets/db-password"
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/secrets/cluster-key"
  chmod 644 "$WORK/secrets/db-password" "$WORK/secrets/cluster-key"
  cat >"$WORK/pg.yaml" <<EOF
sip: {bind: 127.0.0.1, port: $SIP}
media: {bind: 127.0.0.1, portMin: 31000, portMax: 31999}
admin: {bind: 127.0.0.1, port: $ADMIN}
store: {jdbcUrl: "jdbc:postgresql://127.0.0.1:$PG_PORT/kinline", username: kinline,
        passwordFile: /run/secrets/kinline_db_password}
cluster: {nodeId: kinline-a, keyFile: /run/secrets/kinline_cluster_key}
EOF
  say "run: PostgreSQL on 127.0.0.1:$PG_PORT, secrets mounted as compose does"
  "${PODMAN[@]}" run -d --name "$CTR" "${ULIMITS[@]}" --network host --memory 768m -e KINLINE_ADMIN_PORT="$ADMIN" \
    -v "$WORK/pg.yaml:/etc/kinline/kinline.yaml:ro,Z" -v "$WORK/data-pg:/var/lib/kinline:Z" \
    -v "$WORK/secrets/db-password:/run/secrets/kinline_db_password:ro,Z" \
    -v "$WORK/secrets/cluster-key:/run/secrets/kinline_cluster_key:ro,Z" "$TAG" >/dev/null 2>>"$WORK/podman.err" \
    || fail "podman run (PostgreSQL) failed"
  if ! wait_healthy "$CTR"; then podman logs "$CTR" 2>&1 | tail -30; fail "container on PostgreSQL never became healthy"; fi
  [ -s "$WORK/data-pg/admin-token" ] || fail "no admin token written on PostgreSQL"
  curl -sf -H "Authorization: Bearer $(cat "$WORK/data-pg/admin-token")" "http://127.0.0.1:$ADMIN/api/tokens" >/dev/null \
    || fail "the admin token written on PostgreSQL does not work"
  wrapped=$("${AS_PG[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U kinline -qtA kinline \
    -c "SELECT count(*) FROM cluster_secret WHERE name = 'pin-pepper' AND wrapped IS NOT NULL AND set_by = 'kinline-a'")
  [ "$wrapped" = 1 ] || fail "the node did not keep the PIN pepper wrapped by the cluster key (got '$wrapped')"
  say "on PostgreSQL: healthy, admin token $(stat -c %a "$WORK/data-pg/admin-token") works, pepper wrapped by the cluster key"
  podman stop -t 20 "$CTR" >/dev/null 2>>"$WORK/podman.err"
fi
say "PASS (podman image build and run)"
