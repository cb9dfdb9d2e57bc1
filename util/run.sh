#!/usr/bin/env bash
# Runs the registry locally: Redis (unless SWR_REDIS names one) and nginx
# with the module and the embedded local storage.
#
#   util/run.sh foreground   start, print the address, stop on Ctrl-C
#   util/run.sh start        start in the background
#   util/run.sh stop         stop what "start" started (by its pid files)
#
# SWR_PORT (5000), SWR_DATA (./var), SWR_REDIS (host:port of an existing
# Redis; else one is started on SWR_REDIS_PORT, 16379), SWR_NGINX (nginx
# binary, /usr/sbin/nginx), SWR_MODULE (the .so, build/...),
# SWR_ADMIN_AK and SWR_ADMIN_SK (the administrator's access key).
#
# Before nginx starts, util/swr-admin makes what a registry needs to be
# used: the SK key file $SWR_DATA/secret.key (if missing), and in Redis
# (if missing) the account "swr", its administrator "admin" and an
# access key for him: SWR_ADMIN_AK / SWR_ADMIN_SK when set (a stored SK
# that differs is replaced), else a random one, kept in
# $SWR_DATA/admin.key (mode 0600, "AK <ak>" and "SK <sk>") so that every
# start prints the same docker login.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)

port=${SWR_PORT:-5000}
data=${SWR_DATA:-$top/var}
mkdir -p "$data"
data=$(cd "$data" && pwd)
nginx=${SWR_NGINX:-/usr/sbin/nginx}
module=${SWR_MODULE:-$top/${BUILD:-build}/ngx_http_swr_module.so}
redis_port=${SWR_REDIS_PORT:-16379}
prefix=$data/nginx
redis_dir=$data/redis
redis_addr=${SWR_REDIS:-127.0.0.1:$redis_port}
key_file=$data/secret.key
admin_pair=$data/admin.key
region=${SWR_REGION:-local}
export SWR_REGION=$region

log() { printf 'swr: %s\n' "$*"; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_gone() {
    local pid=$1 i
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    return 1
}

start_redis() {
    if [ -n "${SWR_REDIS:-}" ]; then
        return
    fi

    mkdir -p "$redis_dir"

    if pid_alive "$redis_dir/redis.pid"; then
        log "redis already running (pid $(cat "$redis_dir/redis.pid"))"
        return
    fi

    redis-server --bind 127.0.0.1 --port "$redis_port" \
        --dir "$redis_dir" --pidfile "$redis_dir/redis.pid" \
        --logfile "$redis_dir/redis.log" --daemonize yes \
        --appendonly yes --save 60 1000
    touch "$redis_dir/started-by-swr"

    for _ in $(seq 1 50); do
        redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 \
            && return
        sleep 0.1
    done
    log "redis did not start, see $redis_dir/redis.log" >&2
    exit 1
}

admin() {
    "$top/util/swr-admin" --redis "$redis_addr" --key-file "$key_file" "$@"
}

# the administrator's AK: SWR_ADMIN_AK, or the one in $admin_pair
admin_ak() {
    if [ -n "${SWR_ADMIN_AK:-}" ]; then
        printf '%s\n' "$SWR_ADMIN_AK"
    elif [ -f "$admin_pair" ]; then
        sed -n 's/^AK //p' "$admin_pair"
    fi
}

# true if the stored SK of AK $1 is $2 (and decrypts with the key file)
stored_sk_is() {
    local line want

    line=$(admin login-command "$1" 2>/dev/null) || return 1
    want=$(printf '%s\n%s\n' "$1" "$2" | perl -MDigest::SHA=hmac_sha256_hex \
           -e 'chomp(my $ak = <STDIN>); chomp(my $sk = <STDIN>);
               print hmac_sha256_hex($ak, $sk)')
    case "$line" in
    *" -p $want "*) return 0 ;;
    esac
    return 1
}

# the key file, the account swr, its administrator admin and his access
# key, each made if missing; secrets go through pipes and files, never
# through a command line
bootstrap() {
    local ak sk

    if [ ! -f "$key_file" ]; then
        admin key-gen-file "$key_file" >/dev/null
        log "new SK key file $key_file"
    fi

    if [ ! -f "$data/token.pem" ]; then
        (umask 077 && openssl ecparam -name prime256v1 -genkey -noout \
             -out "$data/token.pem")
        log "new registry token key $data/token.pem"
    fi

    if ! grep -q ' swr$' <<< "$(admin account-list)"; then
        admin account-create swr >/dev/null
        log "account swr created"
    fi

    if ! grep -q ' swr/admin ' <<< "$(admin user-list swr)"; then
        admin user-create swr admin --admin >/dev/null
        log "administrator swr/admin created"
    fi

    if [ -n "${SWR_ADMIN_AK:-}" ]; then
        ak=$SWR_ADMIN_AK
        sk=$SWR_ADMIN_SK

    elif [ -s "$admin_pair" ]; then
        ak=$(sed -n 's/^AK //p' "$admin_pair")
        sk=$(sed -n 's/^SK //p' "$admin_pair")

    else
        (umask 077 && admin key-create swr/admin > "$admin_pair.new")
        mv "$admin_pair.new" "$admin_pair"
        log "administrator's access key created, kept in $admin_pair"
        return
    fi

    if awk -v ak="$ak" '$1 == ak { found = 1 } END { exit !found }' \
           <<< "$(admin key-list swr/admin)"; then
        stored_sk_is "$ak" "$sk" && return
        admin key-delete "$ak" >/dev/null
        log "AK $ak: stored SK replaced"
    fi

    printf '%s\n' "$sk" | admin key-create swr/admin --ak "$ak" --sk - \
        >/dev/null
    log "administrator's access key $ak stored"
}

write_conf() {
    mkdir -p "$prefix/conf" "$prefix/logs" "$prefix/tmp" "$data/storage"
    sed -e "s|@MODULE@|$module|g" \
        -e "s|@USER@|$(id -un)|g" \
        -e "s|@PREFIX@|$prefix|g" \
        -e "s|@DATA@|$data|g" \
        -e "s|@REDIS@|$redis_addr|g" \
        -e "s|@LISTEN@|127.0.0.1:$port|g" \
        -e "s|@REGION@|$region|g" \
        "$top/conf/swr.conf.in" > "$prefix/conf/nginx.conf"
}

start() {
    if [ ! -f "$module" ]; then
        log "no module at $module: run make first" >&2
        exit 1
    fi

    if pid_alive "$prefix/logs/nginx.pid"; then
        log "already running (pid $(cat "$prefix/logs/nginx.pid"))"
        report
        return
    fi

    if [ -n "${SWR_ADMIN_AK:-}" ] && [ -z "${SWR_ADMIN_SK:-}" ]; then
        log "SWR_ADMIN_AK needs SWR_ADMIN_SK" >&2
        exit 1
    fi

    start_redis
    bootstrap
    write_conf

    "$nginx" -p "$prefix/" -c "$prefix/conf/nginx.conf" \
        -e "$prefix/logs/error.log"

    for _ in $(seq 1 50); do
        if curl -fsS "http://127.0.0.1:$port/_swr/health" >/dev/null 2>&1
        then
            report
            return
        fi
        sleep 0.1
    done

    log "nginx answers no health check; see $prefix/logs/error.log" >&2
    tail -5 "$prefix/logs/error.log" >&2 || true
    exit 1
}

report() {
    local ak login

    ak=$(admin_ak)
    if [ -z "$ak" ]; then
        login="unknown: no $admin_pair and no SWR_ADMIN_AK"
    elif ! login=$(admin login-command "$ak" --registry "127.0.0.1:$port" \
                   2>/dev/null); then
        login="unavailable: $(admin login-command "$ak" 2>&1 >/dev/null || :)"
    fi

    cat <<MSG
swr: registry  http://127.0.0.1:$port/v2/
swr: manage    http://127.0.0.1:$port/v2/manage/
swr: health    http://127.0.0.1:$port/_swr/health
swr: redis     $redis_addr
swr: data      $data
swr: login     $login
swr:           (the administrator swr/admin; skopeo login takes the same -u, -p)
swr: admin     util/swr-admin --redis $redis_addr --key-file $key_file --help
MSG
}

stop() {
    local pid

    if pid_alive "$prefix/logs/nginx.pid"; then
        pid=$(cat "$prefix/logs/nginx.pid")
        kill -QUIT "$pid"
        wait_gone "$pid" || kill -TERM "$pid"
        log "nginx stopped"
    fi

    if [ -f "$redis_dir/started-by-swr" ] && pid_alive "$redis_dir/redis.pid"
    then
        pid=$(cat "$redis_dir/redis.pid")
        kill -TERM "$pid"
        wait_gone "$pid" || true
        rm -f "$redis_dir/started-by-swr"
        log "redis stopped"
    fi
}

case "${1:-foreground}" in
start)
    start
    ;;
stop)
    stop
    ;;
foreground)
    start
    trap 'echo; stop; exit 0' INT TERM
    log "running; Ctrl-C stops nginx and redis"
    while pid_alive "$prefix/logs/nginx.pid"; do
        sleep 1
    done
    log "nginx exited" >&2
    stop
    exit 1
    ;;
*)
    echo "usage: $0 start|stop|foreground" >&2
    exit 2
    ;;
esac
