#!/usr/bin/env bash
# A real S3 store for the tests and the benchmark: Ceph's RADOS Gateway
# from the Debian 12 packages (Ceph 16.2), on a throw-away single-node
# cluster that lives entirely in one directory: 1 mon, 1 RAM-backed
# (memstore) OSD, no mgr, and radosgw on 127.0.0.1.  Nothing is read from
# or written to /etc/ceph or /var/lib/ceph.  Recipe and measurements:
# the OBS test backend notes (docs/obs-test-backend.md in shared/).
#
#   util/rgw.sh start <dir> [port]
#       Creates <dir> (which must not exist, or be empty) and the cluster
#       in it, radosgw on 127.0.0.1:<port> (default: a free port), the S3
#       user "test" and the bucket, and warms them up.  Then prints these
#       shell-sourceable lines on stdout (and keeps them in <dir>/rgw.env):
#           RGW_ENDPOINT=http://127.0.0.1:<port>   RGW_PORT=<port>
#           RGW_ACCESS_KEY=...  RGW_SECRET_KEY=...  RGW_BUCKET=...
#           RGW_REGION=us-east-1  RGW_DIR=<dir, absolute>
#       Everything else goes to stderr.  On failure it shows the end of
#       the logs, stops what it started, removes <dir> and exits non-zero.
#   util/rgw.sh stop <dir>
#       Kills (SIGKILL) exactly the daemons of <dir>, waits until they
#       are gone and removes <dir>.  Well under 0.1 s.
#   util/rgw.sh status <dir>
#       Exit 0 if the gateway of <dir> answers, 1 if not.
#   util/rgw.sh env <dir>
#       Prints the lines of "start" again.
#
# Environment (for start): RGW_ACCESS_KEY, RGW_SECRET_KEY, RGW_BUCKET
# (default swr-test), RGW_TIMEOUT (seconds each step and each wait may
# take, default 30), RGW_MEMSTORE_BYTES (the OSD's capacity, held in RAM
# as it is used; default 4 GiB).
#
# Needs the Debian packages (not installed by this script):
#   apt-get install --no-install-recommends \
#       ceph-mon ceph-osd radosgw ceph-common curl
# Runs as root or as any user: the daemons run as the caller.

set -euo pipefail

prog=rgw.sh
packages="ceph-mon ceph-osd radosgw ceph-common curl"
timeout_s=${RGW_TIMEOUT:-30}
region="us-east-1"
marker="# util/rgw.sh throw-away test cluster"
daemons="ceph-mon ceph-osd radosgw"

say() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { say "$*"; exit 1; }

usage() {
    cat >&2 <<'EOF'
usage: util/rgw.sh start <dir> [port]
       util/rgw.sh stop <dir>
       util/rgw.sh status <dir>
       util/rgw.sh env <dir>
EOF
    exit 2
}

# microseconds since the epoch (whatever the locale's decimal point)
now_us() { local t=${EPOCHREALTIME//[!0-9]/}; echo "$((10#$t))"; }

need_bins() {
    local b missing=()
    for b in ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool \
             monmaptool curl perl timeout; do
        command -v "$b" >/dev/null 2>&1 || missing+=("$b")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    die "missing ${missing[*]}; install the Debian packages:" \
        "apt-get install --no-install-recommends $packages"
}

# <dir> as an absolute path without symlinks (the daemons' command lines
# name <dir>/ceph.conf in this form)
absdir() { (cd "$1" && pwd -P); }

# is <pid> one of our daemons, started with "-c <conf>"?  A zombie has an
# empty command line, so it is not.
is_ours() {
    local pid=$1 conf=$2 args i
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    { mapfile -d '' -t args <"/proc/$pid/cmdline"; } 2>/dev/null || return 1
    [ ${#args[@]} -gt 2 ] || return 1
    case " $daemons " in *" ${args[0]##*/} "*) ;; *) return 1 ;; esac
    for ((i = 1; i + 1 < ${#args[@]}; i++)); do
        [ "${args[i]}" = -c ] && [ "${args[i + 1]}" = "$conf" ] && return 0
    done
    return 1
}

# the pids of the daemons of <dir>: those of the pid files, and any other
# process started with -c <dir>/ceph.conf (one that has not written its
# pid file yet)
dir_pids() {
    local dir=$1 conf=$1/ceph.conf f pid p
    {
        for f in "$dir"/run/*.pid; do
            [ -f "$f" ] || continue
            read -r pid <"$f" || true
            is_ours "${pid:-x}" "$conf" && echo "$pid"
        done
        for p in /proc/[0-9]*; do
            pid=${p#/proc/}
            is_ours "$pid" "$conf" && echo "$pid"
        done
    } | sort -un
}

# SIGKILL the daemons of <dir>, wait until they are gone
kill_dir() {
    local dir=$1 pids pid left t0
    pids=$(dir_pids "$dir")
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    t0=$(now_us)
    while :; do
        left=
        for pid in $pids; do
            is_ours "$pid" "$dir/ceph.conf" && left+=" $pid"
        done
        [ -z "$left" ] && return 0
        if [ $(($(now_us) - t0)) -gt $((timeout_s * 1000000)) ]; then
            say "daemons of $dir still there after SIGKILL:$left"
            return 1
        fi
        sleep 0.02
    done
}

# prints <n> distinct free TCP ports of 127.0.0.1
free_ports() {
    perl -MIO::Socket::INET -e '
        my @s;
        for (1 .. $ARGV[0]) {
            my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1",
                                          LocalPort => 0, ReuseAddr => 1)
                or die "no free port: $!\n";
            push @s, $s;
            print $s->sockport, "\n";
        }' "$1"
}

port_free() {
    perl -MIO::Socket::INET -e '
        IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1",
                              LocalPort => $ARGV[0], ReuseAddr => 1)
            or exit 1' "$1"
}

# ---------------------------------------------------------------- start

D=
created=0
started=0
step=
t_start=

on_exit() {
    local rc=$?
    [ $started -eq 1 ] && return 0
    [ -n "$D" ] || exit "$rc"
    trap - EXIT
    [ $rc -ne 0 ] || rc=1
    say "start failed${step:+ at: $step} (exit $rc)"
    local f shown=
    for f in "$D"/log/setup.log "$D"/log/*.log; do
        [ -s "$f" ] || continue
        case "$f" in */cluster.log) continue ;; esac
        case "$shown " in *" $f "*) continue ;; esac
        shown+=" $f"
        say "---- last lines of $f"
        tail -n 12 "$f" | sed 's/^/    /' >&2
    done
    kill_dir "$D" || true
    if [ $created -eq 1 ]; then
        rm -rf "$D"
    fi
    exit "$rc"
}

# runs a command with a time limit, its output into the setup log
run() {
    timeout -k 2 "$timeout_s" "$@" </dev/null >>"$D/log/setup.log" 2>&1
}

# poll <what> <command...>: until the command succeeds, at most
# $timeout_s seconds
poll() {
    local what=$1 t0
    shift
    t0=$(now_us)
    until "$@"; do
        if [ $(($(now_us) - t0)) -gt $((timeout_s * 1000000)) ]; then
            step="waiting for $what"
            die "timed out after ${timeout_s}s waiting for $what"
        fi
        sleep 0.05
    done
}

# the daemon of <pid file> is running (dies at once if it has exited)
alive() {
    local f=$D/run/$1.pid pid
    [ -f "$f" ] || return 0    # still starting
    read -r pid <"$f" || return 0
    is_ours "$pid" "$D/ceph.conf" && return 0
    step="$1 exited, see $1.log"
    die "$1 has exited"
}

osd_up() {
    alive mon.a
    alive osd.0
    local dump
    dump=$(timeout -k 1 5 ceph --connect-timeout 5 osd dump -f json \
        </dev/null 2>>"$D/log/setup.log") || return 1
    [[ $dump == *'"up":1'* ]]
}

rgw_up() {
    alive client.rgw.a
    local code
    code=$(curl -s --noproxy '*' --max-time 2 -o /dev/null -w '%{http_code}' \
        "$endpoint/" 2>/dev/null) || true
    [ "$code" = 200 ]
}

# s3 <method> <path> [curl args...]: a SigV4-signed request; prints the
# HTTP status, the body goes to $D/log/s3.out
s3() {
    local method=$1 path=$2
    shift 2
    curl -sS --noproxy '*' --max-time "$timeout_s" \
        --aws-sigv4 "aws:amz:$region:s3" --user "$access_key:$secret_key" \
        -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \
        -o "$D/log/s3.out" -w '%{http_code}' -X "$method" "$@" \
        "$endpoint$path" 2>>"$D/log/setup.log"
}

# expect <status> <method> <path> [curl args...]
expect() {
    local want=$1 code
    shift
    code=$(s3 "$@") || code="curl failed"
    if [ "$code" != "$want" ]; then
        {
            echo "$1 $2: $code, expected $want"
            cat "$D/log/s3.out" 2>/dev/null && echo
        } >>"$D/log/setup.log"
        die "S3 $1 $2 answered $code, expected $want"
    fi
}

cmd_start() {
    if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
    local dir=$1 port=${2:-} mon_port fsid osd_uuid osd_id asok=1 ports
    need_bins
    t_start=$(now_us)

    access_key=${RGW_ACCESS_KEY:-SWRTESTACCESSKEY0001}
    secret_key=${RGW_SECRET_KEY:-swr-test-secret-key-0000000000000000000001}
    bucket=${RGW_BUCKET:-swr-test}
    [[ $timeout_s =~ ^[1-9][0-9]*$ ]] \
        || die "RGW_TIMEOUT must be a number of seconds"
    [[ $access_key =~ ^[A-Za-z0-9]+$ ]] \
        || die "RGW_ACCESS_KEY must be letters and digits"
    [[ $secret_key =~ ^[!-~]+$ ]] \
        || die "RGW_SECRET_KEY must be printable ASCII without spaces"
    [[ $bucket =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] \
        || die "RGW_BUCKET is not a valid S3 bucket name: $bucket"
    local bytes=${RGW_MEMSTORE_BYTES:-4294967296}
    [[ $bytes =~ ^[1-9][0-9]*$ ]] || die "RGW_MEMSTORE_BYTES must be a number"

    if [ -n "$port" ]; then
        if ! [[ $port =~ ^[1-9][0-9]*$ ]] || [ "$port" -gt 65535 ]; then
            die "bad port: $port"
        fi
        port_free "$port" || die "port $port of 127.0.0.1 is in use"
        mon_port=$(free_ports 1)
        [ "$mon_port" != "$port" ] || mon_port=$(free_ports 2 | tail -n 1)
    else
        ports=$(free_ports 2)
        port=${ports%%$'\n'*}
        mon_port=${ports##*$'\n'}
    fi

    if [ -e "$dir" ] || [ -L "$dir" ]; then
        [ -d "$dir" ] || die "$dir exists and is not a directory"
        [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
    fi
    trap on_exit EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    mkdir -p "$dir"
    created=1
    D=$(absdir "$dir")
    mkdir -p "$D/run" "$D/log" "$D/crash" "$D/mon.a" "$D/osd.0" "$D/rgw"
    : >"$D/log/setup.log"

    # a unix socket path has at most 107 bytes
    if [ $((${#D} + 23)) -gt 107 ]; then
        asok=0
        say "$D is too long a path for admin sockets; running without them"
    fi

    step="writing ceph.conf"
    fsid=$(cat /proc/sys/kernel/random/uuid)
    osd_uuid=$(cat /proc/sys/kernel/random/uuid)
    endpoint=http://127.0.0.1:$port
    {
        cat <<EOF
$marker, removed by "util/rgw.sh stop"
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
auth cluster required = none
auth service required = none
auth client required = none
# with auth none, radosgw (a daemon, default mon client mode "secure")
# never authenticates without these
ms mon client mode = crc
ms client mode = crc
run dir = $D/run
pid file = $D/run/\$name.pid
log file = $D/log/\$name.log
log to stderr = false
err to stderr = false
mon cluster log file = $D/log/cluster.log
crash dir = $D/crash
keyring = $D/\$name.keyring
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
# radosgw creates its pools one mon command at a time: commit at once
paxos propose interval = 0.01
paxos min wait = 0.001
mon data avail warn = 1
mon data avail crit = 0
EOF
        if [ $asok -eq 1 ]; then
            echo "admin socket = $D/run/\$name.asok"
        else
            echo "admin socket ="
        fi
        cat <<EOF
[client]
admin socket =
[mon]
mon data = $D/mon.\$id
[osd]
osd data = $D/osd.\$id
osd objectstore = memstore
memstore device bytes = $bytes
[client.rgw.a]
EOF
        if [ $asok -eq 1 ]; then
            echo "admin socket = $D/run/\$name.asok"
        fi
        cat <<EOF
rgw frontends = beast endpoint=127.0.0.1:$port
rgw data = $D/rgw
# free the data of deleted objects within seconds, not hours
rgw gc obj min wait = 2
rgw gc processor period = 5
EOF
    } >"$D/ceph.conf"
    export CEPH_CONF=$D/ceph.conf
    unset CEPH_ARGS

    step="creating the mon"
    run ceph-authtool --create-keyring "$D/mon.keyring" --gen-key -n mon. \
        --cap mon 'allow *'
    run monmaptool --create --fsid "$fsid" \
        --addv a "[v2:127.0.0.1:$mon_port]" "$D/monmap"
    run ceph-mon -c "$D/ceph.conf" --mkfs -i a --monmap "$D/monmap" \
        --keyring "$D/mon.keyring"
    step="starting the mon"
    run ceph-mon -c "$D/ceph.conf" -i a

    step="creating the osd"
    osd_id=$(timeout -k 2 "$timeout_s" ceph --connect-timeout "$timeout_s" \
        osd new "$osd_uuid" </dev/null 2>>"$D/log/setup.log")
    [ "$osd_id" = 0 ] || die "ceph osd new gave \"$osd_id\", expected 0"
    run ceph-osd -c "$D/ceph.conf" -i 0 --mkfs --osd-uuid "$osd_uuid"
    step="starting the osd"
    run ceph-osd -c "$D/ceph.conf" -i 0
    poll "the osd to be up" osd_up

    step="starting radosgw"
    run radosgw -c "$D/ceph.conf" -n client.rgw.a
    poll "radosgw to answer on $endpoint" rgw_up

    step="creating the S3 user"
    timeout -k 2 "$timeout_s" radosgw-admin user create --uid=test \
        --display-name=test --access-key="$access_key" \
        --secret-key="$secret_key" </dev/null >"$D/log/user.json" \
        2>>"$D/log/setup.log"

    step="creating the bucket"
    expect 200 PUT "/$bucket"

    # warm-up: creates the data pool and the non-ec pool now, rather than
    # in the first test
    step="warm-up"
    local key=rgw-sh-warm-up upload_id
    expect 200 PUT "/$bucket/$key" --data-binary warm-up
    # "uploads=": curl 7.88 signs a query key without a value wrongly
    expect 200 POST "/$bucket/$key?uploads="
    upload_id=$(sed -n 's|.*<UploadId>\([^<]*\)</UploadId>.*|\1|p' \
        "$D/log/s3.out")
    [ -n "$upload_id" ] || die "no UploadId in the answer to ?uploads"
    [[ $upload_id =~ ^[A-Za-z0-9._~-]+$ ]] \
        || die "unexpected UploadId: $upload_id"
    expect 204 DELETE "/$bucket/$key?uploadId=$upload_id"
    expect 204 DELETE "/$bucket/$key"

    step="writing rgw.env"
    {
        printf 'RGW_ENDPOINT=%q\n' "$endpoint"
        printf 'RGW_PORT=%q\n' "$port"
        printf 'RGW_ACCESS_KEY=%q\n' "$access_key"
        printf 'RGW_SECRET_KEY=%q\n' "$secret_key"
        printf 'RGW_BUCKET=%q\n' "$bucket"
        printf 'RGW_REGION=%q\n' "$region"
        printf 'RGW_DIR=%q\n' "$D"
    } >"$D/rgw.env"
    started=1
    trap - EXIT INT TERM
    local ms=$((($(now_us) - t_start) / 1000))
    say "radosgw of $D up on $endpoint in" \
        "$((ms / 1000)).$(printf '%03d' $((ms % 1000))) s"
    cat "$D/rgw.env"
}

# ---------------------------------------------------------------- others

# <dir> as absolute path, checked to be one of ours; empty if it does
# not exist
our_dir() {
    local dir=$1
    [ -e "$dir" ] || return 0
    [ -d "$dir" ] || die "$dir is not a directory"
    dir=$(absdir "$dir")
    if ! [ -f "$dir/ceph.conf" ] \
            || ! head -n 1 "$dir/ceph.conf" | grep -qF "$marker"; then
        die "$dir is not a cluster of util/rgw.sh (no ceph.conf of ours)"
    fi
    echo "$dir"
}

cmd_stop() {
    [ $# -eq 1 ] || usage
    local dir
    dir=$(our_dir "$1")
    if [ -z "$dir" ]; then
        say "$1 does not exist; nothing to stop"
        return 0
    fi
    kill_dir "$dir" || die "could not stop the daemons of $dir"
    rm -rf "$dir"
}

env_of() {
    local dir
    dir=$(our_dir "$1")
    [ -n "$dir" ] || die "$1 does not exist"
    [ -f "$dir/rgw.env" ] || die "$dir has no rgw.env (start not finished?)"
    cat "$dir/rgw.env"
}

cmd_status() {
    [ $# -eq 1 ] || usage
    local env_lines port code
    env_lines=$(env_of "$1") || exit 1
    port=$(sed -n 's/^RGW_PORT=//p' <<<"$env_lines")
    code=$(curl -s --noproxy '*' --max-time 5 -o /dev/null -w '%{http_code}' \
        "http://127.0.0.1:$port/" 2>/dev/null) || true
    if [ "$code" = 200 ]; then
        say "radosgw of $1 answers on 127.0.0.1:$port"
        return 0
    fi
    say "radosgw of $1 does not answer on 127.0.0.1:$port"
    return 1
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
start) cmd_start "$@" ;;
stop) cmd_stop "$@" ;;
status) cmd_status "$@" ;;
env) [ $# -eq 1 ] || usage; env_of "$1" ;;
*) usage ;;
esac
