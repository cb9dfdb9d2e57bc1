# vim:set ft= ts=4 sw=4 et fdm=marker:
# Blob uploads: POST /v2/<name>/blobs/uploads/ (a session, a monolithic
# push with ?digest=, a mount with ?mount=&from=), then PATCH, PUT, GET
# and DELETE of /v2/<name>/blobs/uploads/<id>.
#
# Upload ids are random, so the blocks that need one run the flow from
# --- init with SwrTest::flow(): each step's status and chosen headers go
# to html/<name>.txt (ids shown as <id1>, <id2>...), which the block's
# first request reads and compares whole; the other requests check what
# the flow left behind.  The location /storage/ lists the storage
# directory, to check that failed uploads leave no file behind.

use Test::Nginx::Socket;
use SwrTest;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

our $ABC = '0123456789abcdefghijklmnopqrstuvwxyz';     # 36 bytes
our $ABC_D = SwrTest::sha256($ABC);
our $HELLO = 'hello world';
our $HELLO_D = SwrTest::sha256($HELLO);
our $HELLO_D512 = SwrTest::sha512($HELLO);
our $HEX64 = 'a' x 64;
our $UUID_RE = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

# three chunks of 300 000 bytes, more than nginx reads in one buffer
our @PARTS = map { my $p = $_; join '', map { Digest::SHA::sha1_hex("$p-$_") } 1 .. 7500 } 1 .. 3;
our $PARTS_D = SwrTest::sha256(join '', @PARTS);

our $RANGE = SwrTest::err('BLOB_UPLOAD_INVALID', 'requested range not satisfiable', undef);

repeat_each(1);

# per request: status, each header, body, no_error_log ([error], [alert];
# TEST 13 logs an error on purpose and checks [alert] only)
plan tests => repeat_each() * (
    (1 + 5 + 1 + 2) * 2                 # TEST 1
    + (7 + 4 + 4 + 4)                   # TEST 2
    + (6 + 4 + 4 + 4 + 5)               # TEST 3
    + (4 + 5 + 4 + 4)                   # TEST 4
    + (4 + 4)                           # TEST 5
    + (4 + 4)                           # TEST 6
    + (4 + 4 + 4)                       # TEST 7
    + (4 + 4 + 4)                       # TEST 8
    + (4 + 4)                           # TEST 9
    + 4 * 8 + 5 * 3                     # TEST 10
    + (4 + 4)                           # TEST 11
    + (4 + 8 + 4 + 8 * 4)               # TEST 12
    + (3 + 3)                           # TEST 13
    + 4 * 3                             # TEST 14
    + 4                                 # TEST 15
);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: POST starts a session: 202, Location with a fresh UUID, Range 0-0
--- init
SwrTest::command('FLUSHALL');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["POST /v2/up/blobs/uploads/", "POST /v2/ns/a/b/blobs/uploads/"]
--- more_headers eval
["Content-Length: 0", ""]
--- error_code eval
[202, 202]
--- response_headers_like eval
["Location: http://localhost/v2/up/blobs/uploads/$main::UUID_RE
Range: 0-0
Docker-Upload-UUID: $main::UUID_RE
Content-Length: 0
Docker-Distribution-API-Version: registry/2\\.0",
"Location: http://localhost/v2/ns/a/b/blobs/uploads/$main::UUID_RE
Range: 0-0
Docker-Upload-UUID: $main::UUID_RE
Content-Length: 0
Docker-Distribution-API-Version: registry/2\\.0"]
--- response_body eval
["", ""]
--- no_error_log
[error]
[alert]



=== TEST 2: a monolithic POST ?digest= is 201 and the blob is there
--- init
SwrTest::command('FLUSHALL');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
    location /storage/ {
        alias $TEST_NGINX_SERVER_ROOT/storage_temp/;
        autoindex on;
        autoindex_format json;
    }
--- request eval
["POST /v2/up/blobs/uploads/?digest=$main::HELLO_D\n$main::HELLO",
 "GET /v2/up/blobs/$main::HELLO_D",
 "GET /v2/up/tags/list",
 "GET /storage/uploads/"]
--- more_headers eval
["Content-Type: application/octet-stream", "", "", ""]
--- error_code eval
[201, 200, 200, 200]
--- response_headers eval
["Location: http://localhost/v2/up/blobs/$main::HELLO_D
Docker-Content-Digest: $main::HELLO_D
Content-Length: 0", "", "", ""]
--- response_body eval
["", "hello world", '{"name":"up","tags":[]}', "[\r\n]"]
--- no_error_log
[error]
[alert]



=== TEST 3: a monolithic POST whose digest does not match is DIGEST_INVALID and leaves nothing
--- init
SwrTest::command('FLUSHALL');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
    location /storage/ {
        alias $TEST_NGINX_SERVER_ROOT/storage_temp/;
        autoindex on;
        autoindex_format json;
    }
--- request eval
["POST /v2/up/blobs/uploads/?digest=sha256:$main::HEX64\n$main::HELLO",
 "GET /v2/up/blobs/sha256:$main::HEX64",
 "GET /v2/up/blobs/$main::HELLO_D",
 "GET /storage/uploads/",
 "POST /v2/up/blobs/uploads/?digest=sha256:123\n$main::HELLO"]
--- error_code eval
[400, 404, 404, 200, 400]
--- response_headers eval
["!Location\n!Docker-Content-Digest", "", "", "", "!Location"]
--- response_body eval
[SwrTest::err('DIGEST_INVALID', 'provided digest did not match uploaded content', "sha256:$main::HEX64"),
 SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', "sha256:$main::HEX64"),
 SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', $main::HELLO_D),
 "[\r\n]",
 SwrTest::err('DIGEST_INVALID', 'provided digest did not match uploaded content', "sha256:123")]
--- no_error_log
[error]
[alert]



=== TEST 4: chunks of 1, 1 and 5 bytes, then 29 of one byte without Content-Range, then PUT
--- init
SwrTest::command('FLUSHALL');
SwrTest::flow('chunks', sub {
    my $abc = $main::ABC;
    my $r = SwrTest::step('POST', '/v2/up/blobs/uploads/',
                          headers => ['Content-Length: 0'],
                          show => [qw(Location Range Docker-Upload-UUID)]);
    my ($id) = SwrTest::path_of($r) =~ m{/([^/]+)$};
    my $ttl = SwrTest::command('TTL', "swr:upload:{$id}");
    SwrTest::note('(the session expires in ' . ($ttl > 86000 && $ttl <= 86400 ? '24 h' : "$ttl s") . ')');
    $r = SwrTest::step('PATCH', SwrTest::path_of($r), body => '0',
                       headers => ['Content-Range: 0-0',
                                   'Content-Type: application/octet-stream'],
                       show => [qw(Location Range Docker-Upload-UUID Content-Length)]);
    $r = SwrTest::step('PATCH', SwrTest::path_of($r), body => '1',
                       headers => ['Content-Range: 1-1'], show => ['Range']);
    $r = SwrTest::step('PATCH', SwrTest::path_of($r), body => '23456',
                       headers => ['Content-Range: 2-6'], show => ['Range']);
    my (@st, @rg);
    for my $i (7 .. 35) {
        $r = SwrTest::http('PATCH', SwrTest::path_of($r),
                           body => substr($abc, $i, 1));
        push @st, $r->{status};
        push @rg, $r->{headers}{range};
    }
    SwrTest::note("29 x PATCH -> @st", "  Range: @rg");
    my $loc = SwrTest::path_of($r);
    SwrTest::step('GET', $loc,
                  show => [qw(Location Range Docker-Upload-UUID Content-Length)]);
    SwrTest::step('PUT', "$loc?digest=$main::ABC_D",
                  show => [qw(Location Docker-Content-Digest Content-Length)]);
    SwrTest::step('GET', $loc, show_body => 1);
    SwrTest::step('PATCH', $loc, body => 'x', show_body => 1);
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
    location /storage/ {
        alias $TEST_NGINX_SERVER_ROOT/storage_temp/;
        autoindex on;
        autoindex_format json;
    }
--- request eval
["GET /chunks.txt",
 "GET /v2/up/blobs/$main::ABC_D",
 "GET /v2/up/tags/list",
 "GET /storage/uploads/"]
--- error_code eval
[200, 200, 200, 200]
--- response_headers eval
["", "Content-Length: 36", "", ""]
--- response_body eval
[<<"R", $main::ABC, '{"name":"up","tags":[]}', "[\r\n]"]
POST /v2/up/blobs/uploads/ -> 202
  Location: http://localhost/v2/up/blobs/uploads/<id1>
  Range: 0-0
  Docker-Upload-UUID: <id1>
(the session expires in 24 h)
PATCH /v2/up/blobs/uploads/<id1> -> 202
  Location: http://localhost/v2/up/blobs/uploads/<id1>
  Range: 0-0
  Docker-Upload-UUID: <id1>
  Content-Length: 0
PATCH /v2/up/blobs/uploads/<id1> -> 202
  Range: 0-1
PATCH /v2/up/blobs/uploads/<id1> -> 202
  Range: 0-6
29 x PATCH -> @{[ join ' ', (202) x 29 ]}
  Range: @{[ join ' ', map { "0-$_" } 7 .. 35 ]}
GET /v2/up/blobs/uploads/<id1> -> 204
  Location: http://localhost/v2/up/blobs/uploads/<id1>
  Range: 0-35
  Docker-Upload-UUID: <id1>
  Content-Length: (none)
PUT /v2/up/blobs/uploads/<id1>?digest=$main::ABC_D -> 201
  Location: http://localhost/v2/up/blobs/$main::ABC_D
  Docker-Content-Digest: $main::ABC_D
  Content-Length: 0
GET /v2/up/blobs/uploads/<id1> -> 404
  body: {"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry","detail":"<id1>"}]}
PATCH /v2/up/blobs/uploads/<id1> -> 404
  body: {"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry","detail":"<id1>"}]}
R
# end of the expected report
--- no_error_log
[error]
[alert]



=== TEST 5: chunks out of order, or while another request writes, are 416 with the current Range; the upload goes on
--- init
SwrTest::command('FLUSHALL');
SwrTest::flow('order', sub {
    my $r = SwrTest::step('POST', '/v2/up/blobs/uploads/');
    my $loc = SwrTest::path_of($r);
    SwrTest::step('PATCH', $loc, body => 'hello',
                  headers => ['Content-Range: 0-4'], show => ['Range']);
    SwrTest::step('PATCH', $loc, body => 'lo wo',
                  headers => ['Content-Range: 3-7'],
                  show => [qw(Location Range Content-Type)], show_body => 1);
    SwrTest::step('PATCH', $loc, body => 'world',
                  headers => ['Content-Range: 10-14'],
                  show => [qw(Location Range)], show_body => 1);
    SwrTest::step('PATCH', $loc, body => ' world',
                  headers => ['Content-Range: 0-5'], show => ['Range']);
    SwrTest::step('PATCH', $loc, body => ' wor',
                  headers => ['Content-Range: 5-9'], show => ['Range'],
                  show_body => 1);
    SwrTest::step('PATCH', $loc, body => ' world',
                  headers => ['Content-Range: 9-5'], show => ['Range']);
    SwrTest::step('PATCH', $loc, body => ' world',
                  headers => ['Content-Range: bytes=5-10'], show => ['Range']);
    SwrTest::step('PATCH', $loc, body => ' world',
                  headers => ['Content-Range: 5-'], show => ['Range']);
    SwrTest::step('GET', $loc, show => ['Range']);
    SwrTest::step('PUT', "$loc?digest=$main::HELLO_D", body => 'world',
                  headers => ['Content-Range: 6-10'], show => ['Range']);
    my ($id) = $loc =~ m{/([^/]+)$};
    SwrTest::command('SET', "swr:upload:{$id}:lock", 'another-request', 'PX', '60000');
    SwrTest::note('(another request holds the upload)');
    SwrTest::step('PATCH', $loc, body => ' world',
                  headers => ['Content-Range: 5-10'], show => [qw(Location Range)],
                  show_body => 1);
    SwrTest::step('PUT', "$loc?digest=$main::HELLO_D", body => ' world',
                  show => ['Range']);
    SwrTest::step('GET', $loc, show => ['Range']);
    SwrTest::command('DEL', "swr:upload:{$id}:lock");
    SwrTest::note('(it is done)');
    SwrTest::step('PATCH', $loc, body => ' world',
                  headers => ['Content-Range: bytes 5-10'], show => ['Range']);
    SwrTest::step('PUT', "$loc?digest=$main::HELLO_D",
                  show => ['Location']);
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /order.txt", "GET /v2/up/blobs/$main::HELLO_D"]
--- error_code eval
[200, 200]
--- response_body eval
[<<"R", $main::HELLO]
POST /v2/up/blobs/uploads/ -> 202
PATCH /v2/up/blobs/uploads/<id1> -> 202
  Range: 0-4
PATCH /v2/up/blobs/uploads/<id1> -> 416
  Location: http://localhost/v2/up/blobs/uploads/<id1>
  Range: 0-4
  Content-Type: application/json; charset=utf-8
  body: $main::RANGE
PATCH /v2/up/blobs/uploads/<id1> -> 416
  Location: http://localhost/v2/up/blobs/uploads/<id1>
  Range: 0-4
  body: $main::RANGE
PATCH /v2/up/blobs/uploads/<id1> -> 416
  Range: 0-4
PATCH /v2/up/blobs/uploads/<id1> -> 416
  Range: (none)
  body: $main::RANGE
PATCH /v2/up/blobs/uploads/<id1> -> 416
  Range: (none)
PATCH /v2/up/blobs/uploads/<id1> -> 416
  Range: (none)
PATCH /v2/up/blobs/uploads/<id1> -> 416
  Range: (none)
GET /v2/up/blobs/uploads/<id1> -> 204
  Range: 0-4
PUT /v2/up/blobs/uploads/<id1>?digest=$main::HELLO_D -> 416
  Range: 0-4
(another request holds the upload)
PATCH /v2/up/blobs/uploads/<id1> -> 416
  Location: http://localhost/v2/up/blobs/uploads/<id1>
  Range: 0-4
  body: $main::RANGE
PUT /v2/up/blobs/uploads/<id1>?digest=$main::HELLO_D -> 416
  Range: 0-4
GET /v2/up/blobs/uploads/<id1> -> 204
  Range: 0-4
(it is done)
PATCH /v2/up/blobs/uploads/<id1> -> 202
  Range: 0-10
PUT /v2/up/blobs/uploads/<id1>?digest=$main::HELLO_D -> 201
  Location: http://localhost/v2/up/blobs/$main::HELLO_D
R
# end of the expected report
--- no_error_log
[error]
[alert]



=== TEST 6: PATCH with Transfer-Encoding: chunked, a chunk longer than its Content-Range, a PUT with a chunked final chunk
--- init
SwrTest::command('FLUSHALL');
SwrTest::flow('te', sub {
    my $r = SwrTest::step('POST', '/v2/up/blobs/uploads/');
    my $loc = SwrTest::path_of($r);
    SwrTest::step('PATCH', $loc, chunks => ['0123', '4', '56789'],
                  show => ['Range']);
    SwrTest::step('PATCH', $loc, chunks => ['abcdef', 'ghij'],
                  headers => ['Content-Range: 10-14'], show => ['Range'],
                  show_body => 1);
    SwrTest::step('GET', $loc, show => ['Range']);
    SwrTest::step('PATCH', $loc, chunks => ['abcde', 'fghij'],
                  headers => ['Content-Range: 10-19'], show => ['Range']);
    SwrTest::step('PUT', "$loc?digest=$main::ABC_D",
                  chunks => ['klmnop', 'qrstuvwxyz'],
                  show => [qw(Location Docker-Content-Digest)]);
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /te.txt", "GET /v2/up/blobs/$main::ABC_D"]
--- error_code eval
[200, 200]
--- response_body eval
[<<"R", $main::ABC]
POST /v2/up/blobs/uploads/ -> 202
PATCH /v2/up/blobs/uploads/<id1> -> 202
  Range: 0-9
PATCH /v2/up/blobs/uploads/<id1> -> 416
  Range: (none)
  body: $main::RANGE
GET /v2/up/blobs/uploads/<id1> -> 204
  Range: 0-9
PATCH /v2/up/blobs/uploads/<id1> -> 202
  Range: 0-19
PUT /v2/up/blobs/uploads/<id1>?digest=$main::ABC_D -> 201
  Location: http://localhost/v2/up/blobs/$main::ABC_D
  Docker-Content-Digest: $main::ABC_D
R
# end of the expected report
--- no_error_log
[error]
[alert]



=== TEST 7: PUT with the last chunk, POST then a single PUT, the same blob twice, 900 kB in three PATCHes
--- init
SwrTest::command('FLUSHALL');
SwrTest::flow('put', sub {
    my $r = SwrTest::step('POST', '/v2/up/blobs/uploads/');
    my $loc = SwrTest::path_of($r);
    SwrTest::step('PATCH', $loc, body => 'hello',
                  headers => ['Content-Range: 0-4'], show => ['Range']);
    SwrTest::step('PUT', "$loc?digest=$main::HELLO_D", body => ' world',
                  headers => ['Content-Range: 5-10',
                              'Content-Type: application/octet-stream'],
                  show => [qw(Location Docker-Content-Digest)]);

    $r = SwrTest::step('POST', '/v2/up2/blobs/uploads/');
    SwrTest::step('PUT', SwrTest::path_of($r) . "?digest=$main::HELLO_D",
                  body => $main::HELLO, show => ['Location']);

    $r = SwrTest::step('POST', '/v2/up2/blobs/uploads/');
    SwrTest::step('PUT', SwrTest::path_of($r) . "?digest=$main::HELLO_D",
                  body => $main::HELLO, show => ['Location']);

    $r = SwrTest::step('POST', '/v2/big/blobs/uploads/');
    $loc = SwrTest::path_of($r);
    my $at = 0;
    for my $part (@main::PARTS) {
        my $end = $at + length($part) - 1;
        SwrTest::step('PATCH', $loc, body => $part,
                      headers => ["Content-Range: $at-$end"],
                      show => ['Range']);
        $at = $end + 1;
    }
    SwrTest::step('PUT', "$loc?digest=$main::PARTS_D", show => ['Location']);
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /put.txt", "GET /v2/up2/blobs/$main::HELLO_D", "GET /v2/big/blobs/$main::PARTS_D"]
--- error_code eval
[200, 200, 200]
--- response_body eval
[<<"R", $main::HELLO, join('', @main::PARTS)]
POST /v2/up/blobs/uploads/ -> 202
PATCH /v2/up/blobs/uploads/<id1> -> 202
  Range: 0-4
PUT /v2/up/blobs/uploads/<id1>?digest=$main::HELLO_D -> 201
  Location: http://localhost/v2/up/blobs/$main::HELLO_D
  Docker-Content-Digest: $main::HELLO_D
POST /v2/up2/blobs/uploads/ -> 202
PUT /v2/up2/blobs/uploads/<id2>?digest=$main::HELLO_D -> 201
  Location: http://localhost/v2/up2/blobs/$main::HELLO_D
POST /v2/up2/blobs/uploads/ -> 202
PUT /v2/up2/blobs/uploads/<id3>?digest=$main::HELLO_D -> 201
  Location: http://localhost/v2/up2/blobs/$main::HELLO_D
POST /v2/big/blobs/uploads/ -> 202
PATCH /v2/big/blobs/uploads/<id4> -> 202
  Range: 0-299999
PATCH /v2/big/blobs/uploads/<id4> -> 202
  Range: 0-599999
PATCH /v2/big/blobs/uploads/<id4> -> 202
  Range: 0-899999
PUT /v2/big/blobs/uploads/<id4>?digest=$main::PARTS_D -> 201
  Location: http://localhost/v2/big/blobs/$main::PARTS_D
R
# end of the expected report
--- timeout: 10
--- no_error_log
[error]
[alert]



=== TEST 8: PUT without a digest or with a malformed one keeps the upload; a wrong digest ends it
--- init
SwrTest::command('FLUSHALL');
SwrTest::flow('digest', sub {
    my $r = SwrTest::step('POST', '/v2/up/blobs/uploads/');
    my $loc = SwrTest::path_of($r);
    SwrTest::step('PATCH', $loc, body => 'hello world', show => ['Range']);
    SwrTest::step('PUT', $loc, show => ['Location'], show_body => 1);
    SwrTest::step('PUT', "$loc?digest=", show_body => 1);
    SwrTest::step('PUT', "$loc?digest=sha256:xyz", show_body => 1);
    SwrTest::step('PUT', "$loc?digest=md5:d41d8cd98f00b204e9800998ecf8427e",
                  show_body => 1);
    SwrTest::step('GET', $loc, show => ['Range']);
    SwrTest::step('PUT', "$loc?digest=sha256:$main::HEX64",
                  show => [qw(Location Docker-Content-Digest)], show_body => 1);
    SwrTest::step('GET', $loc, show_body => 1);
    SwrTest::step('PUT', "$loc?digest=$main::HELLO_D", show_body => 1);
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
    location /storage/ {
        alias $TEST_NGINX_SERVER_ROOT/storage_temp/;
        autoindex on;
        autoindex_format json;
    }
--- request eval
["GET /digest.txt", "GET /v2/up/blobs/sha256:$main::HEX64", "GET /storage/uploads/"]
--- error_code eval
[200, 404, 200]
--- response_body eval
[<<"R", SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', "sha256:$main::HEX64"), "[\r\n]"]
POST /v2/up/blobs/uploads/ -> 202
PATCH /v2/up/blobs/uploads/<id1> -> 202
  Range: 0-10
PUT /v2/up/blobs/uploads/<id1> -> 400
  Location: (none)
  body: {"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content","detail":"the digest parameter is required"}]}
PUT /v2/up/blobs/uploads/<id1>?digest= -> 400
  body: {"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content","detail":null}]}
PUT /v2/up/blobs/uploads/<id1>?digest=sha256:xyz -> 400
  body: {"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content","detail":"sha256:xyz"}]}
PUT /v2/up/blobs/uploads/<id1>?digest=md5:d41d8cd98f00b204e9800998ecf8427e -> 400
  body: {"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content","detail":"md5:d41d8cd98f00b204e9800998ecf8427e"}]}
GET /v2/up/blobs/uploads/<id1> -> 204
  Range: 0-10
PUT /v2/up/blobs/uploads/<id1>?digest=sha256:$main::HEX64 -> 400
  Location: (none)
  Docker-Content-Digest: (none)
  body: {"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content","detail":"sha256:$main::HEX64"}]}
GET /v2/up/blobs/uploads/<id1> -> 404
  body: {"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry","detail":"<id1>"}]}
PUT /v2/up/blobs/uploads/<id1>?digest=$main::HELLO_D -> 404
  body: {"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry","detail":"<id1>"}]}
R
# end of the expected report
--- no_error_log
[error]
[alert]



=== TEST 9: DELETE cancels an upload: 204, then the id is unknown to every method
--- init
SwrTest::command('FLUSHALL');
SwrTest::flow('cancel', sub {
    my $r = SwrTest::step('POST', '/v2/up/blobs/uploads/');
    my $loc = SwrTest::path_of($r);
    SwrTest::step('PATCH', $loc, body => 'hello', show => ['Range']);
    SwrTest::step('DELETE', $loc, headers => ['Content-Length: 0'],
                  show => [qw(Content-Length Location)]);
    SwrTest::step('GET', $loc, show_body => 1);
    SwrTest::step('PATCH', $loc, body => ' world', show_body => 1);
    SwrTest::step('PUT', "$loc?digest=$main::HELLO_D", body => ' world',
                  show_body => 1);
    SwrTest::step('DELETE', $loc, show_body => 1);
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
    location /storage/ {
        alias $TEST_NGINX_SERVER_ROOT/storage_temp/;
        autoindex on;
        autoindex_format json;
    }
--- request eval
["GET /cancel.txt", "GET /storage/uploads/"]
--- error_code eval
[200, 200]
--- response_body eval
[<<"R", "[\r\n]"]
POST /v2/up/blobs/uploads/ -> 202
PATCH /v2/up/blobs/uploads/<id1> -> 202
  Range: 0-4
DELETE /v2/up/blobs/uploads/<id1> -> 204
  Content-Length: (none)
  Location: (none)
GET /v2/up/blobs/uploads/<id1> -> 404
  body: {"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry","detail":"<id1>"}]}
PATCH /v2/up/blobs/uploads/<id1> -> 404
  body: {"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry","detail":"<id1>"}]}
PUT /v2/up/blobs/uploads/<id1>?digest=$main::HELLO_D -> 404
  body: {"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry","detail":"<id1>"}]}
DELETE /v2/up/blobs/uploads/<id1> -> 404
  body: {"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry","detail":"<id1>"}]}
R
# end of the expected report
--- no_error_log
[error]
[alert]



=== TEST 10: unknown and malformed upload ids are BLOB_UPLOAD_UNKNOWN; other methods 405
--- init
SwrTest::command('FLUSHALL');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
my $id = '0b9e1cd8-3d3b-4c4e-9f5a-2a6f0c1d2e3f';
["GET /v2/up/blobs/uploads/$id",
 "PATCH /v2/up/blobs/uploads/$id\nhello",
 "PUT /v2/up/blobs/uploads/$id?digest=$main::HELLO_D\nhello world",
 "DELETE /v2/up/blobs/uploads/$id",
 "GET /v2/up/blobs/uploads/not-an-upload",
 "PATCH /v2/up/blobs/uploads/" . uc($id) . "\nhello",
 "GET /v2/up/blobs/uploads/$id-0",
 "PUT /v2/up/blobs/uploads/" . substr($id, 1) . "?digest=$main::HELLO_D\nhello world",
 "POST /v2/up/blobs/uploads/$id",
 "HEAD /v2/up/blobs/uploads/$id",
 "GET /v2/up/blobs/uploads/"]
--- error_code eval
[(404) x 8, 405, 405, 405]
--- response_headers eval
[("") x 8, "Allow: GET, PATCH, PUT, DELETE", "Allow: GET, PATCH, PUT, DELETE", "Allow: POST"]
--- response_body eval
my $id = '0b9e1cd8-3d3b-4c4e-9f5a-2a6f0c1d2e3f';
my $e = sub { SwrTest::err('BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry', $_[0]) };
[$e->($id), $e->($id), $e->($id), $e->($id), $e->('not-an-upload'),
 $e->(uc $id), $e->("$id-0"), $e->(substr($id, 1)),
 SwrTest::err('UNSUPPORTED', 'the operation is unsupported', 'POST'),
 "",
 SwrTest::err('UNSUPPORTED', 'the operation is unsupported', 'GET')]
--- no_error_log
[error]
[alert]



=== TEST 11: an upload belongs to its repository: another name cannot see, write, finish or cancel it
--- init
SwrTest::command('FLUSHALL');
SwrTest::flow('other', sub {
    my $r = SwrTest::step('POST', '/v2/team/a/blobs/uploads/');
    my $loc = SwrTest::path_of($r);
    (my $other = $loc) =~ s{/team/a/}{/team/b/};
    SwrTest::step('PATCH', $loc, body => 'hello', show => ['Range']);
    SwrTest::step('GET', $other, show => ['Range'], show_body => 1);
    SwrTest::step('PATCH', $other, body => ' world', show_body => 1);
    SwrTest::step('PUT', "$other?digest=$main::HELLO_D", body => ' world',
                  show_body => 1);
    SwrTest::step('DELETE', $other, show_body => 1);
    (my $parent = $loc) =~ s{/team/a/}{/team/};
    SwrTest::step('GET', $parent, show_body => 1);
    SwrTest::step('GET', $loc, show => ['Range']);
    SwrTest::step('PUT', "$loc?digest=$main::HELLO_D", body => ' world',
                  show => ['Location']);
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /other.txt", "GET /v2/team/b/blobs/$main::HELLO_D"]
--- error_code eval
[200, 404]
--- response_body eval
[<<"R", SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', $main::HELLO_D)]
POST /v2/team/a/blobs/uploads/ -> 202
PATCH /v2/team/a/blobs/uploads/<id1> -> 202
  Range: 0-4
GET /v2/team/b/blobs/uploads/<id1> -> 404
  Range: (none)
  body: {"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry","detail":"<id1>"}]}
PATCH /v2/team/b/blobs/uploads/<id1> -> 404
  body: {"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry","detail":"<id1>"}]}
PUT /v2/team/b/blobs/uploads/<id1>?digest=$main::HELLO_D -> 404
  body: {"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry","detail":"<id1>"}]}
DELETE /v2/team/b/blobs/uploads/<id1> -> 404
  body: {"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry","detail":"<id1>"}]}
GET /v2/team/blobs/uploads/<id1> -> 404
  body: {"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry","detail":"<id1>"}]}
GET /v2/team/a/blobs/uploads/<id1> -> 204
  Range: 0-4
PUT /v2/team/a/blobs/uploads/<id1>?digest=$main::HELLO_D -> 201
  Location: http://localhost/v2/team/a/blobs/$main::HELLO_D
R
# end of the expected report
--- no_error_log
[error]
[alert]



=== TEST 12: a cross-repository mount is 201; a blob that cannot be mounted starts a session
--- init
SwrTest::command('FLUSHALL');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[SwrTest::push_blob('lib/src', $main::HELLO),
 "POST /v2/app/dst/blobs/uploads/?mount=$main::HELLO_D&from=lib/src",
 "GET /v2/app/dst/blobs/$main::HELLO_D",
 "POST /v2/app/dst/blobs/uploads/?mount=sha256:$main::HEX64&from=lib/src",
 "POST /v2/app/other/blobs/uploads/?mount=$main::HELLO_D&from=lib/nothing",
 "POST /v2/app/other/blobs/uploads/?mount=$main::HELLO_D&from=Lib/Src",
 "POST /v2/app/other/blobs/uploads/?mount=sha256:123&from=lib/src"]
--- error_code eval
[201, 201, 200, 202, 202, 202, 202]
--- response_headers_like eval
["",
 "Location: http://localhost/v2/app/dst/blobs/\Q$main::HELLO_D\E
Docker-Content-Digest: \Q$main::HELLO_D\E
Content-Length: 0
Docker-Upload-UUID: ",
 "",
 "Location: http://localhost/v2/app/dst/blobs/uploads/$main::UUID_RE
Range: 0-0
Docker-Upload-UUID: $main::UUID_RE
Docker-Content-Digest: ",
 "Location: http://localhost/v2/app/other/blobs/uploads/$main::UUID_RE
Range: 0-0
Docker-Upload-UUID: $main::UUID_RE
Docker-Content-Digest: ",
 "Location: http://localhost/v2/app/other/blobs/uploads/$main::UUID_RE
Range: 0-0
Docker-Upload-UUID: $main::UUID_RE
Docker-Content-Digest: ",
 "Location: http://localhost/v2/app/other/blobs/uploads/$main::UUID_RE
Range: 0-0
Docker-Upload-UUID: $main::UUID_RE
Docker-Content-Digest: "]
--- response_body eval
["", "", "hello world", "", "", "", ""]
--- no_error_log
[error]
[alert]



=== TEST 13: a chunked upload finished with a sha512 digest; a hash state that cannot be read is BLOB_UPLOAD_INVALID
--- init
SwrTest::command('FLUSHALL');
SwrTest::flow('sha512', sub {
    my $r = SwrTest::step('POST', '/v2/up/blobs/uploads/?digest-algorithm=sha512');
    my $loc = SwrTest::path_of($r);
    SwrTest::step('PATCH', $loc, body => 'hello', show => ['Range']);
    SwrTest::step('PUT', "$loc?digest=$main::HELLO_D512", body => ' world',
                  show => [qw(Location Docker-Content-Digest)]);

    $r = SwrTest::step('POST', '/v2/up/blobs/uploads/');
    $loc = SwrTest::path_of($r);
    my ($id) = $loc =~ m{/([^/]+)$};
    SwrTest::step('PATCH', $loc, body => 'hello', show => ['Range']);
    SwrTest::command('HSET', "swr:upload:{$id}", 'state', 'garbage');
    SwrTest::note('(the hash state in Redis overwritten)');
    SwrTest::step('PATCH', $loc, body => ' world', show_body => 1);
    SwrTest::step('PUT', "$loc?digest=$main::HELLO_D", body => ' world',
                  show_body => 1);
    SwrTest::step('DELETE', $loc);
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /sha512.txt", "GET /v2/up/blobs/$main::HELLO_D512"]
--- error_code eval
[200, 200]
--- response_body eval
[<<"R", $main::HELLO]
POST /v2/up/blobs/uploads/?digest-algorithm=sha512 -> 202
PATCH /v2/up/blobs/uploads/<id1> -> 202
  Range: 0-4
PUT /v2/up/blobs/uploads/<id1>?digest=$main::HELLO_D512 -> 201
  Location: http://localhost/v2/up/blobs/$main::HELLO_D512
  Docker-Content-Digest: $main::HELLO_D512
POST /v2/up/blobs/uploads/ -> 202
PATCH /v2/up/blobs/uploads/<id2> -> 202
  Range: 0-4
(the hash state in Redis overwritten)
PATCH /v2/up/blobs/uploads/<id2> -> 400
  body: {"errors":[{"code":"BLOB_UPLOAD_INVALID","message":"blob upload invalid","detail":"<id2>"}]}
PUT /v2/up/blobs/uploads/<id2>?digest=$main::HELLO_D -> 400
  body: {"errors":[{"code":"BLOB_UPLOAD_INVALID","message":"blob upload invalid","detail":"<id2>"}]}
DELETE /v2/up/blobs/uploads/<id2> -> 204
R
# end of the expected report
--- no_error_log
[alert]



=== TEST 14: a client that leaves in the middle of a body: no scratch file, no lock left behind
--- init
SwrTest::command('FLUSHALL');
SwrTest::flow('abort', sub {
    my $s = SwrTest::partial('POST', "/v2/up/blobs/uploads/?digest=$main::HELLO_D", 11, 'hello');
    SwrTest::note('POST ?digest= sent 5 of 11 bytes');
    SwrTest::note('  files in uploads/: ' . SwrTest::entries(SwrTest::http('GET', '/storage/uploads/')));
    close $s;
    Time::HiRes::sleep(0.3);
    SwrTest::note('the client left');
    SwrTest::note('  files in uploads/: ' . SwrTest::entries(SwrTest::http('GET', '/storage/uploads/')));
    SwrTest::step('HEAD', "/v2/up/blobs/$main::HELLO_D");

    my $r = SwrTest::step('POST', '/v2/up/blobs/uploads/');
    my $loc = SwrTest::path_of($r);
    SwrTest::step('PATCH', $loc, body => 'hello', show => ['Range']);
    $s = SwrTest::partial('PATCH', $loc, 6, ' w');
    SwrTest::note('PATCH sent 2 of 6 bytes');
    SwrTest::step('GET', $loc, show => ['Range']);
    SwrTest::step('PATCH', $loc, body => ' world', show => ['Range']);
    close $s;
    Time::HiRes::sleep(0.3);
    SwrTest::note('the client left');
    SwrTest::step('PATCH', $loc, body => ' world', show => ['Range']);
    SwrTest::step('PUT', "$loc?digest=$main::HELLO_D", show => ['Location']);
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
    location /storage/ {
        alias $TEST_NGINX_SERVER_ROOT/storage_temp/;
        autoindex on;
        autoindex_format json;
    }
--- request eval
["GET /abort.txt", "GET /v2/up/blobs/$main::HELLO_D", "GET /storage/uploads/"]
--- error_code eval
[200, 200, 200]
--- response_body eval
[<<"R", $main::HELLO, "[\r\n]"]
POST ?digest= sent 5 of 11 bytes
  files in uploads/: 1
the client left
  files in uploads/: 0
HEAD /v2/up/blobs/$main::HELLO_D -> 404
POST /v2/up/blobs/uploads/ -> 202
PATCH /v2/up/blobs/uploads/<id1> -> 202
  Range: 0-4
PATCH sent 2 of 6 bytes
GET /v2/up/blobs/uploads/<id1> -> 204
  Range: 0-4
PATCH /v2/up/blobs/uploads/<id1> -> 416
  Range: 0-4
the client left
PATCH /v2/up/blobs/uploads/<id1> -> 202
  Range: 0-10
PUT /v2/up/blobs/uploads/<id1>?digest=$main::HELLO_D -> 201
  Location: http://localhost/v2/up/blobs/$main::HELLO_D
R
# end of the expected report
--- no_error_log
[error]
[alert]



=== TEST 15: an upload cancelled while a chunk is being written: the chunk is BLOB_UPLOAD_UNKNOWN, nothing is left
--- init
SwrTest::command('FLUSHALL');
SwrTest::flow('cancelled', sub {
    my $r = SwrTest::step('POST', '/v2/up/blobs/uploads/');
    my $loc = SwrTest::path_of($r);
    my $s = SwrTest::partial('PATCH', $loc, 6, 'abc', headers => ['Connection: close']);
    SwrTest::note('PATCH sent 3 of 6 bytes');
    SwrTest::step('GET', $loc, show => ['Range']);
    SwrTest::step('DELETE', $loc);
    print $s 'def';
    my $resp = '';
    my $sel = IO::Select->new($s);
    while ($sel->can_read(5) && sysread($s, my $buf, 4096)) { $resp .= $buf }
    close $s;
    my ($status) = $resp =~ m{^HTTP/1\.1 (\d+)};
    my ($body) = $resp =~ m{\r\n\r\n(.*)}s;
    SwrTest::note('the PATCH sent its last 3 bytes -> ' . ($status // 'no answer'),
                  '  body: ' . ($body // ''));
    SwrTest::step('GET', $loc, show_body => 1);
    SwrTest::note('files in uploads/: ' . SwrTest::entries(SwrTest::http('GET', '/storage/uploads/')));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
    location /storage/ {
        alias $TEST_NGINX_SERVER_ROOT/storage_temp/;
        autoindex on;
        autoindex_format json;
    }
--- request
GET /cancelled.txt
--- response_body
POST /v2/up/blobs/uploads/ -> 202
PATCH sent 3 of 6 bytes
GET /v2/up/blobs/uploads/<id1> -> 204
  Range: 0-0
DELETE /v2/up/blobs/uploads/<id1> -> 204
the PATCH sent its last 3 bytes -> 404
  body: {"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry","detail":"<id1>"}]}
GET /v2/up/blobs/uploads/<id1> -> 404
  body: {"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry","detail":"<id1>"}]}
files in uploads/: 0
--- no_error_log
[error]
[alert]
