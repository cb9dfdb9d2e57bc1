#!/usr/bin/env bash
# Benchmarks ngx_http_swr_module against Debian's docker-registry (CNCF
# distribution 2.8.2, filesystem storage) side by side on this machine, with
# the same image, in one run.  docs/performance.md says what is measured and
# how; `make bench` runs this script.
#
#   bench/run.sh            (from anywhere; paths are taken from the script)
#
# It starts its own redis-server, nginx (stock binary + load_module) and
# docker-registry on 127.0.0.1 only, under bench/out/work/, and stops exactly
# those processes (by PID) when it exits.  All traffic goes to 127.0.0.1.
#
# Authentication is on, as a production registry runs: conf/swr.conf.in has
# "swr_auth on", and the script makes what that needs with util/swr-admin in
# its own Redis (key file, token key, the account "bench" with its
# administrator and an access key, the organization "bench").  Registry
# requests carry "Authorization: Bearer <token>" from the module's
# /_swr/token; skopeo logs in with --dest-creds/--src-creds.  Distribution
# runs without authentication.  A second nginx, the same configuration with
# "swr_auth off", measures what authentication costs.
#
# The template writes the audit trail (docs/audit.md: "swr_audit_log" to a
# file, "swr_audit_redis" to a Redis stream).  A third nginx, the same
# configuration with both sinks off (authentication on, the same token),
# measures what auditing costs: manifest PUTs (wrk) and skopeo pushes of
# distinct images, alternating with the module's nginx; the records that
# really reached the file and the stream are counted.
#
# Then, unless BENCH_OBS=0, the object-store part: a Ceph RADOS Gateway
# (util/rgw.sh, stopped with "util/rgw.sh stop" on exit), a second nginx
# with "swr_storage obs" on it, docker-registry with its s3 driver on the
# same gateway (another bucket), and plain nginx proxy_pass of the same
# object as the ceiling for blob downloads.
#
# Environment (defaults in brackets):
#   BENCH_DURATION      seconds per measurement [10]
#   BENCH_WARMUP        seconds of warm-up before each measurement, 0 = none [1]
#   BENCH_CONNECTIONS   connections for the request and blob runs [32]
#   BENCH_THREADS       wrk threads [nproc]
#   BENCH_TIMEOUT       per-request timeout of wrk and hey, seconds [30]
#   BENCH_RSS_CONNECTIONS  connection steps for the worker RSS run ["32 64 128 256"]
#   BENCH_PUSH_RUNS     skopeo pushes per registry, each a distinct image [3]
#   BENCH_PULL_RUNS     skopeo pulls per registry [3]
#   BENCH_SUBJECT       module | distribution [module]; "distribution" puts
#                       a second docker-registry in the module's column, to
#                       check the harness itself (ratios should be ~1)
#   BENCH_NGINX         nginx binary [/usr/sbin/nginx]
#   BENCH_MODULE        the module [build/ngx_http_swr_module.so]
#   BENCH_NGINX_CONF    nginx template [conf/swr.conf.in]
#   BENCH_SENDFILE      sendfile for the whole nginx server, when the template
#                       does not set it [on]
#   BENCH_ACCESS_LOG    on = keep the template's access_log [off]
#   BENCH_SWR_PORT, BENCH_REDIS_PORT, BENCH_DIST_PORT, BENCH_DIST2_PORT
#                       [15080, 15079, 15050, 15051]
#   BENCH_AUTH_OFF      measure the module with "swr_auth off" too: 1 | 0 [1]
#   BENCH_NOAUTH_PORT   the port of that nginx [15082]
#   BENCH_AUDIT_OFF     measure the module with both audit sinks off too
#                       (manifest PUT and push): 1 | 0 [1]
#   BENCH_NOAUDIT_PORT  the port of that nginx [15083]
#   BENCH_AUDIT_REDIS   where the template's audit stream goes: "shared" =
#                       the registry's Redis, as the template has it, "own" =
#                       a second redis-server without persistence
#                       (swr_audit_redis ... redis=, docs/audit.md) [shared]
#   BENCH_AUDIT_REDIS_PORT  the port of that redis-server [15078]
#   BENCH_TOKEN_TTL     swr_token_ttl of the bench's nginx, seconds, when the
#                       template sets none [3600]; tokens are fetched again
#                       when half of it has passed
#   BENCH_OBS           the object-store part: 1 = run it, 0 = skip it,
#                       auto = run it when util/rgw.sh can start a gateway,
#                       only = run it alone (no filesystem part) [auto]
#   BENCH_OBS_BLOB_CONNECTIONS  connections of its 64 MiB blob runs [8]
#   BENCH_OBS_ROUNDS    its 64 MiB runs alternate between the three servers
#                       in this many rounds of BENCH_DURATION/rounds [2]
#   BENCH_OBS_SWR_PORT, BENCH_OBS_DIST_PORT, BENCH_OBS_DIST2_PORT
#                       [15081, 15052, 15053]; the gateway takes a free
#                       port unless BENCH_RGW_PORT names one
#   BENCH_OUT           output directory [bench/out]
#   BENCH_KEEP          1 = keep the servers' data in BENCH_OUT/work [0]
#   BENCH_NO_INSTALL    1 = never run apt-get; fail if a tool is missing [0]
#
# Output: a Markdown report on stdout and in BENCH_OUT/results-<date>.md;
# the raw wrk/hey/skopeo outputs in BENCH_OUT/run-<date>/.  Progress goes
# to stderr.  Exit status: 0 when every measurement was made, 2 when some
# were not (they are reported as n/a with the reason), 1 on a setup error.

set -uo pipefail
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
bench=$top/bench

DURATION=${BENCH_DURATION:-10}; DURATION=${DURATION%s}
WARMUP=${BENCH_WARMUP:-1}; WARMUP=${WARMUP%s}
CONNS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-$(nproc)}
TIMEOUT=${BENCH_TIMEOUT:-30}; TIMEOUT=${TIMEOUT%s}
RSS_CONNS=${BENCH_RSS_CONNECTIONS:-32 64 128 256}
PUSH_RUNS=${BENCH_PUSH_RUNS:-3}
PULL_RUNS=${BENCH_PULL_RUNS:-3}
SUBJECT=${BENCH_SUBJECT:-module}
NGINX=${BENCH_NGINX:-/usr/sbin/nginx}
MODULE=${BENCH_MODULE:-$top/${BUILD:-build}/ngx_http_swr_module.so}
CONF_IN=${BENCH_NGINX_CONF:-$top/conf/swr.conf.in}
SENDFILE=${BENCH_SENDFILE:-on}
ACCESS_LOG=${BENCH_ACCESS_LOG:-off}
SWR_PORT=${BENCH_SWR_PORT:-15080}
REDIS_PORT=${BENCH_REDIS_PORT:-15079}
DIST_PORT=${BENCH_DIST_PORT:-15050}
DIST2_PORT=${BENCH_DIST2_PORT:-15051}
AUTH_OFF=${BENCH_AUTH_OFF:-1}
NOAUTH_PORT=${BENCH_NOAUTH_PORT:-15082}
AUDIT_OFF=${BENCH_AUDIT_OFF:-1}
AUDIT_ROUNDS=${BENCH_AUDIT_ROUNDS:-4}
NOAUDIT_PORT=${BENCH_NOAUDIT_PORT:-15083}
AUDIT_REDIS=${BENCH_AUDIT_REDIS:-shared}
AUDIT_REDIS_PORT=${BENCH_AUDIT_REDIS_PORT:-15078}
AUDIT_REDIS_PID=""
case $AUDIT_REDIS in
shared|own) ;;
*) echo "bench: BENCH_AUDIT_REDIS must be shared or own" >&2; exit 2 ;;
esac
TOKEN_TTL=${BENCH_TOKEN_TTL:-3600}; TOKEN_TTL=${TOKEN_TTL%s}
OUT=${BENCH_OUT:-$bench/out}
KEEP=${BENCH_KEEP:-0}
OBS=${BENCH_OBS:-auto}
OBS_BLOB_CONNS=${BENCH_OBS_BLOB_CONNECTIONS:-8}
OBS_ROUNDS=${BENCH_OBS_ROUNDS:-2}
OBS_SWR_PORT=${BENCH_OBS_SWR_PORT:-15081}
OBS_DIST_PORT=${BENCH_OBS_DIST_PORT:-15052}
OBS_DIST2_PORT=${BENCH_OBS_DIST2_PORT:-15053}
RGW_PORT_WANTED=${BENCH_RGW_PORT:-}

NS=bench           # the organization (namespace) of the bench's repositories
REPO=$NS/image
TAG=v1
REGION=local      # swr_region: logins are "local@<AK>"
HOST=127.0.0.1

log()  { printf 'bench: %s\n' "$*" >&2; }
die()  { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
loud() { printf '\nbench: *** %s\n\n' "$*" >&2; }

for v in DURATION WARMUP CONNS THREADS TIMEOUT PUSH_RUNS PULL_RUNS OBS_BLOB_CONNS OBS_ROUNDS \
         AUDIT_ROUNDS TOKEN_TTL; do
    case $v in
    CONNS) var=BENCH_CONNECTIONS ;;
    OBS_BLOB_CONNS) var=BENCH_OBS_BLOB_CONNECTIONS ;;
    *) var=BENCH_$v ;;
    esac
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$var must be a whole number, not '${!v}'"
done
[ "$DURATION" -ge 1 ] || die "BENCH_DURATION must be at least 1"
[ "$PUSH_RUNS" -ge 1 ] && [ "$PULL_RUNS" -ge 1 ] || die "push/pull runs must be >= 1"
[ "$THREADS" -le "$CONNS" ] || THREADS=$CONNS
OBS_ONLY=0
case $OBS in
0|1|auto) ;;
only) OBS=1; OBS_ONLY=1 ;;
*) die "BENCH_OBS is 1, 0, auto or only, not '$OBS'" ;;
esac
[ "$OBS_BLOB_CONNS" -ge 1 ] || die "BENCH_OBS_BLOB_CONNECTIONS must be at least 1"
[ "$OBS_ROUNDS" -ge 1 ] || die "BENCH_OBS_ROUNDS must be at least 1"
[ "$AUDIT_ROUNDS" -ge 2 ] || die "BENCH_AUDIT_ROUNDS must be at least 2"
[ "$TOKEN_TTL" -ge 60 ] || die "BENCH_TOKEN_TTL must be at least 60"
case $AUTH_OFF in 0|1) ;; *) die "BENCH_AUTH_OFF is 1 or 0, not '$AUTH_OFF'" ;; esac
case $AUDIT_OFF in 0|1) ;; *) die "BENCH_AUDIT_OFF is 1 or 0, not '$AUDIT_OFF'" ;; esac
AB_DUR=$((DURATION / 2))        # the auth on/off runs: 2 rounds of this
[ "$AB_DUR" -ge 1 ] || AB_DUR=1
AB_NAMES=(manifest_get blob_head blob_64m)
case $SUBJECT in
module)       SUBJ_LABEL=module; OBS_SUBJ_LABEL='module (OBS)' ;;
distribution) SUBJ_LABEL='distribution #2'; OBS_SUBJ_LABEL='distribution #2 (S3)' ;;
*) die "BENCH_SUBJECT is module or distribution, not '$SUBJECT'" ;;
esac

mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
stamp=$(date +%Y%m%d-%H%M%S)
work=$OUT/work
raw=$OUT/run-$stamp
report=$OUT/results-$stamp.md
images=$OUT/images

# ---------------------------------------------------------------------------
# processes we start, stopped by PID on exit

started=()          # "pid:name"
transient=""        # a load generator running in the background
rgw_dir=""          # the gateway's directory once util/rgw.sh start ran

cleanup() {
    local entry pid name i
    if [ -n "$transient" ] && kill -0 "$transient" 2>/dev/null; then
        kill -TERM "$transient" 2>/dev/null
        wait "$transient" 2>/dev/null
    fi
    for ((i = ${#started[@]} - 1; i >= 0; i--)); do
        entry=${started[$i]}
        pid=${entry%%:*}
        name=${entry#*:}
        kill -0 "$pid" 2>/dev/null || continue
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "$name (pid $pid) did not stop on TERM; sending KILL"
            kill -KILL "$pid" 2>/dev/null
        fi
        wait "$pid" 2>/dev/null
        log "stopped $name (pid $pid)"
    done
    started=()
    # after its clients: util/rgw.sh stops exactly the daemons of its
    # directory (and removes it)
    if [ -n "$rgw_dir" ]; then
        "$top/util/rgw.sh" stop "$rgw_dir" >/dev/null 2>&1 \
            && log "stopped the RADOS Gateway (util/rgw.sh stop)" \
            || log "util/rgw.sh stop failed: see its daemons under $rgw_dir"
        rgw_dir=""
    fi
    if [ "$KEEP" != 1 ] && [ -d "$work" ] && [ "${work##*/}" = work ]; then
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------
# tools

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null && sudo_cmd=(sudo)
fi

# Installs Debian packages with their services kept from starting: Debian's
# docker-registry would otherwise start on :5000 (all interfaces).
install_pkgs() {
    local guard=0 rc=0 policy=/usr/sbin/policy-rc.d
    if [ "$(id -u)" -ne 0 ] && [ ${#sudo_cmd[@]} -eq 0 ]; then
        die "missing packages ($*), and not root: install them first"
    fi
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\n# bench/run.sh: no service starts during its apt-get\nexit 101\n' \
            | "${sudo_cmd[@]}" tee "$policy" >/dev/null
        "${sudo_cmd[@]}" chmod 755 "$policy"
        guard=1
    fi
    log "installing $*"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq >/dev/null 2>&1 \
        || log "apt-get update reported errors"
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@" \
        >"$OUT/apt-get.log" 2>&1 || rc=$?
    [ $guard = 1 ] && "${sudo_cmd[@]}" rm -f "$policy"
    [ $rc = 0 ] || die "apt-get install $* failed, see $OUT/apt-get.log"

    if [[ " $* " == *" docker-registry "* ]]; then
        # belt and braces: whatever the init system, no packaged registry
        # is left running or enabled
        if [ -d /run/systemd/system ]; then
            "${sudo_cmd[@]}" systemctl disable --now docker-registry.service \
                >/dev/null 2>&1 || true
        elif [ -x /etc/init.d/docker-registry ]; then
            "${sudo_cmd[@]}" /etc/init.d/docker-registry stop >/dev/null 2>&1 || true
        fi
        log "docker-registry installed; its packaged service is not running"
    fi
}

ensure_tools() {
    local pkgs=() pair cmd pkg
    for pair in docker-registry:docker-registry wrk:wrk hey:hey skopeo:skopeo \
                redis-server:redis-server curl:curl perl:perl \
                sha256sum:coreutils; do
        cmd=${pair%%:*}
        pkg=${pair#*:}
        command -v "$cmd" >/dev/null || pkgs+=("$pkg")
    done
    [ -x "$NGINX" ] || pkgs+=(nginx)
    if [ ${#pkgs[@]} -gt 0 ]; then
        [ "${BENCH_NO_INSTALL:-0}" = 1 ] && die "missing: ${pkgs[*]} (BENCH_NO_INSTALL=1)"
        install_pkgs "${pkgs[@]}"
    fi
    ensure_ceph
}

# util/rgw.sh needs Ceph's daemons (Debian's packages, as util/deps.sh
# installs them).  With BENCH_OBS=auto, a gateway that cannot be had skips
# the object-store part instead of failing the run.
OBS_SKIP=""
ceph_missing() {
    local b
    for b in ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool \
             monmaptool timeout; do
        command -v "$b" >/dev/null || { echo "$b"; return; }
    done
}
ensure_ceph() {
    local miss
    if [ "$OBS" = 0 ]; then OBS_SKIP="BENCH_OBS=0"; return; fi
    miss=$(ceph_missing)
    [ -z "$miss" ] && return
    if [ "${BENCH_NO_INSTALL:-0}" = 1 ]; then
        [ "$OBS" = 1 ] && die "missing: $miss (for util/rgw.sh; BENCH_NO_INSTALL=1)"
        OBS_SKIP="$miss is missing (Ceph's packages, for util/rgw.sh) and BENCH_NO_INSTALL=1"
        return
    fi
    if [ "$OBS" = 1 ]; then
        install_pkgs ceph-mon ceph-osd radosgw ceph-common
    elif ! (install_pkgs ceph-mon ceph-osd radosgw ceph-common); then
        OBS_SKIP="Ceph's packages (for util/rgw.sh) could not be installed, see $OUT/apt-get.log"
    fi
}

# ---------------------------------------------------------------------------
# helpers

now() { echo "$EPOCHREALTIME"; }
calc() { awk "BEGIN { printf \"%.6f\", ($*) }"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
    if (NR == 0) exit; if (NR % 2) print a[(NR + 1) / 2];
    else printf "%.6f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

wait_http() {   # url pid name logfile
    local i
    for i in $(seq 1 100); do
        kill -0 "$2" 2>/dev/null || { tail -20 "$4" >&2; die "$3 exited at start-up, see $4"; }
        curl -s -o /dev/null -m 2 "$1" && return 0
        sleep 0.1
    done
    tail -20 "$4" >&2
    die "$3 does not answer $1, see $4"
}

# VmRSS / VmHWM of a pid in KiB (0 when gone)
proc_kb() {
    local k v _
    while read -r k v _; do
        [ "$k" = "$2:" ] && { echo "$v"; return; }
    done < "/proc/$1/status" 2>/dev/null
    echo 0
}
children() { ps -o pid= --ppid "$1" 2>/dev/null | tr -d ' '; }

# ---------------------------------------------------------------------------
# servers

# a redis-server in $work/<dir> on $HOST:<port>, with the options after;
# sets RSRV_PID (run in this shell, so that cleanup knows it)
redis_server() {   # dir port label options...
    local d=$work/$1 port=$2 label=$3
    shift 3
    mkdir -p "$d"
    redis-server --bind "$HOST" --port "$port" --dir "$d" \
        --logfile "$d/redis.log" --daemonize no "$@" >/dev/null 2>&1 &
    RSRV_PID=$!
    started+=("$RSRV_PID:$label")
    for _ in $(seq 1 50); do
        kill -0 "$RSRV_PID" 2>/dev/null || die "$label exited, see $d/redis.log"
        redis-cli -h "$HOST" -p "$port" ping >/dev/null 2>&1 && return
        sleep 0.1
    done
    die "$label does not answer on $HOST:$port"
}

# the registry's Redis, persisted as make run's
start_redis() {
    redis_server redis "$REDIS_PORT" redis-server --appendonly yes --save 60 1000
    REDIS_PID=$RSRV_PID
}

# BENCH_AUDIT_REDIS=own: the audit stream's redis-server, nothing persisted
# (the audit file is the trail kept)
start_audit_redis() {
    [ "$AUDIT_REDIS" = own ] || return 0
    redis_server redis-audit "$AUDIT_REDIS_PORT" "redis-server (audit stream)" \
        --appendonly no --save ''
    AUDIT_REDIS_PID=$RSRV_PID
}

# true when the template turns authentication on (conf/swr.conf.in does)
template_auth() { grep -Eq '^[[:space:]]*swr_auth[[:space:]]+on[[:space:]]*;' "$CONF_IN"; }

write_nginx_conf() {   # prefix [port [auth [audit]]]: "off" turns swr_auth / the audit sinks off
    local prefix=$1 port=${2:-$SWR_PORT} auth=${3:-} audit=${4:-}
    mkdir -p "$prefix/conf" "$prefix/logs" "$prefix/tmp" "$work/storage"
    B_MODULE=$MODULE_COPY B_USER=$(id -un) B_PREFIX=$prefix B_DATA=$work \
    B_REDIS=$HOST:$REDIS_PORT B_LISTEN=$HOST:$port B_SENDFILE=$SENDFILE \
    B_ACCESS_LOG=$ACCESS_LOG B_STATIC=$images/seed-0/blobs/sha256/ \
    B_REGION=$REGION B_TTL=$TOKEN_TTL B_AUTH=$auth B_AUDIT=$audit \
    B_AUDIT_REDIS=$([ "$AUDIT_REDIS" = own ] && echo "$HOST:$AUDIT_REDIS_PORT") \
    perl -e '
        local $/; my $c = <STDIN>;
        for my $k (qw(MODULE USER PREFIX DATA REDIS LISTEN REGION)) {
            $c =~ s/\@$k\@/$ENV{"B_$k"}/g;
        }
        $c =~ s/^(\s*)access_log\s[^;]*;/$1access_log off;/mg
            if $ENV{B_ACCESS_LOG} ne "on";
        # tokens that outlast a run (bench/run.sh fetches them again when
        # half of that has passed), unless the template sets a lifetime
        $c =~ s/^(http\s*\{\n)/$1    # added by bench\/run.sh\n    swr_token_ttl $ENV{B_TTL}s;\n\n/m
            if $c !~ /^\s*swr_token_ttl\s/m;
        if ($ENV{B_AUTH} eq "off") {
            $c =~ s/^(\s*)swr_auth\s+on\s*;/$1swr_auth off;    # bench\/run.sh: authentication off/mg
                or die "bench: the nginx template has no \"swr_auth on;\"\n";
        }
        if ($ENV{B_AUDIT} eq "off") {
            # both sinks off, wherever the template sets them
            $c =~ s/^(\s*)swr_audit_log\s[^;]*;/$1swr_audit_log off;    # bench\/run.sh: audit off/mg
                or die "bench: the nginx template has no \"swr_audit_log ...;\" (BENCH_AUDIT_OFF=0 skips the audit on\/off part)\n";
            $c =~ s/^(\s*)swr_audit_redis\s[^;]*;/$1swr_audit_redis off;    # bench\/run.sh: audit off/mg
                or die "bench: the nginx template has no \"swr_audit_redis ...;\" (BENCH_AUDIT_OFF=0 skips the audit on\/off part)\n";
        } elsif ($ENV{B_AUDIT_REDIS} ne "") {
            # BENCH_AUDIT_REDIS=own: the stream on a Redis of its own
            $c =~ s/^(\s*swr_audit_redis\s+on\b[^;]*);/$1 redis=$ENV{B_AUDIT_REDIS};    # bench\/run.sh: BENCH_AUDIT_REDIS=own/mg
                or die "bench: BENCH_AUDIT_REDIS=own, but the nginx template has no \"swr_audit_redis on ...;\"\n";
        }
        my $sf = $c =~ /^\s*sendfile\s/m ? "" : "        sendfile $ENV{B_SENDFILE};\n";
        my $add = "\n        # added by bench/run.sh: the same 64 MiB file served by\n"
            . "        # plain nginx, and a trivial location for the client ceilings\n"
            . $sf
            . "        location /_bench/static/ {\n"
            . "            alias $ENV{B_STATIC};\n"
            . "            default_type application/octet-stream;\n"
            . "        }\n"
            . "        location = /_bench/empty {\n"
            . "            default_type application/json;\n"
            . "            return 200 \x27{}\x27;\n"
            . "        }\n";
        $c =~ s/^(\s*listen\s+\Q$ENV{B_LISTEN}\E[^;]*;\n)/$1$add/m
            or die "bench: the nginx template has no \"listen \@LISTEN\@;\" line\n";
        print $c;
    ' < "$CONF_IN" > "$prefix/conf/nginx.conf" \
        || die "cannot write $prefix/conf/nginx.conf from $CONF_IN"
}

copy_module() {
    [ -f "$MODULE" ] || die "no module at $MODULE: run make first (make bench builds it)"
    # load a copy: a rebuild of build/ during the run rewrites the .so in
    # place, and the running workers would crash on the changed code
    mkdir -p "$work/module"
    cp "$MODULE" "$work/module/" || die "cannot copy $MODULE"
    MODULE_COPY=$work/module/$(basename "$MODULE")
}

start_nginx() {
    local prefix=$work/nginx
    copy_module
    write_nginx_conf "$prefix"
    "$NGINX" -t -q -p "$prefix/" -c "$prefix/conf/nginx.conf" \
        -e "$prefix/logs/error.log" -g 'daemon off;' \
        || die "nginx rejects $prefix/conf/nginx.conf"
    "$NGINX" -p "$prefix/" -c "$prefix/conf/nginx.conf" \
        -e "$prefix/logs/error.log" -g 'daemon off;' \
        >"$prefix/logs/stderr.log" 2>&1 &
    NGINX_PID=$!
    started+=("$NGINX_PID:nginx")
    NGINX_LOG=$prefix/logs/error.log
    wait_http "http://$HOST:$SWR_PORT/_bench/empty" "$NGINX_PID" nginx "$NGINX_LOG"
}

# A variant of the module's nginx: the same configuration with
# "swr_auth off" or with both audit sinks off, on its own port, the same
# Redis and storage (it serves what the first one was pushed).  Sets
# VARIANT_PID and VARIANT_LOG; REASON and returns 1 on failure.
start_variant_nginx() {   # label dir port auth audit
    local label=$1 prefix=$work/$2 port=$3 i
    REASON=""
    write_nginx_conf "$prefix" "$port" "$4" "$5"
    if ! "$NGINX" -t -q -p "$prefix/" -c "$prefix/conf/nginx.conf" \
            -e "$prefix/logs/error.log" -g 'daemon off;' >"$raw/$2-t.log" 2>&1; then
        REASON="nginx rejects the $label configuration: $(tail -2 "$raw/$2-t.log" | tr '\n' ' ')"
        return 1
    fi
    "$NGINX" -p "$prefix/" -c "$prefix/conf/nginx.conf" \
        -e "$prefix/logs/error.log" -g 'daemon off;' \
        >"$prefix/logs/stderr.log" 2>&1 &
    VARIANT_PID=$!
    started+=("$VARIANT_PID:nginx ($label)")
    VARIANT_LOG=$prefix/logs/error.log
    for i in $(seq 1 100); do
        kill -0 "$VARIANT_PID" 2>/dev/null \
            || { REASON="nginx ($label) exited at start-up: $(tail -2 "$VARIANT_LOG" | tr '\n' ' ')"; return 1; }
        curl -s -o /dev/null -m 2 "http://$HOST:$port/_bench/empty" && return 0
        sleep 0.1
    done
    REASON="nginx ($label) does not answer on $HOST:$port"
    return 1
}

# The second nginx: "swr_auth off"
start_noauth_nginx() {
    start_variant_nginx "swr_auth off" nginx-noauth "$NOAUTH_PORT" off "" || return 1
    NOAUTH_PID=$VARIANT_PID
    NOAUTH_LOG=$VARIANT_LOG
}

# The third nginx: both audit sinks off, authentication as the template has it
start_noaudit_nginx() {
    start_variant_nginx "audit off" nginx-noaudit "$NOAUDIT_PORT" "" off || return 1
    NOAUDIT_PID=$VARIANT_PID
    NOAUDIT_LOG=$VARIANT_LOG
}

# ---------------------------------------------------------------------------
# authentication, set up as on a production registry, with util/swr-admin

AUTH=0              # 1: the module's nginx has "swr_auth on"
BENCH_AK=""         # the administrator's access key (the same in every
BENCH_SK=""         # Redis database the bench uses)
CREDS=""            # "<region>@<AK>:<login key>", docker's/skopeo's login
declare -A AUTHED AUTH_HDR TOKEN_AT TOKEN_LIFE
declare -A SCOPE_OF     # the actions a srv's token asks for [pull]

swr_admin() {   # db args...
    local db=$1
    shift
    "$top/util/swr-admin" --redis "$HOST:$REDIS_PORT" --db "$db" \
        --key-file "$work/secret.key" "$@" 2>>"$raw/swr-admin.log"
}

# the files nginx reads: swr_secret_key_file (it decrypts the SKs in Redis)
# and swr_token_key (it signs the registry tokens), made as util/run.sh does
make_keys() {
    [ -f "$work/secret.key" ] && [ -f "$work/token.pem" ] && return 0
    REASON=""
    if ! swr_admin 0 key-gen-file "$work/secret.key" >/dev/null; then
        REASON="util/swr-admin key-gen-file failed: $(tail -1 "$raw/swr-admin.log")"
        return 1
    fi
    if ! (umask 077 && openssl ecparam -name prime256v1 -genkey -noout \
              -out "$work/token.pem") 2>>"$raw/swr-admin.log"; then
        REASON="openssl ecparam (the token key) failed: $(tail -1 "$raw/swr-admin.log")"
        return 1
    fi
}

# In Redis database $1: the account "bench", its administrator
# "bench/admin" with an access key, and the organization "$NS" that the
# bench's repositories live in.  The first call makes a random AK/SK and
# the login key of it; later calls (the object-store part's database)
# store the same pair.  Sets REASON and returns 1 on failure.
setup_auth() {   # db
    local db=$1 out step
    REASON=""
    make_keys || return 1
    for step in "account-create bench" "user-create bench admin --admin"; do
        # shellcheck disable=SC2086
        if ! swr_admin "$db" $step >/dev/null; then
            REASON="util/swr-admin $step (db $db) failed: $(tail -1 "$raw/swr-admin.log")"
            return 1
        fi
    done
    if [ -z "$BENCH_AK" ]; then
        if ! out=$(swr_admin "$db" key-create bench/admin); then
            REASON="util/swr-admin key-create (db $db) failed: $(tail -1 "$raw/swr-admin.log")"
            return 1
        fi
        BENCH_AK=$(sed -n 's/^AK //p' <<< "$out")
        BENCH_SK=$(sed -n 's/^SK //p' <<< "$out")
        # "docker login -u <region>@<AK> -p <login key> <registry>"
        if ! out=$(swr_admin "$db" login-command "$BENCH_AK" --region "$REGION" \
                       --registry "$HOST:$SWR_PORT"); then
            REASON="util/swr-admin login-command failed: $(tail -1 "$raw/swr-admin.log")"
            return 1
        fi
        CREDS=$(awk '{ for (i = 1; i < NF; i++) if ($i == "-u") u = $(i + 1);
                       else if ($i == "-p") p = $(i + 1) } END { print u ":" p }' <<< "$out")
        if [ -z "$BENCH_AK" ] || [ "$CREDS" = ":" ]; then
            REASON="util/swr-admin printed no access key or login command"
            return 1
        fi
    elif ! printf '%s\n' "$BENCH_SK" \
            | swr_admin "$db" key-create bench/admin --ak "$BENCH_AK" --sk - >/dev/null; then
        REASON="util/swr-admin key-create --ak (db $db) failed: $(tail -1 "$raw/swr-admin.log")"
        return 1
    fi
    if ! swr_admin "$db" ns-create "$NS" bench --creator bench/admin >/dev/null; then
        REASON="util/swr-admin ns-create $NS (db $db) failed: $(tail -1 "$raw/swr-admin.log")"
        return 1
    fi
    log "authentication (Redis db $db): account bench, administrator bench/admin (AK $BENCH_AK), organization $NS"
}

# A token for $REPO (the actions of SCOPE_OF[srv], pull unless set) from
# the token endpoint of BASE[srv], as a client
# gets one: GET /_swr/token with Basic <region>@<AK>:<login key> (given to
# curl on standard input, not on its command line).  Sets AUTH_HDR[srv];
# REASON and 1 on failure.
fetch_token() {   # srv
    local srv=$1 url out code tok life
    REASON=""
    url="${BASE[$srv]}/_swr/token?service=swr&scope=repository:$REPO:${SCOPE_OF[$srv]:-pull}"
    out=$(printf 'user = "%s"\n' "$CREDS" \
          | curl -s -m 10 -K - -o "$raw/token-$srv.json" -w '%{http_code}' "$url")
    code=$out
    tok=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$raw/token-$srv.json" 2>/dev/null)
    life=$(sed -n 's/.*"expires_in":\([0-9]*\).*/\1/p' "$raw/token-$srv.json" 2>/dev/null)
    rm -f "$raw/token-$srv.json"
    if [ "$code" != 200 ] || [ -z "$tok" ]; then
        REASON="GET $url with Basic $REGION@$BENCH_AK answered HTTP $code, no token"
        return 1
    fi
    AUTH_HDR[$srv]="Bearer $tok"
    TOKEN_AT[$srv]=$SECONDS
    TOKEN_LIFE[$srv]=${life:-300}
}

# Whose token a measurement key's requests carry (none: empty): "mod",
# the module's nginx, "audon", its push token (which the audit-off nginx,
# with the same token key, takes too), or "omod", the object-store part's
# (each client gets its token from the token endpoint of the server it
# talks to)
auth_srv() {
    case ${1%%/*} in
    subj)  [ "$SUBJECT" = module ] && echo mod ;;
    rss|aon*) echo mod ;;
    aud*) echo audon ;;     # audit on and off: one push token, the same key
    osubj) [ "$SUBJECT" = module ] && echo omod ;;
    esac
    return 0
}

# the Authorization header value of auth_srv's answer (none: empty)
auth_hdr() {   # srv
    [ -n "${1:-}" ] && printf '%s' "${AUTH_HDR[$1]:-}"
    return 0
}

# a new token for srv when half of the last one's lifetime has passed
token_fresh() {   # srv
    local srv=${1:-}
    [ -n "$srv" ] && [ -n "${TOKEN_AT[$srv]:-}" ] || return 0
    [ $((SECONDS - TOKEN_AT[$srv])) -lt $((TOKEN_LIFE[$srv] / 2)) ] && return 0
    if fetch_token "$srv"; then
        log "a new registry token from ${BASE[$srv]}/_swr/token (the last one was $((TOKEN_LIFE[$srv] / 2)) s or more old)"
    else
        log "note: no new token from ${BASE[$srv]}/_swr/token: $REASON"
    fi
}

start_dist() {   # name port -> DPID[name]
    local name=$1 port=$2 d=$work/$1
    mkdir -p "$d/data"
    cat > "$d/config.yml" <<YAML
# written by bench/run.sh
version: 0.1
log:
  level: warn
  formatter: text
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $d/data
  cache:
    blobdescriptor: inmemory
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $HOST:$port
  secret: bench-$stamp-$RANDOM$RANDOM
  headers:
    X-Content-Type-Options: [nosniff]
YAML
    docker-registry serve "$d/config.yml" >"$d/registry.log" 2>&1 &
    local pid=$!
    started+=("$pid:docker-registry ($name)")
    DPID[$name]=$pid
    wait_http "http://$HOST:$port/v2/" "$pid" "docker-registry ($name)" "$d/registry.log"
}

# ---------------------------------------------------------------------------
# results

declare -A RPS P50 P99 MIBS NA HDR W
failures=()

# "subj/manifest_get" -> "module: manifest GET by tag"
who() {
    case $1 in
    dist) echo distribution ;;
    subj) echo "$SUBJ_LABEL" ;;
    static) echo "plain nginx" ;;
    odist) echo "distribution (S3)" ;;
    osubj) echo "$OBS_SUBJ_LABEL" ;;
    oraw) echo "nginx proxy_pass" ;;
    aon*) echo "module, swr_auth on" ;;
    aoff*) echo "module, swr_auth off" ;;
    audon*) echo "module, audit on" ;;
    audoff*) echo "module, audit off" ;;
    *) echo "$1" ;;
    esac
}
disp() {
    local l=${LABEL[${1#*/}]:-${1#*/}}
    echo "$(who "${1%%/*}"): ${l//\`/}"
}

na() {   # key reason
    NA[$1]=$2
    failures+=("$(disp "$1"): $2")
    loud "$(disp "$1"): $2 -> n/a"
}

parse_wrk() {   # file -> W[]
    local line kv
    W=()
    line=$(grep '^BENCH ' "$1" | tail -1) || return 1
    for kv in ${line#BENCH }; do W[${kv%%=*}]=${kv#*=}; done
}

# run_wrk key url accept conns [dur] -> RPS/P50/P99/MIBS[key]; 1 on failure
# (requests to the module with swr_auth on carry its Bearer token)
run_wrk() {
    local key=$1 url=$2 accept=$3 conns=$4 dur=${5:-$DURATION} f t=$THREADS srv auth
    f=$raw/${key//\//_}.wrk
    [ "$t" -le "$conns" ] || t=$conns
    srv=$(auth_srv "$key")
    token_fresh "$srv"
    auth=$(auth_hdr "$srv")
    # WRK_METHOD, WRK_BODY (a file), WRK_CTYPE: a request other than a GET
    export BENCH_METHOD=${WRK_METHOD:-} BENCH_BODY_FILE=${WRK_BODY:-} BENCH_CTYPE=${WRK_CTYPE:-}
    if [ "$WARMUP" -gt 0 ]; then
        BENCH_ACCEPT=$accept BENCH_AUTH=$auth \
        wrk -t"$t" -c"$conns" -d"${WARMUP}s" \
            --timeout "${TIMEOUT}s" -s "$bench/wrk.lua" "$url" >"$f.warmup" 2>&1
    fi
    # WRK_HOOK: a function called "before" and "after" the measured run
    [ -n "${WRK_HOOK:-}" ] && "$WRK_HOOK" before "$key"
    BENCH_ACCEPT=$accept BENCH_AUTH=$auth \
    wrk -t"$t" -c"$conns" -d"${dur}s" \
        --timeout "${TIMEOUT}s" -s "$bench/wrk.lua" "$url" >"$f" 2>&1
    [ -n "${WRK_HOOK:-}" ] && "$WRK_HOOK" after "$key"
    unset BENCH_METHOD BENCH_BODY_FILE BENCH_CTYPE
    wrk_result "$key" "$f"
}

wrk_result() {   # key file
    local key=$1 f=$2 errs
    parse_wrk "$f" || { na "$key" "wrk printed no result (see $f)"; return 1; }
    if [ "${W[requests]}" -eq 0 ]; then
        na "$key" "wrk completed no request (see $f)"; return 1
    fi
    if [ "${W[status]}" -gt 0 ]; then
        na "$key" "${W[status]} of ${W[requests]} responses were not 2xx/3xx"; return 1
    fi
    errs=$((W[connect] + W[read] + W[write] + W[timeout]))
    [ "$errs" -gt 0 ] && log "note: $key: $errs socket errors/timeouts (connect ${W[connect]} read ${W[read]} write ${W[write]} timeout ${W[timeout]})"
    RPS[$key]=$(calc "${W[requests]} * 1000000 / ${W[duration_us]}")
    P50[$key]=$(calc "${W[p50_us]} / 1000")
    P99[$key]=$(calc "${W[p99_us]} / 1000")
    # payload only: the bytes wrk read less each response's header block
    MIBS[$key]=$(calc "(${W[bytes]} - ${W[requests]} * ${HDR[$key]:-0}) / (${W[duration_us]} / 1000000) / 1048576")
}

# run_hey key url accept conns [dur] -> RPS/P50/P99[key]; 1 on failure
run_hey() {
    local key=$1 url=$2 accept=$3 conns=$4 dur=${5:-$DURATION} f hdr=() srv auth
    f=$raw/${key//\//_}.hey
    [ -n "$accept" ] && hdr=(-H "Accept: $accept")
    srv=$(auth_srv "$key")
    token_fresh "$srv"
    auth=$(auth_hdr "$srv")
    [ -n "$auth" ] && hdr+=(-H "Authorization: $auth")
    if [ "$WARMUP" -gt 0 ]; then
        hey -z "${WARMUP}s" -c "$conns" -t "$TIMEOUT" -m HEAD "${hdr[@]}" "$url" \
            >"$f.warmup" 2>&1
    fi
    hey -z "${dur}s" -c "$conns" -t "$TIMEOUT" -m HEAD "${hdr[@]}" "$url" >"$f" 2>&1
    local rps p50 p99 ok bad errs
    rps=$(awk '/Requests\/sec:/ { print $2 }' "$f")
    p50=$(awk '$1 == "50%" && $2 == "in" { print $3 }' "$f")
    p99=$(awk '$1 == "99%" && $2 == "in" { print $3 }' "$f")
    ok=$(awk '/^ *\[2[0-9][0-9]\]/ && /responses/ { n += $2 } END { print n + 0 }' "$f")
    bad=$(awk '/^ *\[[0-9]+\]/ && /responses/ && !/^ *\[2/ { n += $2 } END { print n + 0 }' "$f")
    errs=$(awk '/^Error distribution:/ { on = 1; next } on && /^ *\[[0-9]+\]/ {
                 gsub(/[\[\]]/, "", $1); n += $1 } END { print n + 0 }' "$f")
    if [ -z "$p50" ] || [ -z "$p99" ]; then
        na "$key" "hey printed no latency distribution (see $f)"; return 1
    fi
    if [ -z "$rps" ] || [ "$ok" -eq 0 ]; then
        na "$key" "hey got no 2xx response (see $f)"; return 1
    fi
    if [ "$bad" -gt 0 ]; then
        na "$key" "$bad of $((ok + bad)) responses were not 2xx"; return 1
    fi
    [ "$errs" -gt 0 ] && log "note: $key: hey reports $errs errors (see $f)"
    RPS[$key]=$rps
    P50[$key]=$(calc "$p50 * 1000")
    P99[$key]=$(calc "$p99 * 1000")
}

# ---------------------------------------------------------------------------
# endpoints

declare -A DPID
declare -A BASE PATH_OF TOOL ACCEPT_OF WANT_LEN WANT_DIGEST LABEL
NAMES=(v2 manifest_head manifest_get tags blob_head blob_4k blob_1m blob_64m)

define_endpoints() {
    local mt=$1 mdigest=$2 msize=$3 d4=$4 d1=$5 d64=$6
    PATH_OF=([v2]=/v2/ [manifest_head]=/v2/$REPO/manifests/$TAG
             [manifest_get]=/v2/$REPO/manifests/$TAG [tags]=/v2/$REPO/tags/list
             [blob_head]=/v2/$REPO/blobs/$d4 [blob_4k]=/v2/$REPO/blobs/$d4
             [blob_1m]=/v2/$REPO/blobs/$d1 [blob_64m]=/v2/$REPO/blobs/$d64)
    TOOL=([v2]=wrk [manifest_head]=hey [manifest_get]=wrk [tags]=wrk
          [blob_head]=hey [blob_4k]=wrk [blob_1m]=wrk [blob_64m]=wrk)
    ACCEPT_OF=([manifest_head]=$mt [manifest_get]=$mt)
    WANT_LEN=([manifest_head]=$msize [blob_head]=4096)
    WANT_DIGEST=([manifest_get]=$mdigest [blob_4k]=$d4 [blob_1m]=$d1 [blob_64m]=$d64)
    LABEL=([v2]='`GET /v2/`' [manifest_head]='manifest `HEAD` by tag'
           [manifest_get]='manifest `GET` by tag' [tags]='tags list `GET`'
           [blob_head]='blob `HEAD` (4 KiB blob)' [blob_4k]='blob `GET` 4 KiB'
           [blob_1m]='blob `GET` 1 MiB' [blob_64m]='blob `GET` 64 MiB')
}

# check srv name: does it answer 200 with the right length and content?
# Sets CHECK_REASON to why not (empty when it does), and records the
# response header size for the MiB/s figures.  Not to be called in $(...).
check() {
    local srv=$1 name=$2 url code hf bf cl got method=GET hdr=() asrv auth
    local accept=${ACCEPT_OF[$2]:-}
    CHECK_REASON=
    url=${BASE[$srv]}${PATH_OF[$name]}
    hf=$raw/check-${srv}-$name.hdr
    bf=$raw/check-${srv}-$name.body
    [ -n "$accept" ] && hdr=(-H "Accept: $accept")
    asrv=$(auth_srv "$srv/")
    token_fresh "$asrv"
    auth=$(auth_hdr "$asrv")
    [ -n "$auth" ] && hdr+=(-H "Authorization: $auth")
    if [ "${TOOL[$name]}" = hey ]; then
        method=HEAD
        code=$(curl -s -m 60 -I "${hdr[@]}" -D "$hf" -o /dev/null -w '%{http_code}' "$url")
        : > "$bf"
    else
        code=$(curl -s -m 120 "${hdr[@]}" -D "$hf" -o "$bf" -w '%{http_code}' "$url")
    fi
    if [ "$code" != 200 ]; then
        CHECK_REASON="HTTP $code to $method $url (expected 200)"
        [ -s "$bf" ] && CHECK_REASON+=": $(head -c 300 "$bf" | tr -d '\r\n')"
    elif [ -n "${WANT_LEN[$name]:-}" ]; then
        cl=$(tr -d '\r' < "$hf" | awk 'tolower($1) == "content-length:" { print $2 }' | tail -1)
        [ "$cl" = "${WANT_LEN[$name]}" ] \
            || CHECK_REASON="$method $url: Content-Length '$cl', expected ${WANT_LEN[$name]}"
    elif [ -n "${WANT_DIGEST[$name]:-}" ]; then
        got=sha256:$(sha256sum < "$bf" | cut -d' ' -f1)
        [ "$got" = "${WANT_DIGEST[$name]}" ] \
            || CHECK_REASON="$method $url: body has digest $got, expected ${WANT_DIGEST[$name]}"
    fi
    HDR[$srv/$name]=$(wc -c < "$hf" 2>/dev/null || echo 0)
    rm -f "$bf"
}

measure() {   # srv name [conns]
    local srv=$1 name=$2 conns=${3:-$CONNS} key=$1/$2
    check "$srv" "$name"
    if [ -n "$CHECK_REASON" ]; then na "$key" "$CHECK_REASON"; return 1; fi
    log "$(disp "$key") (${TOOL[$name]}, $conns connections, ${DURATION}s)"
    if [ "${TOOL[$name]}" = hey ]; then
        run_hey "$key" "${BASE[$srv]}${PATH_OF[$name]}" "${ACCEPT_OF[$name]:-}" "$conns"
    else
        run_wrk "$key" "${BASE[$srv]}${PATH_OF[$name]}" "${ACCEPT_OF[$name]:-}" "$conns"
    fi
}

# ---------------------------------------------------------------------------
# skopeo

SKOPEO=(skopeo --insecure-policy)
declare -A PUSH_T PULL_T PUSHES PUSH_ALL PULL_ALL

push_image() {   # srv seed repo -> seconds on stdout, 1 on failure
    local srv=$1 seed=$2 repo=$3 t0 t1 f=$raw/push-$1-$2.log
    local creds=()
    # the module with swr_auth on: skopeo logs in (Bearer token flow)
    [ -n "${AUTHED[$srv]:-}" ] && creds=(--dest-creds "$CREDS")
    t0=$(now)
    if "${SKOPEO[@]}" copy --dest-tls-verify=false "${creds[@]}" \
            "oci:$images/seed-$seed:bench" \
            "docker://${BASE[$srv]#http://}/$repo:$TAG" >"$f" 2>&1; then
        t1=$(now)
        calc "$t1 - $t0"
    else
        return 1
    fi
}

pull_image() {   # srv n -> seconds on stdout
    local srv=$1 n=$2 t0 t1 d=$work/pull-$1-$2 f=$raw/pull-$1-$2.log
    local creds=()
    [ -n "${AUTHED[$srv]:-}" ] && creds=(--src-creds "$CREDS")
    rm -rf "$d"
    t0=$(now)
    if "${SKOPEO[@]}" copy --src-tls-verify=false "${creds[@]}" \
            "docker://${BASE[$srv]#http://}/$REPO:$TAG" "dir:$d" >"$f" 2>&1; then
        t1=$(now)
        rm -rf "$d"
        calc "$t1 - $t0"
    else
        rm -rf "$d"
        return 1
    fi
}

push_all() {
    local seed srv t repo
    for ((seed = 0; seed < PUSH_RUNS; seed++)); do
        repo=$REPO
        [ "$seed" -gt 0 ] && repo=bench/push-$seed
        # read the image once so both registries start from the page cache
        cat "$images/seed-$seed"/blobs/sha256/* >/dev/null
        for srv in dist subj; do
            [ -n "${NA[$srv/push]:-}" ] && continue
            log "$(who "$srv"): skopeo push of image $((seed + 1))/$PUSH_RUNS to $repo:$TAG"
            if t=$(push_image "$srv" "$seed" "$repo"); then
                PUSHES[$srv]+=" $t"
            else
                na "$srv/push" "skopeo push failed: $(tail -3 "$raw/push-$srv-$seed.log" | tr '\n' ' ')"
                [ "$seed" -eq 0 ] && NA[$srv/image]=1
            fi
        done
    done
    for srv in dist subj; do
        [ -n "${NA[$srv/push]:-}" ] && continue
        # shellcheck disable=SC2086
        PUSH_T[$srv]=$(median ${PUSHES[$srv]})
        PUSH_ALL[$srv]=${PUSHES[$srv]# }
    done
}

pull_all() {
    local n srv t list
    for srv in dist subj; do
        if [ -n "${NA[$srv/image]:-}" ]; then
            na "$srv/pull" "nothing to pull: the push failed"
            continue
        fi
        list=""
        for ((n = 1; n <= PULL_RUNS; n++)); do
            log "$(who "$srv"): skopeo pull $n/$PULL_RUNS"
            if t=$(pull_image "$srv" "$n"); then
                list+=" $t"
            else
                na "$srv/pull" "skopeo pull failed: $(tail -3 "$raw/pull-$srv-$n.log" | tr '\n' ' ')"
                list=""
                break
            fi
        done
        if [ -n "$list" ]; then
            # shellcheck disable=SC2086
            PULL_T[$srv]=$(median $list)
            PULL_ALL[$srv]=${list# }
        fi
    done
}

# ---------------------------------------------------------------------------
# memory

nginx_pids() { echo "$NGINX_PID"; children "$NGINX_PID"; }
workers()    { children "$NGINX_PID"; }

sum_kb() {   # field pids...
    local field=$1 p s=0
    shift
    for p in "$@"; do s=$((s + $(proc_kb "$p" "$field"))); done
    echo "$s"
}

declare -A GROW_RPS GROW_SUM GROW_MAX
rss_growth() {
    local c url accept="" p wpid sum max_sum max_one v ws
    if [ "$SUBJECT" = module ] && [ -z "${NA[subj/manifest_get]:-}" ]; then
        GROW_PATH="manifest \`GET\` by tag"
        url=${BASE[subj]}${PATH_OF[manifest_get]}
        accept=${ACCEPT_OF[manifest_get]}
    else
        if [ "$SUBJECT" = module ]; then
            GROW_PATH="\`GET /v2/\` (manifest GET by tag is not available on the module)"
        else
            GROW_PATH="\`GET /v2/\` (self-check run: the module serves no image)"
        fi
        url=http://$HOST:$SWR_PORT/v2/
        token_fresh mod
        if [ "$(curl -s -o /dev/null -w '%{http_code}' \
                ${AUTH_HDR[mod]:+-H "Authorization: ${AUTH_HDR[mod]}"} "$url")" != 200 ]; then
            na "module/rss" "GET /v2/ on nginx does not answer 200"
            return
        fi
    fi
    for c in $RSS_CONNS; do
        log "nginx workers' RSS at $c connections (wrk, ${DURATION}s)"
        token_fresh mod
        BENCH_ACCEPT=$accept BENCH_AUTH=${AUTH_HDR[mod]:-} wrk -t"$THREADS" -c"$c" -d"${DURATION}s" \
            --timeout "${TIMEOUT}s" -s "$bench/wrk.lua" "$url" >"$raw/rss-$c.wrk" 2>&1 &
        wpid=$!
        transient=$wpid
        max_sum=0
        max_one=0
        while kill -0 "$wpid" 2>/dev/null; do
            ws=$(workers)
            sum=0
            for p in $ws; do
                v=$(proc_kb "$p" VmRSS)
                sum=$((sum + v))
                [ "$v" -gt "$max_one" ] && max_one=$v
            done
            [ "$sum" -gt "$max_sum" ] && max_sum=$sum
            sleep 0.2
        done
        wait "$wpid"
        transient=""
        if wrk_result "rss/$c" "$raw/rss-$c.wrk"; then
            GROW_RPS[$c]=${RPS[rss/$c]}
        fi
        GROW_SUM[$c]=$max_sum
        GROW_MAX[$c]=$max_one
    done
}

# ---------------------------------------------------------------------------
# what authentication costs: the module's nginx (swr_auth on, requests with
# the Bearer token) and a second one with "swr_auth off" (requests without
# it) take turns on the same Redis and storage, in 2 rounds of AB_DUR
# seconds each, on then off, then off then on (drift of the machine
# cancels out), a warm-up before every run; req/s and MiB/s are the mean
# of the rounds', p50 the mean, p99 the largest.

AB_SKIP=""
AB_ANON=""
auth_cost() {
    local name srv r k order tool url ok
    if [ "$SUBJECT" != module ]; then AB_SKIP="self-check run (BENCH_SUBJECT=distribution)"; return; fi
    if [ "$AUTH" != 1 ]; then AB_SKIP="the nginx template has no \`swr_auth on\`"; return; fi
    if [ "$AUTH_OFF" != 1 ]; then AB_SKIP="BENCH_AUTH_OFF=0"; return; fi
    if port_busy "$NOAUTH_PORT"; then
        na aoff/nginx "port $HOST:$NOAUTH_PORT is in use (set BENCH_NOAUTH_PORT)"; return
    fi
    if ! start_noauth_nginx; then na aoff/nginx "$REASON"; return; fi
    BASE[aon]=${BASE[subj]}
    BASE[aoff]=http://$HOST:$NOAUTH_PORT
    # authentication is in force: without the token, 401
    AB_ANON=$(curl -s -m 10 -o /dev/null -w '%{http_code}' \
              "${BASE[aon]}${PATH_OF[manifest_get]}")
    [ "$AB_ANON" = 401 ] \
        || na aon/anonymous "swr_auth on, yet a manifest GET without credentials answered HTTP $AB_ANON, not 401"
    log "authentication on vs off: nginx (swr_auth off) pid $NOAUTH_PID ($HOST:$NOAUTH_PORT)"
    for name in "${AB_NAMES[@]}"; do
        tool=${TOOL[$name]}
        ok=1
        for srv in aon aoff; do
            check "$srv" "$name"
            if [ -n "$CHECK_REASON" ]; then na "$srv/$name" "$CHECK_REASON"; ok=0; fi
        done
        [ "$ok" = 1 ] || continue
        for r in 1 2; do
            order="aon aoff"
            [ "$r" = 2 ] && order="aoff aon"
            for srv in $order; do
                k=$srv$r/$name
                HDR[$k]=${HDR[$srv/$name]:-0}
                url=${BASE[$srv]}${PATH_OF[$name]}
                log "$(disp "$k") ($tool, $CONNS connections, round $r/2, ${AB_DUR}s)"
                if [ "$tool" = hey ]; then
                    run_hey "$k" "$url" "${ACCEPT_OF[$name]:-}" "$CONNS" "$AB_DUR"
                else
                    run_wrk "$k" "$url" "${ACCEPT_OF[$name]:-}" "$CONNS" "$AB_DUR"
                fi
            done
        done
        for srv in aon aoff; do
            [ -n "${RPS[${srv}1/$name]:-}" ] && [ -n "${RPS[${srv}2/$name]:-}" ] || continue
            k=$srv/$name
            RPS[$k]=$(calc "(${RPS[${srv}1/$name]} + ${RPS[${srv}2/$name]}) / 2")
            P50[$k]=$(calc "(${P50[${srv}1/$name]} + ${P50[${srv}2/$name]}) / 2")
            P99[$k]=$(calc "${P99[${srv}1/$name]} > ${P99[${srv}2/$name]} ? ${P99[${srv}1/$name]} : ${P99[${srv}2/$name]}")
            [ -n "${MIBS[${srv}1/$name]:-}" ] \
                && MIBS[$k]=$(calc "(${MIBS[${srv}1/$name]} + ${MIBS[${srv}2/$name]}) / 2")
        done
    done
    if grep -E 'exited on signal' "$NOAUTH_LOG" >/dev/null 2>&1; then
        na aoff/nginx "a worker process died: $(grep -E 'exited on signal' "$NOAUTH_LOG" | head -1)"
    fi
}

# ---------------------------------------------------------------------------
# what auditing costs: the module's nginx (the template's audit sinks: the
# file and the Redis stream) and a third nginx with both sinks off, the same
# configuration otherwise (authentication on, the same token key, Redis and
# storage), take turns (the pushes first, while Redis is small, then the
# PUTs, which fill the stream up to its MAXLEN):
# - manifest PUT by tag (wrk, the measured image's manifest, whose blobs are
#   there, to the tag $AUD_TAG, the push token of the first nginx):
#   AUDIT_ROUNDS rounds of AB_DUR seconds a side, on then off, then off then
#   on, and so on, a warm-up before every run; each side's req/s the mean of
#   its runs, p50 the mean, p99 the largest; the ratio checked against the
#   target is the median of the rounds' on / off, as for the pushes;
# - skopeo pushes of distinct images (seeds 100+i with audit on, 200+i
#   with it off, each to a repository of its own, so that each push makes
#   its repository), PUSH_RUNS each, alternating; the median.
# Around every run: the entries added to the stream (XINFO's entries-added;
# with the template's buffer= an entry holds the records a worker gathered,
# sent flush= later at the latest, so every count waits AUD_SETTLE first),
# Redis's commands and the CPU time of the nginx workers and of
# redis-server; at the end, the lines of the audit file, and the records
# the stream still holds, each looked for in the file.

AUD_SKIP=""
AUD_TAG='audit-put'
AUD_SETTLE=1.5      # seconds: the template's flush= (1s), and some
AUD_FILE=""; AUD_STREAM=""
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
declare -A AUD_ADDED AUD_CMDS AUD_WCPU AUD_RCPU AUD_REQ AUD_PUSH_ADDED AUD_PUSHES AUD_FORKS
AUD_PAIRS=''                # the pushes' pairs' on / off ratios
PUSH_PAIRED=''              # their median
PUT_PAIRS=''                # the PUT rounds' on / off ratios (req/s)
PUT_PAIRED=''               # their median
declare -A AUD_X    # counts of the whole part, for the report
H_ADDED=0; H_CMDS=0; H_WCPU=0; H_RCPU=0; H_FORKS=0

rcli() { redis-cli -h "$HOST" -p "$REDIS_PORT" "$@" 2>/dev/null; }
# the audit stream's Redis (BENCH_AUDIT_REDIS)
scli() {
    redis-cli -h "$HOST" -p "$([ "$AUDIT_REDIS" = own ] && echo "$AUDIT_REDIS_PORT" || echo "$REDIS_PORT")" "$@" 2>/dev/null
}

# entries ever added to the stream (XINFO STREAM's entries-added, Redis 7;
# XLEN before), 0 when there is none
stream_added() {
    local n
    [ -n "$AUD_STREAM" ] || { echo 0; return; }
    n=$(scli XINFO STREAM "$AUD_STREAM" | tr -d '\r' \
        | awk 'p { print; exit } $0 == "entries-added" { p = 1 }')
    [ -n "$n" ] || n=$(scli XLEN "$AUD_STREAM" | tr -d '\r')
    [[ $n =~ ^[0-9]+$ ]] || n=0
    echo "$n"
}
redis_info() {   # section field [cli]: the registry's Redis, or scli's
    ${3:-rcli} INFO "$1" | tr -d '\r' | awk -F: -v f="$2" '$1 == f { print $2 }'
}
redis_cmds() {   # both Redis servers' with BENCH_AUDIT_REDIS=own
    local n a
    n=$(redis_info stats total_commands_processed)
    if [ "$AUDIT_REDIS" = own ]; then
        a=$(redis_info stats total_commands_processed scli)
        n=$(( ${n:-0} + ${a:-0} ))
    fi
    echo "$n"
}
# utime + stime + cutime + cstime of a pid: with its reaped children
# (redis-server's snapshot and AOF rewrite forks)
cpu_ticks_all() {   # pid
    local f a
    f=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    f=${f##*) }
    read -ra a <<< "$f"
    echo $((a[11] + a[12] + a[13] + a[14]))
}
audit_redis_ticks() { [ -n "$AUDIT_REDIS_PID" ] && cpu_ticks_all "$AUDIT_REDIS_PID" || echo 0; }
lines_of() { [ -f "$1" ] && wc -l < "$1" || echo 0; }
size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }

# the template's swr_audit_log path for an nginx prefix (empty: none/off)
audit_file_for() {   # prefix
    B_PREFIX=$1 B_DATA=$work perl -ne '
        next unless /^\s*swr_audit_log\s+(\S+?)\s*(?:;|\s)/ && $1 ne "off";
        my $f = $1; $f =~ s/\@PREFIX\@/$ENV{B_PREFIX}/g; $f =~ s/\@DATA\@/$ENV{B_DATA}/g;
        print "$f\n"; exit' "$CONF_IN"
}
# the stream of the template's "swr_audit_redis on" (empty: none/off)
audit_stream_of() {
    perl -ne '
        next unless /^\s*swr_audit_redis\s+on\b([^;]*);/;
        my $a = $1; print $a =~ /\bstream=(\S+)/ ? "$1\n" : "swr:audit\n"; exit' "$CONF_IN"
}

aud_workers() {   # srv
    case $1 in
    audon*) children "$NGINX_PID" ;;
    audoff*) children "$NOAUDIT_PID" ;;
    esac
}

# WRK_HOOK of the PUT runs: what the measured run cost beyond the client
audit_hook() {   # before|after key
    local k=$2 srv=${2%%/*}
    # (AUD_CMDS, AUD_WCPU, AUD_RCPU are read through per_put's nameref)
    # shellcheck disable=SC2046,SC2034
    if [ "$1" = before ]; then
        sleep "$AUD_SETTLE"     # the last run's records, sent
        H_ADDED=$(stream_added)
        H_CMDS=$(redis_cmds)
        H_WCPU=$(cpu_ticks $(aud_workers "$srv"))
        H_RCPU=$(( $(cpu_ticks_all "$REDIS_PID") + $(audit_redis_ticks) ))
        H_FORKS=$(redis_info stats total_forks)
    else
        H_WCPU=$(( $(cpu_ticks $(aud_workers "$srv")) - H_WCPU ))
        H_RCPU=$(( $(cpu_ticks_all "$REDIS_PID") + $(audit_redis_ticks) - H_RCPU ))
        AUD_ADDED[$k]=$(( $(stream_added) - H_ADDED ))
        AUD_CMDS[$k]=$(( $(redis_cmds) - H_CMDS ))
        AUD_WCPU[$k]=$H_WCPU
        AUD_RCPU[$k]=$H_RCPU
        AUD_FORKS[$k]=$(( $(redis_info stats total_forks) - H_FORKS ))
    fi
}

# one manifest PUT with curl: 201 and the manifest's digest?  Sets
# CHECK_REASON (empty when it is so); not to be called in $(...)
put_check() {   # srv
    local srv=$1 url code hf bf dig asrv auth hdr=()
    CHECK_REASON=
    url=${BASE[$srv]}/v2/$REPO/manifests/$AUD_TAG
    hf=$raw/check-$srv-put.hdr
    bf=$raw/check-$srv-put.body
    asrv=$(auth_srv "$srv/")
    token_fresh "$asrv"
    auth=$(auth_hdr "$asrv")
    [ -n "$auth" ] && hdr=(-H "Authorization: $auth")
    code=$(curl -s -m 30 -X PUT "${hdr[@]}" -H "Content-Type: $M_TYPE" \
               --data-binary "@$M_FILE" -D "$hf" -o "$bf" -w '%{http_code}' "$url")
    if [ "$code" != 201 ]; then
        CHECK_REASON="HTTP $code to PUT $url (expected 201)"
        [ -s "$bf" ] && CHECK_REASON+=": $(head -c 300 "$bf" | tr -d '\r\n')"
    else
        dig=$(tr -d '\r' < "$hf" | awk 'tolower($1) == "docker-content-digest:" { print $2 }' | tail -1)
        [ "$dig" = "$M_DIGEST" ] \
            || CHECK_REASON="PUT $url: Docker-Content-Digest '$dig', expected $M_DIGEST"
    fi
    rm -f "$bf"
}

audit_cost() {
    local r srv k order url ok i seed repo t a0 a1 f0 off_file on=() off=()
    if [ "$SUBJECT" != module ]; then AUD_SKIP="self-check run (BENCH_SUBJECT=distribution)"; return; fi
    if [ "$AUDIT_OFF" != 1 ]; then AUD_SKIP="BENCH_AUDIT_OFF=0"; return; fi
    AUD_FILE=$(audit_file_for "$work/nginx")
    AUD_STREAM=$(audit_stream_of)
    if [ -z "$AUD_FILE$AUD_STREAM" ]; then
        AUD_SKIP="the nginx template has both audit sinks off"; return
    fi
    off_file=$(audit_file_for "$work/nginx-noaudit")
    if port_busy "$NOAUDIT_PORT"; then
        na audoff/nginx "port $HOST:$NOAUDIT_PORT is in use (set BENCH_NOAUDIT_PORT)"; return
    fi
    if ! start_noaudit_nginx; then na audoff/nginx "$REASON"; return; fi
    BASE[audon]=${BASE[subj]}
    BASE[audoff]=http://$HOST:$NOAUDIT_PORT
    LABEL[put]='manifest `PUT` by tag'
    TOOL[put]=wrk
    if [ "$AUTH" = 1 ]; then
        SCOPE_OF[audon]=pull,push
        if ! fetch_token audon; then na audon/token "$REASON"; return; fi
        AUTHED[audon]=1
        AUTHED[audoff]=1
    fi
    log "audit on vs off: nginx (audit off) pid $NOAUDIT_PID ($HOST:$NOAUDIT_PORT); audit file ${AUD_FILE:-none}, stream ${AUD_STREAM:-none}"

    # what earlier parts wrote has reached the file (flush=, 1 s by default)
    sleep 2
    AUD_X[file0]=$(lines_of "$AUD_FILE")
    AUD_X[added0]=$(stream_added)
    AUD_X[mem0]=$(redis_info memory used_memory)
    AUD_X[forks0]=$(redis_info stats total_forks)
    AUD_X[load0]=$(cut -d' ' -f1-3 /proc/loadavg)

    # --- push: distinct images, each to a repository of its own
    for ((i = 0; i < PUSH_RUNS; i++)); do
        order="audon audoff"
        [ $((i % 2)) = 1 ] && order="audoff audon"
        for srv in $order; do
            [ -n "${NA[$srv/push]:-}" ] && continue
            if [ "$srv" = audon ]; then seed=$((100 + i)); repo=$NS/audit-on-$((i + 1))
            else seed=$((200 + i)); repo=$NS/audit-off-$((i + 1)); fi
            cat "$images/seed-$seed"/blobs/sha256/* >/dev/null
            log "$(who "$srv"): skopeo push of image $((i + 1))/$PUSH_RUNS to $repo:$TAG"
            a0=$(stream_added)
            if t=$(push_image "$srv" "$seed" "$repo"); then
                AUD_PUSHES[$srv]+=" $t"
                sleep "$AUD_SETTLE"
                a1=$(stream_added)
                AUD_PUSH_ADDED[$srv]=$(( ${AUD_PUSH_ADDED[$srv]:-0} + a1 - a0 ))
            else
                na "$srv/push" "skopeo push failed: $(tail -3 "$raw/push-$srv-$seed.log" | tr '\n' ' ')"
            fi
        done
    done
    for srv in audon audoff; do
        [ -n "${NA[$srv/push]:-}" ] && continue
        # shellcheck disable=SC2086
        PUSH_T[$srv]=$(median ${AUD_PUSHES[$srv]})
        PUSH_ALL[$srv]=${AUD_PUSHES[$srv]# }
    done
    # each pair's on / off (its two pushes one after the other), so that
    # what drifts during the part (both sides' pushes grow slower as Redis
    # and the disk fill) cancels out; their median is the push's ratio.
    # A side whose push failed pushed no more (n/a): else the lists align.
    if [ -z "${NA[audon/push]:-}" ] && [ -z "${NA[audoff/push]:-}" ]; then
        read -ra on <<< "${AUD_PUSHES[audon]:-}"
        read -ra off <<< "${AUD_PUSHES[audoff]:-}"
        for ((i = 0; i < ${#on[@]} && i < ${#off[@]}; i++)); do
            AUD_PAIRS+=" $(calc "${on[$i]} / ${off[$i]}")"
        done
    fi
    # shellcheck disable=SC2086
    [ -n "$AUD_PAIRS" ] && PUSH_PAIRED=$(median $AUD_PAIRS)

    [ "${AUD_PUSH_ADDED[audoff]:-0}" -gt 0 ] \
        && na audoff/push "the audit-off nginx's pushes added ${AUD_PUSH_ADDED[audoff]} entries to the stream"
    # the pushes' records, for the raw outputs (after a flush)
    if [ -n "$AUD_FILE" ]; then
        sleep 2
        tail -n +"$((AUD_X[file0] + 1))" "$AUD_FILE" > "$raw/audit-push-records.jsonl"
    fi

    # --- manifest PUT
    ok=1
    for srv in audon audoff; do
        a0=$(stream_added)
        put_check "$srv"
        if [ -n "$CHECK_REASON" ]; then na "$srv/put" "$CHECK_REASON"; ok=0; fi
        sleep "$AUD_SETTLE"
        AUD_X[check_$srv]=$(( $(stream_added) - a0 ))
    done
    if [ "$ok" = 1 ]; then
        local WRK_METHOD=PUT WRK_BODY=$M_FILE WRK_CTYPE=$M_TYPE WRK_HOOK=audit_hook
        for ((r = 1; r <= AUDIT_ROUNDS; r++)); do
            order="audon audoff"
            [ $((r % 2)) = 0 ] && order="audoff audon"
            for srv in $order; do
                k=$srv$r/put
                url=${BASE[$srv]}/v2/$REPO/manifests/$AUD_TAG
                f0=$(size_of "$AUD_FILE")
                log "$(disp "$k") (wrk, $CONNS connections, round $r/$AUDIT_ROUNDS, ${AB_DUR}s)"
                if run_wrk "$k" "$url" "" "$CONNS" "$AB_DUR"; then
                    AUD_REQ[$k]=${W[requests]}
                fi
                # the audit-on file grows while the PUTs go on (its buffer
                # is written when full, and every flush= seconds)
                [ "$srv" = audon ] \
                    && AUD_X[grow]=$(( ${AUD_X[grow]:-0} + $(size_of "$AUD_FILE") - f0 ))
            done
            # the round's on / off, its two runs one after the other
            [ -n "${RPS[audon$r/put]:-}" ] && [ -n "${RPS[audoff$r/put]:-}" ] \
                && PUT_PAIRS+=" $(calc "${RPS[audon$r/put]} / ${RPS[audoff$r/put]}")"
            [ "${AUD_ADDED[audoff$r/put]:-0}" -gt 0 ] \
                && na audoff$r/put "the audit-off nginx's PUTs added ${AUD_ADDED[audoff$r/put]} entries to the stream"
        done
        # each side: req/s and p50 the means of its runs, p99 the largest;
        # a side with a failed run has none
        for srv in audon audoff; do
            local rps=0 p50=0 p99=0
            for ((r = 1; r <= AUDIT_ROUNDS; r++)); do
                [ -n "${RPS[$srv$r/put]:-}" ] || continue 2
                rps=$(calc "$rps + ${RPS[$srv$r/put]}")
                p50=$(calc "$p50 + ${P50[$srv$r/put]}")
                p99=$(calc "${P99[$srv$r/put]} > $p99 ? ${P99[$srv$r/put]} : $p99")
            done
            RPS[$srv/put]=$(calc "$rps / $AUDIT_ROUNDS")
            P50[$srv/put]=$(calc "$p50 / $AUDIT_ROUNDS")
            P99[$srv/put]=$p99
        done
        # shellcheck disable=SC2086
        [ -n "$PUT_PAIRS" ] && PUT_PAIRED=$(median $PUT_PAIRS)
        # a record of the PUTs, for the raw outputs
        [ -n "$AUD_FILE" ] && tail -1 "$AUD_FILE" > "$raw/audit-put-record.json"
        if [ -n "$AUD_FILE" ] && [ "${AUD_X[grow]:-0}" -eq 0 ]; then
            na audon/file "the audit file $AUD_FILE did not grow during the manifest PUTs"
        fi
    fi

    # --- the records: both sinks, after the last flush
    sleep 2
    AUD_X[file1]=$(lines_of "$AUD_FILE")
    AUD_X[added1]=$(stream_added)
    AUD_X[mem1]=$(redis_info memory used_memory)
    AUD_X[forks1]=$(redis_info stats total_forks)
    AUD_X[load1]=$(cut -d' ' -f1-3 /proc/loadavg)
    AUD_X[xlen]=$([ -n "$AUD_STREAM" ] && scli XLEN "$AUD_STREAM" | tr -d '\r' || echo 0)
    # the records the stream still holds (MAXLEN trims the older ones),
    # each looked for, by its trace_id, in what the file got in this part
    if [ -n "$AUD_STREAM" ]; then
        scli --raw XRANGE "$AUD_STREAM" - + \
            | grep -o '^{"time":.*"trace_id":"[0-9a-f-]*"' \
            | grep -o '"trace_id":"[0-9a-f-]*"' > "$raw/audit-stream-ids.txt"
        AUD_X[srecs]=$(wc -l < "$raw/audit-stream-ids.txt")
        if [ -n "$AUD_FILE" ] && [ "${AUD_X[srecs]}" -gt 0 ]; then
            AUD_X[sinfile]=$(tail -n +"$((AUD_X[file0] + 1))" "$AUD_FILE" \
                | grep -o '"trace_id":"[0-9a-f-]*"' \
                | grep -cFx -f "$raw/audit-stream-ids.txt")
            [ "${AUD_X[sinfile]}" -lt "${AUD_X[srecs]}" ] \
                && na audon/stream "$(( AUD_X[srecs] - AUD_X[sinfile] )) of the ${AUD_X[srecs]} records the stream holds are not in the audit file"
        fi
    fi
    AUD_X[offfile]=$( if [ -z "$off_file" ]; then echo "none configured"
                      elif [ ! -e "$off_file" ]; then echo "no file"
                      elif [ ! -s "$off_file" ]; then echo "an empty file"
                      else echo "$(lines_of "$off_file") lines"; fi)
    case ${AUD_X[offfile]} in
    *lines) na audoff/file "the audit-off nginx wrote ${AUD_X[offfile]} to $off_file" ;;
    esac
    if [ -n "$AUD_FILE" ] && [ "${AUD_X[file1]}" -gt "${AUD_X[file0]}" ]; then
        # what the part wrote, by trace name and status
        tail -n +"$((AUD_X[file0] + 1))" "$AUD_FILE" \
            | grep -o '"trace_name":"[^"]*"\|"code":"[0-9]*"' | sort | uniq -c \
            > "$raw/audit-records.txt"
        # every line of the part one whole record (no torn or interleaved
        # writes), and one in 1000 of them parsed as JSON
        AUD_X[torn]=$(tail -n +"$((AUD_X[file0] + 1))" "$AUD_FILE" \
            | awk '!/^\{"time":[0-9]+,.*\}$/ { n++ } END { print n + 0 }')
        AUD_X[parsed]=$(tail -n +"$((AUD_X[file0] + 1))" "$AUD_FILE" | awk 'NR % 1000 == 1' \
            | perl -MJSON::PP -ne 'my $r = eval { JSON::PP->new->decode($_) };
                  $ok++ if ref $r eq "HASH" && defined $r->{trace_name}; $n++;
                  END { printf "%d of %d\n", $ok // 0, $n // 0 }')
        [ "${AUD_X[torn]}" -gt 0 ] \
            && na audon/file "${AUD_X[torn]} lines of the audit file are not one whole record"
    fi
    if grep -E 'exited on signal' "$NOAUDIT_LOG" >/dev/null 2>&1; then
        na audoff/nginx "a worker process died: $(grep -E 'exited on signal' "$NOAUDIT_LOG" | head -1)"
    fi
    if grep -E 'swr audit: .*cannot take' "$NGINX_LOG" >/dev/null 2>&1; then
        na audon/sink "a sink refused records: $(grep -cE 'swr audit: .*cannot take' "$NGINX_LOG") lines in the error log, the first: $(grep -m1 -E 'swr audit: .*cannot take' "$NGINX_LOG" | cut -c1-200)"
    fi
}

# ---------------------------------------------------------------------------
# object store: the module with "swr_storage obs", distribution with its s3
# driver, and plain nginx proxy_pass, all on one RADOS Gateway

OBS_BUCKET='bench-swr'        # the module's blobs/... and _uploads/...
OBS_DIST_BUCKET='bench-dist'  # distribution's /dist (and /dist2) trees

# s3 method path [curl args...]: a SigV4-signed request to the gateway;
# prints the HTTP status
rgw_s3() {
    local method=$1 path=$2
    shift 2
    curl -sS --noproxy '*' -m 300 \
        --aws-sigv4 "aws:amz:$RGW_REGION:s3" --user "$RGW_ACCESS_KEY:$RGW_SECRET_KEY" \
        -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \
        -o "$raw/rgw-s3.out" -w '%{http_code}' -X "$method" "$@" \
        "http://$HOST:$RGW_PORT$path" 2>>"$raw/rgw-s3.out"
}

# The start_* functions below run in this shell (not in $(...)), so that
# the processes they start are recorded for cleanup; they set REASON and
# return 1 on failure.

start_rgw() {   # -> RGW_PORT, RGW_ACCESS_KEY, RGW_SECRET_KEY, RGW_REGION
    local d=$work/rgw k v
    REASON=""
    rgw_dir=$d
    # shellcheck disable=SC2086
    if ! RGW_BUCKET=$OBS_BUCKET RGW_ACCESS_KEY=BENCHSWRACCESSKEY01 \
         RGW_SECRET_KEY=bench-$stamp-$RANDOM$RANDOM \
         "$top/util/rgw.sh" start "$d" $RGW_PORT_WANTED \
            >"$raw/rgw-start.env" 2>"$raw/rgw-start.log"; then
        rgw_dir=""    # util/rgw.sh stopped what it had started
        REASON="util/rgw.sh start failed: $(grep -v '^    ' "$raw/rgw-start.log" | tail -2 | tr '\n' ' ')(see ${raw#"$top"/}/rgw-start.log)"
        return 1
    fi
    while IFS='=' read -r k v; do
        case $k in
        RGW_PORT|RGW_ACCESS_KEY|RGW_SECRET_KEY|RGW_REGION) printf -v "$k" '%s' "$v" ;;
        esac
    done < "$raw/rgw-start.env"
    rm -f "$raw/rgw-start.env"    # holds the (throw-away) secret key
    if [ -z "${RGW_PORT:-}" ] || [ -z "${RGW_SECRET_KEY:-}" ]; then
        REASON="util/rgw.sh start printed no RGW_PORT/RGW_SECRET_KEY"
        return 1
    fi
}

# the authentication of conf/swr.conf.in, for the OBS nginx: its http and
# server parts (nothing when the template has it off)
obs_auth_conf() {   # http | server
    [ "${OBS_AUTH:-0}" = 1 ] || return 0
    if [ "$1" = http ]; then
        cat <<NGINX

    # identity and grants from Redis (util/swr-admin, database 1), the SKs
    # there encrypted with this key; registry tokens signed with the other
    swr_secret_key_file $work/secret.key;
    swr_token_key $work/token.pem;
    swr_region $REGION;
    swr_token_ttl ${TOKEN_TTL}s;
NGINX
    else
        cat <<NGINX

        swr_auth on;

        location = /_swr/token {
            swr_token;
        }
NGINX
    fi
}

write_obs_nginx_conf() {
    local prefix=$1
    mkdir -p "$prefix/conf" "$prefix/logs" "$prefix/tmp"
    cat > "$prefix/conf/nginx.conf" <<NGINX
# written by bench/run.sh: the module with its blobs on the RADOS Gateway
load_module $MODULE_COPY;

user $(id -un);
worker_processes auto;
pid $prefix/logs/nginx.pid;
error_log $prefix/logs/error.log notice;

events {
    worker_connections 4096;
}

http {
    sendfile on;
    tcp_nopush on;
    access_log off;

    client_body_temp_path $prefix/tmp/body;
    proxy_temp_path $prefix/tmp/proxy;
    fastcgi_temp_path $prefix/tmp/fastcgi;
    uwsgi_temp_path $prefix/tmp/uwsgi;
    scgi_temp_path $prefix/tmp/scgi;

    # the redis-server of the first part, a database of its own
    swr_redis $HOST:$REDIS_PORT db=1;
$(obs_auth_conf http)
    swr_obs rgw endpoint=$HOST:$RGW_PORT bucket=$OBS_BUCKET
                access_key=$RGW_ACCESS_KEY secret_key=$RGW_SECRET_KEY
                region=$RGW_REGION;

    upstream obs {
        server $HOST:$RGW_PORT;
        keepalive 32;
    }

    server {
        listen $HOST:$OBS_SWR_PORT;

        client_max_body_size 0;
        client_body_buffer_size 1m;
$(obs_auth_conf server)

        location /v2/ {
            swr_registry;
            swr_storage obs rgw;
        }

        location /_swr_obs/ {
            internal;
            include $top/conf/swr_obs_proxy.conf;
            proxy_pass http://obs\$swr_obs_uri;
        }

        # the ceiling: an object of the bucket by key, signed the same way
        # (swr_obs_object) and sent through the same proxy settings and
        # upstream, with no registry in front
        location ~ ^/_bench/obs/(?<bench_key>blobs/.+)\$ {
            swr_obs_object rgw \$bench_key;
            include $top/conf/swr_obs_proxy.conf;
            proxy_pass http://obs\$swr_obs_uri;
        }

        location = /_bench/empty {
            default_type application/json;
            return 200 '{}';
        }
    }
}
NGINX
}

start_obs_nginx() {
    local prefix=$work/nginx-obs i
    REASON=""
    write_obs_nginx_conf "$prefix"
    if ! "$NGINX" -t -q -p "$prefix/" -c "$prefix/conf/nginx.conf" \
            -e "$prefix/logs/error.log" -g 'daemon off;' >"$raw/nginx-obs-t.log" 2>&1; then
        REASON="nginx rejects the OBS configuration: $(tail -2 "$raw/nginx-obs-t.log" | tr '\n' ' ')"
        return 1
    fi
    "$NGINX" -p "$prefix/" -c "$prefix/conf/nginx.conf" \
        -e "$prefix/logs/error.log" -g 'daemon off;' \
        >"$prefix/logs/stderr.log" 2>&1 &
    OBS_NGINX_PID=$!
    started+=("$OBS_NGINX_PID:nginx (OBS)")
    OBS_NGINX_LOG=$prefix/logs/error.log
    for i in $(seq 1 100); do
        kill -0 "$OBS_NGINX_PID" 2>/dev/null \
            || { REASON="nginx (OBS) exited at start-up: $(tail -2 "$OBS_NGINX_LOG" | tr '\n' ' ')"; return 1; }
        curl -s -o /dev/null -m 2 "http://$HOST:$OBS_SWR_PORT/_bench/empty" && return 0
        sleep 0.1
    done
    REASON="nginx (OBS) does not answer on $HOST:$OBS_SWR_PORT"
    return 1
}

start_dist_s3() {   # name port rootdirectory -> DPID[name]
    local name=$1 port=$2 root=$3 d=$work/$1 pid i
    REASON=""
    mkdir -p "$d"
    cat > "$d/config.yml" <<YAML
# written by bench/run.sh
version: 0.1
log:
  level: warn
  formatter: text
  accesslog:
    disabled: true
storage:
  s3:
    region: $RGW_REGION
    # with regionendpoint set, 2.8.2 addresses buckets path-style
    # (it has no forcepathstyle parameter)
    regionendpoint: http://$HOST:$RGW_PORT
    bucket: $OBS_DIST_BUCKET
    accesskey: $RGW_ACCESS_KEY
    secretkey: $RGW_SECRET_KEY
    secure: false
    v4auth: true
    rootdirectory: $root
  cache:
    blobdescriptor: inmemory
  delete:
    enabled: true
  # blobs stream through the registry, as they do through the module;
  # by default it answers blob GETs with a 307 to the store
  redirect:
    disable: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $HOST:$port
  secret: bench-$stamp-$RANDOM$RANDOM
  headers:
    X-Content-Type-Options: [nosniff]
YAML
    # an AWS_CA_BUNDLE in the environment makes 2.8.2's s3 driver panic at
    # start-up ("unable to load custom CA bundle, HTTPClient's transport
    # unsupported type"); the gateway is plain HTTP on 127.0.0.1 anyway
    env -u AWS_CA_BUNDLE -u AWS_PROFILE -u AWS_CONFIG_FILE \
        -u AWS_SHARED_CREDENTIALS_FILE -u AWS_SDK_LOAD_CONFIG \
        docker-registry serve "$d/config.yml" >"$d/registry.log" 2>&1 &
    pid=$!
    started+=("$pid:docker-registry ($name)")
    DPID[$name]=$pid
    for i in $(seq 1 100); do
        if ! kill -0 "$pid" 2>/dev/null; then
            cp "$d/registry.log" "$raw/$name-registry.log" 2>/dev/null
            REASON="docker-registry with the s3 driver exited at start-up: $(grep -m1 -E 'panic|level=(fatal|error)' "$d/registry.log" | cut -c1-300)"
            return 1
        fi
        curl -s -o /dev/null -m 2 "http://$HOST:$port/v2/" && return 0
        sleep 0.1
    done
    REASON="docker-registry ($name) does not answer on $HOST:$port"
    return 1
}

obs_fail_all() {   # reason: every OBS figure n/a
    local k
    for k in odist/manifest_get osubj/manifest_get odist/blob_head osubj/blob_head \
             odist/blob_64m osubj/blob_64m oraw/obs_raw_64m odist/push osubj/push; do
        NA[$k]=$1
    done
    failures+=("object-store part: $1")
    loud "object-store part: $1 -> n/a"
}

# The 64 MiB downloads all go through the one gateway, whose throughput
# drifts with whatever else the machine does: the servers take turns, in
# OBS_ROUNDS rounds of DURATION/OBS_ROUNDS seconds each (warm-up before the
# first only), and each figure adds its rounds up: req/s and MiB/s over the
# summed time; p50 the mean of the rounds', p99 the largest.
# the server's processes of a column, for their CPU time
srv_pids() {
    case $1 in
    odist) echo "${DPID[odist]}" ;;
    osubj) if [ "$SUBJECT" = distribution ]; then echo "${DPID[odist2]}"; else children "$OBS_NGINX_PID"; fi ;;
    oraw)  children "$OBS_NGINX_PID" ;;
    esac
}
cpu_ticks() {   # pids... -> utime + stime, summed, in clock ticks
    local p s=0 f a
    for p in "$@"; do
        f=$(cat "/proc/$p/stat" 2>/dev/null) || continue
        f=${f##*) }    # past the command name, which may hold spaces
        read -ra a <<< "$f"
        s=$((s + a[11] + a[12]))    # fields 14 and 15 of proc(5)
    done
    echo "$s"
}
declare -A CPU_GIB

obs_blob_rounds() {   # key...
    local key srv name r dur f keys=() conns=$OBS_BLOB_CONNS t=$THREADS c0 c1 hz auth
    local -A req us bytes p50 p99 bad ticks
    hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
    dur=$((DURATION / OBS_ROUNDS))
    [ "$dur" -ge 1 ] || dur=1
    [ "$t" -le "$conns" ] || t=$conns
    for key in "$@"; do
        srv=${key%%/*}
        name=${key#*/}
        check "$srv" "$name"
        if [ -n "$CHECK_REASON" ]; then na "$key" "$CHECK_REASON"; continue; fi
        keys+=("$key")
        req[$key]=0; us[$key]=0; bytes[$key]=0; p50[$key]=0; p99[$key]=0; bad[$key]=""; ticks[$key]=0
    done
    for ((r = 1; r <= OBS_ROUNDS; r++)); do
        for key in "${keys[@]}"; do
            srv=${key%%/*}
            name=${key#*/}
            [ -n "${bad[$key]}" ] && continue
            f=$raw/${key//\//_}.r$r.wrk
            log "$(disp "$key") (wrk, $conns connections, round $r/$OBS_ROUNDS, ${dur}s)"
            token_fresh "$(auth_srv "$key")"
            auth=$(auth_hdr "$(auth_srv "$key")")
            if [ "$r" = 1 ] && [ "$WARMUP" -gt 0 ]; then
                BENCH_AUTH=$auth wrk -t"$t" -c"$conns" -d"${WARMUP}s" --timeout "${TIMEOUT}s" \
                    -s "$bench/wrk.lua" "${BASE[$srv]}${PATH_OF[$name]}" >"$f.warmup" 2>&1
            fi
            # shellcheck disable=SC2046
            c0=$(cpu_ticks $(srv_pids "$srv"))
            BENCH_AUTH=$auth wrk -t"$t" -c"$conns" -d"${dur}s" --timeout "${TIMEOUT}s" \
                -s "$bench/wrk.lua" "${BASE[$srv]}${PATH_OF[$name]}" >"$f" 2>&1
            # shellcheck disable=SC2046
            c1=$(cpu_ticks $(srv_pids "$srv"))
            ticks[$key]=$((ticks[$key] + c1 - c0))
            if ! parse_wrk "$f"; then bad[$key]="wrk printed no result (see $f)"; continue; fi
            if [ "${W[status]}" -gt 0 ]; then
                bad[$key]="${W[status]} of ${W[requests]} responses were not 2xx/3xx (see $f)"; continue
            fi
            req[$key]=$((req[$key] + W[requests]))
            us[$key]=$((us[$key] + W[duration_us]))
            bytes[$key]=$((bytes[$key] + W[bytes]))
            p50[$key]=$((p50[$key] + W[p50_us]))
            [ "${W[p99_us]}" -gt "${p99[$key]}" ] && p99[$key]=${W[p99_us]}
        done
    done
    for key in "${keys[@]}"; do
        if [ -n "${bad[$key]}" ]; then na "$key" "${bad[$key]}"; continue; fi
        if [ "${req[$key]}" -eq 0 ]; then na "$key" "wrk completed no request"; continue; fi
        RPS[$key]=$(calc "${req[$key]} * 1000000 / ${us[$key]}")
        P50[$key]=$(calc "${p50[$key]} / $OBS_ROUNDS / 1000")
        P99[$key]=$(calc "${p99[$key]} / 1000")
        MIBS[$key]=$(calc "(${bytes[$key]} - ${req[$key]} * ${HDR[$key]:-0}) / (${us[$key]} / 1000000) / 1048576")
        # the server's CPU seconds per GiB it sent (the gateway's not counted)
        [ "${bytes[$key]}" -gt 0 ] && CPU_GIB[$key]=$(calc "${ticks[$key]} / $hz / (${bytes[$key]} / 1073741824)")
    done
}

# distribution (S3), the module (OBS) and the proxy_pass ceiling
run_obs() {
    local d64=$1 reason srv t p code
    if [ -n "$OBS_SKIP" ]; then
        loud "object-store part skipped: $OBS_SKIP"
        return
    fi
    for p in "$OBS_SWR_PORT" "$OBS_DIST_PORT" $RGW_PORT_WANTED \
             $([ "$SUBJECT" = distribution ] && echo "$OBS_DIST2_PORT"); do
        if port_busy "$p"; then
            reason="port $HOST:$p is in use (set BENCH_OBS_*_PORT)"
            if [ "$OBS" = 1 ]; then obs_fail_all "$reason"; else OBS_SKIP=$reason; loud "object-store part skipped: $reason"; fi
            return
        fi
    done
    log "object store: starting a RADOS Gateway (util/rgw.sh)"
    if ! start_rgw; then
        if [ "$OBS" = 1 ]; then obs_fail_all "$REASON"; else OBS_SKIP=$REASON; loud "object-store part skipped: $REASON"; fi
        return
    fi
    code=$(rgw_s3 PUT "/$OBS_DIST_BUCKET")
    if [ "$code" != 200 ]; then
        obs_fail_all "creating the bucket $OBS_DIST_BUCKET answered $code"
        return
    fi
    OBS_AUTH=0
    if [ "$AUTH" = 1 ]; then
        # the same identities in its Redis database (1), the same key files
        if ! setup_auth 1; then obs_fail_all "$REASON"; return; fi
        OBS_AUTH=1
    fi
    if ! start_obs_nginx; then obs_fail_all "$REASON"; return; fi
    BASE[omod]=http://$HOST:$OBS_SWR_PORT
    if [ "$OBS_AUTH" = 1 ]; then
        if ! fetch_token omod; then obs_fail_all "$REASON"; return; fi
        [ "$SUBJECT" = module ] && AUTHED[osubj]=1
    fi
    if ! start_dist_s3 odist "$OBS_DIST_PORT" /dist; then obs_fail_all "$REASON"; return; fi
    BASE[odist]=http://$HOST:$OBS_DIST_PORT
    if [ "$SUBJECT" = distribution ]; then
        if ! start_dist_s3 odist2 "$OBS_DIST2_PORT" /dist2; then obs_fail_all "$REASON"; return; fi
        BASE[osubj]=http://$HOST:$OBS_DIST2_PORT
    else
        BASE[osubj]=http://$HOST:$OBS_SWR_PORT
    fi
    BASE[oraw]=http://$HOST:$OBS_SWR_PORT
    log "object store up: radosgw on $HOST:$RGW_PORT, nginx (OBS) pid $OBS_NGINX_PID ($HOST:$OBS_SWR_PORT), docker-registry (S3) pid ${DPID[odist]} ($HOST:$OBS_DIST_PORT)"

    # one push and one pull of the measured image each
    for srv in odist osubj; do
        log "$(who "$srv"): skopeo push of the test image"
        if t=$(push_image "$srv" 0 "$REPO"); then
            PUSH_T[$srv]=$t
        else
            na "$srv/push" "skopeo push failed: $(tail -3 "$raw/push-$srv-0.log" | tr '\n' ' ')"
        fi
    done
    for srv in odist osubj; do
        if [ -n "${NA[$srv/push]:-}" ]; then
            na "$srv/pull" "nothing to pull: the push failed"
            continue
        fi
        log "$(who "$srv"): skopeo pull"
        if t=$(pull_image "$srv" 1); then
            PULL_T[$srv]=$t
        else
            na "$srv/pull" "skopeo pull failed: $(tail -3 "$raw/pull-$srv-1.log" | tr '\n' ' ')"
        fi
    done

    # the ceiling reads the module's object; with no module in the run
    # (BENCH_SUBJECT=distribution) the blob is put there first
    if [ "$SUBJECT" = distribution ]; then
        code=$(rgw_s3 PUT "/$OBS_BUCKET/${OBS_RAW_KEY}" --data-binary "@$images/seed-0/blobs/sha256/${d64#sha256:}")
        [ "$code" = 200 ] || log "PUT of the 64 MiB object for the ceiling answered $code"
    fi

    measure odist manifest_get
    measure osubj manifest_get
    measure odist blob_head
    measure osubj blob_head
    obs_blob_rounds odist/blob_64m osubj/blob_64m oraw/obs_raw_64m

    HWM_ODIST=$(proc_kb "${DPID[odist]}" VmHWM)
    # shellcheck disable=SC2046
    HWM_ONGINX=$(sum_kb VmHWM "$OBS_NGINX_PID" $(children "$OBS_NGINX_PID"))
    if grep -E 'exited on signal' "$OBS_NGINX_LOG" >/dev/null 2>&1; then
        na module/nginx-obs "a worker process of nginx (OBS) died: $(grep -E 'exited on signal' "$OBS_NGINX_LOG" | head -1)"
    fi
    kill -0 "${DPID[odist]}" 2>/dev/null || na odist/registry "docker-registry (S3) died during the run"
}

# ---------------------------------------------------------------------------
# report

f0() { [ -n "${1:-}" ] && printf '%.0f' "$1" || printf 'n/a'; }
f1() { [ -n "${1:-}" ] && printf '%.1f' "$1" || printf 'n/a'; }
f2() { [ -n "${1:-}" ] && printf '%.2f' "$1" || printf 'n/a'; }
f3() { [ -n "${1:-}" ] && printf '%.3f' "$1" || printf 'n/a'; }
mib() { [ -n "${1:-}" ] && [ "$1" != 0 ] && printf '%.1f' "$(calc "$1 / 1024")" || printf 'n/a'; }
ratio() {   # a b -> a/b as "12.3x"
    if [ -n "${1:-}" ] && [ -n "${2:-}" ] && [ "$(calc "$2 > 0")" = 1.000000 ]; then
        printf '%.2fx' "$(calc "$1 / $2")"
    else
        printf 'n/a'
    fi
}
meets() {   # value minimum -> yes/NO/n/a
    if [ -z "${1:-}" ] || [ -z "${2:-}" ] || [ "$(calc "$2 > 0")" != 1.000000 ]; then
        printf 'n/a'
    elif [ "$(calc "$1 / $2 >= $3")" = 1.000000 ]; then
        printf 'yes'
    else
        printf '**NO**'
    fi
}
lat() { [ -n "${1:-}" ] && printf '%.2f' "$1" || printf 'n/a'; }
# "near the wrk ceiling" when a req/s figure is within 20% of what the
# client reaches against a trivial location: the client is then the limit
near_ceiling() {   # rps tool
    local c=${RPS[ceiling/$2]:-}
    [ -n "${1:-}" ] && [ -n "$c" ] \
        && [ "$(calc "$1 >= 0.8 * $c")" = 1.000000 ] \
        && printf ' (near the %s ceiling)' "$2"
}

write_report() {
    local name k d s tgt
    local cpu mem kernel os commit
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
    kernel=$(uname -r)
    os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
    commit=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
    ver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo '?'; }

    echo "# ngx_http_swr_module vs docker-registry — $(date '+%Y-%m-%d %H:%M %Z')"
    echo
    echo "- machine: $(nproc) cores ($cpu), $mem, $os, Linux $kernel; load average at the start ${LOAD_START:-?}, at the end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- module: commit $commit, \`$(basename "$MODULE")\` sha256 $(sha256sum < "$MODULE_COPY" | cut -c1-12)"
    echo "- servers: nginx $(ver nginx) ($NGINX), redis-server $(ver redis-server)"
    [ "$OBS_ONLY" = 0 ] && echo "- distribution: docker-registry $(ver docker-registry), filesystem storage, in-memory blob descriptor cache"
    echo "- clients: wrk $(ver wrk) (GET, ${THREADS} threads), hey $(ver hey) (HEAD), skopeo $(ver skopeo), all on the same machine"
    if [ "$AUTH" = 1 ]; then
        echo "- authentication: the module \`swr_auth on\` (its template's), account \`bench\` with its administrator and an AK/SK, organization \`$NS\` (util/swr-admin); wrk and hey send \`Authorization: Bearer <token>\` from \`/_swr/token\` (pull scope of \`$REPO\`, Basic \`$REGION@<AK>:<login key>\`), skopeo \`--dest-creds\`/\`--src-creds\`; distribution: no authentication$([ "$SUBJECT" = distribution ] && echo " (self-check run: the module's nginx serves only the static file, the ceilings and the RSS run)")"
    else
        echo "- authentication: none on either side (the template has no \`swr_auth on\`)"
    fi
    echo "- each figure: ${CONNS} connections, ${WARMUP}s warm-up then ${DURATION}s; latencies in ms; ratio = $SUBJ_LABEL / distribution"
    [ "$SUBJECT" = distribution ] && echo "- **self-check run**: the \"$SUBJ_LABEL\" column is a second docker-registry, not the module"
    [ "$OBS_ONLY" = 1 ] && echo "- **BENCH_OBS=only**: the object-store part alone"
    echo
    if [ "$OBS_ONLY" = 1 ]; then
        write_obs_report
        [ -n "${RPS[ceiling/wrk]:-}${RPS[ceiling/hey]:-}" ] && write_ceilings
        write_report_tail
        return
    fi
    echo "## Requests"
    echo
    echo "| request | tool | distribution req/s | p50 | p99 | $SUBJ_LABEL req/s | p50 | p99 | ratio | target |"
    echo "|---|---|--:|--:|--:|--:|--:|--:|--:|---|"
    for name in v2 manifest_head manifest_get tags blob_head; do
        case $name in
        v2) tgt='' ;;
        *)  tgt="≥ 15x: $(meets "${RPS[subj/$name]:-}" "${RPS[dist/$name]:-}" 15)" ;;
        esac
        tgt+=$(near_ceiling "${RPS[subj/$name]:-}" "${TOOL[$name]}")
        echo "| ${LABEL[$name]} | ${TOOL[$name]} | $(f0 "${RPS[dist/$name]:-}") | $(lat "${P50[dist/$name]:-}") | $(lat "${P99[dist/$name]:-}") | $(f0 "${RPS[subj/$name]:-}") | $(lat "${P50[subj/$name]:-}") | $(lat "${P99[subj/$name]:-}") | $(ratio "${RPS[subj/$name]:-}" "${RPS[dist/$name]:-}") | ${tgt# } |"
    done
    echo
    echo "## Blob downloads (wrk \`GET\`)"
    echo
    echo "| blob | distribution req/s | MiB/s | p50 | p99 | $SUBJ_LABEL req/s | MiB/s | p50 | p99 | ratio (MiB/s) |"
    echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
    for name in blob_4k blob_1m blob_64m; do
        echo "| ${LABEL[$name]#blob \`GET\` } | $(f0 "${RPS[dist/$name]:-}") | $(f1 "${MIBS[dist/$name]:-}") | $(lat "${P50[dist/$name]:-}") | $(lat "${P99[dist/$name]:-}") | $(f0 "${RPS[subj/$name]:-}") | $(f1 "${MIBS[subj/$name]:-}") | $(lat "${P50[subj/$name]:-}") | $(lat "${P99[subj/$name]:-}") | $(ratio "${MIBS[subj/$name]:-}" "${MIBS[dist/$name]:-}") |"
    done
    echo
    echo "## 64 MiB blob: $SUBJ_LABEL vs plain nginx static file"
    echo
    echo "The same bytes served by a \`location\` with \`alias\` in the module's nginx (same workers, same \`sendfile\`), no module involved."
    echo
    echo "| | MiB/s | p50 | p99 |"
    echo "|---|--:|--:|--:|"
    echo "| $SUBJ_LABEL blob \`GET\` | $(f1 "${MIBS[subj/blob_64m]:-}") | $(lat "${P50[subj/blob_64m]:-}") | $(lat "${P99[subj/blob_64m]:-}") |"
    echo "| plain nginx static | $(f1 "${MIBS[static/blob_64m]:-}") | $(lat "${P50[static/blob_64m]:-}") | $(lat "${P99[static/blob_64m]:-}") |"
    echo "| ratio | $(ratio "${MIBS[subj/blob_64m]:-}" "${MIBS[static/blob_64m]:-}") | target ≥ 0.9: $(meets "${MIBS[subj/blob_64m]:-}" "${MIBS[static/blob_64m]:-}" 0.9) | |"
    echo
    write_auth_report
    write_audit_report
    echo "## Push and pull (skopeo, image of $(f1 "$(calc "$IMAGE_BYTES / 1048576")") MiB in $IMAGE_BLOBS blobs)"
    echo
    echo "| | distribution s | $SUBJ_LABEL s | ratio (time) | distribution runs | $SUBJ_LABEL runs |"
    echo "|---|--:|--:|--:|---|---|"
    echo "| push (median of $PUSH_RUNS distinct images) | $(f2 "${PUSH_T[dist]:-}") | $(f2 "${PUSH_T[subj]:-}") | $(ratio "${PUSH_T[subj]:-}" "${PUSH_T[dist]:-}") | $(runs "${PUSH_ALL[dist]:-}") | $(runs "${PUSH_ALL[subj]:-}") |"
    echo "| pull (median of $PULL_RUNS) | $(f2 "${PULL_T[dist]:-}") | $(f2 "${PULL_T[subj]:-}") | $(ratio "${PULL_T[subj]:-}" "${PULL_T[dist]:-}") | $(runs "${PULL_ALL[dist]:-}") | $(runs "${PULL_ALL[subj]:-}") |"
    echo
    echo "## Peak RSS over the whole run (VmHWM, MiB)"
    echo
    echo "| process | peak RSS |"
    echo "|---|--:|"
    echo "| nginx, master + workers (sum) | $(mib "$HWM_NGINX") |"
    echo "| redis-server | $(mib "$HWM_REDIS") |"
    echo "| docker-registry | $(mib "$HWM_DIST") |"
    [ "$SUBJECT" = distribution ] && echo "| docker-registry #2 | $(mib "$HWM_DIST2") |"
    echo
    echo "## nginx workers' RSS as connections grow"
    echo
    echo "Load: $GROW_PATH, wrk, ${DURATION}s per step; RSS sampled every 0.2 s during the step (maximum shown)."
    echo
    echo "| connections | req/s | workers' RSS, sum (MiB) | largest worker (MiB) |"
    echo "|--:|--:|--:|--:|"
    for c in $RSS_CONNS; do
        echo "| $c | $(f0 "${GROW_RPS[$c]:-}") | $(mib "${GROW_SUM[$c]:-}") | $(mib "${GROW_MAX[$c]:-}") |"
    done
    local first last
    first=$(echo "$RSS_CONNS" | awk '{ print $1 }')
    last=$(echo "$RSS_CONNS" | awk '{ print $NF }')
    if [ -n "${GROW_SUM[$first]:-}" ] && [ -n "${GROW_SUM[$last]:-}" ] && [ "${GROW_SUM[$first]}" -gt 0 ]; then
        echo
        echo "Growth from $first to $last connections: $(calc "(${GROW_SUM[$last]} - ${GROW_SUM[$first]}) / 1024" | xargs printf '%+.1f') MiB ($(calc "(${GROW_SUM[$last]} - ${GROW_SUM[$first]}) * 100 / ${GROW_SUM[$first]}" | xargs printf '%+.0f')%, $(calc "(${GROW_SUM[$last]} - ${GROW_SUM[$first]}) / ($last - $first)" | xargs printf '%.1f') KiB per added connection)."
    fi
    echo
    write_obs_report
    write_ceilings
    write_report_tail
}

write_auth_report() {
    local name unit a b tgt
    echo "## Authentication: module with \`swr_auth on\` vs \`swr_auth off\`"
    echo
    if [ -n "$AB_SKIP" ]; then
        echo "Not run: $AB_SKIP."
        echo
        return
    fi
    echo "The module's nginx (\`swr_auth on\`, every request with \`Authorization: Bearer <token>\`) and a second nginx with the same configuration but \`swr_auth off\` (requests without it), on the same Redis and storage, take turns: 2 rounds of ${AB_DUR}s each (on then off, then off then on), ${WARMUP}s warm-up before each run, ${CONNS} connections; req/s and MiB/s the mean of the rounds', p50 the mean, p99 the largest."
    echo
    echo "Without credentials, a manifest \`GET\` by tag on the first answers HTTP ${AB_ANON:-?}."
    echo
    echo "| request | tool | unit | auth on | p50 | p99 | auth off | p50 | p99 | on / off | target |"
    echo "|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|"
    for name in "${AB_NAMES[@]}"; do
        if [ "$name" = blob_64m ]; then
            unit=MiB/s; a=${MIBS[aon/$name]:-}; b=${MIBS[aoff/$name]:-}
            echo "| ${LABEL[$name]} | ${TOOL[$name]} | $unit | $(f1 "$a") | $(lat "${P50[aon/$name]:-}") | $(lat "${P99[aon/$name]:-}") | $(f1 "$b") | $(lat "${P50[aoff/$name]:-}") | $(lat "${P99[aoff/$name]:-}") | $(ratio "$a" "$b") | ≥ 0.8: $(meets "$a" "$b" 0.8) |"
        else
            unit=req/s; a=${RPS[aon/$name]:-}; b=${RPS[aoff/$name]:-}
            tgt="≥ 0.8: $(meets "$a" "$b" 0.8)"
            [ -n "$(near_ceiling "$b" "${TOOL[$name]}")" ] && tgt+=" (auth off near the ${TOOL[$name]} ceiling)"
            echo "| ${LABEL[$name]} | ${TOOL[$name]} | $unit | $(f0 "$a") | $(lat "${P50[aon/$name]:-}") | $(lat "${P99[aon/$name]:-}") | $(f0 "$b") | $(lat "${P50[aoff/$name]:-}") | $(lat "${P99[aoff/$name]:-}") | $(ratio "$a" "$b") | $tgt |"
        fi
    done
    echo
    echo "The rounds (req/s; the 64 MiB blob: MiB/s):"
    echo
    for name in "${AB_NAMES[@]}"; do
        local v=() r srv
        for r in 1 2; do
            for srv in aon aoff; do
                if [ "$name" = blob_64m ]; then v+=("$srv$r $(f1 "${MIBS[$srv$r/$name]:-}")")
                else v+=("$srv$r $(f0 "${RPS[$srv$r/$name]:-}")"); fi
            done
        done
        echo "- ${LABEL[$name]}: round 1 on ${v[0]#* } / off ${v[1]#* }, round 2 off ${v[3]#* } / on ${v[2]#* }"
    done
    echo
}

atmost() {   # value reference maximum -> yes/NO/n/a: value / reference <= maximum
    if [ -z "${1:-}" ] || [ -z "${2:-}" ] || [ "$(calc "$2 > 0")" != 1.000000 ]; then
        printf 'n/a'
    elif [ "$(calc "$1 / $2 <= $3")" = 1.000000 ]; then
        printf 'yes'
    else
        printf '**NO**'
    fi
}

# an array's counts summed over srv's measured PUT runs (none: 0)
put_sum() {   # array-name srv
    local -n sum_of=$1
    local s=0 r
    for ((r = 1; r <= AUDIT_ROUNDS; r++)); do
        s=$((s + ${sum_of[$2$r/put]:-0}))
    done
    echo "$s"
}

# per PUT over all measured runs of srv: ticks (or counts) / requests,
# nothing unless every run has both
per_put() {   # array-name srv scale(1: count, us: CPU ticks in µs)
    local -n arr=$1
    local srv=$2 n q r
    for ((r = 1; r <= AUDIT_ROUNDS; r++)); do
        [ -n "${arr[$srv$r/put]:-}" ] && [ -n "${AUD_REQ[$srv$r/put]:-}" ] || return 0
    done
    n=$(put_sum "$1" "$srv")
    q=$(put_sum AUD_REQ "$srv")
    [ "$q" -gt 0 ] || return 0
    if [ "$3" = us ]; then calc "$n / $HZ * 1000000 / $q"; else calc "$n / $q"; fi
}

write_audit_report() {
    local srv r v=() a b
    echo "## Audit: module with its audit sinks on vs off"
    echo
    if [ -n "$AUD_SKIP" ]; then
        echo "Not run: $AUD_SKIP."
        echo
        return
    fi
    echo "The module's nginx, with the template's audit trail ($(grep -E '^[[:space:]]*swr_audit_(log|redis)[[:space:]]' "$CONF_IN" | sed 's/^[[:space:]]*/`/; s/[[:space:]]*$/`/' | paste -sd, | sed 's/,/, /g')), and a third nginx with the same configuration but both sinks \`off\`, on the same Redis and storage, take turns. Authentication is on in both: one push token (\`scope=repository:$REPO:pull,push\`) from the first one's \`/_swr/token\`, which the second, with the same token key, takes too."
    echo
    if [ "$AUDIT_REDIS" = own ]; then
        echo "BENCH_AUDIT_REDIS=own: the stream is on a redis-server of its own ($HOST:$AUDIT_REDIS_PORT, no persistence), \`redis=\` added to the audit-on nginx's \`swr_audit_redis\`; the registry's Redis has none of it. The Redis figures below are both servers'."
    else
        echo "The stream is on the registry's Redis, as the template has it (BENCH_AUDIT_REDIS=own puts it on a redis-server of its own)."
    fi
    echo
    echo "- manifest \`PUT\` by tag: wrk, the measured image's manifest ($(wc -c < "$M_FILE") bytes, its blobs pushed) to \`$REPO:$AUD_TAG\`, ${CONNS} connections, $AUDIT_ROUNDS rounds of ${AB_DUR}s (on then off, then off then on, and so on), ${WARMUP}s warm-up before each run; each side's req/s the mean of its runs, p50 the mean, p99 the largest; the median of the rounds' on / off (a round: the two runs, one after the other), which is what the target is checked on"
    echo "- load average (1, 5, 15 min) at the start of this part ${AUD_X[load0]:-?}, at its end ${AUD_X[load1]:-?}"
    echo "- push: skopeo, $PUSH_RUNS distinct images of $(f1 "$(calc "$IMAGE_BYTES / 1048576")") MiB each per side (none shared with any other push), each to a new repository (\`$NS/audit-on-N\`, \`$NS/audit-off-N\`), the sides alternating (on first, then off first); the median of each side, and the median of the pairs' on / off (a pair: the two pushes of image N, one after the other), which is what the target is checked on"
    echo
    echo "| | tool | unit | audit on | p50 | p99 | audit off | p50 | p99 | on / off | target: within 5 % |"
    echo "|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|"
    echo "| manifest \`PUT\` by tag (mean of $AUDIT_ROUNDS runs) | wrk | req/s | $(f0 "${RPS[audon/put]:-}") | $(lat "${P50[audon/put]:-}") | $(lat "${P99[audon/put]:-}") | $(f0 "${RPS[audoff/put]:-}") | $(lat "${P50[audoff/put]:-}") | $(lat "${P99[audoff/put]:-}") | $(ratio "${RPS[audon/put]:-}" "${RPS[audoff/put]:-}") | (the rounds' ratio below) |"
    echo "| manifest \`PUT\`, round by round (median of the $(wc -w <<< "$PUT_PAIRS") rounds' on / off) | wrk | req/s | | | | | | | $(ratio "$PUT_PAIRED" 1) | ≥ 0.95: $(meets "$PUT_PAIRED" 1 0.95) |"
    echo "| push (median of $PUSH_RUNS) | skopeo | s | $(f2 "${PUSH_T[audon]:-}") | | | $(f2 "${PUSH_T[audoff]:-}") | | | $(ratio "${PUSH_T[audon]:-}" "${PUSH_T[audoff]:-}") | (the pairs' ratio below) |"
    echo "| push, pair by pair (median of the $(wc -w <<< "$AUD_PAIRS") pairs' on / off) | skopeo | time | | | | | | | $(ratio "$PUSH_PAIRED" 1) | ≤ 1.05 (time): $(atmost "$PUSH_PAIRED" 1 1.05) |"
    echo
    for ((r = 1; r <= AUDIT_ROUNDS; r++)); do
        if [ $((r % 2)) = 1 ]; then
            v+=("round $r on $(f0 "${RPS[audon$r/put]:-}") / off $(f0 "${RPS[audoff$r/put]:-}")")
        else
            v+=("round $r off $(f0 "${RPS[audoff$r/put]:-}") / on $(f0 "${RPS[audon$r/put]:-}")")
        fi
    done
    echo "The rounds: manifest \`PUT\` $(printf '%s, ' "${v[@]}" | sed 's/, $//') req/s, the rounds' on / off $(runs "${PUT_PAIRS# }"); pushes with audit on $(runs "${PUSH_ALL[audon]:-}") s, off $(runs "${PUSH_ALL[audoff]:-}") s, in that order; the pairs' on / off $(runs "${AUD_PAIRS# }")."
    echo
    echo "Per manifest \`PUT\` (all measured runs of a side, measured around wrk's run only; CPU: user + system time):"
    echo
    echo "| | audit on | audit off | on − off |"
    echo "|---|--:|--:|--:|"
    a=$(per_put AUD_WCPU audon us); b=$(per_put AUD_WCPU audoff us)
    echo "| nginx workers' CPU, µs | $(f1 "$a") | $(f1 "$b") | $([ -n "$a" ] && [ -n "$b" ] && f1 "$(calc "$a - $b")" || echo n/a) |"
    a=$(per_put AUD_RCPU audon us); b=$(per_put AUD_RCPU audoff us)
    echo "| redis-server CPU (with its reaped forks$([ "$AUDIT_REDIS" = own ] && echo "; both servers")), µs | $(f1 "$a") | $(f1 "$b") | $([ -n "$a" ] && [ -n "$b" ] && f1 "$(calc "$a - $b")" || echo n/a) |"
    a=$(per_put AUD_CMDS audon 1); b=$(per_put AUD_CMDS audoff 1)
    echo "| Redis commands | $(f2 "$a") | $(f2 "$b") | $([ -n "$a" ] && [ -n "$b" ] && f2 "$(calc "$a - $b")" || echo n/a) |"
    a=$(per_put AUD_ADDED audon 1); b=$(per_put AUD_ADDED audoff 1)
    echo "| stream entries added | $(f3 "$a") | $(f3 "$b") | |"
    echo
    echo "The records:"
    echo
    echo "- the check before the load, one \`PUT\` with curl on each: HTTP 201 and the manifest's digest from both (else n/a above); the stream got ${AUD_X[check_audon]:-?} entry(ies) from the audit-on one, ${AUD_X[check_audoff]:-?} from the audit-off one ($AUD_SETTLE s later)"
    if [ -n "$AUD_FILE" ]; then
        echo "- the audit file (\`${AUD_FILE#"$work"/}\` under the work directory) grew by ${AUD_X[grow]:-?} bytes during the $AUDIT_ROUNDS audit-on \`PUT\` runs (warm-ups included); it had ${AUD_X[file0]:-?} lines before this part and ${AUD_X[file1]:-?} after it, 2 s after the last request (\`flush=\`): **$(( ${AUD_X[file1]:-0} - ${AUD_X[file0]:-0} ))** records from this part"
    else
        echo "- no audit file in the template"
    fi
    if [ -n "$AUD_STREAM" ]; then
        echo "- the stream \`$AUD_STREAM\`: **$(( ${AUD_X[added1]:-0} - ${AUD_X[added0]:-0} ))** entries added during this part (\`XINFO STREAM\` entries-added; an entry holds the records a worker gathered), XLEN ${AUD_X[xlen]:-?} at the end (\`MAXLEN ~\` trims it): those hold ${AUD_X[srecs]:-?} records, ${AUD_X[sinfile]:-?} of them (by \`trace_id\`) in the file's lines of this part"
    else
        echo "- no stream in the template"
    fi
    echo "- the measured audit-on runs: $(put_sum AUD_REQ audon) \`PUT\`s answered to wrk, $(put_sum AUD_ADDED audon) stream entries added meanwhile; the measured audit-off runs: $(put_sum AUD_REQ audoff) \`PUT\`s, $(put_sum AUD_ADDED audoff) entries"
    echo "- Redis (append-only file and \`save 60 1000\`, as \`make run\`): used_memory $(mib "$(calc "${AUD_X[mem0]:-0} / 1024")") MiB before this part, $(mib "$(calc "${AUD_X[mem1]:-0} / 1024")") MiB after it; $(( ${AUD_X[forks1]:-0} - ${AUD_X[forks0]:-0} )) forks (snapshots and AOF rewrites) during it, $(put_sum AUD_FORKS audon) of them in the measured audit-on \`PUT\` runs and $(put_sum AUD_FORKS audoff) in the audit-off ones"
    echo "- pushes: $(( ${AUD_PUSH_ADDED[audon]:-0} )) stream entries from the $PUSH_RUNS audit-on pushes, $(( ${AUD_PUSH_ADDED[audoff]:-0} )) from the audit-off ones ($AUD_SETTLE s after each)"
    echo "- the audit-off nginx's file: ${AUD_X[offfile]:-?}"
    [ -n "${AUD_X[torn]:-}" ] && echo "- the audit-on file's lines of this part: ${AUD_X[torn]} not one whole record (\`{\"time\":...}\`); one in 1000 parsed as JSON with a \`trace_name\`: ${AUD_X[parsed]:-?}"
    if [ -s "$raw/audit-records.txt" ]; then
        echo "- this part's file records by trace name and status: $(awk '{ c = $1; $1 = ""; sub(/^ /, ""); gsub(/"/, ""); printf "%s%s %s", (n++ ? ", " : ""), $0, c }' "$raw/audit-records.txt")"
    fi
    echo
}

write_ceilings() {
    echo "## Client ceilings"
    echo
    echo "What the load generators reach against a trivial nginx location (\`return 200\`) on this machine: a figure near these is bounded by the client, not the server."
    echo
    echo "| | req/s | p50 | p99 |"
    echo "|---|--:|--:|--:|"
    echo "| wrk \`GET\` | $(f0 "${RPS[ceiling/wrk]:-}") | $(lat "${P50[ceiling/wrk]:-}") | $(lat "${P99[ceiling/wrk]:-}") |"
    echo "| hey \`HEAD\` | $(f0 "${RPS[ceiling/hey]:-}") | $(lat "${P50[ceiling/hey]:-}") | $(lat "${P99[ceiling/hey]:-}") |"
    echo
}

write_report_tail() {
    local k
    if [ ${#failures[@]} -gt 0 ]; then
        echo "## Not measured (n/a)"
        echo
        for k in "${failures[@]}"; do echo "- $k"; done
        echo
    fi
    echo "Raw outputs: \`${raw#"$top"/}/\`."
}

write_obs_report() {
    local name tgt
    echo "## Object storage: $OBS_SUBJ_LABEL vs distribution (S3) vs nginx proxy_pass"
    echo
    if [ -n "$OBS_SKIP" ]; then
        echo "Not run: $OBS_SKIP."
        echo
        return
    fi
    echo "One Ceph RADOS Gateway $(ver radosgw) (\`util/rgw.sh\`: 1 mon, 1 RAM-backed memstore OSD, beast frontend) on 127.0.0.1, plain HTTP, AWS Signature Version 4, path-style, buckets \`$OBS_BUCKET\` (module) and \`$OBS_DIST_BUCKET\` (distribution, \`rootdirectory: /dist\`)."
    echo
    echo "- $OBS_SUBJ_LABEL: $([ "$SUBJECT" = module ] && echo "a second nginx with the same module, \`swr_storage obs\` (blob \`GET\`s streamed through the proxy location of \`conf/swr_obs_proxy.conf\`, upstream keepalive 32), Redis database 1 of the same redis-server$([ "${OBS_AUTH:-0}" = 1 ] && echo ", \`swr_auth on\` with the same identities in that database (requests with a Bearer token of its \`/_swr/token\`, skopeo with its credentials)")" || echo "a second docker-registry with the s3 driver, \`rootdirectory: /dist2\`")"
    echo "- distribution (S3): docker-registry $(ver docker-registry), s3 driver, in-memory blob descriptor cache, \`redirect: disable: true\` (blobs stream through it)"
    echo "- nginx proxy_pass: a location of the module's nginx that \`GET\`s the module's object of the 64 MiB blob by key (\`swr_obs_object\`, same proxy settings and upstream): the ceiling for blob downloads"
    echo "- requests: ${CONNS} connections, ${WARMUP}s warm-up then ${DURATION}s; 64 MiB blob: ${OBS_BLOB_CONNS} connections, the three servers in turn, $OBS_ROUNDS round(s) of $(( DURATION / OBS_ROUNDS > 0 ? DURATION / OBS_ROUNDS : 1 ))s each (p50: mean of the rounds', p99: the largest); push and pull: one run each"
    echo
    echo "| request | tool | distribution (S3) req/s | p50 | p99 | $OBS_SUBJ_LABEL req/s | p50 | p99 | ratio | target |"
    echo "|---|---|--:|--:|--:|--:|--:|--:|--:|---|"
    for name in manifest_get blob_head; do
        case $name in
        manifest_get) tgt="≥ 20x: $(meets "${RPS[osubj/$name]:-}" "${RPS[odist/$name]:-}" 20)" ;;
        *) tgt='' ;;
        esac
        tgt+=$(near_ceiling "${RPS[osubj/$name]:-}" "${TOOL[$name]}")
        echo "| ${LABEL[$name]} | ${TOOL[$name]} | $(f0 "${RPS[odist/$name]:-}") | $(lat "${P50[odist/$name]:-}") | $(lat "${P99[odist/$name]:-}") | $(f0 "${RPS[osubj/$name]:-}") | $(lat "${P50[osubj/$name]:-}") | $(lat "${P99[osubj/$name]:-}") | $(ratio "${RPS[osubj/$name]:-}" "${RPS[odist/$name]:-}") | ${tgt# } |"
    done
    echo
    echo "64 MiB blob \`GET\` (wrk, ${OBS_BLOB_CONNS} connections, $OBS_ROUNDS round(s)):"
    echo
    echo "| | req/s | MiB/s | p50 | p99 | server CPU s/GiB |"
    echo "|---|--:|--:|--:|--:|--:|"
    echo "| distribution (S3) | $(f1 "${RPS[odist/blob_64m]:-}") | $(f1 "${MIBS[odist/blob_64m]:-}") | $(lat "${P50[odist/blob_64m]:-}") | $(lat "${P99[odist/blob_64m]:-}") | $(f2 "${CPU_GIB[odist/blob_64m]:-}") |"
    echo "| $OBS_SUBJ_LABEL | $(f1 "${RPS[osubj/blob_64m]:-}") | $(f1 "${MIBS[osubj/blob_64m]:-}") | $(lat "${P50[osubj/blob_64m]:-}") | $(lat "${P99[osubj/blob_64m]:-}") | $(f2 "${CPU_GIB[osubj/blob_64m]:-}") |"
    echo "| nginx proxy_pass (ceiling) | $(f1 "${RPS[oraw/obs_raw_64m]:-}") | $(f1 "${MIBS[oraw/obs_raw_64m]:-}") | $(lat "${P50[oraw/obs_raw_64m]:-}") | $(lat "${P99[oraw/obs_raw_64m]:-}") | $(f2 "${CPU_GIB[oraw/obs_raw_64m]:-}") |"
    echo "| $OBS_SUBJ_LABEL / proxy_pass | | $(ratio "${MIBS[osubj/blob_64m]:-}" "${MIBS[oraw/obs_raw_64m]:-}") | target ≥ 0.9: $(meets "${MIBS[osubj/blob_64m]:-}" "${MIBS[oraw/obs_raw_64m]:-}" 0.9) | | $(ratio "${CPU_GIB[osubj/blob_64m]:-}" "${CPU_GIB[oraw/obs_raw_64m]:-}") |"
    echo "| $OBS_SUBJ_LABEL / distribution (S3) | | $(ratio "${MIBS[osubj/blob_64m]:-}" "${MIBS[odist/blob_64m]:-}") | | | $(ratio "${CPU_GIB[osubj/blob_64m]:-}" "${CPU_GIB[odist/blob_64m]:-}") |"
    echo
    echo "Server CPU: user + system time of the server's processes during the runs (docker-registry; nginx's workers) per GiB sent, the gateway's own not counted."
    echo
    echo "Push and pull (skopeo, the test image, one run each):"
    echo
    echo "| | distribution (S3) s | $OBS_SUBJ_LABEL s | ratio (time) |"
    echo "|---|--:|--:|--:|"
    echo "| push | $(f2 "${PUSH_T[odist]:-}") | $(f2 "${PUSH_T[osubj]:-}") | $(ratio "${PUSH_T[osubj]:-}" "${PUSH_T[odist]:-}") |"
    echo "| pull | $(f2 "${PULL_T[odist]:-}") | $(f2 "${PULL_T[osubj]:-}") | $(ratio "${PULL_T[osubj]:-}" "${PULL_T[odist]:-}") |"
    echo
    echo "Peak RSS (VmHWM) of this part: docker-registry (S3) $(mib "${HWM_ODIST:-}") MiB; nginx (OBS), master + workers, $(mib "${HWM_ONGINX:-}") MiB."
    echo
}

runs() { [ -n "${1:-}" ] && printf '%s' "$1" | xargs -n1 printf '%.2f\n' | paste -sd' ' || printf 'n/a'; }

# ---------------------------------------------------------------------------
# main

main() {
    local t_start srv name d4 d1 d64 mdigest msize mt seed line d
    t_start=$SECONDS
    LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
    ensure_tools
    for p in "$REDIS_PORT" $([ "$OBS_ONLY" = 0 ] && echo "$SWR_PORT $DIST_PORT") \
             $([ "$OBS_ONLY" = 0 ] && [ "$SUBJECT" = distribution ] && echo "$DIST2_PORT"); do
        port_busy "$p" && die "port $HOST:$p is in use (set BENCH_*_PORT)"
    done

    [ "${work##*/}" = work ] && rm -rf "$work"
    mkdir -p "$work" "$raw" "$images" || die "cannot create $work"

    # the images: seed 0 is the one measured, the others only pushed
    for ((seed = 0; seed < (OBS_ONLY ? 1 : PUSH_RUNS); seed++)); do
        if ! image_ok "$images/seed-$seed"; then
            log "writing test image $((seed + 1))/$PUSH_RUNS"
            perl "$bench/mkimage.pl" --seed "$seed" "$images/seed-$seed" >/dev/null \
                || die "bench/mkimage.pl failed"
        fi
    done
    # the audit on/off pushes: distinct images again, seeds 100+ and 200+
    if [ "$OBS_ONLY" = 0 ] && [ "$SUBJECT" = module ] && [ "$AUDIT_OFF" = 1 ]; then
        for ((seed = 0; seed < PUSH_RUNS; seed++)); do
            for d in $((100 + seed)) $((200 + seed)); do
                image_ok "$images/seed-$d" && continue
                log "writing test image seed $d (audit on vs off pushes)"
                perl "$bench/mkimage.pl" --seed "$d" "$images/seed-$d" >/dev/null \
                    || die "bench/mkimage.pl failed"
            done
        done
    fi
    mdigest=$(awk '$1 == "manifest" { print $3 }' "$images/seed-0/blobs.txt")
    msize=$(awk '$1 == "manifest" { print $2 }' "$images/seed-0/blobs.txt")
    d4=$(awk '$1 == "layer" && $2 == 4096 { print $3 }' "$images/seed-0/blobs.txt")
    d1=$(awk '$1 == "layer" && $2 == 1048576 { print $3 }' "$images/seed-0/blobs.txt")
    d64=$(awk '$1 == "layer" && $2 == 67108864 { print $3 }' "$images/seed-0/blobs.txt")
    mt=$(sed -n 's/.*"mediaType":"\([^"]*\)".*/\1/p' "$images/seed-0/index.json")
    M_TYPE=$mt M_DIGEST=$mdigest M_FILE=$images/seed-0/blobs/sha256/${mdigest#sha256:}
    IMAGE_BYTES=$(awk '{ s += $2 } END { print s }' "$images/seed-0/blobs.txt")
    IMAGE_BLOBS=$(wc -l < "$images/seed-0/blobs.txt")
    define_endpoints "$mt" "$mdigest" "$msize" "$d4" "$d1" "$d64"
    # the object-store part's ceiling: the module's object of the 64 MiB
    # blob, by key (blobs/<algorithm>/<2 hex>/<hex>, as the module keys it)
    OBS_RAW_KEY=blobs/sha256/${d64:7:2}/${d64#sha256:}
    PATH_OF[obs_raw_64m]=/_bench/obs/$OBS_RAW_KEY
    TOOL[obs_raw_64m]=wrk
    WANT_DIGEST[obs_raw_64m]=$d64
    LABEL[obs_raw_64m]='the 64 MiB object, `GET` by proxy_pass'

    start_redis
    start_audit_redis
    make_keys || die "$REASON"
    if template_auth; then
        AUTH=1
        setup_auth 0 || die "$REASON"
    else
        log "note: $CONF_IN has no \"swr_auth on\": the module runs without authentication"
    fi
    if [ "$OBS_ONLY" = 1 ]; then
        copy_module
        log "BENCH_OBS=only: the object-store part alone"
        run_obs "$d64"
        if [ -n "${OBS_NGINX_PID:-}" ] && kill -0 "$OBS_NGINX_PID" 2>/dev/null; then
            log "client ceilings (nginx return 200)"
            HDR[ceiling/wrk]=0
            run_wrk ceiling/wrk "http://$HOST:$OBS_SWR_PORT/_bench/empty" "" "$CONNS"
            run_hey ceiling/hey "http://$HOST:$OBS_SWR_PORT/_bench/empty" "" "$CONNS"
        fi
        write_report > "$report"
        cat "$report"
        log "report: ${report#"$top"/} ($(( (SECONDS - t_start) / 60 ))m$(( (SECONDS - t_start) % 60 ))s)"
        [ ${#failures[@]} -eq 0 ] || return 2
        return 0
    fi
    start_nginx
    if [ "$SUBJECT" = module ] && [ "$AUDIT_OFF" = 1 ]; then
        # the audit-off configuration now: a template without the audit
        # directives stops the run here, not after the other measurements
        write_nginx_conf "$work/nginx-noaudit" "$NOAUDIT_PORT" "" off
    fi
    start_dist dist "$DIST_PORT"
    BASE[dist]=http://$HOST:$DIST_PORT
    if [ "$SUBJECT" = distribution ]; then
        start_dist dist2 "$DIST2_PORT"
        BASE[subj]=http://$HOST:$DIST2_PORT
    else
        BASE[subj]=http://$HOST:$SWR_PORT
    fi
    BASE[static]=http://$HOST:$SWR_PORT
    BASE[mod]=http://$HOST:$SWR_PORT
    if [ "$AUTH" = 1 ]; then
        fetch_token mod || die "$REASON"
        [ "$SUBJECT" = module ] && AUTHED[subj]=1
        log "a registry token from /_swr/token (lifetime ${TOKEN_LIFE[mod]} s); distribution has no authentication"
    fi
    log "servers up: nginx pid $NGINX_PID ($HOST:$SWR_PORT), redis pid $REDIS_PID ($HOST:$REDIS_PORT), docker-registry pid ${DPID[dist]} ($HOST:$DIST_PORT)$([ "$SUBJECT" = distribution ] && echo ", docker-registry #2 pid ${DPID[dist2]} ($HOST:$DIST2_PORT)")"
    local est=$(( (19 + $(echo "$RSS_CONNS" | wc -w)) * (DURATION + WARMUP) + 60 ))
    [ -z "$OBS_SKIP" ] && est=$((est + 7 * (DURATION + WARMUP) + 40))
    [ "$AUTH" = 1 ] && [ "$AUTH_OFF" = 1 ] && [ "$SUBJECT" = module ] \
        && est=$((est + 12 * (AB_DUR + WARMUP) + 5))
    [ "$SUBJECT" = module ] && [ "$AUDIT_OFF" = 1 ] \
        && est=$((est + 4 * (AB_DUR + WARMUP) + 2 * PUSH_RUNS + 10))
    log "the measurements take about $((est / 60 + 1)) minutes"

    push_all
    pull_all

    for name in "${NAMES[@]}"; do
        measure dist "$name"
        measure subj "$name"
        if [ "$name" = blob_64m ]; then
            HDR[static/blob_64m]=0
            local sreason
            sreason=$(check_static "$d64")
            if [ -n "$sreason" ]; then
                na static/blob_64m "$sreason"
            else
                log "plain nginx static 64 MiB file (wrk, $CONNS connections, ${DURATION}s)"
                run_wrk static/blob_64m "${BASE[static]}/_bench/static/${d64#sha256:}" "" "$CONNS"
            fi
        fi
    done

    auth_cost
    audit_cost

    log "client ceilings (nginx return 200)"
    HDR[ceiling/wrk]=0
    run_wrk ceiling/wrk "${BASE[static]}/_bench/empty" "" "$CONNS"
    run_hey ceiling/hey "${BASE[static]}/_bench/empty" "" "$CONNS"

    rss_growth

    # shellcheck disable=SC2046
    HWM_NGINX=$(sum_kb VmHWM $(nginx_pids))
    HWM_REDIS=$(proc_kb "$REDIS_PID" VmHWM)
    HWM_DIST=$(proc_kb "${DPID[dist]}" VmHWM)
    HWM_DIST2=$([ "$SUBJECT" = distribution ] && proc_kb "${DPID[dist2]}" VmHWM || echo 0)

    run_obs "$d64"

    if grep -E 'exited on signal' "$NGINX_LOG" >/dev/null 2>&1; then
        na module/nginx "a worker process died: $(grep -E 'exited on signal' "$NGINX_LOG" | head -1)"
    fi
    kill -0 "${DPID[dist]}" 2>/dev/null || na dist/registry "docker-registry died during the run"

    write_report > "$report"
    cat "$report"
    log "report: ${report#"$top"/} ($(( (SECONDS - t_start) / 60 ))m$(( (SECONDS - t_start) % 60 ))s)"
    [ ${#failures[@]} -eq 0 ] || return 2
}

image_ok() {   # dir: every blob of blobs.txt present with its size
    local dir=$1 size digest
    [ -f "$dir/blobs.txt" ] && [ -f "$dir/index.json" ] || return 1
    while read -r _ size digest; do
        [ "$(stat -c %s "$dir/blobs/sha256/${digest#sha256:}" 2>/dev/null)" = "$size" ] || return 1
    done < "$dir/blobs.txt"
}

check_static() {   # digest
    local url=${BASE[static]}/_bench/static/${1#sha256:} got
    got=sha256:$(curl -s -m 120 "$url" | sha256sum | cut -d' ' -f1)
    [ "$got" = "$1" ] || echo "the static location does not serve the 64 MiB blob ($url)"
}

main
exit $?
