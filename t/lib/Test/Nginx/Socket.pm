package Test::Nginx::Socket;

# ngx_http_swr_module project: our own runner for data-driven nginx tests in
# the Test::Nginx::Socket `.t` format.  It is a from-scratch implementation
# of the format as described in the project's docs/test-nginx-format.md
# (the behaviour of CPAN's Test::Nginx 0.33); no code was copied from
# Test::Nginx, Test::Base or libwww-perl.  It needs only core Perl modules.
#
# Usage (from the project root, the directory holding t/):
#
#   TEST_NGINX_BINARY=/usr/sbin/nginx TEST_NGINX_PORT=19840 \
#   TEST_NGINX_LOAD_MODULES=/abs/path/ngx_http_swr_module.so \
#       prove -I t/lib t/
#
# The same .t files run unchanged under the real Test::Nginx
# (prove -I <test-nginx checkout>/lib t/).  See the POD at the end for the
# supported sections, functions and environment variables, and for what
# this runner refuses.
#
# Layout:
#   Test::Nginx::Spec    block/section grammar and filters
#   Test::Nginx::Server  settings, nginx.conf, server root, nginx processes
#   Test::Nginx::Client  requests on the wire, reply parsing
#   Test::Nginx::Socket  (this file) preamble API, block runner, checks

use strict;
use warnings;

# Test::More is loaded before our END block is compiled, so our END block
# (stop nginx, shutdown log checks) runs before Test::Builder's (plan check).
use Test::More ();
use Test::Builder ();

use Carp ();
use Encode ();
use File::Path ();
use File::Temp ();
use IO::Select ();
use IO::Socket::INET ();
use IO::Socket::UNIX ();
use List::Util qw(shuffle min);
use POSIX ();
use Scalar::Util qw(looks_like_number openhandle);
use Socket qw(SOCK_STREAM);
use Time::HiRes qw(sleep time);

use Test::Nginx::Spec ();
use Test::Nginx::Server ();
use Test::Nginx::Client ();

our $VERSION = '1.00';

# croak() from the runner reports the .t file's line, not ours.
$Carp::Internal{$_}++ for qw(Test::Nginx::Socket Test::Nginx::Spec);

our %Cfg;
*Cfg        = \%Test::Nginx::Server::Cfg;
*bail_out   = \&Test::Nginx::Server::bail_out;
*expand_env = \&Test::Nginx::Server::expand_env;

# ---------------------------------------------------------------------------
# Things this runner deliberately does not do (format doc section 12,
# "safe to leave out").  Using them is an error, never silently ignored.
# ---------------------------------------------------------------------------

my $RUNNER = 'Test::Nginx::Socket (ngx_http_swr_module runner)';

my %REFUSED_ENV = (
    TEST_NGINX_USE_HTTP2         => 'HTTP/2 via curl',
    TEST_NGINX_USE_HTTP3         => 'HTTP/3 via curl',
    TEST_NGINX_USE_VALGRIND      => 'valgrind mode',
    TEST_NGINX_USE_STAP          => 'SystemTap mode',
    TEST_NGINX_USE_RR            => 'rr recording',
    TEST_NGINX_CHECK_LEAK        => 'leak-check mode',
    TEST_NGINX_BENCHMARK         => 'benchmark mode',
    TEST_NGINX_USE_HUP           => 'HUP reload mode',
    TEST_NGINX_NO_NGINX_MANAGER  => 'testing an externally managed nginx',
);

my %REFUSED_SECTIONS = (
    http2           => 'HTTP/2 via curl',
    http3           => 'HTTP/3 via curl',
    curl            => 'curl command lines',
    curl_options    => 'curl command lines',
    curl_protocol   => 'curl command lines',
    curl_error      => 'curl command lines',
    stap            => 'SystemTap tracing',
    stap_out        => 'SystemTap tracing',
    stap_out_like   => 'SystemTap tracing',
    stap_out_unlike => 'SystemTap tracing',
    udp_listen      => 'UDP mock servers',
    udp_reply       => 'UDP mock servers',
    udp_reply_delay => 'UDP mock servers',
    udp_query       => 'UDP mock servers',
    skip_slave      => 'build-slave skips',
);

for my $var (sort keys %REFUSED_ENV) {
    if ($ENV{$var}) {
        die "$RUNNER: $var ($REFUSED_ENV{$var}) is not supported; unset it, "
            . "or run the suite under CPAN's Test::Nginx.\n";
    }
}

sub _refuse {
    my ($what) = @_;
    Carp::croak("$RUNNER: $what is not supported; rewrite the test without "
                . "it, or run it under CPAN's Test::Nginx");
}

# ---------------------------------------------------------------------------
# Runner state.
# ---------------------------------------------------------------------------

our $RepeatEach   = 1;
our $NoShuffle    = $ENV{TEST_NGINX_NO_SHUFFLE} || 0;
our $NoLongString = 0;
our @ResponseBodyChecks;
our @TestCleanupHandlers;

my $ScriptFile = $0;     # the .t file, for failure locations
my $MainPid    = $$;     # forked helpers must not run our END block
my $Blocks;              # parsed spec (array ref of blocks)
my $PrevConfig;          # substituted --- config of the running nginx
my $PrevBlock;           # block that ran last (for shutdown log checks)
my $RandPorts = {};      # $TEST_NGINX_RAND_PORT_n of the current block
my $ConnectFailures = 0; # "Can't connect" failures so far in this file
my $RunStarted = 0;

# ---------------------------------------------------------------------------
# Import: what a .t file gets from "use Test::Nginx::Socket;".
# ---------------------------------------------------------------------------

my @TEST_MORE_EXPORTS = qw(
    ok is isnt like unlike is_deeply cmp_ok skip todo_skip pass fail
    eq_array eq_hash eq_set plan can_ok isa_ok diag use_ok
);

our @EXPORT = qw(
    run_tests repeat_each plan blocks
    no_shuffle no_long_string no_diff no_root_location
    log_level master_on master_off master_process_enabled
    workers worker_connections server_name server_addr
    config_preamble env_to_nginx timeout check_accum_error_log
    server_port server_port_for_client server_root html_dir
    bail_out is_str
    add_cleanup_handler add_test_cleanup_handler add_response_body_check
    use_hup no_nginx_manager add_block_preprocessor
);

sub import {
    my ($class, @args) = @_;
    my $caller = caller;

    # Like the original, test scripts run under strict and warnings.
    strict->import;
    warnings->import;

    no strict 'refs';
    for my $f (@TEST_MORE_EXPORTS) {
        *{"${caller}::$f"} = \&{"Test::More::$f"};
    }
    for my $f (@EXPORT) {
        next if $f eq 'plan';
        *{"${caller}::$f"} = \&{"Test::Nginx::Socket::$f"};
    }
    for my $f (qw(croak carp cluck confess)) {
        *{"${caller}::$f"} = \&{"Carp::$f"};
    }
    use strict 'refs';

    Test::More->builder->exported_to($caller);
    $ScriptFile = $0;

    # use Test::Nginx::Socket 'no_plan';  / tests => N;  / skip_all => ...
    Test::More::plan(@args) if @args;
    return;
}

# ---------------------------------------------------------------------------
# Preamble functions (format doc section 1.1).
# ---------------------------------------------------------------------------

sub repeat_each {
    $RepeatEach = shift if @_;
    return $RepeatEach;
}

sub no_shuffle     { $NoShuffle = 1;               return }
sub no_long_string { $NoLongString = 1;            return }
sub no_diff        { $ENV{TEST_SHOW_NO_DIFFS} = 1; return }

sub no_root_location      { $Cfg{no_root_location} = 1; return }
sub check_accum_error_log { $Cfg{check_accum} = 1;      return }
sub master_on             { $Cfg{master_process} = 'on';  return }
sub master_off            { $Cfg{master_process} = 'off'; return }

sub master_process_enabled {
    return $Cfg{master_process} unless @_;
    $Cfg{master_process} = $_[0] ? 'on' : 'off';
    return;
}

# Getter/setters over the settings hash.
for my $spec ([log_level => 'log_level'], [workers => 'workers'],
              [worker_connections => 'worker_connections'],
              [server_name => 'server_name'], [server_addr => 'server_addr'],
              [timeout => 'timeout'], [server_port => 'server_port'],
              [server_port_for_client => 'client_port'])
{
    my ($func, $key) = @$spec;
    no strict 'refs';
    *{$func} = sub {
        return $Cfg{$key} unless @_;
        $Cfg{$key} = shift;
        return;
    };
}

sub config_preamble { $Cfg{config_preamble} = shift; return }

sub env_to_nginx {
    Carp::croak('env_to_nginx: no arguments specified') unless @_;
    for my $v (@_) {
        if ($v !~ /^[A-Za-z_]/ || $v =~ /\n/) {
            Carp::croak("env_to_nginx: bad argument value: $v");
        }
        push @{ $Cfg{env_to_nginx} }, $v;
    }
    return;
}

sub server_root { return Test::Nginx::Server::servroot() }
sub html_dir    { return Test::Nginx::Server::html_dir() }

sub add_cleanup_handler      { Test::Nginx::Server::add_cleanup_handler($_[0]); return }
sub add_test_cleanup_handler { unshift @TestCleanupHandlers, $_[0]; return }
sub add_response_body_check  { push @ResponseBodyChecks, $_[0]; return }

sub use_hup                { _refuse('use_hup() (HUP reload mode)') }
sub no_nginx_manager       { _refuse('no_nginx_manager()') }
sub add_block_preprocessor { _refuse('add_block_preprocessor()') }

# Test::More's plan, re-exported.
sub plan { return Test::More::plan(@_) }

# String comparison that also accepts a regex as the expected value.
sub is_str {
    my ($got, $expected, $desc) = @_;
    return _tap(\&Test::More::like, $got, $expected, $desc)
        if ref $expected eq 'Regexp';
    return _is_text($got, $expected, $desc);
}

# blocks(): in scalar context the number of blocks that will run, in list
# context the (filtered) blocks; blocks('section') only those having it.
sub blocks {
    my ($section) = @_;
    my $all = _spec_blocks();
    my @b = defined $section ? grep { $_->has($section) } @$all : @$all;
    return scalar @b unless wantarray;
    Test::Nginx::Spec::run_filters($_) for @b;
    return @b;
}

sub _spec_blocks {
    return $Blocks if $Blocks;
    my $fh = openhandle(\*main::DATA);
    my $spec = $fh ? do { local $/; <$fh> } : undef;
    (my $blocks, my $only) = Test::Nginx::Spec::parse_spec($spec);
    Test::More::diag("I found ONLY: maybe you're debugging?") if $only;
    $Blocks = $blocks;
    return $Blocks;
}

# ---------------------------------------------------------------------------
# TAP helpers.
# ---------------------------------------------------------------------------

# Call a Test::More function so that failures are reported at the
# run_tests() line of the .t file rather than inside this module.
sub _tap {
    my ($fn, @args) = @_;
    my ($up, $outermost) = (undef, 0);
    for (my $i = 0; my @c = caller $i; $i++) {
        $outermost = $i + 1;
        if ($c[1] eq $ScriptFile) {
            $up = $i + 1;
            last;
        }
    }
    # no frame of the script (END block): report our outermost caller
    $up = $outermost unless defined $up;
    local $Test::Builder::Level = $Test::Builder::Level + $up;
    return $fn->(@args);
}

sub _pass { return _tap(\&Test::More::pass, $_[0]) }

sub _fail {
    my ($name, @diag) = @_;
    my $r = _tap(\&Test::More::ok, 0, $name);
    Test::More::diag(join "\n", @diag) if @diag;
    return $r;
}

sub _skip {
    my ($why, $n) = @_;
    Test::More->builder->skip($why) for 1 .. ($n // 1);
    return;
}

sub _todo_skip {
    my ($why, $n) = @_;
    Test::More->builder->todo_skip($why) for 1 .. ($n // 1);
    return;
}

# Run an assertion unless in dry-run mode, where it becomes a skip.
sub _checked {
    my ($dry, $why, $code) = @_;
    if ($dry) {
        _skip("$why - tests skipped due to $dry");
        return;
    }
    return $code->();
}

# Quote a string for diagnostics (escapes, control characters).
sub _quote {
    my ($s) = @_;
    return 'undef' unless defined $s;
    $s =~ s/([\\"])/\\$1/g;
    $s =~ s/\n/\\n/g;
    $s =~ s/\r/\\r/g;
    $s =~ s/\t/\\t/g;
    $s =~ s/([^\x20-\x7e])/sprintf '\\x{%02x}', ord $1/ge;
    return qq{"$s"};
}

# Body-style string equality with a readable report on mismatch: where the
# strings begin to differ, excerpts around that point, both lengths.
sub _is_text {
    my ($got, $exp, $name) = @_;

    return _tap(\&Test::More::is, $got, $exp, $name) if $NoLongString;

    my $ok = (defined $got && defined $exp) ? $got eq $exp
                                            : !(defined $got || defined $exp);
    my $r = _tap(\&Test::More::ok, $ok, $name);
    Test::More::diag(_text_diff($got, $exp)) unless $ok;
    return $r;
}

sub _text_diff {
    my ($got, $exp) = @_;

    if (!defined $got || !defined $exp) {
        return sprintf "         got: %s\n    expected: %s",
                       _excerpt($got, 0), _excerpt($exp, 0);
    }

    # first differing offset
    my $at = (($got ^ $exp) =~ /[^\0]/) ? $-[0] : min(length $got, length $exp);
    my $before = substr $exp, 0, $at;
    my $line   = 1 + ($before =~ tr/\n//);
    my $col    = $at - (rindex($before, "\n") + 1) + 1;

    return join "\n",
        '         got: ' . _excerpt($got, $at),
        '      length: ' . length($got),
        '    expected: ' . _excerpt($exp, $at),
        '      length: ' . length($exp),
        "    strings begin to differ at char " . ($at + 1)
            . " (line $line column $col)";
}

# Whole string when short, else a window around offset $at.
sub _excerpt {
    my ($s, $at) = @_;
    return 'undef' unless defined $s;
    return _quote($s) if length $s <= 160;
    my $start = $at > 40 ? $at - 40 : 0;
    my $part = substr $s, $start, 100;
    return ($start > 0 ? '...' : '') . _quote($part)
           . ($start + 100 < length $s ? '...' : '');
}

# A short view of a reply, for status-code failures.
sub _reply_summary {
    my ($res, $raw_headers) = @_;
    return '    (no parsable reply)' unless $res;
    my $head = defined $raw_headers ? $raw_headers : '';
    if (!defined $res->code && $head eq '' && $res->content eq '') {
        return '    (nothing was received)';
    }
    $head =~ s/\r//g;
    $head = join '', map { "    | $_\n" } split /\n/, $head;
    my $body = $res->content;
    $body = '' unless defined $body;
    return "    reply headers:\n$head    reply body: " . _excerpt($body, 0);
}

# ---------------------------------------------------------------------------
# Running the blocks.
# ---------------------------------------------------------------------------

sub run_tests {
    my @blocks = blocks();    # parses and filters (dies on bad filters)

    _check_supported($_) for @blocks;

    Test::Nginx::Server::nginx_info();    # finds the binary, or bails out

    if (!defined $ENV{TEST_NGINX_SERVER_PORT}) {
        $ENV{TEST_NGINX_SERVER_PORT} = $Cfg{server_port};
    }

    @blocks = shuffle @blocks unless $NoShuffle;

    $RunStarted = 1;
    for my $block (@blocks) {
        $block->set_value(name => "$0 " . $block->name);
        _run_block($block);
        $_->($block) for @TestCleanupHandlers;
        $PrevBlock = $block;
    }

    Test::Nginx::Server::cleanup();
    return;
}

# Reject blocks that use features this runner does not implement.
sub _check_supported {
    my ($block) = @_;
    my $name = $block->name;

    for my $s (sort keys %REFUSED_SECTIONS) {
        next unless $block->has($s);
        _refuse("--- $s ($REFUSED_SECTIONS{$s}) in block \"$name\"");
    }

    my $has_code;
    $has_code = sub {
        my ($v) = @_;
        return 1 if ref $v eq 'CODE';
        return ref $v eq 'ARRAY' && grep { $has_code->($_) } @$v;
    };
    if (grep { $has_code->($_) } $block->values('response_body_filters')) {
        _refuse("--- response_body_filters with code references in block \"$name\"");
    }
    undef $has_code;
    return;
}

# Run the Perl code of an init / post_setup_server_root section (strict, as
# in the original).  Returns the error message, or nothing on success.
sub _eval_in_main {
    my ($code) = @_;
    eval "package main; use strict; use warnings;\n$code;\n1" or return $@ || 'unknown error';
    return;
}

# --- skip_* / todo sections -------------------------------------------------

sub _version_matches {
    my ($have, $op, $want) = @_;
    return 0 unless defined $have;
    return $op eq '<'  ? $have <  $want
         : $op eq '<=' ? $have <= $want
         : $op eq '>'  ? $have >  $want
         :               $have >= $want;
}

# Returns ($should_skip, $count, $skip_reason, $should_todo, $todo_reason).
sub _skip_and_todo {
    my ($block, $name) = @_;

    my $info = Test::Nginx::Server::nginx_info();
    my $ver  = $info->{version};
    my ($skip, $n, $reason);
    my $ver_re = qr/([<>]=?)\s*(\d+)\.(\d+)\.(\d+)/;
    my $canon  = \&Test::Nginx::Server::canon_version;

    if (defined(my $s = $block->value('skip_eval'))) {
        if ($s =~ /^\s*(\d+)\s*:\s*(.*)/s) {
            ($n, $reason) = ($1, 'skip_eval');
            my $code = $2;

            $skip = eval "package main; use strict; use warnings;\n$code";
            bail_out("$name - skip_eval - failed to eval the Perl code \"$code\": $@") if $@;
        }
    }

    if (defined(my $s = $block->value('skip_nginx'))) {
        $s =~ /^\s*(\d+)\s*:\s*$ver_re(?:\s*:\s*(.*))?\s*$/
            or bail_out("$name - Invalid --- skip_nginx spec: $s");
        $n = $1;
        $reason = $6 || "nginx version $2 $3.$4.$5";
        $skip = 1 if _version_matches($ver, $2, $canon->($3, $4, $5));
    }
    elsif (defined(my $s2 = $block->value('skip_nginx2'))) {
        $s2 =~ /^\s*(\d+)\s*:\s*$ver_re\s*(or|and)\s*$ver_re(?:\s*:\s*(.*))?\s*$/
            or bail_out("$name - Invalid --- skip_nginx2 spec: $s2");
        $n = $1;
        $reason = $11;
        my $first  = _version_matches($ver, $2, $canon->($3, $4, $5));
        my $second = _version_matches($ver, $7, $canon->($8, $9, $10));
        $skip = 1 if $6 eq 'or' ? ($first || $second) : ($first && $second);
    }

    if (defined(my $s = $block->value('skip_openssl'))) {
        $s =~ /^\s*(\d+)\s*:\s*([<>]=?)\s*(\d+)\.(\d+)\.(\d+)([a-z])?(?:\s*:\s*(.*))?\s*$/
            or bail_out("$name - Invalid --- skip_openssl spec: $s");
        $n = $1;
        my ($op, $l) = ($2, $6);
        my $want = defined $l
            ? sprintf('%d.%03d%03d%03d', $3, $4, $5, ord($l) - ord('a'))
            : $canon->($3, $4, $5);
        $reason = $7 || (defined $info->{openssl}
                         ? "OpenSSL version $op $3.$4.$5" . ($l // '')
                         : 'Not built with OpenSSL');
        $skip = 1 if !defined $info->{openssl}
                     || _version_matches($info->{openssl}, $op, $want);
    }

    $reason = 'various reasons' unless defined $reason;

    my ($todo, $todo_reason);
    if (defined(my $t = $block->value('todo_nginx'))) {
        $t =~ /^\s*$ver_re(?:\s*:\s*(.*))?\s*$/
            or bail_out("$name - Invalid --- todo_nginx spec: $t");
        $todo_reason = $5;
        $todo = 1 if _version_matches($ver, $1, $canon->($2, $3, $4));
    }
    if (defined(my $t = $block->value('todo'))) {
        $t =~ /^\s*(\d+)\s*:\s*(.*)/s
            or bail_out("$name - Invalid --- todo spec: $t");
        ($todo, $n, $todo_reason) = (1, $1, $2);
    }
    $todo_reason = 'various reasons' unless defined $todo_reason;

    return ($skip, $n, $reason, $todo, $todo_reason);
}

# --- one block ------------------------------------------------------------------

sub _run_block {
    my ($block) = @_;
    my $name = $block->name;

    $RandPorts = {};

    _tag_asan_log_path($name);

    my $config = expand_env($block->value('config'), $name, $RandPorts);

    local $Cfg{log_level} = $block->value('log_level')
        if $block->value('log_level');

    my $must_die = $block->value('must_die');

    # Restart for every block with --- config (unless
    # TEST_NGINX_FORCE_RESTART_ON_TEST=0 and the config is unchanged);
    # blocks without one reuse the running server.
    my ($restart, $reconfig);
    if (!defined $config) {
        defined $PrevConfig
            or bail_out("$name - No '--- config' section specified and could "
                        . "not get previous one. Use TEST_NGINX_NO_NGINX_MANAGER ?");
        ($restart, $reconfig) = (0, 0);
    }
    else {
        $reconfig = !defined $PrevConfig || $config ne $PrevConfig;
        $restart  = $reconfig || $Cfg{force_restart};
    }

    my ($skip, $count, $skip_reason, $todo, $todo_reason)
        = _skip_and_todo($block, $name);

    my $dry_run = 0;
    if (!$skip && $restart) {
        $PrevConfig = $config if $reconfig;

        Test::Nginx::Server::stop_nginx($name);
        _check_prev_block_shutdown_error_log();

        Test::Nginx::Server::setup_server_root();
        if ($block->value('post_setup_server_root')) {
            my $err = _eval_in_main($block->value('post_setup_server_root'));
            bail_out("$name - post_setup_server_root failed: $err") if $err;
        }
        Test::Nginx::Server::write_user_files($block, $name, $RandPorts);
        Test::Nginx::Server::write_config($block, $name, $config, $RandPorts);

        if (defined $must_die) {
            _run_must_die($block, $must_die);
            return;
        }

        $dry_run = Test::Nginx::Server::start_nginx(
            $name, suppress_stderr => defined $block->value('suppress_stderr'));
    }

    if ($block->value('init')) {
        my $err = _eval_in_main($block->value('init'));
        bail_out("$name - init failed: $err") if $err;
    }

    Test::Nginx::Server::reset_error_log_pos();

    for my $rep (1 .. $RepeatEach) {
        if ($skip && defined $count) {
            _skip("$name - $skip_reason", $count);
            next;
        }
        if ($todo) {
            _todo_skip("$name - $todo_reason", $count);
            next;
        }

        my $tcp = defined $block->value('tcp_listen')
                ? _start_tcp_server($block, $name) : undef;

        Test::Nginx::Server::write_user_files($block, $name, $RandPorts)
            if $rep > 1;

        _run_requests($block, $dry_run, $rep - 1);

        if ($tcp) {
            _check_tcp_server($block, $tcp);
            _stop_tcp_server($tcp, $name);
        }
    }

    _append_total_error_log($name);
    return;
}

# With AddressSanitizer builds, give each block its own report file:
# ASAN_OPTIONS=...log_path=P... becomes log_path=P-<file>-t<n> for
# "t/<file>.t TEST <n>: ..." (as the original runner does).
my $AsanOptions;
sub _tag_asan_log_path {
    my ($name) = @_;
    return unless defined $ENV{ASAN_OPTIONS};
    $AsanOptions = $ENV{ASAN_OPTIONS} unless defined $AsanOptions;
    my ($file, $n) = $name =~ m{t/([-\w/]+)\.t TEST (\d+):} or return;
    (my $tag = "$file-t$n") =~ tr{/}{-};
    (my $opts = $AsanOptions) =~ s/\blog_path=([^,:]+)/log_path=$1-$tag/;
    $ENV{ASAN_OPTIONS} = $opts;
    return;
}

# --- must_die ---------------------------------------------------------------

sub _run_must_die {
    my ($block, $must_die) = @_;
    my $name = $block->name;

    Test::Nginx::Server::reset_error_log_pos();

    for my $i (0 .. $RepeatEach - 1) {
        my ($status, $exec_error) = Test::Nginx::Server::run_nginx(
            suppress_stderr => defined $block->value('suppress_stderr'));
        my $exit_code = $status >> 8;

        if ($exec_error) {
            _fail("$name - failed to execute the nginx command line", "    $exec_error");
        }
        elsif ($status & 128) {
            _fail("$name - nginx core dumped");
        }
        elsif (looks_like_number($must_die)) {
            _tap(\&Test::More::is, $exit_code, $must_die,
                 "$name - die with the expected exit code");
        }
        else {
            _tap(\&Test::More::isnt, $status, 0, "$name - die as expected")
                or Test::More::diag('    nginx started although the block has --- must_die');
        }

        _check_error_log($block, 0, $i);

        if ($status == 0) {
            warn "WARNING: $name - nginx must die but it does not; killing it (req $i)\n";
            my $pid = Test::Nginx::Server::wait_for_pid_file(2);
            Test::Nginx::Server::stop_process($pid, $name, 'QUIT') if $pid;
        }
    }
    return;
}

# --- requests and response checks ----------------------------------------------

sub _parse_time {
    my ($t) = @_;
    return unless defined $t;
    if ($t =~ s/([^_a-zA-Z])ms$/$1/) {
        return $t / 1000;
    }
    $t =~ s/([^_a-zA-Z])s$/$1/;
    return $t;
}

sub _nginx_alive {
    my $pid = $Test::Nginx::Server::StartedPid
              // Test::Nginx::Server::read_pid_file();
    return 1 unless $pid;
    return !Test::Nginx::Server::process_gone($pid);
}

# Send one request; report connection failures and timeouts as failed
# assertions.  Returns ($raw_reply_or_undef, $is_head).
sub _send {
    my ($block, $pieces, $timeout) = @_;
    my $name = $block->name;

    my $addr = $block->value('server_addr_for_client');
    $addr = $Cfg{server_addr} unless defined $addr;

    my $shutdown = $block->value('shutdown');
    $shutdown = 1 if defined $shutdown && $shutdown =~ /^$/s;

    my $r = Test::Nginx::Client::send_request(
        pieces       => $pieces,
        addr         => $addr,
        port         => $Cfg{client_port},
        timeout      => $timeout,
        middle_delay => $block->value('raw_request_middle_delay'),
        shutdown     => $shutdown,
        name         => $name,
        tries        => $ConnectFailures ? 10 : 20,
        alive        => \&_nginx_alive,
    );

    if (defined $r->{connect_error}) {
        my $msg = "$name - Can't connect to $addr:$Cfg{client_port}: "
                  . "$r->{connect_error} (aborted)";
        if (++$ConnectFailures >= 3) {
            bail_out($msg);
        }
        my @diag;
        push @diag, '    the nginx process is gone (crashed?); last error.log lines:',
                    Test::Nginx::Server::log_excerpt(qr/\[(?:emerg|alert|crit|error)\]|signal/)
            unless _nginx_alive();
        _fail($msg, @diag);
        return (undef, $r->{head});
    }

    if ($r->{timed_out}) {
        if (!defined $block->value('abort')) {
            _fail("ERROR: client socket timed out - $name",
                  "    no complete reply within ${timeout}s (per wait); "
                  . length($r->{resp}) . " bytes received: "
                  . _excerpt($r->{resp}, 0));
        }
        else {
            sleep 0.005;
        }
    }

    return ($r->{resp}, $r->{head});
}

# Pick the entry of an expected value for request $idx.
sub _indexed {
    my ($name, $value, $idx, $need_array) = @_;
    if ($need_array) {
        return $value->[$idx] if ref $value eq 'ARRAY';
        bail_out("$name - You asked for many requests, the expected results "
                 . "should be arrays as well.");
    }
    return ref $value eq 'ARRAY' ? $value->[0] : $value;
}

# All requests of one repetition of a block, with their checks, then the
# log checks (format doc sections 7.1 to 7.4).
sub _run_requests {
    my ($block, $dry_run, $rep) = @_;
    my $name = $block->name;

    my $reqs = Test::Nginx::Client::requests_from_block($block, $name, $RandPorts);
    bail_out("$name - request empty") unless @$reqs;

    my $timeout = _parse_time($block->value('timeout'));
    $timeout = $Cfg{timeout} unless defined $timeout;

    my $pipelined = $block->value('pipelined_requests');
    my $ignore    = defined $block->value('ignore_response');
    my $wait      = $block->value('wait');

    my $req_idx = 0;
    my ($n, $need_array);

    for my $i (0 .. $#$reqs) {
        my ($raw, $head);
        if ($dry_run) {
            $raw = "200 OK HTTP/1.0\r\nContent-Length: 0\r\n\r\n";
        }
        else {
            ($raw, $head) = _send($block, $reqs->[$i], $timeout);
        }

        if ($pipelined) {
            $n = @$pipelined;
            $need_array = 1;
        }
        else {
            $need_array = @$reqs > 1;
        }

        # One pass per response (several for pipelined requests).
        while (1) {
            $raw = '' unless defined $raw;

            my ($res, $raw_headers, $left);
            if (!$ignore) {
                if (defined $block->value('http09')) {
                    $res = Test::Nginx::Client::Response->new(code => 200, content => $raw);
                    $raw_headers = '';
                }
                else {
                    my ($err, $warning);
                    ($res, $raw_headers, $left, $err, $warning)
                        = Test::Nginx::Client::parse_response($raw, $head);
                    _fail("$name - $err") if $err;
                    warn "WARNING: $name - $warning\n" if $warning;
                }
            }

            if (!$n) {
                if (defined $left && length $left) {
                    (my $show = $left) =~ s/([\0-\037\200-\377])/sprintf('\x{%02x}', ord $1)/eg;
                    warn "WARNING: $name - unexpected extra bytes after last chunk in "
                         . "response: \"$show\"\n";
                }
            }
            else {
                $raw = $left;
                $n--;
            }

            if (!$ignore) {
                _check_status($block, $res, $raw_headers, $dry_run, $req_idx, $need_array);
                _check_raw_headers($block, $raw_headers, $dry_run, $req_idx, $need_array);
                _check_headers($block, $res, $raw_headers, $dry_run, $req_idx, $need_array);
                _filter_body($block, $res, $req_idx);
                _check_body($block, $res, $dry_run, $req_idx, $rep, $need_array);
            }

            if ($n || $req_idx < $#$reqs) {
                sleep $wait if $wait;
                _check_error_log($block, $dry_run, $rep);
                _check_access_log($block, $dry_run, $rep) unless $ignore;
            }

            $req_idx++;
            last unless $n;
        }
    }

    sleep $wait if $wait;
    _check_error_log($block, $dry_run, $rep);
    _check_access_log($block, $dry_run, $rep) unless $ignore;
    return;
}

sub _check_status {
    my ($block, $res, $raw_headers, $dry, $idx, $need_array) = @_;
    my $name = $block->name;
    my $got = ($res && $res->code) || '';

    my $ok = _checked($dry, $name, sub {
        if (defined $block->value('error_code_like')) {
            my $re = _indexed($name, $block->value('error_code_like'), $idx, $need_array);
            return _tap(\&Test::More::like, $got, qr/$re/sm, "$name - status code ok");
        }
        my $want = defined $block->value('error_code')
                 ? _indexed($name, $block->value('error_code'), $idx, $need_array)
                 : 200;
        return _tap(\&Test::More::is, $got, $want, "$name - status code ok");
    });
    Test::More::diag(_reply_summary($res, $raw_headers)) if !$dry && !$ok;
    return;
}

sub _check_raw_headers {
    my ($block, $raw_headers, $dry, $idx, $need_array) = @_;
    my $name = $block->name;
    $raw_headers = '' unless defined $raw_headers;

    for my $kind (qw(like unlike)) {
        my $v = $block->value("raw_response_headers_$kind");
        next unless defined $v;
        _checked($dry, "$name - raw_response_headers_$kind", sub {
            my $re = _indexed($name, $v, $idx, $need_array);
            my $fn = $kind eq 'like' ? \&Test::More::like : \&Test::More::unlike;
            return _tap($fn, $raw_headers, qr/$re/s, "$name - raw resp headers $kind");
        });
    }
    return;
}

# "Name: value" lines -> ordered list of [name, value]; "!Name" (and a line
# without a colon) gives value undef = "must be absent".  One entry per
# distinct name; a later line for the same name wins.
sub _parse_header_spec {
    my ($text) = @_;
    my (@order, %val);
    for my $line (split /\n/, defined $text ? $text : '') {
        $line =~ s/^\s+|\s+$//g;
        my ($key, $v);
        if ($line =~ s/^!\s*//) {
            ($key, $v) = ($line, undef);
        }
        else {
            ($key, $v) = split /\s*:\s*/, $line, 2;
            $key = '' unless defined $key;
        }
        push @order, $key unless exists $val{$key};
        $val{$key} = $v;
    }
    return map { [$_, $val{$_}] } @order;
}

sub _check_headers {
    my ($block, $res, $raw_headers, $dry, $idx, $need_array) = @_;
    my $name = $block->name;
    $raw_headers = '' unless defined $raw_headers;

    if (defined $block->value('response_headers')) {
        my $spec = _indexed($name, $block->value('response_headers'), $idx, $need_array);
        for my $h (_parse_header_spec($spec)) {
            my ($key, $want) = @$h;
            if (!defined $want) {
                _checked($dry, "$name - response_headers", sub {
                    _tap(\&Test::More::unlike, $raw_headers, qr/^\s*\Q$key\E\s*:/m,
                         "$name - header $key not present in the raw headers");
                });
                next;
            }
            $want =~ s/\$ServerPort\b/$Cfg{server_port}/g;
            $want =~ s/\$ServerPortForClient\b/$Cfg{client_port}/g;
            my $got = $res ? $res->header($key) : undef;
            $got = '' unless defined $got;
            _checked($dry, "$name - response_headers", sub {
                _tap(\&Test::More::is, $got, $want, "$name - header $key ok");
            });
        }
    }
    elsif (defined $block->value('response_headers_like')) {
        my $spec = _indexed($name, $block->value('response_headers_like'), $idx, $need_array);
        for my $h (_parse_header_spec($spec)) {
            my ($key, $re) = @$h;
            $re = '' unless defined $re;
            my $got = $res ? $res->header($key) : undef;
            $got = '' unless defined $got;
            _checked($dry, "$name - response_headers_like", sub {
                _tap(\&Test::More::like, $got, qr/^$re$/, "$name - header $key like ok");
            });
        }
    }
    return;
}

# --- response_body_filters: named transformations of the received body.
my %BODY_FILTERS = (
    uc       => sub { uc $_[0] },
    lc       => sub { lc $_[0] },
    ucfirst  => sub { ucfirst $_[0] },
    lcfirst  => sub { lcfirst $_[0] },
    length   => sub { length $_[0] },
    md5_hex  => sub { require Digest::MD5; Digest::MD5::md5_hex($_[0]) },
    sha1_hex => sub { require Digest::SHA; Digest::SHA::sha1_hex($_[0]) },
);

sub _filter_body {
    my ($block, $res, $idx) = @_;
    return unless $res && defined $res->content;
    my $filters = $block->value('response_body_filters');
    return unless defined $filters;
    my $name = $block->name;

    if (!ref $filters) {
        $filters =~ s/^\s+|\s+$//g;
        $filters = [split /\s+/, $filters];
    }
    elsif (ref $filters ne 'ARRAY') {
        $filters = [$filters];
    }

    # [[...], [...]]: one filter list per request
    if (ref $filters->[0] eq 'ARRAY') {
        grep { ref $_ ne 'ARRAY' } @$filters
            and bail_out("$name - the --- response_body_filters two-dimensional "
                         . "array only be like [[uc], [lc]] not [[uc], lc]");
        $filters = $filters->[$idx];
        defined $filters
            or bail_out("$name - the ---response_body_filters two-dimensional "
                        . "array unmatch the specified request($idx)");
        $filters = [$filters] unless ref $filters eq 'ARRAY';
    }

    my $body = $res->content;
    for my $f (@$filters) {
        my $code = $BODY_FILTERS{$f}
            or bail_out("$name - unknown filter, \"$f\", specified in the "
                        . "--- response_body_filters section");
        $body = $code->($body);
    }
    $res->content($body);
    return;
}

sub _check_body {
    my ($block, $res, $dry, $idx, $rep, $need_array) = @_;
    my $name = $block->name;

    if (defined(my $file = $block->value('write_resp_body_file'))) {
        if ($res) {
            open my $out, '>', $file
                or bail_out("$name - failed to write to file '$file': $!");
            print {$out} $res->content // '';
            close $out;
        }
    }

    my $content = $res ? $res->content : undef;
    if (defined $content) {
        # leftovers of an old client, removed like the original does
        $content =~ s/^TE: deflate,gzip;q=0\.3\r\n//gm;
        $content =~ s/^Connection: TE, close\r\n//gm;
    }

    if (defined $block->value('response_body') || defined $block->value('response_body_eval')) {
        if (defined $block->value('response_body_json_sort') && defined $content) {
            require JSON::PP;
            my $js = JSON::PP->new->canonical(1)->loose(1);
            my $obj = eval { $js->decode($content) };
            $content = $js->encode($obj) . "\n" if !$@ && defined $obj;
        }

        my $expected;
        if ($block->value('response_body_eval')) {
            Test::More::diag("$name - response_body_eval is DEPRECATED. Use response_body eval instead.");
            $expected = Test::Nginx::Spec::Eval::run(
                _indexed($name, $block->value('response_body_eval'), $idx, $need_array));
            warn $@ if $@;
        }
        else {
            $expected = _indexed($name, $block->value('response_body'), $idx, $need_array);
        }

        if (my $charset = $block->value('charset')) {
            Encode::from_to($expected, 'UTF-8', $charset) if defined $expected && !ref $expected;
        }

        if (defined $expected && !ref $expected) {
            $expected =~ s/\$ServerPort\b/$Cfg{server_port}/g;
            $expected =~ s/\$ServerPortForClient\b/$Cfg{client_port}/g;
            $expected = expand_env($expected, $name, $RandPorts);
        }

        _checked($dry, "$name - response_body", sub {
            if (ref $expected) {
                return _tap(\&Test::More::like, $content, $expected,
                            "$name - response_body - like (repeated req $rep, req $idx)");
            }
            return _is_text($content, $expected,
                "$name - response_body - response is expected (repeated req $rep, req $idx)");
        });
    }
    elsif (defined $block->value('response_body_like')
           || defined $block->value('response_body_unlike'))
    {
        my $type = defined $block->value('response_body_like') ? 'like' : 'unlike';
        my $pat = _indexed($name, $block->value("response_body_$type"), $idx, $need_array);
        if (defined $pat && !ref $pat) {
            $pat =~ s/\$ServerPort\b/$Cfg{server_port}/g;
            $pat =~ s/\$ServerPortForClient\b/$Cfg{client_port}/g;
        }
        $pat = '' unless defined $pat;

        my $summary = defined $content ? $content : '';
        $summary =~ s/^\s+|\s+$//g;
        $summary =~ s/\s+/ /g;
        $summary = substr($summary, 0, 200) . '...' if length $summary > 200;

        _checked($dry, "$name - response_body_$type", sub {
            my $fn = $type eq 'like' ? \&Test::More::like : \&Test::More::unlike;
            return _tap($fn, $content, qr/$pat/s,
                        "$name - response_body_$type - response is expected ($summary)");
        });
    }

    for my $check (@ResponseBodyChecks) {
        $check->($block, $res ? $res->content : undef, $idx, $rep, $dry);
    }
    return;
}

# --- log checks ---------------------------------------------------------------

# A pattern section value -> list of patterns (literal strings or regexes).
sub _patterns {
    my ($v) = @_;
    if (!ref $v) {
        chomp $v;
        return split /\n+/, $v;
    }
    return ($v) if ref $v eq 'Regexp';
    return ref $v eq 'ARRAY' ? @$v : ($v);
}

sub _line_matches {
    my ($line, $pat) = @_;
    return 1 if ref $pat && $line =~ $pat;
    return $line =~ /\Q$pat\E/ ? 1 : 0;
}

sub _fmt {
    my ($s) = @_;
    chomp $s;
    $s =~ s/"/\\"/g;
    $s =~ s/\r/\\r/g;
    $s =~ s/\n/\\n/g;
    return $s;
}

# The tail of the checked log lines, for failure reports (non-debug lines
# first: they are the ones that usually explain a failure).
sub _lines_diag {
    my ($lines, $file) = @_;
    return "    ($file: no new lines were checked)" unless @$lines;
    my @show = grep { !/\[debug\]/ } @$lines;
    my $note = @show < @$lines ? ', [debug] lines left out' : '';
    @show = @$lines unless @show;
    @show = @show[-12 .. -1] if @show > 12;
    return join "\n", "    last lines of the " . @$lines . " checked in $file$note:",
                      map { '    | ' . _fmt($_) } @show;
}

# Every pattern must match some line: one assertion per pattern.
sub _must_match {
    my (%a) = @_;    # dry, what, name, lines, pats, file, suffix
    my @pats = @{ $a{pats} };
    for my $line (@{ $a{lines} }) {
        for my $pat (@pats) {
            next unless defined $pat;
            next unless _line_matches($line, $pat);
            _checked($a{dry}, "$a{name} - $a{what}", sub {
                _pass("$a{name} - pattern \"$pat\" matches a line in $a{file}$a{suffix}");
            });
            undef $pat;
        }
    }
    for my $pat (grep { defined } @pats) {
        _checked($a{dry}, "$a{name} - $a{what}", sub {
            _fail("$a{name} - pattern \"$pat\" should match a line in $a{file}$a{suffix}",
                  _lines_diag($a{lines}, $a{file}));
        });
    }
    return;
}

# No pattern may match any line: a failure per matching line, a pass per
# pattern that matched nothing.
sub _must_not_match {
    my (%a) = @_;
    my @pats  = @{ $a{pats} };
    my @lines = @{ $a{lines} };
    my %found;
    for my $i (0 .. $#lines) {
        my $line = $lines[$i];
        for my $pat (@pats) {
            next unless defined $pat;
            next unless _line_matches($line, $pat);
            $found{$pat} = 1;
            my ($p, $ln) = (_fmt($pat), _fmt($line));
            my @more = @lines[$i + 1 .. min($i + 9, $#lines)];
            _checked($a{dry}, "$a{name} - $a{what}", sub {
                _fail("$a{name} - pattern \"$p\" should not match any line in "
                      . "$a{file} but matches line \"$ln\"$a{suffix}",
                      (@more ? ("    following lines:", map { '    | ' . _fmt($_) } @more) : ()));
            });
        }
    }
    for my $pat (@pats) {
        next if !defined $pat || $found{$pat};
        my $p = _fmt($pat);
        _checked($a{dry}, "$a{name} - $a{what}", sub {
            _pass("$a{name} - pattern \"$p\" does not match a line in $a{file}$a{suffix}");
        });
    }
    return;
}

# Does a pattern section mention $needle anywhere?
sub _value_contains {
    my ($v, $needle) = @_;
    return 0 unless defined $v;
    return index("$v", $needle) >= 0 if !ref $v || ref $v eq 'Regexp';
    return scalar grep { _value_contains($_, $needle) } @$v if ref $v eq 'ARRAY';
    return 0;
}

sub _check_error_log {
    my ($block, $dry, $rep) = @_;
    my $name = $block->name;
    my $lines;
    my $get = sub { $lines ||= Test::Nginx::Server::error_log_lines() };

    # grep_error_log + grep_error_log_out
    my $grep = $block->value('grep_error_log');
    my $grep_pat;
    if (defined $grep) {
        $grep_pat = ref $grep eq 'ARRAY' ? $grep->[$rep] : $grep;
    }
    elsif (defined $block->value('grep_error_log_out')) {
        bail_out("$name - No --- grep_error_log defined but --- grep_error_log_out is defined");
    }
    if (defined $grep_pat) {
        my $expected = $block->value('grep_error_log_out');
        defined $expected
            or bail_out("$name - No --- grep_error_log_out defined but --- grep_error_log is defined");
        $expected = expand_env($expected, $name, $RandPorts);
        $expected = $expected->[$rep] if ref $expected eq 'ARRAY';

        _checked($dry, "$name - error_log", sub {
            my $matched = '';
            for my $line (@{ $get->() }) {
                my $hit;
                if ((ref $grep_pat && $line =~ $grep_pat) || $line =~ /\Q$grep_pat\E/) {
                    $hit = substr $line, $-[0], $+[0] - $-[0];
                }
                $matched .= "$hit\n" if defined $hit && $hit !~ /\n/;
            }
            if (ref $expected eq 'Regexp') {
                return _tap(\&Test::More::like, $matched, $expected,
                            "$name - grep_error_log_out (req $rep)");
            }
            return _is_text($matched, $expected, "$name - grep_error_log_out (req $rep)");
        });
    }

    # Levels whose lines are echoed as warnings unless a pattern names them.
    my %echo = (alert => 1, crit => 1, emerg => 1, lua => 1);
    for my $section (qw(error_log no_error_log)) {
        my $v = $block->value($section);
        next unless defined $v;
        for my $lvl (qw(alert crit emerg)) {
            delete $echo{$lvl} if _value_contains($v, "[$lvl");
        }
        delete $echo{lua} if _value_contains($v, 'writing a global lua variable');

        my %args = (dry => $dry, what => $section, name => $name,
                    lines => $get->(), pats => [_patterns($v)],
                    file => 'error.log', suffix => " (req $rep)");
        $section eq 'error_log' ? _must_match(%args) : _must_not_match(%args);
    }

    if (!$dry) {
        for my $line (@{ $get->() }) {
            my $echo = ($echo{alert} && $line =~ /\[alert\]/)
                    || ($echo{crit}  && $line =~ /\[crit\]/)
                    || ($echo{emerg} && $line =~ /\[emerg\]/)
                    || ($echo{lua}   && $line =~ /writing a global lua variable/);
            warn "WARNING: $name - " . _fmt($line) . "\n" if $echo;
        }
    }

    # A failed C assert() in nginx is always a failure.
    for my $line (@{ $lines || [] }) {
        if ($line =~ /\bAssertion .*?failed\b/) {
            (my $l = $line) =~ s/\s+\z//;
            _fail("$name - $l");
        }
    }
    return;
}

sub _check_access_log {
    my ($block, $dry, $rep) = @_;
    my $name = $block->name;
    my $lines;
    for my $section (qw(access_log no_access_log)) {
        my $v = $block->value($section);
        next unless defined $v;
        $lines ||= Test::Nginx::Server::access_log_lines();
        my %args = (dry => $dry, what => $section, name => $name,
                    lines => $lines, pats => [_patterns($v)],
                    file => 'access.log', suffix => " (req $rep)");
        $section eq 'access_log' ? _must_match(%args) : _must_not_match(%args);
    }
    return;
}

# shutdown_error_log / no_shutdown_error_log of the block that ran last,
# checked once its nginx has been stopped.
sub _check_prev_block_shutdown_error_log {
    my $block = $PrevBlock or return;
    my $want = $block->value('shutdown_error_log');
    my $deny = $block->value('no_shutdown_error_log');
    return unless defined $want || defined $deny;

    my $name = $block->name;
    my $dry  = $Cfg{no_clean} ? 'TEST_NGINX_NO_CLEAN' : 0;
    my $lines = Test::Nginx::Server::error_log_lines();

    if (defined $want) {
        _must_match(dry => $dry, what => 'shutdown_error_log', name => $name,
                    lines => $lines, pats => [_patterns($want)],
                    file => 'error.log', suffix => '');
        for my $line (@$lines) {
            if ($line =~ /\bAssertion .*? failed\.$/) {
                (my $l = $line) =~ s/\s+\z//;
                _fail("$name - $l");
            }
        }
    }
    if (defined $deny) {
        _must_not_match(dry => $dry, what => 'no_shutdown_error_log', name => $name,
                        lines => $lines, pats => [_patterns($deny)],
                        file => 'error.log', suffix => '');
    }
    return;
}

# TEST_NGINX_ERROR_LOG: collect every block's error log in one file.
sub _append_total_error_log {
    my ($name) = @_;
    my $total = $ENV{TEST_NGINX_ERROR_LOG} or return;
    my $log = Test::Nginx::Server::slurp(Test::Nginx::Server::error_log());
    return unless defined $log && length $log;
    open my $out, '>>', $total
        or bail_out("Failed to append to $total: $!");
    print {$out} "\n=== $0 $name\n", $log;
    close $out;
    return;
}

# --- one-shot TCP peer (tcp_listen / tcp_reply / tcp_query) ---------------------

sub _start_tcp_server {
    my ($block, $name) = @_;

    my $target = expand_env($block->value('tcp_listen'), $name, $RandPorts);
    my $reply  = $block->value('tcp_reply');
    if (!defined $reply && !defined $block->value('tcp_shutdown')) {
        bail_out("$name - no --- tcp_reply specified but --- tcp_listen is specified");
    }

    my $req_len = $block->value('tcp_query_len');
    my $query_file;
    if (defined $block->value('tcp_query') || defined $req_len) {
        $req_len = length $block->value('tcp_query') unless defined $req_len;
        (undef, $query_file) = File::Temp::tempfile('tn-tcp-query-XXXXXX',
                                                    TMPDIR => 1, OPEN => 0);
    }

    my ($sock, $err);
    my $deadline = time + 5;
    while (1) {
        if ($target =~ /^\d+$/) {
            $sock = IO::Socket::INET->new(
                LocalHost => '127.0.0.1', LocalPort => $target, Proto => 'tcp',
                ReuseAddr => 1, Listen => 5);
        }
        elsif ($target =~ /\S+\.sock$/) {
            unlink $target if -e $target;
            $sock = IO::Socket::UNIX->new(Local => $target, Type => SOCK_STREAM,
                                          Listen => 5);
        }
        else {
            bail_out("$name - bad tcp_listen target: $target");
        }
        last if $sock;
        $err = $!;
        last unless $err =~ /address already in use/i && time < $deadline;
        sleep 0.1;
    }
    $sock or bail_out("$name - failed to create the tcp listening socket on $target: $err");

    my $pid = fork;
    defined $pid or bail_out("$name - fork() failed: $!");
    if ($pid == 0) {
        # Child: serve one connection, then leave without running END
        # blocks or touching the TAP stream.
        $SIG{$_} = 'DEFAULT' for qw(TERM INT PIPE);
        eval { _tcp_peer($block, $name, $sock, $req_len, $query_file, $reply); 1 }
            or warn "WARNING: $name - TCP server: $@";
        POSIX::_exit(0);
    }

    Test::Nginx::Server::verbose("TCP peer $pid listening on $target");
    my $tcp = { pid => $pid, sock => $sock, query_file => $query_file };
    return $tcp;
}

sub _tcp_peer {
    my ($block, $name, $listen, $req_len, $query_file, $reply) = @_;

    my $client;
    until ($client = $listen->accept) {
        warn "WARNING: $name - TCP server: failed to accept: $!\n";
        sleep $Cfg{sleep};
    }

    my ($no_read, $no_write);
    my $how = $block->value('tcp_shutdown');
    if (defined $how) {
        my $delay = $block->value('tcp_shutdown_delay');
        sleep $delay if $delay;
        $client->shutdown($how);
        if ($how == 0 || $how == 2) { $no_read = 1 } else { $no_write = 1 }
    }

    my $buf = '';
    if (!$no_read) {
        my $auto = $block->value('tcp_query_auto_timeout');
        my $wait = 0.1;
        my $sel = IO::Select->new($client);
        if (defined $auto) {
            $client->blocking(0);
            $wait = $auto + 0 if $auto ne '';
        }
        while (1) {
            last if defined $auto && !$sel->can_read($wait);
            my $ret = $client->recv(my $data, 4096);
            defined $ret or die "failed to receive: $!\n";
            last if !length $data;    # peer closed
            $buf .= $data;

            if ($query_file) {    # atomically publish what we got so far
                open my $out, '>', "$query_file.tmp"
                    or die "cannot open $query_file.tmp for writing: $!\n";
                print {$out} $buf;
                close $out;
                rename "$query_file.tmp", $query_file
                    or die "cannot rename $query_file.tmp: $!\n";
            }
            last if !defined $auto && (!$req_len || length $buf >= $req_len);
        }
    }

    my $delay = _parse_time($block->value('tcp_reply_delay'));
    sleep $delay if $delay;

    if (!$no_write && defined $reply) {
        $reply = $reply->($buf) if ref $reply eq 'CODE';
        for my $chunk (ref $reply eq 'ARRAY' ? @$reply : ($reply)) {
            defined $client->send($chunk)
                or warn "WARNING: $name - tcp server failed to send reply: $!\n";
        }
    }

    if (defined $block->value('tcp_no_close')) {
        sleep 1 while 1;
    }
    close $client;
    close $listen;
    return;
}

sub _check_tcp_server {
    my ($block, $tcp) = @_;
    my $name = $block->name;
    my $buf = '';
    if ($tcp->{query_file}) {
        my $got = Test::Nginx::Server::slurp($tcp->{query_file});
        $buf = $got if defined $got;
    }
    if (defined $block->value('tcp_query')) {
        is_str($buf, $block->value('tcp_query'), "$name - tcp_query ok");
    }
    if (defined $block->value('tcp_query_len')) {
        _tap(\&Test::More::is, length($buf), $block->value('tcp_query_len'),
             "$name - TCP query length ok");
    }
    return;
}

sub _stop_tcp_server {
    my ($tcp, $name) = @_;
    Test::Nginx::Server::stop_process($tcp->{pid}, $name, 'TERM');
    close $tcp->{sock} if $tcp->{sock};
    if (my $f = $tcp->{query_file}) {
        unlink $f, "$f.tmp";
    }
    %$tcp = ();
    return;
}

# ---------------------------------------------------------------------------
# End of the test file: stop nginx (unless TEST_NGINX_NO_CLEAN), then the
# last block's shutdown log checks.  Runs before Test::Builder's END.
# ---------------------------------------------------------------------------

END {
    if ($$ == $MainPid) {
        local $?;
        Test::Nginx::Server::cleanup();
        if ($RunStarted) {
            Test::Nginx::Server::stop_nginx('END') unless $Cfg{no_clean};
            _check_prev_block_shutdown_error_log();
            if ($Cfg{randomize} && $Cfg{servroot} =~ m{/t/servroot_\d+$}
                && !$Cfg{no_clean})
            {
                File::Path::remove_tree($Cfg{servroot});
            }
        }
    }
}

1;

__END__

=head1 NAME

Test::Nginx::Socket - the ngx_http_swr_module project's own runner for
Test::Nginx-style C<.t> files

=head1 SYNOPSIS

    # from the project root (the directory that holds t/)
    TEST_NGINX_BINARY=/usr/sbin/nginx TEST_NGINX_PORT=19840 \
    TEST_NGINX_LOAD_MODULES=$PWD/build/ngx_http_swr_module.so \
        prove -I t/lib t/000-sanity.t

    # the runner's own self-check (optionally against CPAN's Test::Nginx)
    t/lib/selftest/run.sh
    SELFTEST_COMPARE_LIB=/path/to/test-nginx/lib t/lib/selftest/run.sh

=head1 DESCRIPTION

A from-scratch implementation of the C<.t> format of CPAN's Test::Nginx
0.33 as described in the project's F<docs/test-nginx-format.md>, needing
only core Perl (Test::More, IO::Socket, Time::HiRes, POSIX, File::Path,
JSON::PP, Digest::*).  Files that follow the authoring rules of that
document (section 13) give the same verdicts and the same assertion counts
under both runners.

Implemented: the Test::Base block grammar (one-line sections, C<ONLY>,
C<SKIP>, C<LAST>, unknown sections ignored, reserved names refused) with
the filters norm, trim, chomp, chop, eval, escape, -trim/-norm, lines,
array, join, split, regexp, base64_*, eval_stdout/stderr and a few more;
the preamble functions (repeat_each, plan, no_shuffle, no_long_string,
no_diff, log_level, master_on/off, workers, worker_connections,
no_root_location, server_name, config_preamble, env_to_nginx, timeout,
check_accum_error_log, server_port, server_root, html_dir, bail_out, blocks,
run_tests, add_response_body_check, add_cleanup_handler); the generated
nginx.conf; C<$TEST_NGINX_*> substitution with the bail-out on unknown
names and C<$TEST_NGINX_RAND_PORT_n>; a fresh server root and nginx for
every block with C<--- config>; request, request arrays and pieces
(C<delay_before>), more_headers, pipelined_requests, raw_request,
raw_request_middle_delay, timeout, abort, shutdown, server_addr_for_client;
status, header, raw-header and body checks (including chunked replies,
response_body_filters by name, response_body_json_sort, charset, http09,
ignore_response); error_log, no_error_log, grep_error_log(_out),
access_log, no_access_log, (no_)shutdown_error_log, wait; must_die; init;
post_setup_server_root; user_files (with time stamps); error_log_file;
tcp_listen/tcp_reply/tcp_query/tcp_query_len and the tcp_* timing
sections; skip_nginx, skip_nginx2, skip_openssl, skip_eval, todo,
todo_nginx.

Refused with an error message: HTTP/2 and HTTP/3 (curl), valgrind,
SystemTap, rr, leak-check and benchmark modes, HUP mode (C<use_hup()>,
C<TEST_NGINX_USE_HUP>), C<no_nginx_manager()> /
C<TEST_NGINX_NO_NGINX_MANAGER>, UDP mocks, the C<curl*>, C<stap*> and
C<skip_slave> sections, C<add_block_preprocessor()>, and
C<response_body_filters> with code references.

Differences that do not change verdicts: header checks run in file order
(not hash order); a start failure that is not "address already in use"
aborts at once with nginx's own messages instead of retrying for 30 s;
connection retries stop as soon as nginx is gone; a write error does not
stop reading the reply; failures are reported at the C<run_tests()> line of
the C<.t> file, with the reply, the differing position of bodies or the
checked log lines; nginx exits are waited for by pid (the runner is a
child subreaper on Linux, and zombies count as gone), so restarts take
milliseconds.

=head1 ENVIRONMENT

TEST_NGINX_BINARY (default C<nginx> in PATH), TEST_NGINX_PORT (listen and
client port, default 1984), TEST_NGINX_SERVER_PORT, TEST_NGINX_CLIENT_PORT,
TEST_NGINX_SERVROOT (default F<t/servroot> under the current directory),
TEST_NGINX_RANDOMIZE, TEST_NGINX_NO_SHUFFLE, TEST_NGINX_NO_CLEAN,
TEST_NGINX_LOAD_MODULES, TEST_NGINX_LOG_LEVEL, TEST_NGINX_MASTER_PROCESS,
TEST_NGINX_WORKER_USER, TEST_NGINX_EVENT_TYPE, TEST_NGINX_TIMEOUT (3),
TEST_NGINX_SLEEP (0.015), TEST_NGINX_ERROR_LOG, TEST_NGINX_VERBOSE,
TEST_NGINX_CHECK_ACCUM_ERR_LOG, TEST_NGINX_FORCE_RESTART_ON_TEST,
TEST_NGINX_FAST_SHUTDOWN, TEST_NGINX_REUSE_PORT, TEST_NGINX_LD_PRELOAD,
TEST_NGINX_IGNORE_MISSING_DIRECTIVES; C<ASAN_OPTIONS> with a C<log_path>
gets the test name appended per block.  The runner sets
TEST_NGINX_SERVER_ROOT and (if unset) TEST_NGINX_SERVER_PORT.

=cut
