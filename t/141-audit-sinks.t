# vim:set ft= ts=4 sw=4 et fdm=marker:
# Where the audit records go (docs/audit.md "Where"; t/140 has what they
# say): swr_audit_log's file and swr_audit_redis's stream, and what
# becomes of a record when one of them cannot take it.
#
#   TEST 1  the stream (XADD swr:audit ... records <json line>) has the
#           same records as the file, in the same order
#   TEST 2  stream= and maxlen=: MAXLEN ~ bounds the stream (300 records
#           with maxlen=5 leave far fewer than 300, the newest last)
#   TEST 3  Redis stopped in the middle of a push, both sinks: the file
#           has every record, the failed requests' too (503, as the
#           registry and the management API answer without Redis); the
#           stream only what came after Redis was back
#   TEST 4  the stream alone, Redis stopped: the record in the error log
#   TEST 5  buffer=64k flush=1s: nothing at once, everything within 2 s
#   TEST 6  nginx -s reopen (USR1) after the file was renamed: the
#           buffered records end in the old file, the next ones in a new
#           one, none lost
#   TEST 7  a file that cannot be written (/dev/full: ENOSPC, for root
#           too): every record in the error log instead, unbuffered
#   TEST 8  the same with buffer=
#   TEST 9  a client that leaves in the middle of its request body: the
#           record still, code 499, rating warning
#   TEST 10 the stream with buffer= and flush=: a worker's records
#           gathered into entries of several, sent within flush=, in the
#           file's order; maxlen= counts records
#   TEST 11 the same, the stream alone and Redis stopped: every record in
#           the error log
#   TEST 12 what a client sends (quotes, backslashes, UTF-8, bytes that
#           are not UTF-8, control characters) is written as JSON text,
#           the same in file and stream
#   TEST 13 redis=: the stream on a Redis endpoint of its own (here the
#           same server, database 5), on a connection of its own, which
#           /_swr/health reports
#   TEST 14 redis= where no Redis answers, with the file: the requests
#           answered as usual (swr_redis's Redis is up), every record in
#           the file, none in the error log; /_swr/health still 200, with
#           the stream's Redis down
#   TEST 15 the same without the file: the records in the error log
#   TEST 16 the stream alone on a "Redis" that takes the connection and
#           never answers: the batch times out, its records go to the
#           error log (kept until Redis answers for them)
#   TEST 17 the registry's summaries ("request") are JSON text with what
#           the client sent in them escaped (a Content-Type, a digest
#           argument, a Content-Range, and a tag, a digest reference and
#           an upload id in the path, with quotes and backslashes)
#   TEST 18 three streams in three locations, two on swr_redis's Redis
#           and one on redis=: each has its location's records, and the
#           worker keeps one link a Redis endpoint (/_swr/health lists
#           two)
#   TEST 19 the stream on a Redis slow to read (the suite's, through a
#           relay that stops reading for a while): 2 MB of records that
#           the worker's socket cannot take at once, every one in the
#           stream afterwards, whole and in the file's order
#
# Each block's --- init seeds Redis (FLUSHALL first), makes its requests
# with SwrTest::http (each with a User-Agent of its own, "t141/<n>"),
# waits for what it expects (bounded polls) and writes a report
# (html/<block>.txt) that the block GETs and compares whole.
#
# Identities: account acct-a "alpha": alice (administrator, AK
# AKALICE00000000001, token tok-alice); ns1 (acct-a).

use Test::Nginx::Socket;
use SwrTest;
use SwrAuth;

use IO::Select ();
use File::Temp ();
use IO::Socket::INET ();
use IO::Socket::UNIX ();
use Socket ();
use JSON::PP ();
use POSIX ();
use Time::HiRes ();

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

SwrAuth::key_dir();

our $AK = 'AKALICE00000000001';
our $SK = 'SK/alice/secret+key';
our $OCI = SwrTest::MT_OCI_MANIFEST;

my $N = 0;

sub seed {
    $N = 0;
    return seed_data();
}

# the identities (a restarted Redis has none)
sub seed_data {
    SwrTest::command('FLUSHALL');
    SwrTest::command('HSET', 'swr:accounts', 'alpha', 'acct-a');
    SwrTest::command('HSET', 'swr:account:{acct-a}', name => 'alpha',
                     created => 1700000000);
    SwrAuth::identity(user => 'u-alice', name => 'alice',
                      account => 'acct-a', admin => 1, ak => $AK,
                      sk => $SK);
    SwrTest::command('HSET', 'swr:account:{acct-a}:users', 'alice',
                     'u-alice');
    SwrTest::command('HSET', 'swr:token:{tok-alice}', user => 'u-alice',
                     expires => 0);
    SwrTest::command('HSET', 'swr:ns:{ns1}', account => 'acct-a',
                     created => 1700000000, id => 11, creator => 'u-alice');
    SwrAuth::ns_grant('ns1', 'u-alice', 7);
    SwrTest::command('ZADD', 'swr:namespaces', 0, 'ns1');
    SwrTest::command('SADD', 'swr:account:{acct-a}:namespaces', 'ns1');
    SwrTest::command('SET', 'swr:ns:seq', 100);
    return 1;
}

sub d { return SwrTest::sha256($_[0]) }

# TEST 16's stream Redis: a socket that listens, and never reads or
# answers (the kernel completes the connections), held while the file runs
our $SILENT = IO::Socket::INET->new(Listen => 16, LocalAddr => '127.0.0.1',
                                    LocalPort => 0, Proto => 'tcp',
                                    ReuseAddr => 1)
    or die "cannot listen on 127.0.0.1: $!\n";
$ENV{TEST_NGINX_SILENT_PORT} = $SILENT->sockport;

# TEST 19's stream Redis: the suite's, through a relay (a process of
# this file's own) that stops reading what nginx sends between SIGUSR1
# and SIGUSR2; on a unix socket, whose buffer (net.core.wmem_default,
# some 200 KB) fills soon, so that the worker's writes are cut short.  It
# stops with this file.
our $PARENT = $$;
our $RELAY_DIR = File::Temp::tempdir('t141-relay-XXXXXX', TMPDIR => 1,
                                     CLEANUP => 1);
chmod 0755, $RELAY_DIR;
$ENV{TEST_NGINX_RELAY_SOCKET} = "$RELAY_DIR/redis.sock";
our $RELAY = IO::Socket::UNIX->new(Type => Socket::SOCK_STREAM(),
                                   Local => $ENV{TEST_NGINX_RELAY_SOCKET},
                                   Listen => 16)
    or die "cannot listen on $ENV{TEST_NGINX_RELAY_SOCKET}: $!\n";
chmod 0777, $ENV{TEST_NGINX_RELAY_SOCKET};
our $RELAY_PID = fork() // die "cannot fork the relay: $!\n";
if ($RELAY_PID == 0) {
    relay();
    POSIX::_exit(0);
}
close $RELAY;

END {
    if ($RELAY_PID && $$ == $PARENT) {
        my $why = SwrTest::stop_daemon($RELAY_PID, 'the relay', 5);
        warn "$why\n" if $why;
    }
}

sub relay {
    my ($stalled, $said) = (0, -1);
    local $SIG{USR1} = sub { $stalled = 1 };
    local $SIG{USR2} = sub { $stalled = 0 };
    local $SIG{TERM} = sub { POSIX::_exit(0) };
    my (%peer, %nginx);
    while (getppid() == $PARENT) {
        if ($said != $stalled) {
            # what it does now, for relay_state() to wait for
            $said = $stalled;
            open my $f, '>', "$RELAY_DIR/state.new" or POSIX::_exit(1);
            print $f $stalled ? 'stalled' : 'reading';
            close $f;
            rename "$RELAY_DIR/state.new", "$RELAY_DIR/state";
        }
        my $sel = IO::Select->new($RELAY, grep { !$stalled || !$nginx{$_} }
                                          map { $_->[0] } values %peer);
        for my $s ($sel->can_read(0.05)) {
            if ($s == $RELAY) {
                my $c = $RELAY->accept or next;
                my $r = IO::Socket::INET->new(
                    PeerAddr => "127.0.0.1:$ENV{TEST_NGINX_REDIS_PORT}")
                    or do { close $c; next };
                $peer{$c} = [ $c, $r ];
                $peer{$r} = [ $r, $c ];
                $nginx{$c} = 1;
                next;
            }
            next unless $peer{$s};
            my $to = $peer{$s}[1];
            my $n = sysread $s, my $buf, 65536;
            my $off = 0;
            while ($n && $off < $n) {
                my $w = syswrite $to, $buf, $n - $off, $off;
                last unless $w;
                $off += $w;
            }
            next if $n && $off == $n;
            for my $x ($s, $to) {
                delete $peer{$x};
                delete $nginx{$x};
                close $x;
            }
        }
    }
}

# tells the relay to stop reading (USR1) or to read again (USR2), and
# waits until it does (3 s at most)
sub relay_state {
    my ($want) = @_;
    kill $want eq 'stalled' ? 'USR1' : 'USR2', $RELAY_PID;
    for (1 .. 60) {
        open my $f, '<', "$RELAY_DIR/state" or next;
        my $state = <$f> // '';
        return if $state eq $want;
    } continue {
        Time::HiRes::sleep(0.05);
    }
    die "the relay is not $want after 3 s\n";
}

our $CFG = 'config of the sinks';
our $LAYER = 'layer of the sinks';
our $MANIFEST = SwrTest::manifest($CFG, [$LAYER]);

# a request as alice (Basic on the registry, her token on the management
# API), or as nobody with "anonymous" as the first argument; returns the
# status
sub req {
    my ($method, $path, $body, @h) = @_;
    my $anonymous = $method eq 'anonymous';
    ($method, $path, $body, @h) = ($path, $body, @h) if $anonymous;
    my @auth = $anonymous ? ()
        : $path =~ m{^/v2/manage/}
        ? ('X-Auth-Token: tok-alice', 'Content-Type: application/json')
        : (SwrAuth::basic($AK, $SK));
    $N++;
    my $r = SwrTest::http($method, $path, headers => [ "User-Agent: t141/$N",
                                                       @auth, @h ],
                          defined $body ? (body => $body) : ());
    return $r->{status};
}

# a push of the image above to $repo:$tag: "<status> <status> <status>"
sub push_image {
    my ($repo, $tag) = @_;
    return join ' ',
        (map { req('POST', "/v2/$repo/blobs/uploads/?digest=" . d($_), $_) }
             $CFG, $LAYER),
        req('PUT', "/v2/$repo/manifests/$tag", $MANIFEST,
            "Content-Type: $OCI");
}

sub file { return SwrTest::html_file($_[0]) }
sub lines { return SwrTest::file_lines($_[0]) }
sub wait_lines { return SwrTest::wait_file_lines(@_) }

# the stream's records ([entry id, record, field names]) once it has
# $want (3 s at most), in database $db (undef: the default one)
sub stream {
    my ($key, $want, $db) = @_;
    my @out;
    for (1 .. 60) {
        @out = SwrTest::audit_stream($key, $db);
        last if @out >= $want;
        Time::HiRes::sleep(0.05);
    }
    return @out;
}

# the newest record of a stream
sub newest {
    my @r = SwrTest::audit_stream($_[0]);
    return @r ? $r[-1][1] : '';
}

# a record as the reports show it: trace name, code, rating, user
sub brief {
    my ($line) = @_;
    my $j = eval { JSON::PP->new->decode($line) }
        or return "not JSON: $line";
    my $u = $j->{user}{type} eq 'Anonymous'
            ? 'anonymous' . ($j->{user}{access_key_id}
                             ? " ak=$j->{user}{access_key_id}" : '')
            : $j->{user}{name};
    return "$j->{user_agent} $j->{trace_name} $j->{resource_name} "
           . "$j->{code} $j->{trace_rating} $u"
           . (defined $j->{message} ? " $j->{message}" : '');
}

# runs $code, writes what it returns (or why it died) to html/$name.txt
sub report {
    my ($name, $code) = @_;
    my @out = eval { $code->() };
    if ($@) {
        (my $err = $@) =~ s/\s+\z//;
        push @out, "died: $err";
    }
    SwrAuth::report($name, join '', map { "$_\n" } @out);
    return 1;
}


# waits until nginx logged the requests with these User-Agents (the
# access log of the block's config, html/done.log): a record can be written
# a moment after the client has its answer (lingering close), and the
# access log comes just before it
sub wait_done {
    my @ua = @_;
    my @missing = @ua;
    for (1 .. 60) {
        my %done = map { $_ => 1 } lines(file('done.log'));
        @missing = grep { !$done{$_} } @ua;
        last unless @missing;
        Time::HiRes::sleep(0.05);
    }
    die "not in the access log after 3 s: @missing\n" if @missing;
    Time::HiRes::sleep(0.05);
}

# the error log's lines that match $re once there are $want (3 s at most)
sub wait_error_log {
    my ($re, $want) = @_;
    return grep { /$re/ }
        SwrTest::wait_file_lines("$ENV{TEST_NGINX_SERVER_ROOT}/logs/error.log",
                                 $want, $re);
}

# ---- TEST 13 to 15 --------------------------------------------------------

# the stream of redis=: database 5 of the suite's Redis
sub own_init {
    seed();
    SwrTest::command_in(5, 'FLUSHDB');
    report('own', sub {
        my @out;
        push @out, 'answers: '
                   . join ' ', req('POST', '/v2/manage/namespaces',
                                   '{"namespace":"ns2"}'),
                               req('DELETE', '/v2/manage/namespaces/ns2'),
                               req('anonymous', 'DELETE',
                                   '/v2/manage/namespaces/ns1');
        my @file = wait_lines(file('audit.log'), 3);
        my @stream = stream('t141:own', 3, 5);
        push @out, 'file: ' . @file . ' records, stream in db 5: '
                   . @stream;
        push @out, 'the same, in the same order: '
                   . ((join("\n", @file) eq join("\n", map { $_->[1] } @stream))
                      ? 'yes' : 'no');
        push @out, 't141:own in db 0: '
                   . (SwrTest::command('EXISTS', 't141:own')
                      ? 'exists' : 'none');
        my @db5 = grep { /\bdb=5\b/ }
                  split /\n/, SwrTest::command('CLIENT', 'LIST');
        push @out, 'connections in db 5: ' . @db5;
        push @out, 'health: ' . health();
        push @out, map { brief($_) } @file;
        return @out;
    });
}

# TEST 18: the streams of three locations, two sharing swr_redis's Redis
sub shared_init {
    seed();
    SwrTest::command_in(5, 'FLUSHDB');
    report('shared', sub {
        my @out;
        push @out, 'answers: '
                   . join ' ', req('POST', '/v2/manage/namespaces',
                                   '{"namespace":"ns2"}'),
                               req('POST', '/v2/manage/namespaces',
                                   '{"namespace":"ns3"}'),
                               req('DELETE', '/v2/manage/namespaces/ns2'),
                               req('DELETE', '/v2/manage/namespaces/ns3');
        for (['t141:one', 2], ['t141:two', 1], ['t141:three', 1, 5]) {
            my ($key, $want, $db) = @$_;
            push @out, "$key" . (defined $db ? " in db $db" : '') . ': '
                       . join ', ', map { brief($_->[1]) }
                                    stream($key, $want, $db);
        }
        push @out, 'health: ' . health();
        return @out;
    });
}

# GET /_swr/health: "<code> <status>, redis <status>, audit_redis
# <address> up|not up, ..." (a link down must say why; the suite's
# Redis port as <redis port>)
sub health {
    my $r = SwrTest::http('GET', '/_swr/health');
    my $j = eval { JSON::PP->new->decode($r->{body}) }
        or return "$r->{status} not JSON: $r->{body}";
    return "$r->{status} $j->{status}, redis $j->{redis}{status}, "
           . 'audit_redis ' . (ref $j->{audit_redis} eq 'ARRAY'
               ? join ', ', map { "$_->{address} "
                                  . ($_->{status} eq 'up' ? 'up' : 'not up')
                                  . ($_->{status} eq 'down' && !$_->{error}
                                     ? ' (down, no error)' : '') }
                                @{ $j->{audit_redis} }
               : 'none')
        =~ s/:\Q$ENV{TEST_NGINX_REDIS_PORT}\E\b/:<redis port>/gr
        =~ s/:\Q$ENV{TEST_NGINX_SILENT_PORT}\E\b/:<silent port>/gr
        =~ s/\Q$ENV{TEST_NGINX_RELAY_SOCKET}\E/<relay socket>/gr;
}

# redis= where nothing listens (port 1 of the loopback address: refused)
sub dead_init {
    my ($name, $filed) = @_;
    seed();
    report($name, sub {
        my @out;
        push @out, 'answers: '
                   . join ' ', req('POST', '/v2/manage/namespaces',
                                   '{"namespace":"ns2"}'),
                               req('DELETE', '/v2/manage/namespaces/ns2');
        if ($filed) {
            push @out, 'file: ' . wait_lines(file('audit.log'), 2)
                       . ' records';
        } else {
            push @out, 'error log: '
                       . scalar(wait_error_log(qr/swr audit: the stream cannot take the record: \{"time":\d{13},/, 2))
                       . ' records';
        }
        push @out, 'in Redis: ' . SwrTest::command('DBSIZE') . ' keys, '
                   . 'swr:audit ' . (SwrTest::command('EXISTS', 'swr:audit')
                                     ? 'exists' : 'none');
        # (the silent socket's link is up or down by turns)
        push @out, 'health: ' . health() if $name ne 'silent';
        return @out;
    });
}

# ---- TEST 19 ----------------------------------------------------------------

# 40 records of some 50 KB each (a management body of 48 KB, which
# the record has) while the relay does not read: the worker's socket
# takes a part, hiredis's buffer the rest; then the relay reads again
sub slow_init {
    seed();
    report('slow', sub {
        my @out;
        my %status;
        relay_state('stalled');
        my $body = '[{"user_id":"u-x","user_name":"' . ('y' x 48000)
                   . '","auth":1}]';
        $status{ req('POST', '/v2/manage/namespaces/ns1/access', $body) }++
            for 1 .. 40;
        push @out, 'answers: ' . join ' ', map { "$_ x$status{$_}" }
                                           sort keys %status;
        my @file = wait_lines(file('audit.log'), 40);
        Time::HiRes::sleep(0.3);
        push @out, 'in the stream while the relay does not read: '
                   . (SwrTest::command('XLEN', 't141:slow') < 40
                      ? 'not all' : 'all');
        relay_state('reading');
        my @stream = stream('t141:slow', 40);
        push @out, 'file: ' . @file . ' records, stream: ' . @stream;
        push @out, 'records of more than 48000 bytes: '
                   . (grep { length > 48000 } @file);
        push @out, 'the same, in the same order: '
                   . ((join("\n", @file) eq join("\n", map { $_->[1] } @stream))
                      ? 'yes' : 'no');
        push @out, 'health: ' . health();
        return @out;
    });
}

# ---- TEST 17 ----------------------------------------------------------------

sub summary_init {
    seed();
    report('summary', sub {
        my @out;
        push @out, 'answers: '
                   . join ' ', req('PUT', '/v2/ns1/app/manifests/v1', $MANIFEST,
                                   'Content-Type: application/x"q\\b'),
                               req('POST', '/v2/ns1/app/blobs/uploads/'
                                           . '?digest=sha256:"q\\b', 'abc'),
                               req('PATCH', '/v2/ns1/app/blobs/uploads/u-1',
                                   'abc', 'Content-Range: 0-"2'),
                               # references with a quote and a backslash
                               req('PUT', '/v2/ns1/app/manifests/t%22q%5Cb',
                                   $MANIFEST),
                               req('PUT', '/v2/ns1/app/manifests/'
                                          . 'sha256:%22q%5Cb', $MANIFEST),
                               req('PATCH', '/v2/ns1/app/blobs/uploads/'
                                            . 'u%22q%5Cb', 'abc');
        for my $l (wait_lines(file('audit.log'), 6)) {
            my $j = eval { JSON::PP->new->decode($l) };
            if (!$j) {
                push @out, "not JSON: $l";
                next;
            }
            my $q = eval { JSON::PP->new->decode($j->{request}) };
            push @out, "$j->{trace_name} $j->{code}: "
                       . ($q ? join ', ', map { "$_=$q->{$_}" }
                                          grep { $q->{$_} =~ /"/ } sort keys %$q
                             : "request not JSON: $j->{request}");
        }
        return @out;
    });
}

# ---- TEST 1 -----------------------------------------------------------------

sub same_init {
    seed();
    report('same', sub {
        my @out;
        push @out, 'push: ' . push_image('ns1/app', 'v1');
        push @out, 'manage: '
                   . join ' ', req('POST', '/v2/manage/namespaces',
                                   '{"namespace":"ns2"}'),
                               req('POST', '/v2/manage/namespaces',
                                   '{"namespace":"Bad"}'),
                               req('anonymous', 'DELETE',
                                   '/v2/manage/namespaces/ns2');
        my @file = wait_lines(file('audit.log'), 7);
        my @stream = stream('swr:audit', 7);
        push @out, 'file: ' . @file . ' records, stream: ' . @stream;
        push @out, 'fields of the entries: '
                   . join ' ', sort { $a cmp $b } keys %{{ map { $_->[2] => 1 } @stream }};
        push @out, 'the same, in the same order: '
                   . ((join("\n", @file) eq join("\n", map { $_->[1] } @stream))
                      ? 'yes' : 'no');
        push @out, map { brief($_) } @file;
        return @out;
    });
}

# ---- TEST 2 -----------------------------------------------------------------

sub maxlen_init {
    seed();
    report('maxlen', sub {
        my @out;
        my %status;
        $status{ req('DELETE', "/v2/manage/namespaces/ns1/repos/app/tags/t$_") }++
            for 1 .. 300;
        push @out, 'answers: ' . join ' ', map { "$_ x$status{$_}" }
                                           sort keys %status;
        my @file = wait_lines(file('audit.log'), 300);
        push @out, 'file: ' . @file . ' records';
        # the newest record in the stream too: then the stream is complete
        my ($last) = $file[-1] =~ /"user_agent":"(t141\/\d+)"/;
        my $len;
        for (1 .. 60) {
            last if newest('t141:audit') eq $file[-1];
            Time::HiRes::sleep(0.05);
        }
        push @out, 'newest in the stream: '
                   . (newest('t141:audit') eq $file[-1] ? $last : 'no');
        $len = SwrTest::command('XLEN', 't141:audit');
        push @out, 'stream bounded (XLEN <= 200): '
                   . ($len <= 200 ? 'yes' : "no, $len");
        push @out, 'swr:audit: ' . (SwrTest::command('EXISTS', 'swr:audit')
                                    ? 'exists' : 'none');
        return @out;
    });
}

# ---- TEST 3 -----------------------------------------------------------------

sub redis_down_init {
    seed();
    SwrTest::wait_health();
    report('redis-down', sub {
        my @out;
        push @out, 'blobs: ' . join ' ',
            map { req('POST', "/v2/ns1/app/blobs/uploads/?digest=" . d($_),
                      $_) } $CFG, $LAYER;
        SwrTest::redis_stop();
        push @out, 'Redis stopped';
        push @out, 'manifest: ' . req('PUT', '/v2/ns1/app/manifests/v1',
                                      $MANIFEST, "Content-Type: $OCI");
        push @out, 'CreateNamespace: ' . req('POST', '/v2/manage/namespaces',
                                             '{"namespace":"ns2"}');
        SwrTest::redis_start();
        SwrTest::wait_health();
        seed_data();
        push @out, 'Redis back';
        push @out, 'push again: ' . push_image('ns1/app', 'v1');
        my @file = wait_lines(file('audit.log'), 8);
        push @out, 'file:', map { "  " . brief($_) } @file;
        push @out, 'stream:', map { "  " . brief($_->[1]) }
                                  stream('swr:audit', 4);
        return @out;
    });
}

# ---- TEST 4 -----------------------------------------------------------------

sub redis_only_init {
    seed();
    SwrTest::wait_health();
    report('redis-only', sub {
        my @out;
        SwrTest::redis_stop();
        push @out, 'CreateNamespace, Redis stopped: '
                   . req('POST', '/v2/manage/namespaces',
                         '{"namespace":"ns2"}');
        push @out, 'error log: '
                   . scalar(wait_error_log(qr/swr audit: the stream cannot take the record: \{"time":\d{13},.*"trace_name":"CreateUserNamespace".*"code":"503"/, 1))
                   . ' record';
        SwrTest::redis_start();
        return @out;
    });
}

# ---- TEST 5 -----------------------------------------------------------------

sub buffered_init {
    seed();
    report('buffered', sub {
        my @out;
        my $t0 = Time::HiRes::time();
        push @out, 'answers: '
                   . join ' ', req('POST', '/v2/manage/namespaces',
                                   '{"namespace":"ns2"}'),
                               req('DELETE', '/v2/manage/namespaces/ns2'),
                               req('POST', "/v2/ns1/app/blobs/uploads/?digest="
                                           . d($CFG), $CFG);
        my $at_once = lines(file('audit.log'));
        my $late = Time::HiRes::time() - $t0 > 0.8;
        push @out, 'at once: ' . ($late ? '(too slow to tell)'
                                        : "$at_once records");
        my @l = wait_lines(file('audit.log'), 3);
        my $t = Time::HiRes::time() - $t0;
        push @out, 'within 2 s: ' . ($t <= 2.0 ? scalar(@l) . ' records'
                                               : sprintf('%.1f s', $t));
        push @out, map { brief($_) } @l;
        return @out;
    });
}

# ---- TEST 6 -----------------------------------------------------------------

sub reopen_init {
    seed();
    report('reopen', sub {
        my @out;
        my ($log, $old) = (file('audit.log'), file('audit.old'));
        push @out, 'A B: '
                   . join ' ', req('POST', '/v2/manage/namespaces',
                                   '{"namespace":"ns2"}'),
                               req('POST', '/v2/manage/namespaces',
                                   '{"namespace":"ns3"}');
        wait_done('t141/1', 't141/2');
        push @out, 'file: ' . lines($log) . ' records (buffered)';
        rename $log, $old or die "rename: $!\n";
        kill 'USR1', SwrTest::nginx_pid() or die "kill USR1: $!\n";
        my @o = wait_lines($old, 2);
        for (1 .. 60) { last if -e $log; Time::HiRes::sleep(0.05) }
        push @out, 'reopened: old file ' . @o . ' records ('
                   . join(', ', map { brief($_) } @o) . '), new file '
                   . (-e $log ? lines($log) . ' records' : 'missing');
        push @out, 'C: ' . req('DELETE', '/v2/manage/namespaces/ns3');
        wait_done('t141/3');
        push @out, 'new file: ' . lines($log) . ' records (buffered)';
        kill 'USR1', SwrTest::nginx_pid() or die "kill USR1: $!\n";
        my @n = wait_lines($log, 1);
        push @out, 'reopened again: new file ' . @n . ' records ('
                   . join(', ', map { brief($_) } @n) . '), old file '
                   . lines($old) . ' records';
        return @out;
    });
}

# ---- TEST 7, 8 --------------------------------------------------------------

sub full_init {
    my ($name) = @_;
    seed();
    report($name, sub {
        my @out;
        my $re = qr/swr audit: "\/dev\/full" cannot take the record/;
        push @out, 'answers: '
                   . join ' ', req('POST', '/v2/manage/namespaces',
                                   '{"namespace":"ns2"}'),
                               req('PUT', '/v2/ns1/app/manifests/v1',
                                   $MANIFEST, "Content-Type: $OCI");
        # buffered: written by the flush= timer
        push @out, 'in the error log: ' . wait_error_log($re, 2) . ' lines';
        # a record longer than an error log line holds
        push @out, 'answer: '
                   . req('POST', '/v2/manage/namespaces/ns1/access',
                         '[' . join(',', map { qq[{"user_id":"u-$_","user_name":"user number $_","auth":1}] } 1 .. 40) . ']');
        my @l = wait_error_log($re, 5);
        push @out, 'in the error log: ' . @l . ' lines';
        # a record longer than an error log line: in parts, which put
        # together make it whole
        my (@parts, @whole);
        for (@l) {
            # what nginx adds: the error, the request
            s/ \(28: No space left on device\)(?: while logging request)?(?:, client: .*)?$//;
            if (/cannot take the record \(part (\d+) of (\d+)\): (.*)$/) {
                push @parts, "$1/$2";
                $whole[-1] .= $3, next if $1 > 1;
                push @whole, $3;
            } elsif (/cannot take the record: (.*)$/) {
                push @whole, $1;
            }
        }
        push @out, 'parts: ' . (@parts ? join ' ', @parts : 'none');
        push @out, map { brief($_) } @whole;
        return @out;
    });
}

# ---- TEST 9 -----------------------------------------------------------------

sub gone_init {
    seed();
    report('gone', sub {
        my @out;
        my $r = SwrTest::http('POST', '/v2/ns1/app/blobs/uploads/',
                              headers => [ 'User-Agent: setup',
                                           SwrAuth::basic($AK, $SK) ]);
        my $loc = SwrTest::path_of($r);
        my $basic = SwrAuth::basic($AK, $SK);
        my @gone = (
            [ 'PATCH', $loc, 100000, 'x' x 1000, $basic ],
            [ 'PUT', '/v2/ns1/app/manifests/v1', 100000, '{"schemaVersion":',
              $basic, "Content-Type: $OCI" ],
            [ 'POST', '/v2/manage/namespaces', 1000, '{"namespace":',
              'X-Auth-Token: tok-alice', 'Content-Type: application/json' ],
        );
        my $n = 0;
        for (@gone) {
            my ($method, $path, $length, $start, @h) = @$_;
            $n++;
            my $sock = SwrTest::partial($method, $path, $length, $start,
                                        headers => [ "User-Agent: gone/$n",
                                                     @h ]);
            Time::HiRes::sleep(0.3);
            close $sock;
        }
        my @l = grep { /"user_agent":"gone\// } wait_lines(file('audit.log'), 4);
        for (1 .. 60) {
            last if @l >= 3;
            Time::HiRes::sleep(0.05);
            @l = grep { /"user_agent":"gone\// } lines(file('audit.log'));
        }
        for (@l) {
            my $j = JSON::PP->new->decode($_);
            push @out, brief($_) . ", content_length $j->{content_length}"
                       . ', total_time ' . ($j->{total_time} >= 250
                                            ? '>= 250 ms' : $j->{total_time});
        }
        return @out;
    });
}

# ---- TEST 10 ----------------------------------------------------------------

# the stream's entries: [ records, bytes ] each
sub entries {
    my ($key) = @_;
    my %e;
    my @order;
    for (SwrTest::audit_stream($key)) {
        push @order, $_->[0] unless $e{ $_->[0] };
        $e{ $_->[0] }[0]++;
        $e{ $_->[0] }[1] += length($_->[1]) + 1;
    }
    return map { $e{$_} } @order;
}

sub batched_init {
    seed();
    report('batched', sub {
        my @out;
        my $key = 't141:batch';
        # one record: not in the stream at once, there within flush=
        my $t0 = Time::HiRes::time();
        push @out, 'A: ' . req('POST', '/v2/manage/namespaces',
                               '{"namespace":"ns2"}');
        wait_done('t141/1');
        my $late = Time::HiRes::time() - $t0 > 0.8;
        push @out, 'at once: ' . ($late ? '(too slow to tell)'
                                        : SwrTest::command('XLEN', $key)
                                          . ' entries');
        my @s = stream($key, 1);
        my $t = Time::HiRes::time() - $t0;
        push @out, 'within 2 s: ' . ($t <= 2.0 ? @s . ' record'
                                               : sprintf('%.1f s', $t));
        # 30 records in quick succession: entries of several (8k holds
        # about five), the file's records in the same order
        my %status;
        $status{ req('DELETE', "/v2/manage/namespaces/ns1/repos/app/tags/t$_") }++
            for 1 .. 30;
        push @out, 'answers: ' . join ' ', map { "$_ x$status{$_}" }
                                           sort keys %status;
        my @file = wait_lines(file('audit.log'), 31);
        @s = stream($key, 31);
        push @out, 'file: ' . @file . ' records, stream: ' . @s;
        push @out, 'the same, in the same order: '
                   . ((join("\n", @file) eq join("\n", map { $_->[1] } @s))
                      ? 'yes' : 'no');
        my @e = entries($key);
        push @out, 'entries: ' . (@e < 31 && (grep { $_->[0] > 1 } @e)
                                  ? 'fewer than records, some of several'
                                  : 'one a record: '
                                    . join(',', map { $_->[0] } @e));
        push @out, 'each entry at most 8k: '
                   . ((grep { $_->[1] > 8192 } @e)
                      ? 'no: ' . join(',', map { $_->[1] } @e) : 'yes');
        # maxlen=40 counts records: 150 more leave about 40
        $status{ req('DELETE', "/v2/manage/namespaces/ns1/repos/app/tags/u$_") }++
            for 1 .. 150;
        @file = wait_lines(file('audit.log'), 181);
        for (1 .. 60) {
            last if newest($key) eq $file[-1];
            Time::HiRes::sleep(0.05);
        }
        push @out, 'newest in the stream: '
                   . (newest($key) eq $file[-1] ? 'yes' : 'no');
        my $n = 0;
        $n += $_->[0] for entries($key);
        push @out, 'records in the stream (maxlen=40): '
                   . ($n >= 40 && $n <= 80 ? 'between 40 and 80' : $n);
        return @out;
    });
}

# ---- TEST 11 ----------------------------------------------------------------

sub batched_down_init {
    seed();
    SwrTest::wait_health();
    report('batched-down', sub {
        my @out;
        SwrTest::redis_stop();
        push @out, 'Redis stopped: '
                   . join ' ', req('POST', '/v2/manage/namespaces',
                                   '{"namespace":"ns2"}'),
                               req('DELETE', '/v2/manage/namespaces/ns2');
        my @l = wait_error_log(qr/swr audit: the stream cannot take the record: \{"time":\d{13},/, 2);
        push @out, 'error log: ' . @l . ' records';
        push @out, map { /(\{.*\})/ ? brief($1) : "no record: $_" } @l;
        SwrTest::redis_start();
        return @out;
    });
}

# ---- TEST 12 ----------------------------------------------------------------

# what a client sends goes into a record as JSON text, whatever it is
sub escaped_init {
    seed();
    report('escaped', sub {
        my @out;
        my @ua = ("quote \" backslash \\ slash / tab \t end",
                  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3",
                  "not UTF-8 \xff\xfe \xc3( end",
                  "control \x01\x1f end");
        for my $ua (@ua) {
            $N++;
            my $r = SwrTest::http('POST', '/v2/manage/namespaces',
                                  headers => [ "User-Agent: $ua",
                                               'X-Auth-Token: tok-alice',
                                               'Content-Type: application/json' ],
                                  body => qq({"namespace":"n$N"}));
            push @out, "answer: $r->{status}";
        }
        # bodies as large as the management API reads (64 KiB): JSON with
        # quotes and backslashes, and bytes that JSON escapes six times as
        # long (the record is made larger than it first was)
        my $json = '[' . join(',', map { qq[{"user_id":"u-$_","user_name":"q \\" b \\\\ $_","auth":1}] } 1 .. 1000);
        $json .= ',{"user_id":"u-x","user_name":"' . ('y' x (65536 - length($json) - 43)) . '","auth":1}]';
        # and one with whitespace, checked by the management dispatcher
        # before its script: written compact, the space in a string kept
        my @big = ($json, "\x01" x 65536,
                   qq([ {"user_id" : "u-1",\n "user_name" : "a b", "auth" : 1} ]));
        for my $body (@big) {
            $N++;
            my $r = SwrTest::http('POST', '/v2/manage/namespaces/ns1/access',
                                  headers => [ "User-Agent: big/$N",
                                               'X-Auth-Token: tok-alice',
                                               'Content-Type: application/json' ],
                                  body => $body);
            push @out, "answer: $r->{status}";
        }
        # one character that needs care at every place of a 24-byte
        # text, around the 8-byte words the module looks at together
        my @moved;
        for my $c ('"', '\\', "\x1f", "\xc3\xa9") {
            push @moved, map { ('a' x $_) . $c . ('b' x (23 - $_)) } 0 .. 17;
        }
        for my $ua (@moved) {
            $N++;
            SwrTest::http('DELETE', '/v2/manage/namespaces/ns9',
                          headers => [ "User-Agent: $ua" ]);
        }
        my @file = wait_lines(file('audit.log'), 7 + @moved);
        my @s = stream('swr:audit', 7 + @moved);
        my $same = 0;
        for my $i (0 .. $#moved) {
            my $j = eval { JSON::PP->new->utf8->decode($file[7 + $i] // '') }
                or next;
            my $ua = $j->{user_agent};
            utf8::encode($ua);
            $same++ if $ua eq $moved[$i];
        }
        push @out, 'moved characters: ' . $same . ' of ' . @moved
                   . ' user_agents as sent';
        push @out, 'stream as the file: '
                   . ((join("\n", @file) eq join("\n", map { $_->[1] } @s))
                      ? 'yes' : 'no');
        my $j = eval { JSON::PP->new->utf8->decode($file[6] // '') };
        push @out, 'spaced body: ' . ($j ? $j->{request} : "not JSON: $file[6]");
        splice @file, 6;
        for my $i (4, 5) {
            my $j = eval { JSON::PP->new->utf8->decode($file[$i] // '') };
            push @out, "big body " . ($i - 3) . ' ('
                       . length($big[$i - 4]) . ' bytes): '
                       . (!$j ? 'not JSON'
                          : $j->{request} eq $big[$i - 4]
                          ? 'the request as sent'
                          : 'request ' . length($j->{request}) . ' bytes');
        }
        for my $i (0 .. 3) {
            my $j = eval { JSON::PP->new->utf8->decode($file[$i]) };
            if (!$j) {
                push @out, "not JSON: $file[$i]";
                next;
            }
            my $ua = $j->{user_agent};
            utf8::encode($ua);
            (my $raw) = $file[$i] =~ /"user_agent":("(?:[^"\\]|\\.)*")/;
            push @out, 'user_agent ' . ($i + 1) . ': '
                       . ($ua eq $ua[$i] ? 'the one sent' : 'changed')
                       . ", written $raw";
        }
        return @out;
    });
}

repeat_each(1);
plan tests => repeat_each() * (2 * blocks() + 20);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: swr_audit_log and swr_audit_redis on: the stream swr:audit has the file's records (an entry a record, one field, "records", the record's line), in the same order
--- init
main::same_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
    swr_audit_redis on;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /same.txt
--- response_body
push: 201 201 201
manage: 201 400 401
file: 7 records, stream: 7
fields of the entries: records
the same, in the same order: yes
t141/1 CreateBlob ns1/app 201 normal alice
t141/2 CreateBlob ns1/app 201 normal alice
t141/3 CreateImageRepository ns1/app 201 normal alice
t141/3 UploadManifest ns1/app:v1 201 normal alice
t141/4 CreateUserNamespace ns2 201 normal alice
t141/5 CreateUserNamespace Bad 400 warning alice SVCSTG.SWR.4001028
t141/6 DeleteUserNamesapce ns2 401 warning anonymous SVCSTG.S2I.4019000



=== TEST 2: swr_audit_redis stream=t141:audit maxlen=5: XADD ... MAXLEN ~ 5 keeps the stream bounded (approximately: at most 200 after 300 records), the newest record in it; nothing under swr:audit
--- init
main::maxlen_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
    swr_audit_redis on stream=t141:audit maxlen=5;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /maxlen.txt
--- response_body
answers: 404 x300
file: 300 records
newest in the stream: t141/300
stream bounded (XLEN <= 200): yes
swr:audit: none



=== TEST 3: Redis stopped in the middle of a push, both sinks on: the file has every record, the manifest PUT and CreateNamespace that failed without Redis (503) included; the stream only has what came after Redis was back (a restarted Redis keeps nothing); no record in the error log
--- init
main::redis_down_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_auth_cache 0;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
    swr_audit_redis on;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location = /_swr/health {
        swr_health;
    }
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /redis-down.txt
--- response_body
blobs: 201 201
Redis stopped
manifest: 503
CreateNamespace: 503
Redis back
push again: 201 201 201
file:
  t141/1 CreateBlob ns1/app 201 normal alice
  t141/2 CreateBlob ns1/app 201 normal alice
  t141/3 UploadManifest ns1/app:v1 503 warning anonymous ak=AKALICE00000000001 UNAVAILABLE
  t141/4 CreateUserNamespace  503 warning anonymous SVCSTG.SWR.5030001
  t141/5 CreateBlob ns1/app 201 normal alice
  t141/6 CreateBlob ns1/app 201 normal alice
  t141/7 CreateImageRepository ns1/app 201 normal alice
  t141/7 UploadManifest ns1/app:v1 201 normal alice
stream:
  t141/5 CreateBlob ns1/app 201 normal alice
  t141/6 CreateBlob ns1/app 201 normal alice
  t141/7 CreateImageRepository ns1/app 201 normal alice
  t141/7 UploadManifest ns1/app:v1 201 normal alice
--- no_error_log
cannot take the record



=== TEST 4: swr_audit_redis alone, Redis stopped: the record goes to the error log ("swr audit: the stream cannot take the record: {...}")
--- init
main::redis_only_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_redis on;
--- config
    location = /_swr/health {
        swr_health;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /redis-only.txt
--- response_body
CreateNamespace, Redis stopped: 503
error log: 1 record
--- error_log eval
qr/\[alert\] .*swr audit: the stream cannot take the record: \{"time":\d{13},"user":\{"type":"Anonymous","name":"anonymous"\},.*"trace_name":"CreateUserNamespace"/



=== TEST 5: buffer=64k flush=1s: the records are not in the file at once, all of them are within 2 s
--- init
main::buffered_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log buffer=64k flush=1s;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /buffered.txt
--- response_body
answers: 201 204 201
at once: 0 records
within 2 s: 3 records
t141/1 CreateUserNamespace ns2 201 normal alice
t141/2 DeleteUserNamesapce ns2 204 normal alice
t141/3 CreateBlob ns1/app 201 normal alice



=== TEST 6: nginx -s reopen (USR1) after the file was renamed: the buffered records are written to the old file first, a new file takes the next ones (written at the next reopen: flush=30s); none lost
--- init
main::reopen_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log buffer=64k flush=30s;
    log_format t141 '$http_user_agent';
--- config
    access_log $TEST_NGINX_SERVER_ROOT/html/done.log t141;
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /reopen.txt
--- response_body
A B: 201 201
file: 0 records (buffered)
reopened: old file 2 records (t141/1 CreateUserNamespace ns2 201 normal alice, t141/2 CreateUserNamespace ns3 201 normal alice), new file 0 records
C: 204
new file: 0 records (buffered)
reopened again: new file 1 records (t141/3 DeleteUserNamesapce ns3 204 normal alice), old file 2 records



=== TEST 7: a file that cannot be written (/dev/full, ENOSPC even for root): the requests are answered as usual, every record goes to the error log ("swr audit: ... cannot take the record: {...}"), one longer than an error log line in parts that make it whole
--- init
main::full_init('full');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_log /dev/full;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /full.txt
--- response_body
answers: 201 400
in the error log: 2 lines
answer: 400
in the error log: 5 lines
parts: 1/3 2/3 3/3
t141/1 CreateUserNamespace ns2 201 normal alice
t141/2 UploadManifest ns1/app:v1 400 warning alice MANIFEST_BLOB_UNKNOWN
t141/3 CreateUserNamespaceAuth ns1 400 warning alice SVCSTG.SWR.4001067
--- error_log eval
[qr/\[alert\] .*swr audit: "\/dev\/full" cannot take the record: \{"time":\d{13},.*"trace_name":"CreateUserNamespace".*"code":"201"/,
 qr/\[alert\] .*swr audit: "\/dev\/full" cannot take the record: \{"time":\d{13},.*"trace_name":"UploadManifest".*"code":"400"/,
 qr/\[alert\] .*swr audit: "\/dev\/full" cannot take the record \(part 3 of 3\): .*"trace_name":"CreateUserNamespaceAuth"/]



=== TEST 8: the same with buffer=4k flush=100ms: the records the flush= timer cannot write go to the error log, a record each; one longer than the buffer is written at once, and goes there in parts
--- init
main::full_init('full-buffered');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_log /dev/full buffer=4k flush=100ms;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /full-buffered.txt
--- response_body
answers: 201 400
in the error log: 2 lines
answer: 400
in the error log: 5 lines
parts: 1/3 2/3 3/3
t141/1 CreateUserNamespace ns2 201 normal alice
t141/2 UploadManifest ns1/app:v1 400 warning alice MANIFEST_BLOB_UNKNOWN
t141/3 CreateUserNamespaceAuth ns1 400 warning alice SVCSTG.SWR.4001067
--- error_log eval
[qr/\[alert\] .*swr audit: "\/dev\/full" cannot take the record: \{"time":\d{13},.*"trace_name":"CreateUserNamespace".*"code":"201"/,
 qr/\[alert\] .*swr audit: "\/dev\/full" cannot take the record: \{"time":\d{13},.*"trace_name":"UploadManifest".*"code":"400"/,
 qr/\[alert\] .*swr audit: "\/dev\/full" cannot take the record \(part 3 of 3\): .*"trace_name":"CreateUserNamespaceAuth"/]



=== TEST 9: clients that leave in the middle of the request body (a chunk, a manifest, a management body; Content-Length larger than what was sent): a record each, code 499, rating warning, the Content-Length announced, the time it took
--- init
main::gone_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /gone.txt
--- response_body
gone/1 UpdateImageLayerChunk ns1/app 499 warning alice, content_length 100000, total_time >= 250 ms
gone/2 UploadManifest ns1/app:v1 499 warning alice, content_length 100000, total_time >= 250 ms
gone/3 CreateUserNamespace  499 warning alice, content_length 1000, total_time >= 250 ms




=== TEST 10: swr_audit_redis on ... buffer=8k flush=1s: a lone record reaches the stream within flush=, not at once; a burst makes entries of several records (at most 8k each), with the file's records in the file's order; maxlen=40 counts records (t/142: what a worker holds when it exits)
--- init
main::batched_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
    swr_audit_redis on stream=t141:batch maxlen=40 buffer=8k flush=1s;
    log_format t141 '$http_user_agent';
--- config
    access_log $TEST_NGINX_SERVER_ROOT/html/done.log t141;
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /batched.txt
--- response_body
A: 201
at once: 0 entries
within 2 s: 1 record
answers: 404 x30
file: 31 records, stream: 31
the same, in the same order: yes
entries: fewer than records, some of several
each entry at most 8k: yes
newest in the stream: yes
records in the stream (maxlen=40): between 40 and 80
--- no_error_log
cannot take the record



=== TEST 11: swr_audit_redis on buffer=8k flush=100ms alone, Redis stopped: the records the flush cannot send go to the error log, a record a line
--- init
main::batched_down_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_redis on buffer=8k flush=100ms;
--- config
    location = /_swr/health {
        swr_health;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /batched-down.txt
--- response_body
Redis stopped: 503 503
error log: 2 records
t141/1 CreateUserNamespace  503 warning anonymous SVCSTG.SWR.5030001
t141/2 DeleteUserNamesapce ns2 503 warning anonymous SVCSTG.SWR.5030001
--- error_log eval
[qr/\[alert\] .*swr audit: the stream cannot take the record: \{"time":\d{13},.*"trace_name":"CreateUserNamespace".*"user_agent":"t141\/1"/,
 qr/\[alert\] .*swr audit: the stream cannot take the record: \{"time":\d{13},.*"trace_name":"DeleteUserNamesapce".*"user_agent":"t141\/2"/]



=== TEST 12: User-Agent values with quotes, backslashes, a tab, UTF-8, bytes that are not UTF-8 and control characters, and management bodies of 64 KiB: every record is JSON, the same in file and stream; valid text as sent, escaped as JSON escapes it (\" \\ \t \u0001), text that is not UTF-8 with '?' for each byte outside ASCII
--- init
main::escaped_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
    swr_audit_redis on buffer=64k flush=100ms;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /escaped.txt
--- response_body
answer: 201
answer: 201
answer: 201
answer: 201
answer: 400
answer: 400
answer: 400
moved characters: 72 of 72 user_agents as sent
stream as the file: yes
spaced body: [{"user_id":"u-1","user_name":"a b","auth":1}]
big body 1 (65536 bytes): the request as sent
big body 2 (65536 bytes): the request as sent
user_agent 1: the one sent, written "quote \" backslash \\ slash / tab \t end"
user_agent 2: the one sent, written "café € 🐳"
user_agent 3: changed, written "not UTF-8 ?? ?( end"
user_agent 4: the one sent, written "control \u0001\u001F end"



=== TEST 13: swr_audit_redis on stream=t141:own redis=<the suite's Redis> db=5: the stream in database 5 (none in swr_redis's database 0), the file's records in the file's order, on a connection of its own (in db 5)
--- init
main::own_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
    swr_audit_redis on stream=t141:own redis=127.0.0.1:$TEST_NGINX_REDIS_PORT db=5 buffer=8k flush=100ms;
--- config
    location = /_swr/health {
        swr_health;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /own.txt
--- response_body
answers: 201 204 401
file: 3 records, stream in db 5: 3
the same, in the same order: yes
t141:own in db 0: none
connections in db 5: 1
health: 200 ok, redis up, audit_redis 127.0.0.1:<redis port> up
t141/1 CreateUserNamespace ns2 201 normal alice
t141/2 DeleteUserNamesapce ns2 204 normal alice
t141/3 DeleteUserNamesapce ns1 401 warning anonymous SVCSTG.S2I.4019000
--- no_error_log
cannot take the record



=== TEST 14: swr_audit_redis on redis=<an address where nothing listens>, with swr_audit_log: the requests are answered as usual (swr_redis's Redis is up), every record in the file, none in the error log; the error log says why the stream's Redis is down
--- init
main::dead_init('dead-filed', 1);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
    swr_audit_redis on redis=127.0.0.1:1 connect_timeout=200ms buffer=8k flush=100ms;
--- config
    location = /_swr/health {
        swr_health;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /dead-filed.txt
--- response_body
answers: 201 204
file: 2 records
in Redis: 12 keys, swr:audit none
health: 200 ok, redis up, audit_redis 127.0.0.1:1 not up
--- error_log
swr redis 127.0.0.1:1:
--- no_error_log
cannot take the record



=== TEST 15: the same without swr_audit_log: the records go to the error log
--- init
main::dead_init('dead-alone', 0);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_redis on redis=127.0.0.1:1 connect_timeout=200ms buffer=8k flush=100ms;
--- config
    location = /_swr/health {
        swr_health;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /dead-alone.txt
--- response_body
answers: 201 204
error log: 2 records
in Redis: 12 keys, swr:audit none
health: 200 ok, redis up, audit_redis 127.0.0.1:1 not up
--- error_log eval
[qr/\[alert\] .*swr audit: the stream cannot take the record: \{"time":\d{13},.*"trace_name":"CreateUserNamespace".*"user_agent":"t141\/1"/,
 qr/\[alert\] .*swr audit: the stream cannot take the record: \{"time":\d{13},.*"trace_name":"DeleteUserNamesapce".*"user_agent":"t141\/2"/]



=== TEST 16: swr_audit_redis on redis=<a socket that never answers> timeout=300ms, alone: the link is up, the batch is written and times out; its records, kept until Redis answered for them, go to the error log
--- init
main::dead_init('silent', 0);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_redis on redis=127.0.0.1:$TEST_NGINX_SILENT_PORT timeout=300ms buffer=8k flush=100ms;
--- config
    location = /_swr/health {
        swr_health;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /silent.txt
--- response_body
answers: 201 204
error log: 2 records
in Redis: 12 keys, swr:audit none
--- error_log eval
[qr/\[alert\] .*swr audit: the stream cannot take the record: \{"time":\d{13},.*"trace_name":"CreateUserNamespace".*"user_agent":"t141\/1"/,
 qr/\[alert\] .*swr audit: the stream cannot take the record: \{"time":\d{13},.*"trace_name":"DeleteUserNamesapce".*"user_agent":"t141\/2"/]



=== TEST 17: the registry's request summaries are JSON text: a manifest PUT's Content-Type, tag and digest reference, an upload's digest argument, Content-Range and upload id, with a quote and a backslash, are in them as sent
--- init
main::summary_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        swr_registry;
        swr_auth on;
    }
--- request
GET /summary.txt
--- response_body
answers: 400 400 404 400 400 404
UploadManifest 400: mediaType=application/x"q\b
CreateBlob 400: digest=sha256:"q\b
UpdateImageLayerChunk 404: range=0-"2
UploadManifest 400: tag=t"q\b
UploadManifest 400: digest=sha256:"q\b
UpdateImageLayerChunk 404: upload_uuid=u"q\b



=== TEST 18: three locations' streams, two on swr_redis's Redis (one link for both) and one on redis= db=5 (a link of its own): each stream has its location's records; /_swr/health lists the two links
--- init
main::shared_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
--- config
    location = /_swr/health {
        swr_health;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
        swr_audit_redis on stream=t141:one buffer=8k flush=100ms;
    }
    location = /v2/manage/namespaces/ns2 {
        swr_manage_api;
        swr_auth on;
        swr_audit_redis on stream=t141:two;
    }
    location = /v2/manage/namespaces/ns3 {
        swr_manage_api;
        swr_auth on;
        swr_audit_redis on stream=t141:three redis=127.0.0.1:$TEST_NGINX_REDIS_PORT db=5;
    }
--- request
GET /shared.txt
--- response_body
answers: 201 201 204 204
t141:one: t141/1 CreateUserNamespace ns2 201 normal alice, t141/2 CreateUserNamespace ns3 201 normal alice
t141:two: t141/3 DeleteUserNamesapce ns2 204 normal alice
t141:three in db 5: t141/4 DeleteUserNamesapce ns3 204 normal alice
health: 200 ok, redis up, audit_redis 127.0.0.1:<redis port> up, 127.0.0.1:<redis port> up
--- no_error_log
[error]



=== TEST 19: swr_audit_redis on a Redis that is slow to read (the suite's, through a relay that stops reading for a while): 2 MB of records, more than the worker's socket takes at once, all in the stream once it reads again, whole and in the file's order
--- init
main::slow_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
    swr_audit_redis on stream=t141:slow redis=unix:$TEST_NGINX_RELAY_SOCKET timeout=10s buffer=64k flush=100ms;
--- config
    location = /_swr/health {
        swr_health;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /slow.txt
--- response_body
answers: 400 x40
in the stream while the relay does not read: not all
file: 40 records, stream: 40
records of more than 48000 bytes: 40
the same, in the same order: yes
health: 200 ok, redis up, audit_redis unix:<relay socket> up
--- no_error_log
[error]
