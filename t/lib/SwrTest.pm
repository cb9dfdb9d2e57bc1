package SwrTest;

# Helpers shared by the .t files of ngx_http_swr_module: control of the
# real redis-server that util/test.sh starts for the suite (stop, start,
# commands), so that tests can take Redis away and bring it back.
#
# The .t files call them as SwrTest::name(...) from --- init sections;
# they work the same under this project's runner and the real
# Test::Nginx, as both put t/lib on @INC through prove -I.

use strict;
use warnings;

use IO::Socket::INET;
use POSIX ();
use Time::HiRes qw(sleep);

sub port { $ENV{TEST_NGINX_REDIS_PORT} or die "TEST_NGINX_REDIS_PORT unset\n" }
sub dir  { $ENV{TEST_NGINX_REDIS_DIR}  or die "TEST_NGINX_REDIS_DIR unset\n" }

sub pidfile { dir() . '/redis.pid' }

sub redis_pid {
    open my $fh, '<', pidfile() or return undef;
    my $pid = <$fh>;
    close $fh;
    return undef unless defined $pid;
    chomp $pid;
    return $pid =~ /^\d+$/ ? $pid : undef;
}

# A process that exited but was not reaped yet (a zombie: its parent may
# be the test runner, made a subreaper, or an init that reaps late) counts
# as gone.
sub gone {
    my ($pid) = @_;

    return 1 if waitpid($pid, POSIX::WNOHANG()) == $pid;
    return 1 unless kill(0, $pid);

    if (open my $fh, '<', "/proc/$pid/stat") {
        my $stat = <$fh> // '';
        close $fh;
        return 1 if $stat =~ /\)\s+[ZX]\s/;
    }

    return 0;
}

sub redis_alive {
    my $pid = redis_pid();
    return $pid && !gone($pid);
}

# Starts the suite's redis-server (daemonised, nothing persisted) and
# waits until it answers PING.
sub redis_start {
    return 1 if redis_alive() && ping();

    my @cmd = ('redis-server', '--bind', '127.0.0.1', '--port', port(),
               '--dir', dir(), '--pidfile', pidfile(),
               '--logfile', dir() . '/redis.log', '--daemonize', 'yes',
               '--save', '', '--appendonly', 'no');

    system(@cmd) == 0 or die "cannot run redis-server: $?\n";

    for (1 .. 100) {
        return 1 if ping();
        sleep 0.05;
    }

    die "redis-server on port " . port() . " did not answer\n";
}

# Stops it (SIGTERM to the pid it wrote) and waits until it is gone.
sub redis_stop {
    my $pid = redis_pid() or return 1;

    kill 'TERM', $pid;

    for (1 .. 200) {
        return 1 if gone($pid);
        sleep 0.025;
    }

    die "redis-server $pid did not stop\n";
}

# Starts it again after $delay seconds, from a child of the test process,
# so that requests can be sent while it is still down.
sub redis_start_after {
    my ($delay) = @_;

    my $pid = fork();
    die "fork: $!\n" unless defined $pid;
    return $pid if $pid;

    sleep $delay;
    eval { redis_start() };
    POSIX::_exit($@ ? 1 : 0);
}

# Waits until the nginx under test reports a healthy Redis link on
# GET $path (default /_swr/health), for blocks that need the link up
# before their first request.
sub wait_health {
    my ($path) = @_;
    $path ||= '/_swr/health';

    my $port = $ENV{TEST_NGINX_SERVER_PORT}
        or die "TEST_NGINX_SERVER_PORT unset\n";

    for (1 .. 120) {
        my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                         PeerPort => $port,
                                         Proto => 'tcp', Timeout => 1);
        if ($sock) {
            print $sock "GET $path HTTP/1.0\r\nHost: localhost\r\n\r\n";
            my $status = <$sock>;
            close $sock;
            return 1 if defined $status && $status =~ m{^HTTP/1\.\d 200 };
        }
        sleep 0.025;
    }

    die "GET $path on port $port never answered 200\n";
}

# Sends "GET $path" to the nginx under test from a child process and does
# not wait for the answer: a request in flight while the block's own
# requests run.
sub get_in_background {
    my ($path) = @_;

    my $port = $ENV{TEST_NGINX_SERVER_PORT}
        or die "TEST_NGINX_SERVER_PORT unset\n";

    my $pid = fork();
    die "fork: $!\n" unless defined $pid;
    return $pid if $pid;

    my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                     PeerPort => $port,
                                     Proto => 'tcp', Timeout => 2);
    if ($sock) {
        print $sock "GET $path HTTP/1.0\r\nHost: localhost\r\n\r\n";
        my $ignored = <$sock>;
        close $sock;
    }

    POSIX::_exit(0);
}

# A HUP reload of the nginx under test (master process on), with an upload
# started before it and finished after it; returns a small report:
# "patch 202 / reloaded yes / finish 201 / blob <bytes>".
sub hup_reload {
    my ($repo) = @_;
    my @out;

    wait_health();

    my $r = http('POST', "/v2/$repo/blobs/uploads/");
    my ($loc) = ($r->{headers}{location} || '') =~ m{^https?://[^/]+(/.*)$};
    push @out, "start $r->{status}";

    $r = http('PATCH', $loc, body => 'hello ',
              headers => ['Content-Type: application/octet-stream']);
    push @out, "patch $r->{status}";

    my %old;
    for (1 .. 20) {
        my $h = http('GET', '/_swr/health');
        $old{$1} = 1 if $h->{body} =~ /"pid":(\d+)/;
    }

    my $master = nginx_pid();

    kill 'HUP', $master or die "cannot signal nginx $master\n";

    my $reloaded = 'no';
    for (1 .. 200) {
        my $h = eval { http('GET', '/_swr/health') };
        if ($h && $h->{status} == 200 && $h->{body} =~ /"pid":(\d+)/
            && !$old{$1})
        {
            $reloaded = 'yes';
            last;
        }
        sleep 0.05;
    }
    push @out, "reloaded $reloaded";

    my $digest = sha256('hello world');
    $r = http('PUT', "$loc?digest=$digest", body => 'world');
    push @out, "finish $r->{status}";

    $r = http('GET', "/v2/$repo/blobs/$digest");
    push @out, "blob $r->{status} $r->{body}";

    return join("\n", @out) . "\n";
}

sub ping {
    my $r = eval { command('PING') };
    return defined $r && $r eq 'PONG';
}

# Sends one command, returns the reply: a string, an integer, undef for
# a nil, an array reference; dies on an error reply.
sub command {
    return command_in(undef, @_);
}

# The same in database $db (SELECT first, on the same connection; undef:
# the default one).
sub command_in {
    my ($db, @args) = @_;

    my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                     PeerPort => port(),
                                     Proto => 'tcp', Timeout => 2)
        or die "cannot connect to redis: $!\n";

    my $req = '';
    for my $cmd (defined $db ? (['SELECT', $db]) : (), \@args) {
        $req .= '*' . scalar(@$cmd) . "\r\n";
        $req .= '$' . length($_) . "\r\n$_\r\n" for @$cmd;
    }

    print $sock $req;

    read_reply($sock) if defined $db;
    my $reply = read_reply($sock);
    close $sock;

    return $reply;
}

sub read_reply {
    my ($sock) = @_;

    my $line = <$sock>;
    die "redis closed the connection\n" unless defined $line;
    $line =~ s/\r\n$//;

    my ($type, $rest) = (substr($line, 0, 1), substr($line, 1));

    return $rest if $type eq '+';
    return $rest + 0 if $type eq ':';
    die "redis error: $rest\n" if $type eq '-';

    if ($type eq '$') {
        return undef if $rest < 0;
        my $buf = '';
        while (length($buf) < $rest + 2) {
            my $n = read($sock, $buf, $rest + 2 - length($buf), length($buf));
            die "short redis reply\n" unless $n;
        }
        return substr($buf, 0, $rest);
    }

    if ($type eq '*') {
        return undef if $rest < 0;
        return [ map { read_reply($sock) } 1 .. $rest ];
    }

    die "bad redis reply: $line\n";
}

# ---- registry API helpers ------------------------------------------------
#
# Digests, manifests and a small HTTP client for the registry tests (t/02x
# to t/06x).  Digests and manifest bodies are computed while the spec is
# parsed (in eval sections), so they must be deterministic: JSON is
# written with sorted keys and no whitespace.
#
# Flows that need an upload session id (which is random) run in --- init:
#
#   --- init
#   SwrTest::command('FLUSHALL');
#   SwrTest::flow('chunks', sub {
#       my $r = SwrTest::step('POST', '/v2/up/blobs/uploads/',
#                             show => ['Location', 'Range']);
#       SwrTest::step('PATCH', SwrTest::path_of($r), body => 'abc',
#                     headers => ['Content-Range: 0-2'], show => ['Range']);
#   });
#
# flow() writes one line per step ("PATCH <path> -> 202", then one
# indented line per header asked for, and the body when asked for) to
# html/<name>.txt, which the block then GETs and compares whole.  Upload
# ids are replaced with <id1>, <id2>... in the order they first appear,
# so the report is the same on every run and still shows which id is
# which.  flow() never dies (a die in --- init aborts the whole run): an
# error ends the report with its message.

use Digest::SHA ();
use IO::Select ();
use JSON::PP ();

use constant {
    MT_OCI_MANIFEST => 'application/vnd.oci.image.manifest.v1+json',
    MT_OCI_INDEX    => 'application/vnd.oci.image.index.v1+json',
    MT_OCI_CONFIG   => 'application/vnd.oci.image.config.v1+json',
    MT_OCI_LAYER    => 'application/vnd.oci.image.layer.v1.tar+gzip',
    MT_DOCKER_V2    => 'application/vnd.docker.distribution.manifest.v2+json',
    MT_DOCKER_LIST  =>
        'application/vnd.docker.distribution.manifest.list.v2+json',
    MT_DOCKER_CONFIG => 'application/vnd.docker.container.image.v1+json',
    MT_DOCKER_LAYER =>
        'application/vnd.docker.image.rootfs.diff.tar.gzip',
};

my $JSON = JSON::PP->new->canonical(1)->utf8(1);

sub sha256 { return 'sha256:' . Digest::SHA::sha256_hex($_[0]) }
sub sha512 { return 'sha512:' . Digest::SHA::sha512_hex($_[0]) }

# Canonical JSON text (sorted keys, no whitespace) of a Perl structure.
sub json { return $JSON->encode($_[0]) }

# A descriptor of $content: {mediaType, digest, size}, plus %extra.
sub desc {
    my ($content, $media_type, %extra) = @_;
    return { mediaType => $media_type, digest => sha256($content),
             size => length($content), %extra };
}

# An OCI image manifest (JSON text) over a config and layers given as
# contents: manifest($config, [$layer, ...], %extra), media types the
# OCI image ones; %extra adds or replaces top-level fields (subject,
# artifactType, annotations, config => descriptor...).
sub manifest {
    my ($config, $layers, %extra) = @_;
    return json({
        schemaVersion => 2,
        mediaType => MT_OCI_MANIFEST,
        config => desc($config, MT_OCI_CONFIG),
        layers => [ map { desc($_, MT_OCI_LAYER) } @$layers ],
        %extra,
    });
}

# The same with Docker schema 2 media types.
sub docker_manifest {
    my ($config, $layers, %extra) = @_;
    return json({
        schemaVersion => 2,
        mediaType => MT_DOCKER_V2,
        config => desc($config, MT_DOCKER_CONFIG),
        layers => [ map { desc($_, MT_DOCKER_LAYER) } @$layers ],
        %extra,
    });
}

# An index (OCI, or Docker manifest list with $type) over manifests given
# as JSON texts, each for linux/<arch> in the order given.
sub index_of {
    my ($type, $manifests, %extra) = @_;
    my @arch = qw(amd64 arm64 s390x ppc64le riscv64);
    my $i = 0;
    return json({
        schemaVersion => 2,
        mediaType => $type,
        manifests => [ map {
            my $mt = decode_json($_)->{mediaType};
            desc($_, $mt, platform => { os => 'linux',
                                        architecture => $arch[$i++] })
        } @$manifests ],
        %extra,
    });
}

sub decode_json { return $JSON->decode($_[0]) }

# The OCI error envelope the registry answers with, byte for byte:
# err('BLOB_UNKNOWN', 'blob unknown to registry', $digest); detail undef
# is null.
sub err {
    my ($code, $message, $detail) = @_;
    my $js = JSON::PP->new->utf8(1)->allow_nonref(1);
    return '{"errors":[{"code":' . $js->encode($code)
           . ',"message":' . $js->encode($message)
           . ',"detail":' . (defined $detail ? $js->encode($detail) : 'null')
           . '}]}';
}

# Request text for the Test::Nginx "request" section: a monolithic push
# of $content to repository $name.
sub push_blob {
    my ($name, $content) = @_;
    return "POST /v2/$name/blobs/uploads/?digest=" . sha256($content)
           . "\n" . $content;
}

# Request text: PUT of manifest $body to /v2/$name/manifests/$ref.
sub put_manifest {
    my ($name, $ref, $body) = @_;
    return "PUT /v2/$name/manifests/$ref\n$body";
}

# Header lines for a manifest PUT: Content-Type from the body's mediaType.
sub manifest_type {
    my ($body) = @_;
    my $mt = eval { decode_json($body)->{mediaType} };
    return defined $mt ? "Content-Type: $mt" : '';
}

# An HTTP/1.1 exchange with the nginx under test, one connection.
#   http($method, $path, headers => ["Name: value", ...], body => $bytes,
#        chunks => [$piece, ...])
# chunks sends the body with Transfer-Encoding: chunked, one chunk per
# piece.  Returns {status, headers => {lower-case name => value}, body}.
sub http {
    my ($method, $path, %o) = @_;

    my $port = $ENV{TEST_NGINX_SERVER_PORT}
        or die "TEST_NGINX_SERVER_PORT unset\n";

    my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                     PeerPort => $port,
                                     Proto => 'tcp', Timeout => 5)
        or die "cannot connect to nginx on port $port: $!\n";

    my @h = @{ $o{headers} || [] };
    unshift @h, 'Host: localhost' unless grep { /^Host:/i } @h;
    push @h, 'Connection: close';

    my $body = '';

    if ($o{chunks}) {
        push @h, 'Transfer-Encoding: chunked';
        $body = join '', map { sprintf("%x\r\n", length $_) . "$_\r\n" }
                             grep { length } @{ $o{chunks} };
        $body .= "0\r\n\r\n";

    } elsif (defined $o{body}) {
        push @h, 'Content-Length: ' . length($o{body})
            unless grep { /^Content-Length:/i } @h;
        $body = $o{body};
    }

    my $req = "$method $path HTTP/1.1\r\n" . join('', map { "$_\r\n" } @h)
              . "\r\n" . $body;

    binmode $sock;
    print $sock $req;

    my $raw = '';
    my $sel = IO::Select->new($sock);
    while (1) {
        die "no answer to $method $path within 10 s\n"
            unless $sel->can_read(10);
        my $n = sysread($sock, my $buf, 65536);
        last unless $n;
        $raw .= $buf;
    }
    close $sock;

    my ($head, $rest) = split /\r\n\r\n/, $raw, 2;
    die "no response to $method $path\n" unless defined $head && length $head;

    my ($status_line, @lines) = split /\r\n/, $head;
    my ($status) = $status_line =~ m{^HTTP/1\.\d (\d{3})}
        or die "bad status line: $status_line\n";

    my %headers;
    for (@lines) {
        my ($k, $v) = /^([^:]+):\s*(.*)$/ or next;
        $k = lc $k;
        $headers{$k} = exists $headers{$k} ? "$headers{$k}, $v" : $v;
    }

    $rest = '' unless defined $rest;

    if (($headers{'transfer-encoding'} || '') =~ /chunked/i) {
        my $decoded = '';
        while ($rest =~ s/^([0-9a-fA-F]+)[^\r\n]*\r\n//) {
            my $len = hex $1;
            last if $len == 0;
            $decoded .= substr($rest, 0, $len, '');
            $rest =~ s/^\r\n//;
        }
        $rest = $decoded;
    }

    $rest = '' if $method eq 'HEAD';

    return { status => $status, headers => \%headers, body => $rest };
}

# Setup from --- init: pushes blobs (monolithically) to repository $name;
# never dies, so that a failure shows in the block's own checks.
sub seed_blobs {
    my ($name, @blobs) = @_;
    for my $b (@blobs) {
        eval { http('POST', "/v2/$name/blobs/uploads/?digest=" . sha256($b),
                    body => $b) };
    }
    return 1;
}

# Setup from --- init: PUT of a manifest (Content-Type from its
# mediaType); returns the status, never dies.
sub seed_manifest {
    my ($name, $ref, $body) = @_;
    my $ct = manifest_type($body);
    my $res = eval { http('PUT', "/v2/$name/manifests/$ref", body => $body,
                          headers => [$ct ? ($ct) : ()]) };
    return $res ? $res->{status} : 0;
}

# A request that stops half-way: sends the head with Content-Length
# $length and the first bytes of the body, and returns the socket; the
# caller closes it to leave.
sub partial {
    my ($method, $path, $length, $start, %o) = @_;

    my $port = $ENV{TEST_NGINX_SERVER_PORT}
        or die "TEST_NGINX_SERVER_PORT unset\n";

    my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                     PeerPort => $port,
                                     Proto => 'tcp', Timeout => 5)
        or die "cannot connect to nginx on port $port: $!\n";

    binmode $sock;
    $sock->autoflush(1);
    print $sock "$method $path HTTP/1.1\r\nHost: localhost\r\n"
                . join('', map { "$_\r\n" } @{ $o{headers} || [] })
                . "Content-Length: $length\r\n\r\n$start";

    return $sock;
}

# The number of entries of a JSON autoindex listing.
sub entries {
    my ($res) = @_;
    my @n = $res->{body} =~ /"name":/g;
    return scalar @n;
}

# The path (and query) of a response's Location, for the next request.
sub path_of {
    my ($res) = @_;
    my $loc = $res->{headers}{location};
    die "no Location in a $res->{status} response\n" unless defined $loc;
    $loc =~ s{^[a-z]+://[^/]+}{}i;
    return $loc;
}

my (@Flow, %Ids);

# Replaces upload ids with <id1>, <id2>... (see above).
sub anon {
    my ($s) = @_;
    return $s unless defined $s;
    $s =~ s{([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})}
           { _id($1) }ge;
    return $s;
}

sub _id {
    my ($id) = @_;
    $Ids{$id} = '<id' . (scalar(keys %Ids) + 1) . '>' unless $Ids{$id};
    return $Ids{$id};
}

# One request of a flow: records "METHOD path -> status", then the
# headers named in show (as "  Name: value", or "  Name: (none)"), then
# the body when show_body is set; returns the response.
sub step {
    my ($method, $path, %o) = @_;

    my $res = http($method, $path, %o);

    push @Flow, anon("$method $path -> $res->{status}");

    for my $name (@{ $o{show} || [] }) {
        my $v = $res->{headers}{lc $name};
        push @Flow, '  ' . anon("$name: " . (defined $v ? $v : '(none)'));
    }

    push @Flow, '  ' . anon("body: $res->{body}") if $o{show_body};

    return $res;
}

# Adds a line of its own to the report.
sub note { push @Flow, map { anon($_) } @_ }

sub flow {
    my ($name, $code) = @_;

    @Flow = ();
    %Ids = ();

    unless (eval { $code->(); 1 }) {
        my $err = $@;
        $err =~ s/\s+\z//;
        push @Flow, "died: $err";
    }

    my $root = $ENV{TEST_NGINX_SERVER_ROOT} || '.';

    if (open my $fh, '>', "$root/html/$name.txt") {
        binmode $fh;
        print $fh map { "$_\n" } @Flow;
        close $fh;
    }

    return 1;
}



# ---- files the test's nginx writes, and its audit stream -------------------

# the nginx master's pid (the worker's in single process mode)
sub nginx_pid {
    open my $fh, '<', "$ENV{TEST_NGINX_SERVER_ROOT}/logs/nginx.pid"
        or die "no nginx pid file: $!\n";
    my $pid = <$fh> // '';
    close $fh;
    chomp $pid;
    die "no pid in the nginx pid file\n" unless $pid =~ /^\d+$/;
    return $pid;
}

# the worker that answers /_swr/health
sub worker_pid {
    my $h = http('GET', '/_swr/health');
    return $h->{body} =~ /"pid":(\d+)/ ? $1
        : die "no worker pid in /_swr/health: $h->{status}\n";
}

# html/<name> of the test's server
sub html_file { return "$ENV{TEST_NGINX_SERVER_ROOT}/html/$_[0]" }

# a file's lines without their "\n", as bytes (none when it is missing)
sub file_lines {
    my ($file) = @_;
    open my $fh, '<', $file or return ();
    binmode $fh;
    my @l = <$fh>;
    close $fh;
    chomp @l;
    return @l;
}

# a file's lines once $want of them match $filter (every line when none
# is given), 3 s at most; the caller compares what it got
sub wait_file_lines {
    my ($file, $want, $filter) = @_;
    my @l;
    for (1 .. 60) {
        @l = file_lines($file);
        last if (defined $filter ? scalar(grep { /$filter/ } @l)
                                 : scalar(@l)) >= $want;
        Time::HiRes::sleep(0.05);
    }
    return @l;
}

# the records of an audit stream in database $db (undef: the default
# one; docs/audit.md: each entry's field "records" holds one record or
# more, a line each), oldest first: [entry id, record, the entry's field
# names]; an entry whose "records" does not end with a line break gives
# one "not a line each: ..." record
sub audit_stream {
    my ($key, $db) = @_;
    my @out;
    for my $e (@{ command_in($db, 'XRANGE', $key, '-', '+') }) {
        my ($id, $fields) = @$e;
        my %f = @$fields;
        my $names = join ',', map { $fields->[2 * $_] } 0 .. $#$fields / 2;
        my $v = $f{records} // '';
        push @out, [ $id, "not a line each: $v", $names ]
            unless $v =~ /\n\z/;
        push @out, map { [ $id, $_, $names ] } split /\n/, $v;
    }
    return @out;
}


# ---- daemons a test starts itself (t/lib/SwrDocker.pm, SwrContainerd.pm) --

# TERM, and KILL after $timeout seconds; '' when it stopped on TERM, else
# "<what> did not stop on TERM within <timeout>s"
sub stop_daemon {
    my ($pid, $what, $timeout) = @_;

    kill 'TERM', $pid;

    my $t0 = Time::HiRes::time();
    while (waitpid($pid, POSIX::WNOHANG()) == 0) {
        if (Time::HiRes::time() - $t0 > $timeout) {
            kill 'KILL', $pid;
            waitpid $pid, 0;
            return "$what did not stop on TERM within ${timeout}s";
        }
        Time::HiRes::sleep(0.05);
    }

    return '';
}

# the last error ("level=error" or "level=fatal") of a daemon's log, or
# its last line
sub log_tail {
    my ($file) = @_;
    open my $fh, '<', $file or return '(no log)';
    my @lines = grep { /\S/ } <$fh>;
    close $fh;
    my @errors = grep { /level=(?:error|fatal)/ } @lines;
    my $line = @errors ? $errors[-1] : @lines ? $lines[-1] : '(empty log)';
    chomp $line;
    return $line;
}

1;
