#!/usr/bin/env bash
# A real S3 server on loopback for tests: a single-node Ceph cluster (one
# monitor, one memstore OSD, no mgr) plus the RADOS Gateway, all installed
# from Debian packages and run as plain processes (there is no container
# engine on the build machines).
#
# Usage:
#   eng/s3-test-server.sh start    install if needed, start, print env lines
#   eng/s3-test-server.sh stop     stop our daemons (by pid file), remove state
#   eng/s3-test-server.sh env      print `export` lines for the tests
#   eng/s3-test-server.sh status   exit 0 if running and answering, else 1
#
#   eval "$(eng/s3-test-server.sh start)"   # or: start, then eval "$(... env)"
#
# Environment:
#   STRICTURE_S3_STATE_DIR      state folder (default: <repo>/.s3-test-server)
#   STRICTURE_S3_PORT           S3 port on 127.0.0.1 (default 7480)
#   STRICTURE_S3_MON_PORT       monitor port on 127.0.0.1 (default S3 port + 1)
#   STRICTURE_S3_START_TIMEOUT  seconds to wait for S3 to answer (default 60)
#
# Everything (config, data, logs, pid files, sockets) lives in the state
# folder; nothing is written to /etc/ceph, /var/lib/ceph or /var/log/ceph.
# Data lives in RAM (memstore): stopping the server discards it.

set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO
readonly STATE_DIR="${STRICTURE_S3_STATE_DIR:-$REPO/.s3-test-server}"
readonly CONF="$STATE_DIR/ceph.conf"
# Written once the server is up; lets `env`/`status`/`stop` find the ports a
# `start` used even when they are called without the same variables.
readonly PORTS_FILE="$STATE_DIR/ports"
readonly LOG_DIR="$STATE_DIR/log"
readonly RUN_DIR="$STATE_DIR/run"
readonly MON_PID_FILE="$RUN_DIR/mon.a.pid"
readonly OSD_PID_FILE="$RUN_DIR/osd.0.pid"
readonly RGW_PID_FILE="$RUN_DIR/client.rgw.a.pid"
readonly MON_LOG="$LOG_DIR/mon.a.log"
readonly OSD_LOG="$LOG_DIR/osd.0.log"
readonly RGW_LOG="$LOG_DIR/client.rgw.a.log"

# Fixed test credentials: this server only listens on loopback and holds
# throwaway data, so a well-known key is what the tests want.
readonly S3_USER="stricture-test"
readonly ACCESS_KEY="STRICTURETESTACCESS1"
readonly SECRET_KEY="stricture-test-secret-key-0123456789abcd"
readonly REGION="us-east-1"

readonly START_TIMEOUT="${STRICTURE_S3_START_TIMEOUT:-60}"
readonly STOP_TIMEOUT=10
# `ceph` CLI calls block forever when the monitor is unreachable.
readonly CLI_TIMEOUT=10

# Ports: an explicit variable wins; otherwise reuse what the running server
# recorded; otherwise the defaults (monitor next to S3).
recorded_port() { # $1 = key in the ports file
    if [[ -f "$PORTS_FILE" ]]; then sed -n "s/^$1=//p" "$PORTS_FILE"; fi
}
RUNNING_PORT="$(recorded_port s3)"
if [[ -n "${STRICTURE_S3_PORT:-}" ]]; then
    PORT="$STRICTURE_S3_PORT"
    MON_PORT="${STRICTURE_S3_MON_PORT:-$((PORT + 1))}"
elif [[ -n "$RUNNING_PORT" ]]; then
    PORT="$RUNNING_PORT"
    MON_PORT="${STRICTURE_S3_MON_PORT:-$(recorded_port mon)}"
else
    PORT=7480
    MON_PORT="${STRICTURE_S3_MON_PORT:-$((PORT + 1))}"
fi
readonly RUNNING_PORT PORT MON_PORT
readonly ENDPOINT="http://127.0.0.1:$PORT"

log() { echo "s3-test-server: $*" >&2; }
die() { log "error: $*"; exit 1; }

# --- installation -----------------------------------------------------------

readonly PACKAGES=(radosgw ceph-mon ceph-osd ceph-common uuid-runtime curl)
readonly COMMANDS=(radosgw radosgw-admin ceph-mon ceph-osd ceph monmaptool uuidgen curl)

ensure_installed() {
    local cmd missing=0
    for cmd in "${COMMANDS[@]}"; do
        command -v "$cmd" >/dev/null 2>&1 || missing=1
    done
    ((missing)) || return 0

    local sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: ${PACKAGES[*]}"
        sudo=(sudo)
    fi
    # apt and dpkg are chatty: keep their output aside, show it on failure.
    local apt_log
    apt_log="$(mktemp)"
    apt_install() {
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y --no-install-recommends "${PACKAGES[@]}" >>"$apt_log" 2>&1
    }
    apt_update() { "${sudo[@]}" apt-get update >>"$apt_log" 2>&1; }

    log "installing ${PACKAGES[*]} (about 30 s)"
    # Refresh the package lists only when apt does not know the packages yet;
    # a stale list can also point at files the mirror dropped: refresh, retry once.
    if ! { { apt-cache show radosgw >/dev/null 2>&1 || apt_update; } && apt_install; } &&
        ! { apt_update && apt_install; }; then
        log "last lines of the apt output:"
        tail -n 30 "$apt_log" >&2
        rm -f "$apt_log"
        die "package installation failed"
    fi
    rm -f "$apt_log"
}

# --- processes --------------------------------------------------------------

# Prints the pid from a pid file if that process is alive AND is one of ours
# (its command line names our ceph.conf). The second check guards against a
# stale pid file whose pid the kernel has since given to someone else.
our_pid() { # $1 = pid file
    local pid
    [[ -s "$1" ]] || return 1
    pid="$(<"$1")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ -r "/proc/$pid/cmdline" ]] || return 1
    tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF -- "$CONF" || return 1
    echo "$pid"
}

# S3 answers when an anonymous ListBuckets returns HTTP 200.
s3_answers() {
    local code
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$ENDPOINT/" 2>/dev/null)" || return 1
    [[ "$code" == 200 ]]
}

# True when radosgw is alive but stopped (state T): a test is simulating an
# outage with SIGSTOP, so the server must be left alone, not restarted.
rgw_paused() {
    local pid stat
    pid="$(our_pid "$RGW_PID_FILE")" || return 1
    stat="$(<"/proc/$pid/stat")" || return 1
    # The state is the first field after the ")" closing the command name.
    stat="${stat##*) }"
    [[ "${stat%% *}" == T ]]
}

daemons_alive() {
    our_pid "$MON_PID_FILE" >/dev/null &&
        our_pid "$OSD_PID_FILE" >/dev/null &&
        our_pid "$RGW_PID_FILE" >/dev/null
}

is_running() {
    daemons_alive && s3_answers
}

# SIGTERM, bounded wait, then SIGKILL: only for a pid we verified is ours.
stop_daemon() { # $1 = pid file, $2 = name for messages
    local pid deadline
    pid="$(our_pid "$1")" || return 0
    log "stopping $2 (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || return 0
    # A test may have left it SIGSTOPped; it cannot act on SIGTERM until continued.
    kill -CONT "$pid" 2>/dev/null || true
    deadline=$((SECONDS + STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "$2 ignored SIGTERM for ${STOP_TIMEOUT}s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
}

stop_all_daemons() {
    # Reverse start order: the gateway first so it does not log a dying cluster.
    stop_daemon "$RGW_PID_FILE" radosgw
    stop_daemon "$OSD_PID_FILE" ceph-osd
    stop_daemon "$MON_PID_FILE" ceph-mon
}

# --- ports ------------------------------------------------------------------

port_in_use() { # $1 = port
    if command -v ss >/dev/null 2>&1; then
        [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]
    else
        # Fallback: anything accepting a connection on loopback.
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

check_ports_free() {
    [[ "$PORT" =~ ^[0-9]+$ && "$MON_PORT" =~ ^[0-9]+$ ]] || die "ports must be numbers (S3 '$PORT', monitor '$MON_PORT')"
    ((PORT != MON_PORT)) || die "S3 port and monitor port are both $PORT"
    port_in_use "$PORT" &&
        die "port $PORT is already in use by another process (not this server's state in $STATE_DIR); set STRICTURE_S3_PORT to a free port"
    port_in_use "$MON_PORT" &&
        die "monitor port $MON_PORT is already in use by another process; set STRICTURE_S3_MON_PORT to a free port"
    return 0
}

# --- waiting ----------------------------------------------------------------

# One deadline for the whole start, so the total wait stays bounded.
DEADLINE=0

fail_start() { # $1 = message, $2 = log to show
    log "error: $1"
    if [[ -f "$2" ]]; then
        log "last lines of $2:"
        tail -n 30 "$2" >&2
    fi
    # Leave no half-started daemons behind; keep the folder for its logs
    # (the next start wipes it).
    stop_all_daemons
    log "logs kept in $LOG_DIR"
    exit 1
}

wait_for() { # $1 = what, $2 = log to show on failure, rest = check command
    local what="$1" logf="$2"
    shift 2
    until "$@"; do
        ((SECONDS < DEADLINE)) || fail_start "$what not ready within ${START_TIMEOUT}s" "$logf"
        sleep 0.5
    done
}

ceph_cli() {
    timeout "$CLI_TIMEOUT" ceph -c "$CONF" "$@"
}

mon_answers() { ceph_cli mon stat >/dev/null 2>&1; }

osd_up() {
    local stat
    stat="$(ceph_cli osd stat -f json 2>/dev/null)" || return 1
    [[ "$stat" == *'"num_up_osds":1,'* || "$stat" == *'"num_up_osds":1}'* ]]
}

pid_file_written() { our_pid "$1" >/dev/null; }

# --- cluster setup ----------------------------------------------------------

# Runs a ceph program without the start/stop lock's descriptor: the daemons
# never close inherited descriptors, and one holding the lock would make
# every later start/stop wait for it forever.
no_lock() { "$@" 9<&-; }

write_conf() {
    # auth none everywhere: loopback-only throwaway cluster, no keyrings to manage.
    cat >"$CONF" <<EOF
# Generated by eng/s3-test-server.sh; recreated on every start.
[global]
fsid = $(uuidgen)
mon host = 127.0.0.1:$MON_PORT
public addr = 127.0.0.1
cluster addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
# Everything inside the state folder, nothing under /var or /etc.
run dir = $RUN_DIR
crash dir = $STATE_DIR/crash
log file = $LOG_DIR/\$name.log
mon cluster log file = $LOG_DIR/cluster.log
# One OSD: replicas of one, few PGs, no autoscaler (there is no mgr anyway).
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000

[mon.a]
mon data = $STATE_DIR/mon.a
pid file = $MON_PID_FILE
log file = $MON_LOG
admin socket = $RUN_DIR/mon.a.asok

[osd.0]
osd data = $STATE_DIR/osd.0
osd objectstore = memstore
memstore device bytes = $((2 * 1024 * 1024 * 1024))
pid file = $OSD_PID_FILE
log file = $OSD_LOG
admin socket = $RUN_DIR/osd.0.asok

[client.rgw.a]
rgw data = $STATE_DIR/rgw
pid file = $RGW_PID_FILE
log file = $RGW_LOG
admin socket = $RUN_DIR/client.rgw.a.asok
# Without this radosgw hangs at start with
# "get_initial_auth_request returned -13" under auth none.
ms mon client mode = crc secure
# Without tcp_nodelay a GET on a kept-alive connection stalls 40-60 ms.
rgw frontends = beast endpoint=127.0.0.1:$PORT tcp_nodelay=1
EOF
}

start_mon() {
    local fsid
    fsid="$(sed -n 's/^fsid = //p' "$CONF")"
    mkdir -p "$STATE_DIR/mon.a"
    monmaptool --create --clobber --fsid "$fsid" --add a "127.0.0.1:$MON_PORT" \
        "$STATE_DIR/monmap" >/dev/null
    no_lock ceph-mon -c "$CONF" --mkfs -i a --monmap "$STATE_DIR/monmap" >>"$MON_LOG" 2>&1 ||
        fail_start "ceph-mon --mkfs failed" "$MON_LOG"
    no_lock ceph-mon -c "$CONF" -i a >>"$MON_LOG" 2>&1 ||
        fail_start "ceph-mon did not start" "$MON_LOG"
    wait_for "monitor" "$MON_LOG" mon_answers
}

start_osd() {
    local uuid id
    uuid="$(uuidgen)"
    mkdir -p "$STATE_DIR/osd.0"
    id="$(ceph_cli osd new "$uuid" 2>>"$OSD_LOG")" || fail_start "ceph osd new failed" "$OSD_LOG"
    [[ "$id" == 0 ]] || fail_start "ceph osd new returned id '$id', expected 0" "$OSD_LOG"
    no_lock ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$uuid" >>"$OSD_LOG" 2>&1 ||
        fail_start "ceph-osd --mkfs failed" "$OSD_LOG"
    no_lock ceph-osd -c "$CONF" -i 0 >>"$OSD_LOG" 2>&1 ||
        fail_start "ceph-osd did not start" "$OSD_LOG"
    wait_for "OSD" "$OSD_LOG" osd_up
}

start_rgw() {
    mkdir -p "$STATE_DIR/rgw"
    # radosgw creates its pools on first start; with no mgr the mon creates the PGs.
    no_lock radosgw -c "$CONF" -n client.rgw.a >>"$RGW_LOG" 2>&1 ||
        fail_start "radosgw did not start" "$RGW_LOG"
    # radosgw's parent returns before the daemon has written its pid file.
    wait_for "radosgw pid file" "$RGW_LOG" pid_file_written "$RGW_PID_FILE"
    wait_for "S3 endpoint $ENDPOINT" "$RGW_LOG" s3_answers
}

create_user() {
    local out
    # Created after the gateway answers, so radosgw-admin finds the zone and
    # pools radosgw made rather than racing it to create them.
    out="$(timeout 30 radosgw-admin -c "$CONF" user create --uid="$S3_USER" \
        --display-name="Stricture tests" --access-key="$ACCESS_KEY" \
        --secret-key="$SECRET_KEY" 2>&1)" ||
        { log "$out"; fail_start "radosgw-admin user create failed" "$RGW_LOG"; }
    # A signed request proves the key works, not just that the port is open.
    wait_for "signed S3 request" "$RGW_LOG" signed_request_ok
}

signed_request_ok() {
    local code
    # curl 7.88 (Debian 12) does not send x-amz-content-sha256 by itself and
    # RGW then answers SignatureDoesNotMatch; given the header, curl signs it.
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
        --aws-sigv4 "aws:amz:$REGION:s3" --user "$ACCESS_KEY:$SECRET_KEY" \
        -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
        "$ENDPOINT/" 2>/dev/null)" || return 1
    [[ "$code" == 200 ]]
}

# --- commands ---------------------------------------------------------------

cmd_env() {
    cat <<EOF
export STRICTURE_TEST_S3_ENDPOINT=$ENDPOINT
export STRICTURE_TEST_S3_ACCESS_KEY=$ACCESS_KEY
export STRICTURE_TEST_S3_SECRET_KEY=$SECRET_KEY
export STRICTURE_TEST_S3_REGION=$REGION
export STRICTURE_TEST_S3_RGW_PID_FILE=$RGW_PID_FILE
export STRICTURE_TEST_S3_OSD_PID_FILE=$OSD_PID_FILE
export STRICTURE_TEST_S3_MON_PID_FILE=$MON_PID_FILE
EOF
}

cmd_status() {
    is_running
}

cmd_start() {
    # Never restart a server other tests may be using just to move its port.
    if [[ -n "$RUNNING_PORT" && "$RUNNING_PORT" != "$PORT" ]] && daemons_alive; then
        die "already running on port $RUNNING_PORT (state in $STATE_DIR); stop it first to use port $PORT"
    fi
    if is_running || { daemons_alive && rgw_paused; }; then
        rgw_paused && log "radosgw is paused (SIGSTOP) by a test; leaving it as it is"
        cmd_env
        return 0
    fi
    ensure_installed
    # Leftovers of a crashed or half-started run: ours to clean, by pid file.
    stop_all_daemons
    rm -rf "$STATE_DIR"
    check_ports_free

    DEADLINE=$((SECONDS + START_TIMEOUT))
    local started=$SECONDS
    mkdir -p "$STATE_DIR" "$LOG_DIR" "$RUN_DIR" "$STATE_DIR/crash"
    write_conf
    start_mon
    start_osd
    start_rgw
    create_user
    printf 's3=%s\nmon=%s\n' "$PORT" "$MON_PORT" >"$PORTS_FILE"
    log "S3 ready at $ENDPOINT after $((SECONDS - started))s (state in $STATE_DIR)"
    cmd_env
}

cmd_stop() {
    stop_all_daemons
    rm -rf "$STATE_DIR"
}

# Serialise start/stop: parallel test projects may all call `start` at once;
# the later ones must wait and then find the server running. The lock is on
# this script file (never written) so it needs no file of its own.
take_lock() {
    exec 9<"${BASH_SOURCE[0]}"
    flock -w $((START_TIMEOUT + 60)) 9 || die "timed out waiting for another start/stop to finish"
}

main() {
    case "${1:-}" in
    start) take_lock; cmd_start ;;
    stop) take_lock; cmd_stop ;;
    env) cmd_env ;;
    status) cmd_status ;;
    *)
        echo "usage: $0 {start|stop|env|status}" >&2
        exit 2
        ;;
    esac
}

main "$@"
