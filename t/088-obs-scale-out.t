# vim:set ft= ts=4 sw=4 et fdm=marker:
# Scale-out on an object store: two registry nodes (two nginx instances,
# own prefixes and ports) on one Redis and one bucket of the real Ceph RGW
# that util/test.sh starts.  What one node stored the other serves: a
# blob pushed through one is pulled through the other, a manifest pushed
# through one is pulled by tag through the other, and a chunked upload
# moves from node to node chunk by chunk, its chunks staged in the bucket
# (segments, merged into pieces), and is finished on another node again;
# a chunk being written through one node locks the upload against the
# other, and a chunk whose client went away half-way does not.
#
# Node A is the block's own nginx; node B is started from --- init with
# t/lib/SwrNode.pm from the same configuration text ($HTTP_CONFIG and
# $CONFIG below, which the blocks use too) and stopped at the end of it.
# --- init writes what happened to html/<name>.txt ("A: PATCH <upload>
# -> 202" and so on: upload ids as <id1>, blob digests by name, staged
# objects as the bucket lists them under _uploads/<id>/); the block
# compares that report whole; B's error log must have no error either.
# Redis is not emptied between blocks: each block has repositories of its
# own under scale-out/.

use Test::Nginx::Socket;
use File::Spec ();
use Digest::SHA ();
use IO::Select ();
use SwrNode;
use SwrRgw;
use SwrTest;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;
$ENV{TEST_NGINX_RGW_PORT} ||= 7480;
$ENV{TEST_NGINX_RGW_BUCKET} ||= 'swr-test';
$ENV{TEST_NGINX_RGW_ACCESS_KEY} ||= 'AK';
$ENV{TEST_NGINX_RGW_SECRET_KEY} ||= 'SK';
$ENV{TEST_NGINX_RGW_REGION} ||= 'us-east-1';
$ENV{TEST_NGINX_SWR_CONF} ||= File::Spec->rel2abs('conf');

# the configuration of both nodes
our $HTTP_CONFIG = <<'_EOC_';
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
    upstream obs { server 127.0.0.1:$TEST_NGINX_RGW_PORT; keepalive 8; }
_EOC_

our $CONFIG = <<'_EOC_';
    location /v2/ {
        client_max_body_size 0;
        client_body_buffer_size 1m;
        swr_registry;
        swr_storage obs rgw;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://obs$swr_obs_uri;
    }
    location = /_swr/health {
        swr_health;
    }
_EOC_

use constant { KiB => 1024, MiB => 1024 * 1024 };

repeat_each(1);

# per block: status, body, no_error_log x 3
plan tests => repeat_each() * 4 * 5;


# ---- helpers, called as main::name() from --- init ----------------------

my ($B, %Label);

# $n deterministic, incompressible bytes named $seed
sub bytes {
    my ($seed, $n) = @_;
    my $out = '';
    my $i = 0;
    $out .= Digest::SHA::sha512("$seed/" . $i++) while length($out) < $n;
    return substr($out, 0, $n);
}

# a blob's digest, known as <$name> in the report from now on
sub named {
    my ($name, $content) = @_;
    my $hex = Digest::SHA::sha256_hex($content);
    $Label{"sha256:$hex"} = "<$name>";
    return "sha256:$hex";
}

sub shown {
    my ($s) = @_;
    for my $k (sort { length $b <=> length $a } keys %Label) {
        $s =~ s/\Q$k\E/$Label{$k}/g;
    }
    return $s;
}

# one request through node A or B, recorded as "<node>: <method> <path>
# -> <status>" and one line for each header in show
sub step {
    my ($node, $method, $path, %o) = @_;

    my $r = $node eq 'A' ? SwrTest::http($method, $path, %o)
                         : $B->http($method, $path, %o);

    my $p = $path;
    $p =~ s{/blobs/uploads/[0-9a-f-]{36}}{/blobs/uploads/<upload>}
        if $o{upload};
    SwrTest::note(shown("$node: $method $p -> $r->{status}"));

    for my $name (@{ $o{show} || [] }) {
        my $v = $r->{headers}{lc $name};
        SwrTest::note(shown("  $name: " . (defined $v ? $v : '(none)')));
    }

    return $r;
}

# "  bytes: same (<n>)", or how they differ
sub same_bytes {
    my ($r, $want) = @_;
    my $got = $r->{body};
    SwrTest::note(length $got == length $want && $got eq $want
        ? '  bytes: same (' . length($want) . ')'
        : '  bytes: differ, ' . length($got) . ' not ' . length($want)
          . ', ' . shown(SwrTest::sha256($got)));
}

# the upload's status through both nodes, on one line
sub status_both {
    my ($path) = @_;
    my @out;
    for my $node ('A', 'B') {
        my $r = $node eq 'A' ? SwrTest::http('GET', $path)
                             : $B->http('GET', $path);
        push @out, "$node $r->{status} Range: "
                   . ($r->{headers}{range} // '(none)');
    }
    SwrTest::note("  status: " . join(', ', @out));
}

# the objects staged for upload $id, as the bucket lists them
sub staged {
    my ($id) = @_;
    my @keys = map { s{^_uploads/\Q$id\E/}{}r } SwrRgw::list("_uploads/$id/");
    SwrTest::note('  staged: ' . (@keys ? join(' ', @keys) : '(none)'));
}

# the multipart uploads in progress at $key (ListMultipartUploads)
sub multipart_at {
    my ($key) = @_;
    my $r = SwrRgw::request('GET', undef,
                            query => { uploads => '', prefix => $key });
    die "S3 list of multipart uploads: $r->{status}\n"
        unless $r->{status} == 200;
    return scalar grep { $_ eq $key }
        $r->{content} =~ m{<Upload>.*?<Key>([^<]*)</Key>}gs;
}

# the blob object in the bucket, and any multipart upload left at its key
sub stored {
    my ($digest) = @_;
    my $hex = (split /:/, $digest)[1];
    my $key = 'blobs/sha256/' . substr($hex, 0, 2) . "/$hex";
    my $h = SwrRgw::head($key);
    SwrTest::note(shown("  store: $digest at blobs/sha256/<2>/<hex>: "
                        . "$h->{status} "
                        . ($h->{headers}{'content-length'} // '-')
                        . ', multipart uploads left: '
                        . multipart_at($key)));
}

# the flow with node B running, stopped at its end; B's error log must
# have no error
sub with_b {
    my ($name, $code) = @_;

    %Label = ();
    SwrTest::wait_health();

    SwrTest::flow($name, sub {
        $B = SwrNode->start(http_config => $::HTTP_CONFIG,
                            config => $::CONFIG);
        $code->();
        my @bad = $B->log_lines(qr/\[(?:error|crit|alert|emerg)\]/);
        SwrTest::note("B error log: " . (@bad ? "\n" . join("\n", @bad)
                                              : 'clean'));
        SwrTest::note('B stopped: ' . ($B->stop ? 'yes' : 'no'));
    });

    $B->stop if $B;
    undef $B;
}

# waits until upload $id is locked (a chunk is being written), or
# unlocked; dies after 10 s
sub wait_lock {
    my ($id, $want) = @_;
    for (1 .. 400) {
        return 1 if SwrTest::command('EXISTS', "swr:upload:{$id}:lock")
                    == $want;
        select undef, undef, undef, 0.025;
    }
    die "upload $id never " . ($want ? 'locked' : 'unlocked') . "\n";
}

# A PATCH of $chunk through node A that stops after its first KiB, until
# the upload is locked; returns the socket.
sub patch_started {
    my ($path, $id, $at, $chunk) = @_;
    my $sock = SwrTest::partial('PATCH', $path, length $chunk,
                                substr($chunk, 0, 1024),
                                headers => ["Content-Range: $at-"
                                            . ($at + length($chunk) - 1)]);
    wait_lock($id, 1);
    return $sock;
}

# the rest of that PATCH, and its answer, recorded as step() does
sub patch_finished {
    my ($sock, $path, $chunk) = @_;

    print $sock substr($chunk, 1024);

    my $head = '';
    my $sel = IO::Select->new($sock);
    while ($head !~ /\r\n\r\n/) {
        die "no answer to the PATCH within 30 s\n" unless $sel->can_read(30);
        my $n = sysread($sock, $head, 4096, length $head);
        die "no answer to the PATCH\n" unless $n;
    }
    close $sock;

    my ($status) = $head =~ m{^HTTP/1\.\d (\d{3})};
    my ($range) = $head =~ m{\r\nRange: ([^\r]*)}i;
    $path =~ s{/blobs/uploads/[0-9a-f-]{36}}{/blobs/uploads/<upload>};
    SwrTest::note("A: PATCH $path -> $status (finished)",
                  "  Range: " . ($range // '(none)'));
}

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: a blob pushed through A comes back through B; a manifest pushed through B is pulled by tag through A
--- init
main::with_b('blob-manifest', sub {
    my $layer = main::bytes('scale-out layer', 3 * main::MiB + 5);
    my $config = '{"architecture":"amd64","os":"linux",'
               . '"rootfs":{"diff_ids":[],"type":"layers"}}';
    my $ld = main::named('layer', $layer);
    my $cd = main::named('config', $config);
    my $repo = 'scale-out/app';

    main::step('A', 'POST', "/v2/$repo/blobs/uploads/?digest=$ld",
               body => $layer, show => ['Docker-Content-Digest']);
    my $r = main::step('B', 'GET', "/v2/$repo/blobs/$ld",
                       show => ['Docker-Content-Digest']);
    main::same_bytes($r, $layer);
    main::step('B', 'HEAD', "/v2/$repo/blobs/$ld",
               show => ['Content-Length']);
    $r = main::step('B', 'GET', "/v2/$repo/blobs/$ld",
                    headers => ['Range: bytes=3145728-3145732'],
                    show => ['Content-Range']);
    main::same_bytes($r, substr($layer, 3145728));
    main::stored($ld);

    main::step('B', 'POST', "/v2/$repo/blobs/uploads/?digest=$cd",
               body => $config);
    $r = main::step('A', 'GET', "/v2/$repo/blobs/$cd");
    main::same_bytes($r, $config);

    my $manifest = SwrTest::manifest($config, [$layer]);
    my $md = main::named('manifest', $manifest);
    main::step('B', 'PUT', "/v2/$repo/manifests/v1", body => $manifest,
               headers => [SwrTest::manifest_type($manifest)],
               show => ['Docker-Content-Digest']);
    $r = main::step('A', 'GET', "/v2/$repo/manifests/v1",
                    headers => ['Accept: ' . SwrTest::MT_OCI_MANIFEST],
                    show => ['Content-Type', 'Docker-Content-Digest']);
    main::same_bytes($r, $manifest);
    $r = main::step('A', 'GET', "/v2/$repo/tags/list");
    SwrTest::note("  body: $r->{body}");
});
--- http_config eval
$::HTTP_CONFIG
--- config eval
$::CONFIG
--- request
GET /blob-manifest.txt
--- timeout: 60
--- response_body
A: POST /v2/scale-out/app/blobs/uploads/?digest=<layer> -> 201
  Docker-Content-Digest: <layer>
B: GET /v2/scale-out/app/blobs/<layer> -> 200
  Docker-Content-Digest: <layer>
  bytes: same (3145733)
B: HEAD /v2/scale-out/app/blobs/<layer> -> 200
  Content-Length: 3145733
B: GET /v2/scale-out/app/blobs/<layer> -> 206
  Content-Range: bytes 3145728-3145732/3145733
  bytes: same (5)
  store: <layer> at blobs/sha256/<2>/<hex>: 200 3145733, multipart uploads left: 0
B: POST /v2/scale-out/app/blobs/uploads/?digest=<config> -> 201
A: GET /v2/scale-out/app/blobs/<config> -> 200
  bytes: same (78)
B: PUT /v2/scale-out/app/manifests/v1 -> 201
  Docker-Content-Digest: <manifest>
A: GET /v2/scale-out/app/manifests/v1 -> 200
  Content-Type: application/vnd.oci.image.manifest.v1+json
  Docker-Content-Digest: <manifest>
  bytes: same (404)
A: GET /v2/scale-out/app/tags/list -> 200
  body: {"name":"scale-out/app","tags":["v1"]}
B error log: clean
B stopped: yes
--- no_error_log
[error]
[crit]
[alert]



=== TEST 2: a chunked upload started on A, its chunks alternating B and A (segments, a merge into a piece, a segment after it), finished on B
--- init
main::with_b('chunked', sub {
    my @chunks = map { main::bytes("scale-out chunk $_->[0]", $_->[1]) }
        ([1, 1 * main::KiB], [2, 4 * main::MiB], [3, 12 * main::MiB],
         [4, 1 * main::KiB], [5, 3 * main::MiB + 1]);
    my $blob = join '', @chunks;
    my $d = main::named('blob', $blob);
    my $repo = 'scale-out/chunked';

    my $r = main::step('A', 'POST', "/v2/$repo/blobs/uploads/",
                       show => ['Range']);
    my $path = SwrTest::path_of($r);
    my ($id) = $path =~ m{/([0-9a-f-]{36})$} or die "no upload id in $path\n";

    my $at = 0;
    my @nodes = ('B', 'A', 'B', 'A');
    for my $i (0 .. 3) {
        my $c = $chunks[$i];
        $r = main::step($nodes[$i], 'PATCH', $path, upload => 1, body => $c,
                        headers => ['Content-Type: application/octet-stream',
                                    "Content-Range: $at-"
                                    . ($at + length($c) - 1)],
                        show => ['Range']);
        $at += length $c;
        $path = SwrTest::path_of($r);
        main::status_both($path);
        main::staged($id);

        if ($i == 2) {
            # a client that lost track: the chunk must start at the offset
            main::step('A', 'PATCH', $path, upload => 1, body => 'late',
                       headers => ['Content-Range: 0-3'], show => ['Range']);
        }
    }

    $r = main::step('B', 'PUT', "$path?digest=$d", upload => 1,
                    body => $chunks[4],
                    show => ['Docker-Content-Digest', 'Content-Length']);
    main::staged($id);
    main::stored($d);

    $r = main::step('A', 'GET', "/v2/$repo/blobs/$d");
    main::same_bytes($r, $blob);
    $r = main::step('B', 'GET', "/v2/$repo/blobs/$d",
                    headers => ['Range: bytes=16779000-16779300']);
    main::same_bytes($r, substr($blob, 16779000, 301));
    main::step('A', 'GET', $path, upload => 1);
    main::step('B', 'GET', $path, upload => 1);
});
--- http_config eval
$::HTTP_CONFIG
--- config eval
$::CONFIG
--- request
GET /chunked.txt
--- timeout: 60
--- response_body
A: POST /v2/scale-out/chunked/blobs/uploads/ -> 202
  Range: 0-0
B: PATCH /v2/scale-out/chunked/blobs/uploads/<upload> -> 202
  Range: 0-1023
  status: A 204 Range: 0-1023, B 204 Range: 0-1023
  staged: s0-1024
A: PATCH /v2/scale-out/chunked/blobs/uploads/<upload> -> 202
  Range: 0-4195327
  status: A 204 Range: 0-4195327, B 204 Range: 0-4195327
  staged: s0-1024 s1024-4195328
B: PATCH /v2/scale-out/chunked/blobs/uploads/<upload> -> 202
  Range: 0-16778239
  status: A 204 Range: 0-16778239, B 204 Range: 0-16778239
  staged: p0-16778240
A: PATCH /v2/scale-out/chunked/blobs/uploads/<upload> -> 416
  Range: 0-16778239
A: PATCH /v2/scale-out/chunked/blobs/uploads/<upload> -> 202
  Range: 0-16779263
  status: A 204 Range: 0-16779263, B 204 Range: 0-16779263
  staged: p0-16778240 s16778240-16779264
B: PUT /v2/scale-out/chunked/blobs/uploads/<upload>?digest=<blob> -> 201
  Docker-Content-Digest: <blob>
  Content-Length: 0
  staged: (none)
  store: <blob> at blobs/sha256/<2>/<hex>: 200 19924993, multipart uploads left: 0
A: GET /v2/scale-out/chunked/blobs/<blob> -> 200
  bytes: same (19924993)
B: GET /v2/scale-out/chunked/blobs/<blob> -> 206
  bytes: same (301)
A: GET /v2/scale-out/chunked/blobs/uploads/<upload> -> 404
B: GET /v2/scale-out/chunked/blobs/uploads/<upload> -> 404
B error log: clean
B stopped: yes
--- no_error_log
[error]
[crit]
[alert]



=== TEST 3: small chunks on B, A, B are segments only; an empty PUT on A assembles them with one PUT
--- init
main::with_b('segments', sub {
    my @chunks = map { main::bytes("scale-out segment $_", 1000 * $_ + 7) }
        1 .. 3;
    my $blob = join '', @chunks;
    my $d = main::named('blob', $blob);
    my $repo = 'scale-out/segments';

    my $r = main::step('A', 'POST', "/v2/$repo/blobs/uploads/");
    my $path = SwrTest::path_of($r);
    my ($id) = $path =~ m{/([0-9a-f-]{36})$} or die "no upload id in $path\n";

    my @nodes = ('B', 'A', 'B');
    for my $i (0 .. 2) {
        $r = main::step($nodes[$i], 'PATCH', $path, upload => 1,
                        body => $chunks[$i], show => ['Range']);
        $path = SwrTest::path_of($r);
    }
    main::status_both($path);
    main::staged($id);

    main::step('A', 'PUT', "$path?digest=$d", upload => 1, body => '',
               show => ['Docker-Content-Digest']);
    main::staged($id);
    main::stored($d);

    $r = main::step('B', 'GET', "/v2/$repo/blobs/$d");
    main::same_bytes($r, $blob);
});
--- http_config eval
$::HTTP_CONFIG
--- config eval
$::CONFIG
--- request
GET /segments.txt
--- timeout: 30
--- response_body
A: POST /v2/scale-out/segments/blobs/uploads/ -> 202
B: PATCH /v2/scale-out/segments/blobs/uploads/<upload> -> 202
  Range: 0-1006
A: PATCH /v2/scale-out/segments/blobs/uploads/<upload> -> 202
  Range: 0-3013
B: PATCH /v2/scale-out/segments/blobs/uploads/<upload> -> 202
  Range: 0-6020
  status: A 204 Range: 0-6020, B 204 Range: 0-6020
  staged: s0-1007 s1007-3014 s3014-6021
A: PUT /v2/scale-out/segments/blobs/uploads/<upload>?digest=<blob> -> 201
  Docker-Content-Digest: <blob>
  staged: (none)
  store: <blob> at blobs/sha256/<2>/<hex>: 200 6021, multipart uploads left: 0
B: GET /v2/scale-out/segments/blobs/<blob> -> 200
  bytes: same (6021)
B error log: clean
B stopped: yes
--- no_error_log
[error]
[crit]
[alert]



=== TEST 4: a chunk in flight on A locks the upload against B; a chunk A's client abandons lets B continue at the same offset
--- init
main::with_b('locked', sub {
    my @chunks = map { main::bytes("scale-out locked $_", 1 * main::MiB) }
        1 .. 3;
    my $blob = $chunks[0] . $chunks[2];
    my $d = main::named('blob', $blob);
    my $repo = 'scale-out/locked';

    my $r = main::step('A', 'POST', "/v2/$repo/blobs/uploads/");
    my $path = SwrTest::path_of($r);
    my ($id) = $path =~ m{/([0-9a-f-]{36})$} or die "no upload id in $path\n";

    my $sock = main::patch_started($path, $id, 0, $chunks[0]);
    SwrTest::note('A: PATCH started, upload locked');
    main::step('B', 'PATCH', $path, upload => 1, body => 'x' x 100,
               headers => ['Content-Range: 0-99'], show => ['Range']);
    main::patch_finished($sock, $path, $chunks[0]);
    main::status_both($path);

    # the second chunk's client goes away half-way: the lock goes with it
    $sock = main::patch_started($path, $id, 1 * main::MiB, $chunks[1]);
    SwrTest::note('A: PATCH started, upload locked');
    close $sock;
    main::wait_lock($id, 0);
    SwrTest::note('A: client gone, upload unlocked');
    main::status_both($path);

    main::step('B', 'PATCH', $path, upload => 1, body => $chunks[2],
               headers => ['Content-Range: 1048576-2097151'],
               show => ['Range']);
    main::staged($id);
    main::step('A', 'PUT', "$path?digest=$d", upload => 1, body => '');
    main::staged($id);
    $r = main::step('B', 'GET', "/v2/$repo/blobs/$d");
    main::same_bytes($r, $blob);
});
--- http_config eval
$::HTTP_CONFIG
--- config eval
$::CONFIG
--- request
GET /locked.txt
--- timeout: 30
--- response_body
A: POST /v2/scale-out/locked/blobs/uploads/ -> 202
A: PATCH started, upload locked
B: PATCH /v2/scale-out/locked/blobs/uploads/<upload> -> 416
  Range: 0-0
A: PATCH /v2/scale-out/locked/blobs/uploads/<upload> -> 202 (finished)
  Range: 0-1048575
  status: A 204 Range: 0-1048575, B 204 Range: 0-1048575
A: PATCH started, upload locked
A: client gone, upload unlocked
  status: A 204 Range: 0-1048575, B 204 Range: 0-1048575
B: PATCH /v2/scale-out/locked/blobs/uploads/<upload> -> 202
  Range: 0-2097151
  staged: s0-1048576 s1048576-2097152
A: PUT /v2/scale-out/locked/blobs/uploads/<upload>?digest=<blob> -> 201
  staged: (none)
B: GET /v2/scale-out/locked/blobs/<blob> -> 200
  bytes: same (2097152)
B error log: clean
B stopped: yes
--- no_error_log
[error]
[crit]
[alert]
