# vim:set ft= ts=4 sw=4 et fdm=marker:
# Blobs: GET, HEAD and DELETE /v2/<name>/blobs/<digest>.  Every block
# starts from an empty Redis and an empty storage, and pushes what it needs
# with a monolithic POST ?digest= first.

use Test::Nginx::Socket;
use SwrTest;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

our $HELLO = 'hello world';
our $HELLO_D = SwrTest::sha256($HELLO);
our $HELLO_D512 = SwrTest::sha512($HELLO);
our $HEX64 = 'a' x 64;

# 1 MiB of printable, deterministic bytes (more than one sendfile chunk)
our $BIG = join '', map { Digest::SHA::sha256_hex("swr-$_") } 1 .. 16384;
our $BIG_D = SwrTest::sha256($BIG);

repeat_each(1);

# per request: status, each header, body, no_error_log ([error], [alert])
plan tests => repeat_each() * (
    (7 + 11 + 8)                    # TEST 1
    + (4 + 5 * 7)                   # TEST 2
    + (4 + 2 * 6)                   # TEST 3
    + (4 + 4 * 6)                   # TEST 4
    + (4 + 6 + 6 + 4)               # TEST 5
    + 3 * 7                         # TEST 6
    + 10 * 6                        # TEST 7
    + (4 + 4 + 6 + 4 + 4 + 4)       # TEST 8
    + 4 * 6                         # TEST 9
    + (5 + 7 + 6 + 4)               # TEST 10
    + 8                             # TEST 11
    + (5 + 5 + 6 + 6)               # TEST 12
    + (5 + 6)                       # TEST 13
    + 3                             # TEST 14
    + 7                             # TEST 15
);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: GET and HEAD of a pushed blob
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
[SwrTest::push_blob('lib/hello', $main::HELLO),
 "GET /v2/lib/hello/blobs/$main::HELLO_D",
 "HEAD /v2/lib/hello/blobs/$main::HELLO_D"]
--- error_code eval
[201, 200, 200]
--- response_headers eval
["Location: http://localhost/v2/lib/hello/blobs/$main::HELLO_D\n"
 . "Docker-Content-Digest: $main::HELLO_D\n"
 . "Content-Length: 0",
 "Content-Type: application/octet-stream\n"
 . "Content-Length: 11\n"
 . "Docker-Content-Digest: $main::HELLO_D\n"
 . "ETag: \"$main::HELLO_D\"\n"
 . "Accept-Ranges: bytes\n"
 . "Cache-Control: max-age=31536000, immutable\n"
 . "Docker-Distribution-API-Version: registry/2.0",
 "Content-Type: application/octet-stream\n"
 . "Content-Length: 11\n"
 . "Docker-Content-Digest: $main::HELLO_D\n"
 . "ETag: \"$main::HELLO_D\""]
--- response_body eval
["", "hello world", ""]
--- no_error_log
[error]
[alert]



=== TEST 2: Range requests: first bytes, an open end, a suffix, one byte
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
[SwrTest::push_blob('lib/hello', $main::HELLO),
 ("GET /v2/lib/hello/blobs/$main::HELLO_D") x 5]
--- more_headers eval
["", "Range: bytes=0-4", "Range: bytes=6-", "Range: bytes=-5",
 "Range: bytes=4-4", "Range: bytes=6-100"]
--- error_code eval
[201, 206, 206, 206, 206, 206]
--- response_headers eval
["",
 "Content-Range: bytes 0-4/11\nContent-Length: 5\nDocker-Content-Digest: $main::HELLO_D",
 "Content-Range: bytes 6-10/11\nContent-Length: 5\nDocker-Content-Digest: $main::HELLO_D",
 "Content-Range: bytes 6-10/11\nContent-Length: 5\nDocker-Content-Digest: $main::HELLO_D",
 "Content-Range: bytes 4-4/11\nContent-Length: 1\nDocker-Content-Digest: $main::HELLO_D",
 "Content-Range: bytes 6-10/11\nContent-Length: 5\nDocker-Content-Digest: $main::HELLO_D"]
--- response_body eval
["", "hello", "world", "world", "o", "world"]
--- no_error_log
[error]
[alert]



=== TEST 3: a Range beyond the blob is 416 with the blob's size, in the OCI envelope
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
[SwrTest::push_blob('lib/hello', $main::HELLO),
 "GET /v2/lib/hello/blobs/$main::HELLO_D",
 "GET /v2/lib/hello/blobs/$main::HELLO_D"]
--- more_headers eval
["", "Range: bytes=11-", "Range: bytes=100-200"]
--- error_code eval
[201, 416, 416]
--- response_headers eval
["",
 "Content-Range: bytes */11\nContent-Type: application/json; charset=utf-8",
 "Content-Range: bytes */11\nContent-Type: application/json; charset=utf-8"]
--- response_body eval
["",
 SwrTest::err('BLOB_UPLOAD_INVALID', 'requested range not satisfiable', undef),
 SwrTest::err('BLOB_UPLOAD_INVALID', 'requested range not satisfiable', undef)]
--- no_error_log
[error]
[alert]



=== TEST 4: conditional GET: If-None-Match with the blob's ETag is 304, If-Match with another 412
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
[SwrTest::push_blob('lib/hello', $main::HELLO),
 ("GET /v2/lib/hello/blobs/$main::HELLO_D") x 4]
--- more_headers eval
["", "If-None-Match: \"$main::HELLO_D\"", "If-None-Match: \"sha256:$main::HEX64\"",
 "If-Match: \"sha256:$main::HEX64\"", "If-Match: \"$main::HELLO_D\""]
--- error_code eval
[201, 304, 200, 412, 200]
--- response_headers eval
["", "ETag: \"$main::HELLO_D\"\nDocker-Content-Digest: $main::HELLO_D",
 "ETag: \"$main::HELLO_D\"\nContent-Length: 11",
 "Content-Type: application/json; charset=utf-8\nDocker-Distribution-API-Version: registry/2.0",
 "ETag: \"$main::HELLO_D\"\nContent-Length: 11"]
--- response_body eval
["", "", "hello world", SwrTest::err('UNKNOWN', 'bad request', undef), "hello world"]
--- no_error_log
[error]
[alert]



=== TEST 5: a blob pushed to one repository is unknown to another
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
[SwrTest::push_blob('team/a', $main::HELLO),
 "GET /v2/team/b/blobs/$main::HELLO_D",
 "HEAD /v2/team/b/blobs/$main::HELLO_D",
 "GET /v2/team/a/blobs/$main::HELLO_D"]
--- error_code eval
[201, 404, 404, 200]
--- response_headers eval
["",
 "Content-Type: application/json; charset=utf-8\nDocker-Distribution-API-Version: registry/2.0",
 "Content-Type: application/json; charset=utf-8\nContent-Length: "
 . length(SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', $main::HELLO_D)),
 ""]
--- response_body eval
["",
 SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', $main::HELLO_D),
 "",
 "hello world"]
--- no_error_log
[error]
[alert]



=== TEST 6: an unknown blob, in a repository that exists and in one that does not
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
[SwrTest::push_blob('lib/hello', $main::HELLO),
 "GET /v2/lib/hello/blobs/sha256:$main::HEX64",
 "GET /v2/no/such/repo/blobs/sha256:$main::HEX64"]
--- error_code eval
[201, 404, 404]
--- response_headers eval
["Location: http://localhost/v2/lib/hello/blobs/$main::HELLO_D\nDocker-Content-Digest: $main::HELLO_D\nContent-Length: 0",
 "Content-Type: application/json; charset=utf-8\n!ETag\n!Docker-Content-Digest",
 "Content-Type: application/json; charset=utf-8\n!ETag\n!Docker-Content-Digest"]
--- response_body eval
["",
 SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', "sha256:$main::HEX64"),
 SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', "sha256:$main::HEX64")]
--- no_error_log
[error]
[alert]



=== TEST 7: malformed digests and unsupported algorithms are DIGEST_INVALID
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[map { "GET /v2/lib/hello/blobs/$_" }
 "sha256:abc",
 "sha256:" . ("A" x 64),
 "sha256:" . ("a" x 63),
 "sha256:" . ("a" x 65),
 "sha256:" . ("a" x 63) . "g",
 "sha256:",
 "latest",
 "md5:d41d8cd98f00b204e9800998ecf8427e",
 "sha384:" . ("a" x 96),
 "SHA256:" . ("a" x 64)]
--- error_code eval
[(400) x 10]
--- response_headers eval
[("Content-Type: application/json; charset=utf-8\nDocker-Distribution-API-Version: registry/2.0") x 10]
--- response_body eval
[map { SwrTest::err('DIGEST_INVALID', 'provided digest did not match uploaded content', $_) }
 "sha256:abc",
 "sha256:" . ("A" x 64),
 "sha256:" . ("a" x 63),
 "sha256:" . ("a" x 65),
 "sha256:" . ("a" x 63) . "g",
 "sha256:",
 "latest",
 "md5:d41d8cd98f00b204e9800998ecf8427e",
 "sha384:" . ("a" x 96),
 "SHA256:" . ("a" x 64)]
--- no_error_log
[error]
[alert]




=== TEST 8: DELETE unlinks the blob from one repository only
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
[SwrTest::push_blob('team/a', $main::HELLO),
 SwrTest::push_blob('team/b', $main::HELLO),
 "DELETE /v2/team/a/blobs/$main::HELLO_D",
 "GET /v2/team/a/blobs/$main::HELLO_D",
 "DELETE /v2/team/a/blobs/$main::HELLO_D",
 "GET /v2/team/b/blobs/$main::HELLO_D"]
--- error_code eval
[201, 201, 202, 404, 404, 200]
--- response_headers eval
["", "", "Content-Length: 0\nDocker-Distribution-API-Version: registry/2.0", "", "", ""]
--- response_body eval
["", "",  "",
 SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', $main::HELLO_D),
 SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', $main::HELLO_D),
 "hello world"]
--- no_error_log
[error]
[alert]



=== TEST 9: methods a blob does not take are 405 with Allow
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["PUT /v2/lib/hello/blobs/$main::HELLO_D\nhello world",
 "POST /v2/lib/hello/blobs/$main::HELLO_D\nhello world",
 "PATCH /v2/lib/hello/blobs/$main::HELLO_D\nhello world",
 "OPTIONS /v2/lib/hello/blobs/$main::HELLO_D"]
--- error_code eval
[405, 405, 405, 405]
--- response_headers eval
[("Allow: GET, HEAD, DELETE\nContent-Type: application/json; charset=utf-8") x 4]
--- response_body eval
[SwrTest::err('UNSUPPORTED', 'the operation is unsupported', 'PUT'),
 SwrTest::err('UNSUPPORTED', 'the operation is unsupported', 'POST'),
 SwrTest::err('UNSUPPORTED', 'the operation is unsupported', 'PATCH'),
 SwrTest::err('UNSUPPORTED', 'the operation is unsupported', 'OPTIONS')]
--- no_error_log
[error]
[alert]



=== TEST 10: a sha512 blob is served under its sha512 digest only
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
["POST /v2/lib/hello/blobs/uploads/?digest=$main::HELLO_D512\n$main::HELLO",
 "GET /v2/lib/hello/blobs/$main::HELLO_D512",
 "HEAD /v2/lib/hello/blobs/$main::HELLO_D512",
 "GET /v2/lib/hello/blobs/$main::HELLO_D"]
--- error_code eval
[201, 200, 200, 404]
--- response_headers eval
["Location: http://localhost/v2/lib/hello/blobs/$main::HELLO_D512",
 "Docker-Content-Digest: $main::HELLO_D512\nETag: \"$main::HELLO_D512\"\nContent-Length: 11",
 "Docker-Content-Digest: $main::HELLO_D512\nContent-Length: 11",
 ""]
--- response_body eval
["", "hello world", "",
 SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', $main::HELLO_D)]
--- no_error_log
[error]
[alert]



=== TEST 11: a blob Redis knows but storage lost is BLOB_UNKNOWN, without the blob's headers
--- init
SwrTest::command('FLUSHALL');
SwrTest::command('HSET', 'swr:{r:lib/hello}:blobs', $main::HELLO_D, '11');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
"GET /v2/lib/hello/blobs/$main::HELLO_D"
--- error_code: 404
--- response_headers
Content-Type: application/json; charset=utf-8
!ETag
!Docker-Content-Digest
!Cache-Control
--- response_body eval
SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', $main::HELLO_D)
--- no_error_log
[error]
[alert]




=== TEST 12: an empty blob
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
[SwrTest::push_blob('lib/empty', ''),
 SwrTest::push_blob('lib/empty2', ''),
 "GET /v2/lib/empty/blobs/" . SwrTest::sha256(''),
 "HEAD /v2/lib/empty2/blobs/" . SwrTest::sha256('')]
--- more_headers eval
["", "Content-Length: 0", "", ""]
--- error_code eval
[201, 201, 200, 200]
--- response_headers eval
["Docker-Content-Digest: " . SwrTest::sha256(''),
 "Docker-Content-Digest: " . SwrTest::sha256(''),
 "Content-Length: 0\nDocker-Content-Digest: " . SwrTest::sha256(''),
 "Content-Length: 0\nDocker-Content-Digest: " . SwrTest::sha256('')]
--- response_body eval
["", "", "", ""]
--- no_error_log
[error]
[alert]




=== TEST 13: a 1 MiB blob comes back byte for byte
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
[SwrTest::push_blob('lib/big', $main::BIG),
 "GET /v2/lib/big/blobs/$main::BIG_D"]
--- error_code eval
[201, 200]
--- response_headers eval
["Docker-Content-Digest: $main::BIG_D",
 "Content-Length: 1048576\nDocker-Content-Digest: $main::BIG_D"]
--- response_body eval
["", $main::BIG]
--- timeout: 10
--- no_error_log
[error]
[alert]



=== TEST 14: a registry location without swr_storage cannot serve blobs
--- init
SwrTest::command('FLUSHALL');
SwrTest::command('HSET', 'swr:{r:lib/hello}:blobs', $main::HELLO_D, '11');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    location /v2/ {
        swr_registry;
    }
--- request eval
"GET /v2/lib/hello/blobs/$main::HELLO_D"
--- error_code: 500
--- response_body eval
SwrTest::err('UNKNOWN', 'unknown error', undef)
--- error_log
swr_registry location without swr_storage



=== TEST 15: a blob whose size on storage is not the one Redis has is a 500 in the OCI envelope
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/hello', $main::HELLO);
SwrTest::command('HSET', 'swr:{r:lib/hello}:blobs', $main::HELLO_D, '12');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
"GET /v2/lib/hello/blobs/$main::HELLO_D"
--- error_code: 500
--- response_headers
Content-Type: application/json; charset=utf-8
!ETag
!Docker-Content-Digest
--- response_body eval
SwrTest::err('UNKNOWN', 'unknown error', undef)
--- error_log
is 11 bytes, 12 expected
--- no_error_log
[alert]
