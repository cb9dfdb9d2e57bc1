# vim:set ft= ts=4 sw=4 et fdm=marker:
# The registry with its blobs on a real S3 store, the Ceph RGW that
# util/test.sh starts (swr_storage obs): monolithic and chunked pushes
# (segments, pieces, their merging, the multipart assembly), pulls
# streamed from the store or redirected to it, deduplication, a digest
# that does not match, a store that is unreachable, refuses the keys or
# never answers, TLS to the store with certificate verification, and
# virtual-host addressing (against a fake store that echoes what it got).
#
# Upload ids are random, so most blocks run their flow from --- init with
# SwrTest::flow() (one line per step, ids as <id1>...) and compare the
# report whole in their first request; what the store holds is read
# directly from the bucket (SwrRgw).  Blob bytes are deterministic; big
# ones are compared by SHA-256 in the reports.
#
# Repositories are t087/...; the blobs are this file's own (every block
# starts by removing them from the bucket, and the END block removes them
# again).  Redis is flushed at the start of the blocks that need it;
# TEST 9 to 11 deliberately keep Redis from one block to the next: an
# upload begun with a working store (TEST 9) goes on while the store is
# unreachable (TEST 10) and is finished once it is back (TEST 11).  So
# the blocks must run in order (no_shuffle).

use Test::Nginx::Socket;
use Digest::SHA ();
use File::Spec ();
use File::Temp ();
use HTTP::Tiny ();
use IO::Socket::INET ();
use POSIX ();
use Time::HiRes ();
use Time::Local ();
use SwrRgw;
use SwrTest;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;
$ENV{TEST_NGINX_RGW_PORT} ||= 7480;
$ENV{TEST_NGINX_RGW_BUCKET} ||= 'swr-test';
$ENV{TEST_NGINX_RGW_ACCESS_KEY} ||= 'AK';
$ENV{TEST_NGINX_RGW_SECRET_KEY} ||= 'SK';
$ENV{TEST_NGINX_RGW_REGION} ||= 'us-east-1';
$ENV{TEST_NGINX_SWR_CONF} ||= File::Spec->rel2abs('conf');

# Ports of our own: the TLS front of the store, the fake store that
# echoes, a store that never answers, and one where nothing listens.
{
    my @socks = map {
        IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1',
                              LocalPort => 0, ReuseAddr => 1)
            or die "no free port: $!\n"
    } 1 .. 4;
    my @ports = map { $_->sockport } @socks;
    $ENV{TEST_NGINX_T087_TLS_PORT} ||= $ports[0];
    $ENV{TEST_NGINX_T087_FAKE_PORT} ||= $ports[1];
    $ENV{TEST_NGINX_T087_HANG_PORT} ||= $ports[2];
    $ENV{TEST_NGINX_T087_CLOSED_PORT} ||= $ports[3];
    close $_ for @socks;
}

# A throw-away PKI for TEST 14 (nginx reads it when it starts, before
# --- init runs): a CA, a server certificate for 127.0.0.1 it signed, and
# another CA that signed nothing.
our $PKI = File::Temp::tempdir('t087-pki-XXXXXX', TMPDIR => 1, CLEANUP => 1);
$ENV{TEST_NGINX_T087_PKI} = $PKI;
{
    my $ec = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
    my $ca = '-addext basicConstraints=critical,CA:TRUE'
             . ' -addext keyUsage=critical,keyCertSign,cRLSign';
    open my $fh, '>', "$PKI/server.ext" or die "$PKI: $!\n";
    print $fh "subjectAltName=IP:127.0.0.1,DNS:127.0.0.1\n"
              . "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";
    close $fh;
    for my $cmd (
        "openssl req -x509 $ec -days 2 -subj /CN=t087-ca $ca"
            . " -keyout $PKI/ca.key -out $PKI/ca.pem",
        "openssl req -x509 $ec -days 2 -subj /CN=t087-other-ca $ca"
            . " -keyout $PKI/other.key -out $PKI/other.pem",
        "openssl req -new $ec -subj /CN=127.0.0.1"
            . " -keyout $PKI/server.key -out $PKI/server.csr",
        "openssl x509 -req -in $PKI/server.csr -CA $PKI/ca.pem"
            . " -CAkey $PKI/ca.key -CAcreateserial -days 2"
            . " -extfile $PKI/server.ext -out $PKI/server.pem")
    {
        system("$cmd >/dev/null 2>&1") == 0 or die "failed: $cmd\n";
    }
}

# 64 KiB of deterministic bytes the blobs are cut from
our $BASE = join '', map { Digest::SHA::sha512("t087-base-$_") } 0 .. 1023;

# $len deterministic bytes, different for every $seed and in every KiB
sub bytes_of {
    my ($seed, $len) = @_;
    my $s = '';
    for (my $i = 0; length $s < $len; $i++) {
        $s .= Digest::SHA::sha512("t087-$seed-$i")
              . substr($BASE, ($i * 61) % 60000, 960);
    }
    return substr($s, 0, $len);
}

use constant { KiB => 1024, MiB => 1024 * 1024 };

our $ONE = bytes_of('one', MiB + 7);            # TEST 1, 2, 8
our $ONE_D = SwrTest::sha256($ONE);
our $K100 = bytes_of('k100', 100 * KiB);        # TEST 3: 100 x 1 KiB
our $K100_D = SwrTest::sha256($K100);
our $M20 = bytes_of('m20', 20 * MiB);           # TEST 4: 5 x 4 MiB
our $M20_D = SwrTest::sha256($M20);
our $M36 = bytes_of('m36', 36 * MiB);           # TEST 5: 3 x 12 MiB
our $M36_D = SwrTest::sha256($M36);
our $DUP = bytes_of('dup', 3000);               # TEST 6
our $DUP_D = SwrTest::sha256($DUP);
our $BAD = bytes_of('bad', 6 * MiB + KiB);      # TEST 7: pushed as ...
our $BAD_D = SwrTest::sha256($BAD);
our $CLAIM = bytes_of('claim', 6 * MiB + KiB);  # ... with this one's digest
our $CLAIM_D = SwrTest::sha256($CLAIM);
our $FAULT = bytes_of('fault', 3 * KiB);        # TEST 9 to 11: chunked
our $FAULT_D = SwrTest::sha256($FAULT);
our $SMALL = bytes_of('small', 2000);           # TEST 9 to 15: whole
our $SMALL_D = SwrTest::sha256($SMALL);
our $TLS = bytes_of('tls', 6 * MiB + KiB);      # TEST 14, 16
our $TLS_D = SwrTest::sha256($TLS);
our $UNKNOWN_D = 'sha256:' . ('0' x 63) . '1';
our $MISSING_D = 'sha256:' . ('0' x 63) . '2';  # linked, not in the store

# every blob this file may put in the bucket
our @DIGESTS = ($ONE_D, $K100_D, $M20_D, $M36_D, $DUP_D, $BAD_D, $CLAIM_D,
                $FAULT_D, $SMALL_D, $TLS_D);

our (@IDS, $FAULT_LOC, $HANG_PID);

sub hex_of { return (split /:/, $_[0])[1] }

# the object key of a blob in the bucket
sub key_of {
    my ($digest) = @_;
    my $hex = hex_of($digest);
    return 'blobs/sha256/' . substr($hex, 0, 2) . "/$hex";
}

# Redis flushed, this file's blobs and staged objects out of the bucket
sub clean {
    SwrTest::command('FLUSHALL');
    for my $d (@DIGESTS) {
        SwrRgw::request('DELETE', key_of($d));
    }
    for my $id (@IDS) {
        SwrRgw::request('DELETE', $_) for SwrRgw::list("_uploads/$id/");
    }
    return 1;
}

# the upload id of a path or a response
sub id_of {
    my ($r) = @_;
    my $path = ref $r ? SwrTest::path_of($r) : $r;
    my ($id) = $path =~ m{/blobs/uploads/([^/?]+)};
    push @IDS, $id if defined $id;
    return $id;
}

# "store HEAD <key> -> <status>[, <n> bytes][, multipart of <n> parts]"
sub stored {
    my ($digest) = @_;
    my $r = SwrRgw::head(key_of($digest));
    my $s = "store HEAD <key of " . label($digest) . "> -> $r->{status}";
    if ($r->{status} == 200) {
        $s .= ", $r->{headers}{'content-length'} bytes";
        $s .= ", multipart of $1 parts"
            if ($r->{headers}{etag} // '') =~ /-(\d+)"?$/;
    }
    return $s;
}

# the objects staged for upload $id, in blob order, or "(none)"
sub staged {
    my ($id) = @_;
    my @k = map { m{/([^/]+)$} } SwrRgw::list("_uploads/$id/");
    @k = sort { ($a =~ /(\d+)/)[0] <=> ($b =~ /(\d+)/)[0] } @k;
    return @k ? join(' ', @k) : '(none)';
}

# the same, shortened: "<n> objects: <first> .. <last>"
sub staged_short {
    my ($id) = @_;
    my @k = split / /, staged($id);
    return @k > 3 ? scalar(@k) . " objects: $k[0] .. $k[-1]" : "@k";
}

# what Redis lists as staged for upload $id
sub redis_staged {
    my ($id) = @_;
    my $l = SwrTest::command('LRANGE', "swr:upload:{$id}:staged", 0, -1);
    return @$l ? "@$l" : '(none)';
}

# does Redis still know upload $id?
sub redis_upload {
    my ($id) = @_;
    return SwrTest::command('EXISTS', "swr:upload:{$id}") ? 'known'
                                                          : 'forgotten';
}

# the number of multipart uploads in progress at the key of a blob
sub multipart_uploads {
    my ($digest) = @_;
    my $r = SwrRgw::request('GET', undef, query => { uploads => '' });
    return "list: $r->{status}" unless $r->{status} == 200;
    my $key = key_of($digest);
    return scalar grep { $_ eq $key } $r->{content} =~ m{<Key>([^<]*)</Key>}g;
}

my %Label;
sub label {
    my ($digest) = @_;
    unless (%Label) {
        no strict 'refs';
        for my $n (qw(ONE K100 M20 M36 DUP BAD CLAIM FAULT SMALL TLS)) {
            $Label{ ${"main::${n}_D"} } = $n;
        }
    }
    return $Label{$digest} // $digest;
}

# "<what> -> <status>, <n> bytes, sha256 of <blob>|differs"
sub pulled {
    my ($what, $r, $want) = @_;
    my $s = "$what -> $r->{status}";
    if ($r->{status} =~ /^2/) {
        my $d = SwrTest::sha256($r->{body});
        $s .= ', ' . length($r->{body}) . ' bytes, '
              . ($d eq $want ? 'sha256 of ' . label($want) : "differs ($d)");
    } else {
        $s .= ": $r->{body}";
    }
    return $s;
}

# GET of a blob through the registry, as a report line
sub pull {
    my ($repo, $digest) = @_;
    my $r = SwrTest::http('GET', "/v2/$repo/blobs/$digest");
    return pulled("GET /v2/$repo/blobs/<" . label($digest) . ">", $r,
                  $digest);
}

# A chunked upload of $bytes to $repo in chunks of $size, the last one
# in the PUT if $last_in_put; $watch->($n, $id, $loc) after chunk $n.
sub chunked {
    my ($repo, $bytes, $size, $last_in_put, $watch) = @_;

    my $r = SwrTest::step('POST', "/v2/$repo/blobs/uploads/");
    my $loc = SwrTest::path_of($r);
    my $id = id_of($loc);
    my $n = int((length($bytes) + $size - 1) / $size);
    my $digest = SwrTest::sha256($bytes);
    my $bad;

    for my $i (1 .. ($last_in_put ? $n - 1 : $n)) {
        my $start = ($i - 1) * $size;
        my $chunk = substr($bytes, $start, $size);
        my $end = $start + length($chunk) - 1;
        $r = SwrTest::http('PATCH', $loc, body => $chunk,
                           headers => ["Content-Range: $start-$end",
                                       'Content-Type: application/octet-stream']);
        my $range = $r->{headers}{range} // '(none)';
        if ($r->{status} != 202 || $range ne "0-$end") {
            $bad //= "PATCH $i -> $r->{status}, Range $range: $r->{body}";
        }
        $loc = SwrTest::path_of($r) if $r->{headers}{location};
        $watch->($i, $id, $loc) if $watch;
    }

    SwrTest::note($bad // (($last_in_put ? $n - 1 : $n) . " x PATCH -> 202,"
                           . " each with the Range of the bytes so far"));

    my $rest = $last_in_put ? substr($bytes, ($n - 1) * $size) : undef;
    SwrTest::step('PUT', "$loc?digest=$digest",
                  (defined $rest ? (body => $rest) : ()),
                  show => [qw(Location Docker-Content-Digest)]);
    return $id;
}

# A store that accepts connections and never answers (TEST 12, 13): a child
# process, stopped by stop_hang() (the next block, or END).
sub start_hang {
    my $srv = IO::Socket::INET->new(Listen => 16, LocalAddr => '127.0.0.1',
                                    LocalPort => $ENV{TEST_NGINX_T087_HANG_PORT},
                                    ReuseAddr => 1)
        or return "cannot listen: $!";
    my $pid = fork;
    return "cannot fork: $!" unless defined $pid;
    if ($pid == 0) {
        my @held;
        $SIG{ALRM} = sub { POSIX::_exit(0) };
        alarm 60;
        while (my $c = $srv->accept) {
            push @held, $c;
        }
        POSIX::_exit(0);
    }
    close $srv;
    $HANG_PID = $pid;
    return 'listening';
}

sub stop_hang {
    return unless $HANG_PID;
    kill 'KILL', $HANG_PID;
    waitpid $HANG_PID, 0;
    undef $HANG_PID;
}

END {
    stop_hang();
    eval { clean() } if @IDS;
}

repeat_each(1);

# per request: status, each header, raw headers, body, each no_error_log
# pattern
plan tests => repeat_each() * (
    (6 + 14 + 6 + 6)                    # TEST 1
    + 23                                # TEST 2
    + (2 + 1 + 2 + 4)                   # TEST 3
    + (2 + 1 + 2 + 4)                   # TEST 4
    + (2 + 1 + 2 + 4)                   # TEST 5
    + (3 + 3 + 6)                       # TEST 6
    + (2 + 2 + 4)                       # TEST 7
    + (3 + 5 + 3 + 3 + 6)               # TEST 8
    + 2                                 # TEST 9
    + 3                                 # TEST 10
    + (2 + 2 + 4)                       # TEST 11
    + 4                                 # TEST 12
    + 6                                 # TEST 13
    + 3                                 # TEST 14
    + (4 + 4 + 4)                       # TEST 15
    + 2                                 # TEST 16
);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: a monolithic push, then GET, HEAD, Range and errors, streamed from the store
--- init
main::clean();
SwrTest::flow('mono', sub {
    SwrTest::step('POST', "/v2/t087/one/blobs/uploads/?digest=$main::ONE_D",
                  body => $main::ONE,
                  show => [qw(Location Docker-Content-Digest)]);
    SwrTest::note(main::stored($main::ONE_D));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
    upstream obs { server 127.0.0.1:$TEST_NGINX_RGW_PORT; keepalive 8; }
--- config
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs rgw;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://obs$swr_obs_uri;
    }
--- request eval
["GET /mono.txt",
 "GET /v2/t087/one/blobs/$main::ONE_D",
 "HEAD /v2/t087/one/blobs/$main::ONE_D",
 "GET /v2/t087/one/blobs/$main::ONE_D",
 "GET /v2/t087/one/blobs/$main::ONE_D",
 "GET /v2/t087/one/blobs/$main::UNKNOWN_D"]
--- more_headers eval
["", "", "", "Range: bytes=1048576-", "Range: bytes=2000000-", ""]
--- error_code eval
[200, 200, 200, 206, 416, 404]
--- response_headers eval
["",
 "Content-Type: application/octet-stream
Content-Length: 1048583
Docker-Content-Digest: $main::ONE_D
ETag: \"$main::ONE_D\"
Docker-Distribution-API-Version: registry/2.0
!Last-Modified",
 "Content-Length: 1048583
Docker-Content-Digest: $main::ONE_D
ETag: \"$main::ONE_D\"",
 "Content-Range: bytes 1048576-1048582/1048583
Content-Length: 7
Docker-Content-Digest: $main::ONE_D",
 "Content-Type: application/json; charset=utf-8",
 "Content-Type: application/json; charset=utf-8"]
--- raw_response_headers_unlike eval
["(?mi)^x-(?:amz|rgw|obs)-", "(?mi)^x-(?:amz|rgw|obs)-",
 "(?mi)^x-(?:amz|rgw|obs)-", "(?mi)^x-(?:amz|rgw|obs)-",
 "^NEVER", "(?mi)^x-(?:amz|rgw|obs)-"]
--- response_body eval
[<<"R", $main::ONE, "", substr($main::ONE, 1048576),
POST /v2/t087/one/blobs/uploads/?digest=$main::ONE_D -> 201
  Location: http://localhost/v2/t087/one/blobs/$main::ONE_D
  Docker-Content-Digest: $main::ONE_D
store HEAD <key of ONE> -> 200, 1048583 bytes
R
 SwrTest::err('BLOB_UPLOAD_INVALID', 'requested range not satisfiable', undef),
 SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', $main::UNKNOWN_D)]



=== TEST 2: a blob streamed from the store keeps the registry's X-Request-Id, its errors lose the store's headers, and conditional GETs work as on local storage
# The store's x-amz-* headers stay behind on every status; a 416 carries
# "Content-Range: bytes */<size>" and a blob linked but missing from the
# store is BLOB_UNKNOWN with its digest, as on the local storage (t/020
# TEST 3); If-None-Match and If-Match answer 304 and 412 (t/020 TEST 4).
--- init
main::clean();
SwrTest::http('POST', "/v2/t087/one/blobs/uploads/?digest=$main::ONE_D",
              body => $main::ONE);
SwrTest::command('HSET', 'swr:{r:t087/one}:blobs', $main::MISSING_D, 5);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
    upstream obs { server 127.0.0.1:$TEST_NGINX_RGW_PORT; keepalive 8; }
--- config
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs rgw;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://obs$swr_obs_uri;
    }
--- request eval
["GET /v2/t087/one/blobs/$main::ONE_D",
 "GET /v2/t087/one/blobs/$main::ONE_D",
 "GET /v2/t087/one/blobs/$main::MISSING_D",
 "GET /v2/t087/one/blobs/$main::ONE_D",
 "GET /v2/t087/one/blobs/$main::ONE_D"]
--- more_headers eval
["", "Range: bytes=2000000-", "", "If-None-Match: \"$main::ONE_D\"",
 "If-Match: \"$main::UNKNOWN_D\""]
--- error_code eval
[200, 416, 404, 304, 412]
--- response_headers eval
["", "Content-Range: bytes */1048583", "", "ETag: \"$main::ONE_D\"",
 "Content-Type: application/json; charset=utf-8"]
--- raw_response_headers_like eval
["(?mi)^X-Request-Id: [0-9a-f]{32}\r?\$", "(?mi)^X-Request-Id: [0-9a-f]{32}\r?\$",
 "(?mi)^X-Request-Id: [0-9a-f]{32}\r?\$", "^HTTP/1\\.1 304 ", "^HTTP/1\\.1 412 "]
--- raw_response_headers_unlike eval
["(?mi)^x-(?:amz|rgw|obs)-", "(?mi)^x-(?:amz|rgw|obs)-",
 "(?mi)^x-(?:amz|rgw|obs)-", "(?mi)^x-(?:amz|rgw|obs)-",
 "(?mi)^x-(?:amz|rgw|obs)-"]
--- response_body eval
[$main::ONE,
 SwrTest::err('BLOB_UPLOAD_INVALID', 'requested range not satisfiable', undef),
 SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', $main::MISSING_D),
 "", SwrTest::err('UNKNOWN', 'bad request', undef)]



=== TEST 3: 100 chunks of 1 KiB: segments, merged when 32 wait, one PUT at the end; nothing staged stays
--- init
main::clean();
SwrTest::flow('k100', sub {
    my $id = main::chunked('t087/k100', $main::K100, 1024, 0, sub {
        my ($n, $id, $loc) = @_;
        if ($n == 32 || $n == 33 || $n == 64 || $n == 65 || $n == 97) {
            SwrTest::note("after chunk $n: " . main::staged_short($id));
        }
        if ($n == 50) {
            SwrTest::step('GET', $loc, show => [qw(Range Docker-Upload-UUID)]);
        }
        if ($n == 100) {
            SwrTest::note("after chunk $n: " . main::staged($id),
                          '  Redis: ' . main::redis_staged($id));
        }
    });
    SwrTest::note("staged after the PUT: " . main::staged($id),
                  "upload in Redis: " . main::redis_upload($id),
                  main::stored($main::K100_D),
                  main::pull('t087/k100', $main::K100_D));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
    upstream obs { server 127.0.0.1:$TEST_NGINX_RGW_PORT; keepalive 8; }
--- config
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs rgw;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://obs$swr_obs_uri;
    }
--- request eval
["GET /k100.txt", "GET /v2/t087/k100/blobs/$main::K100_D"]
--- error_code eval
[200, 200]
--- response_headers eval
["", "Content-Length: 102400"]
--- response_body eval
[<<"R", $main::K100]
POST /v2/t087/k100/blobs/uploads/ -> 202
after chunk 32: 32 objects: s0-1024 .. s31744-32768
after chunk 33: s0-33792
GET /v2/t087/k100/blobs/uploads/<id1> -> 204
  Range: 0-51199
  Docker-Upload-UUID: <id1>
after chunk 64: 32 objects: s0-33792 .. s64512-65536
after chunk 65: s0-66560
after chunk 97: s0-99328
after chunk 100: s0-99328 s99328-100352 s100352-101376 s101376-102400
  Redis: s:0:99328 s:99328:100352 s:100352:101376 s:101376:102400
100 x PATCH -> 202, each with the Range of the bytes so far
PUT /v2/t087/k100/blobs/uploads/<id1>?digest=$main::K100_D -> 201
  Location: http://localhost/v2/t087/k100/blobs/$main::K100_D
  Docker-Content-Digest: $main::K100_D
staged after the PUT: (none)
upload in Redis: forgotten
store HEAD <key of K100> -> 200, 102400 bytes
GET /v2/t087/k100/blobs/<K100> -> 200, 102400 bytes, sha256 of K100
R
--- no_error_log
[error]
[alert]



=== TEST 4: 5 chunks of 4 MiB: each second one merges the segment before it into a 8 MiB piece; the PUT assembles 2 pieces and a segment in a multipart upload
--- init
main::clean();
SwrTest::flow('m20', sub {
    my $id = main::chunked('t087/m20', $main::M20, 4 * 1024 * 1024, 0, sub {
        my ($n, $id, $loc) = @_;
        SwrTest::note("after chunk $n: " . main::staged($id));
        SwrTest::note('  Redis: ' . main::redis_staged($id)) if $n == 5;
        SwrTest::step('GET', $loc, show => ['Range']) if $n == 3;
    });
    SwrTest::note("staged after the PUT: " . main::staged($id),
                  "upload in Redis: " . main::redis_upload($id),
                  main::stored($main::M20_D),
                  main::pull('t087/m20', $main::M20_D));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
    upstream obs { server 127.0.0.1:$TEST_NGINX_RGW_PORT; keepalive 8; }
--- config
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs rgw;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://obs$swr_obs_uri;
    }
--- request eval
["GET /m20.txt", "GET /v2/t087/m20/blobs/$main::M20_D"]
--- more_headers eval
["", "Range: bytes=8388600-8388615"]
--- error_code eval
[200, 206]
--- response_headers eval
["", "Content-Range: bytes 8388600-8388615/20971520"]
--- response_body eval
[<<"R", substr($main::M20, 8388600, 16)]
POST /v2/t087/m20/blobs/uploads/ -> 202
after chunk 1: s0-4194304
after chunk 2: p0-8388608
after chunk 3: p0-8388608 s8388608-12582912
GET /v2/t087/m20/blobs/uploads/<id1> -> 204
  Range: 0-12582911
after chunk 4: p0-8388608 p8388608-16777216
after chunk 5: p0-8388608 p8388608-16777216 s16777216-20971520
  Redis: p:0:8388608 p:8388608:16777216 s:16777216:20971520
5 x PATCH -> 202, each with the Range of the bytes so far
PUT /v2/t087/m20/blobs/uploads/<id1>?digest=$main::M20_D -> 201
  Location: http://localhost/v2/t087/m20/blobs/$main::M20_D
  Docker-Content-Digest: $main::M20_D
staged after the PUT: (none)
upload in Redis: forgotten
store HEAD <key of M20> -> 200, 20971520 bytes, multipart of 3 parts
GET /v2/t087/m20/blobs/<M20> -> 200, 20971520 bytes, sha256 of M20
R
--- no_error_log
[error]
[alert]



=== TEST 5: 3 chunks of 12 MiB, the last one in the PUT: 2 pieces copied and the last chunk sent as the parts of a multipart upload
--- init
main::clean();
SwrTest::flow('m36', sub {
    my $id = main::chunked('t087/m36', $main::M36, 12 * 1024 * 1024, 1, sub {
        my ($n, $id, $loc) = @_;
        SwrTest::note("after chunk $n: " . main::staged($id));
        SwrTest::step('GET', $loc, show => ['Range']) if $n == 2;
    });
    SwrTest::note("staged after the PUT: " . main::staged($id),
                  "upload in Redis: " . main::redis_upload($id),
                  main::stored($main::M36_D),
                  main::pull('t087/m36', $main::M36_D));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
    upstream obs { server 127.0.0.1:$TEST_NGINX_RGW_PORT; keepalive 8; }
--- config
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs rgw;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://obs$swr_obs_uri;
    }
--- request eval
["GET /m36.txt", "GET /v2/t087/m36/blobs/$main::M36_D"]
--- more_headers eval
["", "Range: bytes=25165822-25165825"]
--- error_code eval
[200, 206]
--- response_headers eval
["", "Content-Range: bytes 25165822-25165825/37748736"]
--- response_body eval
[<<"R", substr($main::M36, 25165822, 4)]
POST /v2/t087/m36/blobs/uploads/ -> 202
after chunk 1: p0-12582912
after chunk 2: p0-12582912 p12582912-25165824
GET /v2/t087/m36/blobs/uploads/<id1> -> 204
  Range: 0-25165823
2 x PATCH -> 202, each with the Range of the bytes so far
PUT /v2/t087/m36/blobs/uploads/<id1>?digest=$main::M36_D -> 201
  Location: http://localhost/v2/t087/m36/blobs/$main::M36_D
  Docker-Content-Digest: $main::M36_D
staged after the PUT: (none)
upload in Redis: forgotten
store HEAD <key of M36> -> 200, 37748736 bytes, multipart of 3 parts
GET /v2/t087/m36/blobs/<M36> -> 200, 37748736 bytes, sha256 of M36
R
--- no_error_log
[error]
[alert]



=== TEST 6: the same blob pushed to two repositories is one object; deleting it from one leaves it readable in the other
--- init
main::clean();
SwrTest::flow('dedup', sub {
    for my $repo (qw(t087/dedup-a t087/dedup-b)) {
        SwrTest::step('POST', "/v2/$repo/blobs/uploads/?digest=$main::DUP_D",
                      body => $main::DUP);
    }
    my $id = main::chunked('t087/dedup-c', $main::DUP, 1000, 0);
    my $key = main::key_of($main::DUP_D);
    my @same = grep { $_ eq $key }
               SwrRgw::list('blobs/sha256/' . substr(main::hex_of($main::DUP_D), 0, 2) . '/');
    SwrTest::note('objects at the key of DUP: ' . scalar(@same));
    SwrTest::step('DELETE', "/v2/t087/dedup-a/blobs/$main::DUP_D");
    SwrTest::note(main::stored($main::DUP_D),
                  main::pull('t087/dedup-a', $main::DUP_D),
                  main::pull('t087/dedup-b', $main::DUP_D),
                  main::pull('t087/dedup-c', $main::DUP_D));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
    upstream obs { server 127.0.0.1:$TEST_NGINX_RGW_PORT; keepalive 8; }
--- config
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs rgw;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://obs$swr_obs_uri;
    }
--- request eval
["GET /dedup.txt",
 "GET /v2/t087/dedup-b/blobs/$main::DUP_D",
 "GET /v2/t087/dedup-a/blobs/$main::DUP_D"]
--- error_code eval
[200, 200, 404]
--- response_body eval
[<<"R", $main::DUP,
POST /v2/t087/dedup-a/blobs/uploads/?digest=$main::DUP_D -> 201
POST /v2/t087/dedup-b/blobs/uploads/?digest=$main::DUP_D -> 201
POST /v2/t087/dedup-c/blobs/uploads/ -> 202
3 x PATCH -> 202, each with the Range of the bytes so far
PUT /v2/t087/dedup-c/blobs/uploads/<id1>?digest=$main::DUP_D -> 201
  Location: http://localhost/v2/t087/dedup-c/blobs/$main::DUP_D
  Docker-Content-Digest: $main::DUP_D
objects at the key of DUP: 1
DELETE /v2/t087/dedup-a/blobs/$main::DUP_D -> 202
store HEAD <key of DUP> -> 200, 3000 bytes
GET /v2/t087/dedup-a/blobs/<DUP> -> 404: {"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry","detail":"$main::DUP_D"}]}
GET /v2/t087/dedup-b/blobs/<DUP> -> 200, 3000 bytes, sha256 of DUP
GET /v2/t087/dedup-c/blobs/<DUP> -> 200, 3000 bytes, sha256 of DUP
R
 SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', $main::DUP_D)]
--- no_error_log
[error]
[alert]



=== TEST 7: a final PUT whose digest does not match is DIGEST_INVALID: no blob appears, in the registry or in the bucket, and what it staged is deleted; a cancelled upload is forgotten with what it staged
--- init
main::clean();
SwrTest::flow('mismatch', sub {
    my $r = SwrTest::step('POST', '/v2/t087/bad/blobs/uploads/');
    my $loc = SwrTest::path_of($r);
    my $id = main::id_of($loc);
    my $mib3 = 3 * 1024 * 1024;
    $r = SwrTest::step('PATCH', $loc, body => substr($main::BAD, 0, $mib3),
                       show => ['Range']);
    $r = SwrTest::step('PATCH', SwrTest::path_of($r),
                       body => substr($main::BAD, $mib3, $mib3),
                       show => ['Range']);
    $loc = SwrTest::path_of($r);
    SwrTest::note('staged: ' . main::staged($id));
    SwrTest::step('PUT', "$loc?digest=$main::CLAIM_D",
                  body => substr($main::BAD, 2 * $mib3),
                  show => [qw(Location Docker-Content-Digest)],
                  show_body => 1);
    SwrTest::note('staged: ' . main::staged($id));
    SwrTest::step('GET', $loc, show_body => 1);
    SwrTest::step('HEAD', "/v2/t087/bad/blobs/$main::CLAIM_D");
    SwrTest::step('HEAD', "/v2/t087/bad/blobs/$main::BAD_D");
    SwrTest::note(main::stored($main::CLAIM_D), main::stored($main::BAD_D),
                  'upload in Redis: ' . main::redis_upload($id),
                  'multipart uploads at the key of CLAIM: '
                  . main::multipart_uploads($main::CLAIM_D));

    SwrTest::note('(an upload cancelled)');
    $r = SwrTest::step('POST', '/v2/t087/bad/blobs/uploads/');
    $loc = SwrTest::path_of($r);
    $id = main::id_of($loc);
    SwrTest::step('PATCH', $loc, body => substr($main::BAD, 0, 1024));
    SwrTest::step('DELETE', $loc);
    SwrTest::step('GET', $loc);
    SwrTest::note('staged: ' . main::staged($id),
                  'upload in Redis: ' . main::redis_upload($id));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
    upstream obs { server 127.0.0.1:$TEST_NGINX_RGW_PORT; keepalive 8; }
--- config
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs rgw;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://obs$swr_obs_uri;
    }
--- request eval
["GET /mismatch.txt", "GET /v2/t087/bad/blobs/$main::CLAIM_D"]
--- error_code eval
[200, 404]
--- response_body eval
[<<"R",
POST /v2/t087/bad/blobs/uploads/ -> 202
PATCH /v2/t087/bad/blobs/uploads/<id1> -> 202
  Range: 0-3145727
PATCH /v2/t087/bad/blobs/uploads/<id1> -> 202
  Range: 0-6291455
staged: p0-6291456
PUT /v2/t087/bad/blobs/uploads/<id1>?digest=$main::CLAIM_D -> 400
  Location: (none)
  Docker-Content-Digest: (none)
  body: {"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content","detail":"$main::CLAIM_D"}]}
staged: (none)
GET /v2/t087/bad/blobs/uploads/<id1> -> 404
  body: {"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry","detail":"<id1>"}]}
HEAD /v2/t087/bad/blobs/$main::CLAIM_D -> 404
HEAD /v2/t087/bad/blobs/$main::BAD_D -> 404
store HEAD <key of CLAIM> -> 404
store HEAD <key of BAD> -> 404
upload in Redis: forgotten
multipart uploads at the key of CLAIM: 0
(an upload cancelled)
POST /v2/t087/bad/blobs/uploads/ -> 202
PATCH /v2/t087/bad/blobs/uploads/<id2> -> 202
DELETE /v2/t087/bad/blobs/uploads/<id2> -> 204
GET /v2/t087/bad/blobs/uploads/<id2> -> 404
staged: (none)
upload in Redis: forgotten
R
 SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', $main::CLAIM_D)]
--- no_error_log
[error]
[alert]



=== TEST 8: redirect=60s: GET is a 307 to a URL of the store presigned for 60 s, which serves the blob; HEAD is answered by the registry
--- init
main::clean();
SwrTest::flow('redirect', sub {
    SwrTest::step('POST', "/v2/t087/redirect/blobs/uploads/?digest=$main::ONE_D",
                  body => $main::ONE);
    my $r = SwrTest::step('GET', "/v2/t087/redirect/blobs/$main::ONE_D",
                          show => [qw(Docker-Content-Digest Content-Length)]);
    my $url = $r->{headers}{location} // '';
    my $port = $ENV{TEST_NGINX_RGW_PORT};
    my $bucket = SwrRgw::bucket();
    (my $shown = $url) =~ s{^http://127\.0\.0\.1:\Q$port\E/\Q$bucket\E/}{http://<store>/<bucket>/};
    $shown =~ s{(X-Amz-Credential=)[^&]+}{$1<credential>};
    $shown =~ s{(X-Amz-Date=)\d{8}T\d{6}Z}{$1<date>};
    $shown =~ s{(X-Amz-Signature=)[0-9a-f]{64}(&|$)}{$1<signature>$2};
    my $key = main::key_of($main::ONE_D);
    $shown =~ s{\Q$key\E\?}{<key of ONE>?};
    SwrTest::note("  Location: $shown");
    my ($cred) = $url =~ /X-Amz-Credential=([^&]+)/;
    $cred //= '';
    $cred =~ s/%2F/\//gi;
    $cred =~ s{^\Q$ENV{TEST_NGINX_RGW_ACCESS_KEY}\E/\d{8}/}{<access key>/<day>/};
    SwrTest::note("  credential: $cred");
    my $http = HTTP::Tiny->new(proxy => undef, http_proxy => undef,
                               timeout => 10);
    my $got = $http->get($url);
    SwrTest::note(main::pulled('store GET <Location>',
                               { status => $got->{status},
                                 body => $got->{content} }, $main::ONE_D));
    (my $forged = $url) =~ s/X-Amz-Expires=60/X-Amz-Expires=600/;
    SwrTest::note('store GET <Location with X-Amz-Expires=600> -> '
                  . $http->get($forged)->{status});
    SwrTest::step('GET', "/v2/t087/redirect/blobs/$main::UNKNOWN_D");
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
    upstream obs { server 127.0.0.1:$TEST_NGINX_RGW_PORT; keepalive 8; }
--- config
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs rgw redirect=60s;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://obs$swr_obs_uri;
    }
--- request eval
["GET /redirect.txt",
 "HEAD /v2/t087/redirect/blobs/$main::ONE_D",
 "GET /v2/t087/redirect/blobs/$main::ONE_D"]
--- more_headers eval
["", "", "Range: bytes=0-9"]
--- error_code eval
[200, 200, 307]
--- response_headers eval
["",
 "Content-Length: 1048583
Docker-Content-Digest: $main::ONE_D
ETag: \"$main::ONE_D\"",
 "Docker-Content-Digest: $main::ONE_D
Content-Length: 0"]
--- raw_response_headers_like eval
["^HTTP/1\\.1 200 ", "^HTTP/1\\.1 200 ",
 "(?m)^Location: http://127\\.0\\.0\\.1:\\d+/[^/]+/blobs/sha256/[0-9a-f]{2}/[0-9a-f]{64}\\?X-Amz-Algorithm=AWS4-HMAC-SHA256&"]
--- response_body eval
[<<"R", "", ""]
POST /v2/t087/redirect/blobs/uploads/?digest=$main::ONE_D -> 201
GET /v2/t087/redirect/blobs/$main::ONE_D -> 307
  Docker-Content-Digest: $main::ONE_D
  Content-Length: 0
  Location: http://<store>/<bucket>/<key of ONE>?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=<credential>&X-Amz-Date=<date>&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=<signature>
  credential: <access key>/<day>/us-east-1/s3/aws4_request
store GET <Location> -> 200, 1048583 bytes, sha256 of ONE
store GET <Location with X-Amz-Expires=600> -> 403
GET /v2/t087/redirect/blobs/$main::UNKNOWN_D -> 404
R
--- no_error_log
[error]
[alert]



=== TEST 9: a store failure leaves the upload intact (1/3): with the store up, a blob and the first chunk of an upload
--- init
main::clean();
SwrTest::flow('fault-a', sub {
    SwrTest::step('POST', "/v2/t087/fault/blobs/uploads/?digest=$main::SMALL_D",
                  body => $main::SMALL);
    my $r = SwrTest::step('POST', '/v2/t087/fault/blobs/uploads/');
    $r = SwrTest::step('PATCH', SwrTest::path_of($r),
                       body => substr($main::FAULT, 0, 1024),
                       headers => ['Content-Range: 0-1023'],
                       show => ['Range']);
    $main::FAULT_LOC = SwrTest::path_of($r);
    my $id = main::id_of($main::FAULT_LOC);
    SwrTest::note('staged: ' . main::staged($id),
                  '  Redis: ' . main::redis_staged($id));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
    upstream obs { server 127.0.0.1:$TEST_NGINX_RGW_PORT; keepalive 8; }
--- config
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs rgw;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://obs$swr_obs_uri;
    }
--- request
GET /fault-a.txt
--- response_body eval
"POST /v2/t087/fault/blobs/uploads/?digest=$main::SMALL_D -> 201
POST /v2/t087/fault/blobs/uploads/ -> 202
PATCH /v2/t087/fault/blobs/uploads/<id1> -> 202
  Range: 0-1023
staged: s0-1024
  Redis: s:0:1024
"



=== TEST 10: a store failure leaves the upload intact (2/3): nothing listens where the store should be: 502 in the registry's envelope, the upload unchanged
--- init
SwrTest::flow('fault-b', sub {
    my $loc = $main::FAULT_LOC or die "no upload from TEST 9\n";
    my $id = main::id_of($loc);
    SwrTest::step('PATCH', $loc, body => substr($main::FAULT, 1024, 1024),
                  headers => ['Content-Range: 1024-2047'],
                  show => [qw(Range Content-Type)], show_body => 1);
    SwrTest::step('GET', "/v2/t087/fault/blobs/$main::SMALL_D",
                  show => [qw(Content-Type Docker-Content-Digest)],
                  show_body => 1);
    SwrTest::step('POST', "/v2/t087/fault/blobs/uploads/?digest=$main::FAULT_D",
                  body => $main::FAULT, show => ['Location'], show_body => 1);
    SwrTest::step('GET', $loc, show => ['Range']);
    SwrTest::note('staged: ' . main::staged($id),
                  '  Redis: ' . main::redis_staged($id),
                  'lock: ' . (SwrTest::command('EXISTS', "swr:upload:{$id}:lock")
                              ? 'held' : 'free'));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
    upstream obs { server 127.0.0.1:$TEST_NGINX_T087_CLOSED_PORT; keepalive 8; }
--- config
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs rgw;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://obs$swr_obs_uri;
    }
--- request
GET /fault-b.txt
--- response_body eval
"PATCH /v2/t087/fault/blobs/uploads/<id1> -> 502
  Range: (none)
  Content-Type: application/json; charset=utf-8
  body: {\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"bad gateway\",\"detail\":\"object store failed\"}]}
GET /v2/t087/fault/blobs/$main::SMALL_D -> 502
  Content-Type: application/json; charset=utf-8
  Docker-Content-Digest: (none)
  body: {\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"bad gateway\",\"detail\":null}]}
POST /v2/t087/fault/blobs/uploads/?digest=$main::FAULT_D -> 502
  Location: (none)
  body: {\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"bad gateway\",\"detail\":\"object store failed\"}]}
GET /v2/t087/fault/blobs/uploads/<id1> -> 204
  Range: 0-1023
staged: s0-1024
  Redis: s:0:1024
lock: free
"
--- error_log
Connection refused



=== TEST 11: a store failure leaves the upload intact (3/3): with the store back, the chunk is sent again and the upload completes
--- init
SwrTest::flow('fault-c', sub {
    my $loc = $main::FAULT_LOC or die "no upload from TEST 9\n";
    my $id = main::id_of($loc);
    my $r = SwrTest::step('PATCH', $loc,
                          body => substr($main::FAULT, 1024, 1024),
                          headers => ['Content-Range: 1024-2047'],
                          show => ['Range']);
    SwrTest::note('staged: ' . main::staged($id));
    SwrTest::step('PUT', SwrTest::path_of($r) . "?digest=$main::FAULT_D",
                  body => substr($main::FAULT, 2048),
                  show => ['Docker-Content-Digest']);
    SwrTest::note('staged: ' . main::staged($id),
                  'upload in Redis: ' . main::redis_upload($id),
                  main::stored($main::FAULT_D),
                  main::pull('t087/fault', $main::FAULT_D));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
    upstream obs { server 127.0.0.1:$TEST_NGINX_RGW_PORT; keepalive 8; }
--- config
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs rgw;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://obs$swr_obs_uri;
    }
--- request eval
["GET /fault-c.txt", "GET /v2/t087/fault/blobs/$main::SMALL_D"]
--- error_code eval
[200, 200]
--- response_body eval
["PATCH /v2/t087/fault/blobs/uploads/<id1> -> 202
  Range: 0-2047
staged: s0-1024 s1024-2048
PUT /v2/t087/fault/blobs/uploads/<id1>?digest=$main::FAULT_D -> 201
  Docker-Content-Digest: $main::FAULT_D
staged: (none)
upload in Redis: forgotten
store HEAD <key of FAULT> -> 200, 3072 bytes
GET /v2/t087/fault/blobs/<FAULT> -> 200, 3072 bytes, sha256 of FAULT
", $main::SMALL]
--- no_error_log
[error]
[alert]



=== TEST 12: a store that refuses the keys and one that never answers: pushes are 503 and 504 in the registry's envelope, the uploads stay; the 403 is logged once however many requests it refuses
# The timeout is the proxy location's (1 s here, in a nested location).
--- init
main::stop_hang();
main::clean();
SwrTest::command('HSET', 'swr:{r:t087/denied}:blobs', $main::SMALL_D,
                 length $main::SMALL);
SwrTest::flow('refused', sub {
    SwrTest::note('(the keys refused)');
    SwrTest::step('POST', "/v2/t087/denied/blobs/uploads/?digest=$main::SMALL_D",
                  body => $main::SMALL, show => ['Content-Type'],
                  show_body => 1);
    my $r = SwrTest::step('POST', '/v2/t087/denied/blobs/uploads/');
    my $loc = SwrTest::path_of($r);
    main::id_of($loc);
    SwrTest::step('PATCH', $loc, body => 'x' x 100, show_body => 1);
    SwrTest::step('PUT', "$loc?digest=$main::SMALL_D", body => $main::SMALL);
    SwrTest::step('GET', $loc, show => ['Range']);
    SwrTest::step('POST', "/v2/t087/denied/blobs/uploads/?digest=$main::SMALL_D",
                  body => $main::SMALL);
    SwrTest::step('HEAD', "/v2/t087/denied/blobs/$main::SMALL_D");

    SwrTest::note('(no answer: ' . main::start_hang() . ')');
    $r = SwrTest::step('POST', '/v2/t087/hang/blobs/uploads/');
    $loc = SwrTest::path_of($r);
    main::id_of($loc);
    my $t0 = Time::HiRes::time();
    SwrTest::step('PATCH', $loc, body => 'x' x 100, show_body => 1);
    my $t = Time::HiRes::time() - $t0;
    SwrTest::note('  after ' . ($t >= 0.9 && $t < 3 ? '1 to 3 s' : "$t s"));
    SwrTest::step('GET', $loc, show => ['Range']);
    SwrTest::step('POST', "/v2/t087/hang/blobs/uploads/?digest=$main::SMALL_D",
                  body => $main::SMALL, show => ['Content-Type'],
                  show_body => 1);
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs denied endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                   bucket=$TEST_NGINX_RGW_BUCKET
                   access_key=$TEST_NGINX_RGW_ACCESS_KEY
                   secret_key=not-the-secret-key
                   region=$TEST_NGINX_RGW_REGION;
    swr_obs hang endpoint=127.0.0.1:$TEST_NGINX_T087_HANG_PORT
                 bucket=$TEST_NGINX_RGW_BUCKET
                 access_key=$TEST_NGINX_RGW_ACCESS_KEY
                 secret_key=$TEST_NGINX_RGW_SECRET_KEY
                 region=$TEST_NGINX_RGW_REGION;
    upstream obs { server 127.0.0.1:$TEST_NGINX_RGW_PORT; keepalive 8; }
    upstream obs_hang { server 127.0.0.1:$TEST_NGINX_T087_HANG_PORT; }
--- config
    location /v2/t087/denied/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs denied;
    }
    location /v2/t087/hang/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs hang;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://obs$swr_obs_uri;

        location /_swr_obs/hang/ {
            internal;
            proxy_read_timeout 1s;
            proxy_pass http://obs_hang$swr_obs_uri;
        }
    }
--- request
GET /refused.txt
--- response_body eval
"(the keys refused)
POST /v2/t087/denied/blobs/uploads/?digest=$main::SMALL_D -> 503
  Content-Type: application/json; charset=utf-8
  body: {\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"service unavailable\",\"detail\":\"object store failed\"}]}
POST /v2/t087/denied/blobs/uploads/ -> 202
PATCH /v2/t087/denied/blobs/uploads/<id1> -> 503
  body: {\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"service unavailable\",\"detail\":\"object store failed\"}]}
PUT /v2/t087/denied/blobs/uploads/<id1>?digest=$main::SMALL_D -> 503
GET /v2/t087/denied/blobs/uploads/<id1> -> 204
  Range: 0-0
POST /v2/t087/denied/blobs/uploads/?digest=$main::SMALL_D -> 503
HEAD /v2/t087/denied/blobs/$main::SMALL_D -> 200
(no answer: listening)
POST /v2/t087/hang/blobs/uploads/ -> 202
PATCH /v2/t087/hang/blobs/uploads/<id2> -> 504
  body: {\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"gateway timeout\",\"detail\":\"object store failed\"}]}
  after 1 to 3 s
GET /v2/t087/hang/blobs/uploads/<id2> -> 204
  Range: 0-0
POST /v2/t087/hang/blobs/uploads/?digest=$main::SMALL_D -> 504
  Content-Type: application/json; charset=utf-8
  body: {\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"gateway timeout\",\"detail\":\"object store failed\"}]}
"
--- grep_error_log: refused the request (403)
--- grep_error_log_out
refused the request (403)
--- error_log
upstream timed out



=== TEST 13: a blob GET that the store refuses (403) is 503, one it never answers is 504, as for pushes
# The store's status line does not reach the client, nor its
# x-amz-request-id.
--- init
main::stop_hang();
SwrTest::command('FLUSHALL');
SwrTest::command('HSET', "swr:{r:t087/$_}:blobs", $main::SMALL_D,
                 length $main::SMALL) for qw(denied hang);
main::start_hang();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs denied endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                   bucket=$TEST_NGINX_RGW_BUCKET
                   access_key=$TEST_NGINX_RGW_ACCESS_KEY
                   secret_key=not-the-secret-key
                   region=$TEST_NGINX_RGW_REGION;
    swr_obs hang endpoint=127.0.0.1:$TEST_NGINX_T087_HANG_PORT
                 bucket=$TEST_NGINX_RGW_BUCKET
                 access_key=$TEST_NGINX_RGW_ACCESS_KEY
                 secret_key=$TEST_NGINX_RGW_SECRET_KEY
                 region=$TEST_NGINX_RGW_REGION;
    upstream obs { server 127.0.0.1:$TEST_NGINX_RGW_PORT; }
    upstream obs_hang { server 127.0.0.1:$TEST_NGINX_T087_HANG_PORT; }
--- config
    location /v2/t087/denied/ {
        swr_registry;
        swr_storage obs denied;
    }
    location /v2/t087/hang/ {
        swr_registry;
        swr_storage obs hang;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://obs$swr_obs_uri;

        location /_swr_obs/hang/ {
            internal;
            proxy_read_timeout 1s;
            proxy_pass http://obs_hang$swr_obs_uri;
        }
    }
--- request eval
["GET /v2/t087/denied/blobs/$main::SMALL_D",
 "GET /v2/t087/hang/blobs/$main::SMALL_D"]
--- error_code eval
[503, 504]
--- raw_response_headers_like eval
["^HTTP/1\\.1 503 ", "^HTTP/1\\.1 504 "]
--- response_body eval
[SwrTest::err('UNAVAILABLE', 'service unavailable', undef),
 SwrTest::err('UNAVAILABLE', 'gateway timeout', undef)]



=== TEST 14: HTTPS to the store, its certificate verified: push and pull work; with another CA trusted they are 502 and the error log says why
--- init
main::stop_hang();
main::clean();
SwrTest::flow('tls', sub {
    SwrTest::step('POST', "/v2/t087/tls/blobs/uploads/?digest=$main::SMALL_D",
                  body => $main::SMALL);
    main::chunked('t087/tls', $main::TLS, 6 * 1024 * 1024, 1);
    SwrTest::note(main::stored($main::TLS_D),
                  main::pull('t087/tls', $main::TLS_D),
                  main::pull('t087/tls', $main::SMALL_D));

    SwrTest::note('(another CA trusted)');
    SwrTest::step('POST', "/v2/t087/badca/x/blobs/uploads/?digest=$main::SMALL_D",
                  body => $main::SMALL, show_body => 1);
    SwrTest::command('HSET', 'swr:{r:t087/badca/x}:blobs', $main::SMALL_D,
                     length $main::SMALL);
    SwrTest::step('GET', "/v2/t087/badca/x/blobs/$main::SMALL_D",
                  show_body => 1);

    SwrTest::note('(redirect=60s)');
    SwrTest::command('HSET', 'swr:{r:t087/tlsredirect}:blobs', $main::TLS_D,
                     length $main::TLS);
    my $r = SwrTest::step('GET', "/v2/t087/tlsredirect/blobs/$main::TLS_D");
    my $url = $r->{headers}{location} // '';
    my ($base) = $url =~ /^([^?]*)/;
    my $want = "https://127.0.0.1:$ENV{TEST_NGINX_T087_TLS_PORT}/"
               . SwrRgw::bucket() . '/' . main::key_of($main::TLS_D);
    SwrTest::note('  Location: ' . ($base eq $want
                                    ? 'https://<TLS front>/<bucket>/<key of TLS>?...'
                                    : $url));
    my $http = HTTP::Tiny->new(proxy => undef, https_proxy => undef,
                               timeout => 10, verify_SSL => 1,
                               SSL_options => { SSL_ca_file => "$main::PKI/ca.pem" });
    my $got = $http->get($url);
    SwrTest::note(main::pulled('GET <Location>, the CA verified',
                               { status => $got->{status},
                                 body => $got->{content} }, $main::TLS_D));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs tls endpoint=https://127.0.0.1:$TEST_NGINX_T087_TLS_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
    upstream obs_tls { server 127.0.0.1:$TEST_NGINX_T087_TLS_PORT; keepalive 8; }

    # an upstream of its own: a connection kept alive, or an SSL session,
    # from obs_tls would skip the verification against the other CA
    upstream obs_tls_other { server 127.0.0.1:$TEST_NGINX_T087_TLS_PORT; }

    # the store behind TLS: the Host passes unchanged, so the signatures
    # made for this host:port verify
    server {
        listen 127.0.0.1:$TEST_NGINX_T087_TLS_PORT ssl;
        ssl_certificate $TEST_NGINX_T087_PKI/server.pem;
        ssl_certificate_key $TEST_NGINX_T087_PKI/server.key;
        client_max_body_size 0;
        location / {
            proxy_pass http://127.0.0.1:$TEST_NGINX_RGW_PORT;
            proxy_set_header Host $http_host;
        }
    }
--- config
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs tls;
    }
    location /v2/t087/badca/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs tls location=/_swr_obs_badca/;
    }
    location /v2/t087/tlsredirect/ {
        swr_registry;
        swr_storage obs tls redirect=60s;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass https://obs_tls$swr_obs_uri;
        proxy_ssl_verify on;
        proxy_ssl_trusted_certificate $TEST_NGINX_T087_PKI/ca.pem;
        proxy_ssl_name 127.0.0.1;
    }
    location /_swr_obs_badca/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass https://obs_tls_other$swr_obs_uri;
        proxy_ssl_verify on;
        proxy_ssl_trusted_certificate $TEST_NGINX_T087_PKI/other.pem;
        proxy_ssl_name 127.0.0.1;
    }
--- request
GET /tls.txt
--- response_body eval
"POST /v2/t087/tls/blobs/uploads/?digest=$main::SMALL_D -> 201
POST /v2/t087/tls/blobs/uploads/ -> 202
1 x PATCH -> 202, each with the Range of the bytes so far
PUT /v2/t087/tls/blobs/uploads/<id1>?digest=$main::TLS_D -> 201
  Location: http://localhost/v2/t087/tls/blobs/$main::TLS_D
  Docker-Content-Digest: $main::TLS_D
store HEAD <key of TLS> -> 200, 6292480 bytes, multipart of 2 parts
GET /v2/t087/tls/blobs/<TLS> -> 200, 6292480 bytes, sha256 of TLS
GET /v2/t087/tls/blobs/<SMALL> -> 200, 2000 bytes, sha256 of SMALL
(another CA trusted)
POST /v2/t087/badca/x/blobs/uploads/?digest=$main::SMALL_D -> 502
  body: {\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"bad gateway\",\"detail\":\"object store failed\"}]}
GET /v2/t087/badca/x/blobs/$main::SMALL_D -> 502
  body: {\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"bad gateway\",\"detail\":null}]}
(redirect=60s)
GET /v2/t087/tlsredirect/blobs/$main::TLS_D -> 307
  Location: https://<TLS front>/<bucket>/<key of TLS>?...
GET <Location>, the CA verified -> 200, 6292480 bytes, sha256 of TLS
"
--- error_log eval
qr/upstream SSL certificate verify error: \(\d+:/



=== TEST 15: addressing=virtual: the bucket is in the Host, not in the path, signed so (against a fake store that echoes what it gets)
--- init
SwrTest::command('FLUSHALL');
SwrTest::command('HSET', 'swr:{r:t087/vh}:blobs', $main::SMALL_D, 12);
SwrTest::command('HSET', 'swr:{r:t087/vhr}:blobs', $main::SMALL_D, 12);
SwrTest::flow('vh', sub {
    my $r = SwrTest::http('GET', '/vh/?k=sig/check');
    my $date = $r->{headers}{'x-echo-date'} // '';
    my $auth = $r->{headers}{'x-echo-authorization'} // '';
    my $host = SwrRgw::bucket() . ".127.0.0.1:$ENV{TEST_NGINX_T087_FAKE_PORT}";
    my @t = $date =~ /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/;
    my $want = @t ? SwrRgw::sign(method => 'GET', host => $host,
                                 path => '/vh/sig/check',
                                 payload_hash => 'UNSIGNED-PAYLOAD',
                                 time => Time::Local::timegm($t[5], $t[4], $t[3],
                                                             $t[2], $t[1] - 1, $t[0])
                                )->{authorization}
                  : 'no x-amz-date';
    SwrTest::note("GET /vh/?k=sig/check -> $r->{status}",
                  '  Authorization: ' . ($auth eq $want
                      ? 'SigV4 over the host <bucket>.<endpoint> and the path /vh/sig/check'
                      : "$auth, expected $want"));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs vh endpoint=127.0.0.1:$TEST_NGINX_T087_FAKE_PORT
               bucket=$TEST_NGINX_RGW_BUCKET
               access_key=$TEST_NGINX_RGW_ACCESS_KEY
               secret_key=$TEST_NGINX_RGW_SECRET_KEY
               region=$TEST_NGINX_RGW_REGION
               addressing=virtual;
    upstream fake { server 127.0.0.1:$TEST_NGINX_T087_FAKE_PORT; }

    # the fake store: what it was sent, in its answer
    server {
        listen 127.0.0.1:$TEST_NGINX_T087_FAKE_PORT;
        location / {
            add_header X-Echo-Date $http_x_amz_date always;
            add_header X-Echo-Authorization $http_authorization always;
            return 200 "host=$http_host uri=$request_uri\n";
        }
    }
--- config
    location /v2/ {
        swr_registry;
        swr_storage obs vh;
    }
    location /v2/t087/vhr/ {
        swr_registry;
        swr_storage obs vh redirect=60s;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://fake$swr_obs_uri;
    }
    location /vh/ {
        swr_obs_object vh "vh/$arg_k";
        proxy_pass http://fake$swr_obs_uri;
        proxy_set_header Host $swr_obs_host;
        proxy_set_header x-amz-date $swr_obs_amz_date;
        proxy_set_header x-amz-content-sha256 $swr_obs_content_sha256;
        proxy_set_header Authorization $swr_obs_authorization;
    }
--- request eval
["GET /vh.txt",
 "GET /vh/?k=a/b~c",
 "GET /v2/t087/vh/blobs/$main::SMALL_D",
 "GET /v2/t087/vhr/blobs/$main::SMALL_D"]
--- error_code eval
[200, 200, 200, 307]
--- raw_response_headers_like eval
["^HTTP/1\\.1 200 ", "^HTTP/1\\.1 200 ", "^HTTP/1\\.1 200 ",
 "(?m)^Location: http://\Q$ENV{TEST_NGINX_RGW_BUCKET}\E\\.127\\.0\\.0\\.1:$ENV{TEST_NGINX_T087_FAKE_PORT}/" . quotemeta(main::key_of($main::SMALL_D)) . "\\?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=[^&]+&X-Amz-Date=\\d{8}T\\d{6}Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=[0-9a-f]{64}\r?\$"]
--- response_body eval
["GET /vh/?k=sig/check -> 200
  Authorization: SigV4 over the host <bucket>.<endpoint> and the path /vh/sig/check
",
 'host=$TEST_NGINX_RGW_BUCKET.127.0.0.1:$TEST_NGINX_T087_FAKE_PORT uri=/vh/a/b~c' . "\n",
 'host=$TEST_NGINX_RGW_BUCKET.127.0.0.1:$TEST_NGINX_T087_FAKE_PORT uri=/' . main::key_of($main::SMALL_D) . "\n",
 ""]



=== TEST 16: the part copies of a multipart assembly sign x-amz-copy-source, as AWS S3 requires (against a fake store that enforces it)
# AWS S3 (and MinIO) refuse a SigV4 request carrying an x-amz-* header
# that its SignedHeaders does not list (403 AccessDenied); the RGW does
# not check, so this fake store does.
--- init
SwrTest::command('FLUSHALL');
SwrTest::flow('awscopy', sub {
    main::chunked('t087/awscopy', substr($main::TLS, 0, 5 * 1024 * 1024 + 1024),
                  5 * 1024 * 1024, 1);
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs aws endpoint=127.0.0.1:$TEST_NGINX_T087_FAKE_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
    upstream fake { server 127.0.0.1:$TEST_NGINX_T087_FAKE_PORT; }

    # the fake store: AWS's rule on unsigned x-amz-copy-source, and the
    # answers of the multipart calls
    map "$request_method|$http_x_amz_copy_source|$http_authorization" $t087_unsigned {
        "~^PUT\|[^|]+\|.*SignedHeaders=[^,]*x-amz-copy-source"  0;
        "~^PUT\|[^|]+\|"                                        1;
        default                                                 0;
    }
    map "$request_method $args" $t087_answer {
        "~^POST uploads"     "<InitiateMultipartUploadResult><UploadId>t087</UploadId></InitiateMultipartUploadResult>";
        "~^POST uploadId="   "<CompleteMultipartUploadResult><ETag>\"c-2\"</ETag></CompleteMultipartUploadResult>";
        "~^PUT partNumber="  "<CopyPartResult><ETag>\"c\"</ETag></CopyPartResult>";
        default              "";
    }
    server {
        listen 127.0.0.1:$TEST_NGINX_T087_FAKE_PORT;
        client_max_body_size 0;
        location / {
            if ($t087_unsigned) {
                return 403 "<Error><Code>AccessDenied</Code><Message>There were headers present in the request which were not signed</Message><HeadersNotSigned>x-amz-copy-source</HeadersNotSigned></Error>";
            }
            add_header ETag "\"e\"" always;
            return 200 $t087_answer;
        }
    }
--- config
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs aws;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://fake$swr_obs_uri;
    }
--- request
GET /awscopy.txt
--- response_body eval
"POST /v2/t087/awscopy/blobs/uploads/ -> 202
1 x PATCH -> 202, each with the Range of the bytes so far
PUT /v2/t087/awscopy/blobs/uploads/<id1>?digest=" . SwrTest::sha256(substr($main::TLS, 0, 5 * 1024 * 1024 + 1024)) . " -> 201
  Location: http://localhost/v2/t087/awscopy/blobs/" . SwrTest::sha256(substr($main::TLS, 0, 5 * 1024 * 1024 + 1024)) . "
  Docker-Content-Digest: " . SwrTest::sha256(substr($main::TLS, 0, 5 * 1024 * 1024 + 1024)) . "
"
