#!/usr/bin/env bash
#
# Self-check of the project's own Test::Nginx::Socket runner (t/lib/Test/Nginx).
#
#   t/lib/selftest/run.sh            (from anywhere)
#
# The self-test files only run with TEST_NGINX_SELFTEST=1 (set here), so
# that "prove -r t" for the module suite skips them.
#
# 1. runs t/lib/selftest/*.t with prove under our runner, with every
#    non-core module this runner must not need (Test::Base, Spiffy, LWP,
#    HTTP::*, IPC::Run, Test::LongString, Text::Diff, List::MoreUtils)
#    made unloadable -- everything must pass;
# 2. runs each deliberately failing file of t/lib/selftest/fail/ and checks
#    it fails exactly as its "# EXPECT:" line says (counts of tests and
#    "not ok", bail-out or death messages), and that prove reports FAIL;
# 3. checks TEST_NGINX_RANDOMIZE (own server root, removed afterwards) and
#    TEST_NGINX_NO_CLEAN (nginx left running);
# 4. with SELFTEST_COMPARE_LIB set, runs every file under that Test::Nginx
#    too and requires the same plan, assertion, failure, skip and TODO
#    counts, bail-outs and verdicts.
#
# Environment:
#   TEST_NGINX_BINARY     nginx to test with (default: nginx in PATH)
#   TEST_NGINX_PORT       listen port (default 19850)
#   SELFTEST_COMPARE_LIB  lib/ directory of a CPAN Test::Nginx checkout
#                         (needs its Perl dependencies installed)
#
# Exit status 0 when every check holds.

set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
lib="$root/t/lib"
cd "$root" || exit 2

export TEST_NGINX_PORT=${TEST_NGINX_PORT:-19850}
unset TEST_NGINX_SERVER_PORT TEST_NGINX_CLIENT_PORT TEST_NGINX_RANDOMIZE \
      TEST_NGINX_NO_CLEAN TEST_NGINX_LOAD_MODULES TEST_NGINX_NO_SHUFFLE

export TEST_NGINX_SELFTEST=1    # the self-test files skip themselves without it

work=$(mktemp -d "${TMPDIR:-/tmp}/tn-selftest.XXXXXX") || exit 2
export TEST_NGINX_SERVROOT="$work/servroot"

failures=0
note() { printf '%s\n' "$*"; }
ok()   { printf 'ok     %s\n' "$*"; }
bad()  { printf 'FAILED %s\n' "$*"; failures=$((failures + 1)); }

# Stop an nginx left in one of our server roots (only the one we started).
stop_left_nginx() {
    local pidfile=$1 pid
    [ -f "$pidfile" ] || return 0
    pid=$(cat "$pidfile" 2>/dev/null)
    case $pid in ''|*[!0-9]*) return 0 ;; esac
    kill -QUIT "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        grep -q '^[^ ]* ([^)]*) [ZX] ' "/proc/$pid/stat" 2>/dev/null && return 0
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null
}

cleanup() {
    stop_left_nginx "$TEST_NGINX_SERVROOT/logs/nginx.pid"
    rm -rf "$work"
}
trap cleanup EXIT

# Summary of a TAP stream plus the script's exit status:
#   plan=N tests=N fail=N todo=N skip=N bail=0|1 verdict=PASS|FAIL
tapsum() {
    perl -e '
        my ($exit) = @ARGV;
        my ($plan, $n, $fail, $todo, $skip, $bail) = ("", 0, 0, 0, 0, 0);
        while (<STDIN>) {
            if (/^1\.\.(\d+)/)  { $plan = $1; next }
            if (/^Bail out!/)   { $bail = 1; next }
            next unless /^(not )?ok \d+/;
            my $not = defined $1;
            $n++;
            my $directive = /#\s*(TODO|skip)\b/i ? lc $1 : "";
            $todo++ if $directive eq "todo";
            $skip++ if $directive eq "skip";
            $fail++ if $not && $directive ne "todo";
        }
        my $pass = $exit == 0 && !$fail && !$bail && $plan ne "" && $plan == $n;
        print "plan=$plan tests=$n fail=$fail todo=$todo skip=$skip bail=$bail verdict=",
              ($pass ? "PASS" : "FAIL"), "\n";
    ' "$1"
}

# run_file LIB FILE OUTPREFIX -> summary on stdout (TAP in OUT.tap, stderr in OUT.err)
run_file() {
    local rlib=$1 file=$2 out=$3 rc
    perl -I "$rlib" "$file" >"$out.tap" 2>"$out.err"
    rc=$?
    tapsum "$rc" <"$out.tap"
}

# ---------------------------------------------------------------------------
note "# runner self-check: nginx=${TEST_NGINX_BINARY:-nginx (PATH)} port=$TEST_NGINX_PORT"

# A Perl module that makes the CPAN-only dependencies of the original
# Test::Nginx unloadable, to prove we do not need them.
mkdir -p "$work/blocker"
cat >"$work/blocker/SelftestCoreOnly.pm" <<'EOF'
package SelftestCoreOnly;
my $re = qr{^(?:Test/Base|Spiffy|LWP|HTTP/(?:Response|Message|Headers|Request)|IPC/Run|Test/LongString|Text/Diff|List/MoreUtils)\b};
unshift @INC, sub {
    my (undef, $file) = @_;
    die "selftest: $file is not core Perl and must not be needed\n" if $file =~ $re;
    return;
};
1;
EOF

# 1. the passing self-tests ------------------------------------------------------
note "# 1. passing self-tests (core Perl only)"
if PERL5LIB="$work/blocker${PERL5LIB:+:$PERL5LIB}" PERL5OPT="-MSelftestCoreOnly" \
   prove -I "$lib" "$here"/*.t >"$work/prove-pass.log" 2>&1
then
    ok "prove t/lib/selftest/*.t: $(grep -E '^(Files|Result)' "$work/prove-pass.log" | tr '\n' ' ')"
else
    cat "$work/prove-pass.log"
    bad "prove t/lib/selftest/*.t"
fi

# A plain recursive prove over t/ must not run (or fail on) the self-tests.
if env -u TEST_NGINX_SELFTEST prove -r -I "$lib" "$here" >"$work/prove-skip.log" 2>&1 \
   && ! grep -q '^ok [0-9]' "$work/prove-skip.log"; then
    ok "without TEST_NGINX_SELFTEST every self-test file is skipped"
else
    cat "$work/prove-skip.log"
    bad "self-test files must skip themselves without TEST_NGINX_SELFTEST"
fi

# 2. the deliberately failing files ----------------------------------------------
note "# 2. deliberately failing files must fail as expected"
for f in "$here"/fail/*.t; do
    name=${f#"$root"/}
    expect=$(sed -n 's/^# EXPECT: *//p' "$f")
    sum=$(PERL5LIB="$work/blocker${PERL5LIB:+:$PERL5LIB}" PERL5OPT="-MSelftestCoreOnly" \
          run_file "$lib" "$f" "$work/fail")
    all="$sum $(cat "$work/fail.err")"
    problems=""

    case $sum in *verdict=FAIL*) ;; *) problems="$problems verdict-not-FAIL" ;; esac
    for want in $(printf '%s\n' "$expect" | grep -oE '(tests|fail|plan)=[0-9]+'); do
        case " $sum " in *" $want "*) ;; *) problems="$problems want:$want" ;; esac
    done
    msg=$(printf '%s\n' "$expect" | sed -n 's/.*\(bail\|died\)="\([^"]*\)".*/\2/p')
    kind=$(printf '%s\n' "$expect" | sed -n 's/.*\(bail\|died\)=".*/\1/p')
    if [ -n "$msg" ]; then
        if [ "$kind" = bail ]; then
            grep -q "^Bail out!.*$msg" "$work/fail.tap" || problems="$problems no-bail-out:'$msg'"
        else
            grep -qF -- "$msg" "$work/fail.err" || problems="$problems no-message:'$msg'"
        fi
    fi
    if prove -I "$lib" "$f" >"$work/prove-fail.log" 2>&1; then
        problems="$problems prove-passed"
    fi

    if [ -z "$problems" ]; then
        ok "$name fails as expected: $sum"
    else
        sed 's/^/    /' "$work/fail.tap" "$work/fail.err" | head -60
        bad "$name:$problems ($sum)"
    fi
    stop_left_nginx "$TEST_NGINX_SERVROOT/logs/nginx.pid"
done

# 3. TEST_NGINX_RANDOMIZE and TEST_NGINX_NO_CLEAN -------------------------------
note "# 3. environment switches"
mkdir -p "$work/proj/t"
if (cd "$work/proj" && env -u TEST_NGINX_SERVROOT -u TEST_NGINX_PORT TEST_NGINX_RANDOMIZE=1 \
        prove -I "$lib" "$here/006-only.t" >"$work/rand.log" 2>&1); then
    if [ -z "$(ls -A "$work/proj/t")" ]; then
        ok "TEST_NGINX_RANDOMIZE=1: passes and removes its t/servroot_<port>"
    else
        bad "TEST_NGINX_RANDOMIZE=1 left $(ls "$work/proj/t")"
    fi
else
    cat "$work/rand.log"
    bad "TEST_NGINX_RANDOMIZE=1 run failed"
fi

if TEST_NGINX_NO_CLEAN=1 prove -I "$lib" "$here/006-only.t" >"$work/noclean.log" 2>&1; then
    pid=$(cat "$TEST_NGINX_SERVROOT/logs/nginx.pid" 2>/dev/null)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
       && ! grep -q '^[^ ]* ([^)]*) [ZX] ' "/proc/$pid/stat" 2>/dev/null; then
        ok "TEST_NGINX_NO_CLEAN=1: nginx $pid still running after the file"
    else
        bad "TEST_NGINX_NO_CLEAN=1: no running nginx left behind"
    fi
    stop_left_nginx "$TEST_NGINX_SERVROOT/logs/nginx.pid"
else
    cat "$work/noclean.log"
    bad "TEST_NGINX_NO_CLEAN=1 run failed"
fi

# After a normal run nothing of ours may still run.
prove -I "$lib" "$here/006-only.t" >/dev/null 2>&1
pid=$(cat "$TEST_NGINX_SERVROOT/logs/nginx.pid" 2>/dev/null)
if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null \
   || grep -q '^[^ ]* ([^)]*) [ZX] ' "/proc/$pid/stat" 2>/dev/null; then
    ok "nginx is stopped at the end of a file"
else
    bad "nginx $pid still running after a normal run"
fi

# 4. parity with CPAN's Test::Nginx ---------------------------------------------
if [ -n "${SELFTEST_COMPARE_LIB:-}" ]; then
    note "# 4. parity with the Test::Nginx in $SELFTEST_COMPARE_LIB"
    for f in "$here"/*.t "$here"/fail/*.t; do
        grep -q '^# EXPECT:.*ours-only' "$f" && continue
        name=${f#"$root"/}
        mine=$(run_file "$lib" "$f" "$work/mine")
        stop_left_nginx "$TEST_NGINX_SERVROOT/logs/nginx.pid"
        real=$(run_file "$SELFTEST_COMPARE_LIB" "$f" "$work/real")
        stop_left_nginx "$TEST_NGINX_SERVROOT/logs/nginx.pid"
        if [ "$mine" = "$real" ]; then
            ok "same under both: $name: $mine"
        else
            bad "$name differs: ours: $mine | Test::Nginx: $real"
        fi
    done
fi

if [ "$failures" -eq 0 ]; then
    note "# runner self-check: all checks passed"
    exit 0
fi
note "# runner self-check: $failures check(s) FAILED"
exit 1
