#!/usr/bin/env bash
# The least the audit trail can cost on this machine: manifest PUTs by tag
# (wrk) against nginx that differ only in their audit sinks and in how a
# record is made, all on one Redis and one storage directory.
#
#   off           both sinks off
#   on            the template's sinks, the module's records
#   floor         the template's sinks, but each record a constant line of
#                 FLOOR_BYTES bytes (by default the size of the module's
#                 own record for the same PUT), handed to the sinks
#                 without being made: no values looked up, no escaping
#   floor-file    the same constant line, the file alone
#   floor-stream  the same constant line, the stream alone
#   floor-small   both sinks, a constant line of FLOOR_SMALL bytes
#
# The floor sides run a copy of the module built here with one change (see
# floor_patch below): ngx_http_swr_audit_write hands that line to the
# sinks when SWR_AUDIT_FLOOR is set; everything else, the ACCESS phase's
# record included, is the module's.  What "floor" costs is what the sinks
# cost for a record of that size, whatever makes the record.
#
# Each round runs every side once, in a random order, FLOOR_REST seconds of
# rest before each run of FLOOR_DURATION seconds (32 connections); a
# side's figure is the median of the rounds' req/s to that of "off" in the
# same round, and the median of the machine's busy CPU time a PUT
# (/proc/stat) less that of "off".
#
#   FLOOR_ROUNDS (12), FLOOR_DURATION (5), FLOOR_REST (1), FLOOR_BYTES
#   (the module's record), FLOOR_SMALL (120), FLOOR_PORT (15280: the
#   sides on FLOOR_PORT .. +5, Redis on FLOOR_PORT - 1)
#
# The report goes to standard output (markdown) and, with the rounds'
# figures, the module's record and the servers' logs, to
# bench/out/floor-<time>/.  Run by "make bench-audit-floor".

set -euo pipefail
export LC_ALL=C     # lengths in bytes

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

ROUNDS=${FLOOR_ROUNDS:-12}
DURATION=${FLOOR_DURATION:-5}
REST=${FLOOR_REST:-1}
SMALL=${FLOOR_SMALL:-120}
PORT=${FLOOR_PORT:-15280}
REDIS_PORT=$((PORT - 1))
HOST=127.0.0.1
REPO=bench/app
SIDES=(off on floor floor-file floor-stream floor-small)

work=$top/bench/out/floor-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$work"

log() { printf 'audit-floor: %s\n' "$*" >&2; }
die() { printf 'audit-floor: error: %s\n' "$*" >&2; exit 1; }

# the module and what running it needs come from "make bench-audit-floor"
# (util/deps.sh, make build); wrk is the bench's own

[ -f build/ngx_http_swr_module.so ] \
    || die "no build/ngx_http_swr_module.so: run make bench-audit-floor"

if ! command -v wrk >/dev/null; then
    [ "$(id -u)" = 0 ] || die "no wrk (apt-get install wrk, as root)"
    log "installing wrk"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
          apt-get install -y -qq wrk; } > /dev/null 2>&1 \
        || die "apt-get could not install wrk"
fi

declare -A SIDE_PORT SIDE_PID
i=0
for side in "${SIDES[@]}"; do
    SIDE_PORT[$side]=$((PORT + i))
    i=$((i + 1))
done

export SWR_DATA=$work/var SWR_PORT=${SIDE_PORT[on]} SWR_REDIS_PORT=$REDIS_PORT

cleanup() {
    local side
    for side in "${!SIDE_PID[@]}"; do
        kill -QUIT "${SIDE_PID[$side]}" 2>/dev/null || true
    done
    util/run.sh stop >/dev/null 2>&1 || true

    # the records and Redis's files run to gigabytes: what is kept is the
    # report, the rounds and one record

    rm -rf "$work"/*/logs/audit.log "$work/var/redis"
}
trap cleanup EXIT


# the floor's change to ngx_http_swr_audit_write, in a copy of the sources

floor_patch() {   # file
    cat > "$work/floor.c" <<'C'
    {
        /* bench/audit-floor.sh: a constant line instead of the record */

        static u_char  *floor_line;
        static size_t   floor_len = (size_t) -1;
        char           *e;

        if (floor_len == (size_t) -1) {
            e = getenv("SWR_AUDIT_FLOOR");
            floor_len = e ? (size_t) atoi(e) : 0;

            if (floor_len > 1) {
                floor_line = malloc(floor_len);
                if (floor_line == NULL) {
                    floor_len = 0;

                } else {
                    ngx_memset(floor_line, 'x', floor_len - 1);
                    floor_line[floor_len - 1] = LF;
                }

            } else {
                floor_len = 0;
            }
        }

        if (floor_len) {
            ngx_http_swr_audit_sink_write(r, a->log, a->redis, floor_line,
                                          floor_len);
            return NGX_OK;
        }
    }

C
    B_FLOOR_C=$work/floor.c perl -0pi -e '
        my $line = q|    if (ngx_http_swr_audit_values(r, ctx, a, &v)|
                   . q| != NGX_OK) {|;
        open my $fh, "<", $ENV{B_FLOOR_C} or die "$ENV{B_FLOOR_C}: $!\n";
        my $floor = do { local $/; <$fh> };
        s/^\Q$line\E/$floor$line/m or die "no \"$line\" in $ARGV\n";
    ' "$1"
}

build_floor() {
    local src=$work/floor-src
    mkdir -p "$src/util"
    cp -r config ngx_http_swr_module "$src/"
    cp util/build.sh "$src/util/"
    floor_patch "$src/ngx_http_swr_module/ngx_http_swr_audit.c"
    log "building the floor's module"
    BUILD=$work/floor-build bash "$src/util/build.sh" release \
        > "$work/floor-build.log" 2>&1 \
        || die "the floor's module did not build: $work/floor-build.log"
}


# a side's nginx: the template as util/run.sh wrote it, its own prefix and
# port, access_log off (as in bench/run.sh), its sinks and module

start_side() {   # side
    local side=$1 dir=$work/$1 conf log=on stream=on floor=""
    local base=$work/var/nginx
    conf=$dir/conf/nginx.conf

    case $side in
    off)          log=off; stream=off ;;
    floor)        floor=$FLOOR_BYTES ;;
    floor-file)   floor=$FLOOR_BYTES; stream=off ;;
    floor-stream) floor=$FLOOR_BYTES; log=off ;;
    floor-small)  floor=$SMALL ;;
    esac

    mkdir -p "$dir/conf" "$dir/logs" "$dir/tmp"

    B_BASE=$base/ B_DIR=$dir/ B_PORT=${SIDE_PORT[$side]} \
    B_ON=${SIDE_PORT[on]} B_LOG=$log B_STREAM=$stream B_FLOOR=$floor \
    B_MODULE=$work/floor-build/ngx_http_swr_module.so \
    perl -0pe '
        s/\Q$ENV{B_BASE}\E/$ENV{B_DIR}/g;
        s/\b127\.0\.0\.1:$ENV{B_ON}\b/127.0.0.1:$ENV{B_PORT}/g
            or die "no listen on $ENV{B_ON}\n";
        s/^(\s*)access_log\s[^;]*;/$1access_log off;/mg;
        $ENV{B_LOG} eq "off"
            and (s/^(\s*)swr_audit_log\s[^;]*;/$1swr_audit_log off;/mg
                 or die "no swr_audit_log\n");
        $ENV{B_STREAM} eq "off"
            and (s/^(\s*)swr_audit_redis\s[^;]*;/$1swr_audit_redis off;/mg
                 or die "no swr_audit_redis\n");
        if ($ENV{B_FLOOR} ne "") {
            s/^(\s*load_module\s+)\S+;/$1$ENV{B_MODULE};\nenv SWR_AUDIT_FLOOR;/m
                or die "no load_module\n";
        }
    ' "$base/conf/nginx.conf" > "$conf" || die "no configuration for $side"

    SWR_AUDIT_FLOOR=$floor /usr/sbin/nginx -p "$dir/" -c "$conf" \
        -e "$dir/logs/error.log" || die "nginx ($side) did not start"

    for _ in $(seq 1 50); do
        [ -s "$dir/logs/nginx.pid" ] && break
        sleep 0.1
    done
    SIDE_PID[$side]=$(cat "$dir/logs/nginx.pid")
}

admin() {
    util/swr-admin --redis "$HOST:$REDIS_PORT" \
        --key-file "$SWR_DATA/secret.key" "$@"
}

token() {
    local scope=repository:$REPO:pull,push
    curl -fsS -u "$LOGIN_USER:$LOGIN_PASS" \
        "http://$HOST:${SIDE_PORT[on]}/_swr/token?service=swr&scope=$scope" \
        | perl -MJSON::PP -e 'print decode_json(join "", <>)->{token}'
}

# the image: one config and one layer pushed, the manifest PUT by tag

make_image() {
    local login f d loc sep auth
    login=$(admin login-command "$(sed -n 's/^AK //p' "$SWR_DATA/admin.key")")
    LOGIN_USER=$(sed 's/.* -u \([^ ]*\) .*/\1/' <<<"$login")
    LOGIN_PASS=$(sed 's/.* -p \([^ ]*\) .*/\1/' <<<"$login")
    admin ns-create "${REPO%%/*}" swr >/dev/null 2>&1 || true
    auth="Authorization: Bearer $(token)"

    head -c 1000 /dev/urandom > "$work/layer"
    printf '%s' '{"architecture":"amd64","os":"linux",' \
        '"rootfs":{"type":"layers","diff_ids":[]}}' > "$work/config"
    for f in layer config; do
        d=sha256:$(sha256sum "$work/$f" | cut -d' ' -f1)
        eval "${f}_digest=\$d"
        loc=$(curl -fsS -D - -o /dev/null -X POST -H "$auth" \
                  "http://$HOST:${SIDE_PORT[on]}/v2/$REPO/blobs/uploads/" \
              | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
        case $loc in http*) ;; *) loc=http://$HOST:${SIDE_PORT[on]}$loc ;; esac
        sep='?'; case $loc in *\?*) sep='&' ;; esac
        curl -fsS -o /dev/null -X PUT -H "$auth" \
            -H 'Content-Type: application/octet-stream' \
            --data-binary @"$work/$f" "$loc${sep}digest=$d" \
            || die "the $f blob was not taken"
    done

    local oci=application/vnd.oci.image
    cat > "$work/manifest" <<EOF
{"schemaVersion":2,"mediaType":"$oci.manifest.v1+json",
 "config":{"mediaType":"$oci.config.v1+json","digest":"$config_digest",
           "size":$(stat -c %s "$work/config")},
 "layers":[{"mediaType":"$oci.layer.v1.tar","digest":"$layer_digest",
            "size":1000}]}
EOF
}

put_once() {   # side -> status
    curl -sS -o /dev/null -w '%{http_code}' -X PUT \
        -H "Authorization: Bearer $TOKEN" \
        -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
        --data-binary @"$work/manifest" \
        "http://$HOST:${SIDE_PORT[$1]}/v2/$REPO/manifests/v1"
}

busy() { awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }

run_side() {   # round side
    local b0 b1 out req status
    b0=$(busy)
    out=$(BENCH_AUTH="Bearer $TOKEN" wrk -t2 -c32 -d"${DURATION}s" \
              -s bench/wrk.lua \
              "http://$HOST:${SIDE_PORT[$2]}/v2/$REPO/manifests/v1" 2>&1)
    b1=$(busy)
    req=$(sed -n 's/.*BENCH requests=\([0-9]*\).*/\1/p' <<<"$out")
    status=$(sed -n 's/.* status=\([0-9]*\).*/\1/p' <<<"$out")
    [ -n "$req" ] && [ "$req" -gt 0 ] || die "no requests from wrk ($2): $out"
    [ "$status" = 0 ] || die "$status answers other than 2xx from $2"
    echo "$1 $2 $req $((b1 - b0))" >> "$work/rounds.txt"
    printf ' %s=%d' "$2" $((req / DURATION)) >&2
}


log "output in $work"
build_floor

# util/run.sh makes the keys, the administrator and the configuration;
# its nginx makes way for the "on" side (the same, with access_log off)

util/run.sh start > "$work/run.log" 2>&1 || die "util/run.sh: $work/run.log"
SIDE_PID[on]=$(cat "$work/var/nginx/logs/nginx.pid")
kill -QUIT "${SIDE_PID[on]}"
for _ in $(seq 1 50); do
    kill -0 "${SIDE_PID[on]}" 2>/dev/null || break
    sleep 0.1
done
unset 'SIDE_PID[on]'

start_side on
make_image
TOKEN=$(token)
[ "$(put_once on)" = 201 ] || die "the manifest PUT (on) did not answer 201"

# the module's record for this PUT: its size is the floor's by default

sleep 1.5
record=$(tail -n 1 "$work/on/logs/audit.log")
case $record in '{"time":'*'"trace_name":"UploadManifest"'*) ;;
*) die "no UploadManifest record in $work/on/logs/audit.log" ;; esac
FLOOR_BYTES=${FLOOR_BYTES:-$(( ${#record} + 1 ))}
printf '%s\n' "$record" > "$work/record.json"

for side in "${SIDES[@]}"; do
    [ "$side" = on ] || start_side "$side"
    [ "$(put_once "$side")" = 201 ] \
        || die "the manifest PUT ($side) did not answer 201"
done

export BENCH_METHOD=PUT BENCH_BODY_FILE=$work/manifest \
       BENCH_CTYPE=application/vnd.oci.image.manifest.v1+json

log "$ROUNDS rounds of ${DURATION} s a side, ${REST} s of rest before each;" \
    "the record $FLOOR_BYTES bytes"
for ((r = 1; r <= ROUNDS; r++)); do
    TOKEN=$(token)
    printf 'audit-floor: round %d:' "$r" >&2
    for side in $(printf '%s\n' "${SIDES[@]}" | shuf); do
        sleep "$REST"
        run_side "$r" "$side"
    done
    echo >&2
done

# each side's sinks took what they should: the floor's constant lines, the
# module's records, nothing where both are off

sleep 1.5
for side in "${SIDES[@]}"; do
    f=$work/$side/logs/audit.log
    case $side in
    off|floor-stream)
        [ ! -s "$f" ] || die "$side wrote to $f" ;;
    on)
        [ "$(grep -vc '^{"time":' "$f")" = 0 ] \
            || die "lines of $f that are not records" ;;
    *)
        n=$([ "$side" = floor-small ] && echo "$SMALL" || echo "$FLOOR_BYTES")
        [ "$(awk -v n="$n" 'length($0) + 1 != n || $0 !~ /^x+$/' "$f" \
             | wc -l)" = 0 ] \
            || die "lines of $f that are not the floor's" ;;
    esac
done


# the report

B_SIDES="${SIDES[*]}" B_DUR=$DURATION B_BYTES=$FLOOR_BYTES B_SMALL=$SMALL \
perl -e '
    my (%req, %cpu);
    while (<>) {
        my ($r, $side, $req, $ticks) = split;
        $req{$r}{$side} = $req;
        $cpu{$r}{$side} = $ticks * 1e6 / 100 / $req;   # USER_HZ 100
    }
    sub median {
        my @x = sort { $a <=> $b } @_;
        my $n = @x;
        $n % 2 ? $x[($n - 1) / 2] : ($x[$n / 2 - 1] + $x[$n / 2]) / 2;
    }
    my %what = (
        on => "the template'\''s sinks, the module'\''s record",
        floor => "both sinks, a constant line of $ENV{B_BYTES} bytes",
        "floor-file" => "the file alone, the same line",
        "floor-stream" => "the stream alone, the same line",
        "floor-small" => "both sinks, a constant line of $ENV{B_SMALL} bytes",
    );
    my @r = sort { $a <=> $b } keys %req;
    printf "## Audit floor: %d rounds, manifest PUT, req/s to audit off\n\n",
        scalar @r;
    printf "audit off: median %.0f req/s, %.1f us of the machine'\''s CPU"
        . " a PUT\n\n", median(map { $req{$_}{off} } @r) / $ENV{B_DUR},
        median(map { $cpu{$_}{off} } @r);
    print "| side | what | req/s to off, median | the rounds"
        . " | CPU a PUT, us, to off |\n";
    print "|---|---|--:|---|--:|\n";
    for my $side (grep { $_ ne "off" } split " ", $ENV{B_SIDES}) {
        my @x = map { $req{$_}{$side} / $req{$_}{off} } @r;
        my @c = map { $cpu{$_}{$side} - $cpu{$_}{off} } @r;
        printf "| %s | %s | %.3fx | %s | %+.1f |\n", $side, $what{$side},
            median(@x),
            join(" ", map { sprintf "%.2f", $_ } sort { $a <=> $b } @x),
            median(@c);
    }
' "$work/rounds.txt" | tee "$work/report.md"
