# vim:set ft= ts=4 sw=4 et fdm=marker:
# Location headers: absolute URLs built from the request's Host; behind a
# reverse proxy trusted with swr_trust_forwarded, from X-Forwarded-Proto
# and X-Forwarded-Host instead; without it those headers are ignored.

use Test::Nginx::Socket;
use SwrTest;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

our $HELLO = 'hello world';
our $HELLO_D = SwrTest::sha256($HELLO);
our $CFG = '{"architecture":"amd64","os":"linux"}';
our $M = SwrTest::manifest($CFG, []);
our $M_D = SwrTest::sha256($M);
our $UUID_RE = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

repeat_each(1);

# per request: status, the Location header, no_error_log (2 patterns)
plan tests => repeat_each() * 4 * (4 + 6 + 4 + 3 + 1);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: Location comes from Host; X-Forwarded-* are ignored without swr_trust_forwarded
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('fw/app', $main::CFG);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["POST /v2/fw/app/blobs/uploads/",
 SwrTest::push_blob('fw/app', $main::HELLO),
 SwrTest::put_manifest('fw/app', 'v1', $main::M),
 "POST /v2/fw/app/blobs/uploads/"]
--- more_headers eval
["Host: registry.example.com:5000",
 "Host: registry.example.com:5000",
 "Host: registry.example.com:5000\nContent-Type: " . SwrTest::MT_OCI_MANIFEST,
 "X-Forwarded-Proto: https\nX-Forwarded-Host: proxy.example.com"]
--- error_code eval
[202, 201, 201, 202]
--- response_headers_like eval
["Location: http://registry\\.example\\.com:5000/v2/fw/app/blobs/uploads/$main::UUID_RE",
 "Location: http://registry\\.example\\.com:5000/v2/fw/app/blobs/\Q$main::HELLO_D\E",
 "Location: http://registry\\.example\\.com:5000/v2/fw/app/manifests/\Q$main::M_D\E",
 "Location: http://localhost/v2/fw/app/blobs/uploads/$main::UUID_RE"]
--- no_error_log
[error]
[alert]



=== TEST 2: with swr_trust_forwarded on, X-Forwarded-Proto and X-Forwarded-Host win
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('fw/app', $main::CFG);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_trust_forwarded on;
        swr_registry;
    }
--- request eval
["POST /v2/fw/app/blobs/uploads/",
 "POST /v2/fw/app/blobs/uploads/",
 "POST /v2/fw/app/blobs/uploads/",
 "POST /v2/fw/app/blobs/uploads/",
 SwrTest::push_blob('fw/app', $main::HELLO),
 SwrTest::put_manifest('fw/app', 'v1', $main::M)]
--- more_headers eval
["X-Forwarded-Proto: https\nX-Forwarded-Host: registry.example.com",
 "X-Forwarded-Proto: https",
 "X-Forwarded-Host: registry.example.com:8443",
 "X-Forwarded-Host: registry.example.com\nHost: other.example.com",
 "x-forwarded-proto: https\nx-forwarded-host: registry.example.com",
 "X-Forwarded-Proto: https\nX-Forwarded-Host: registry.example.com\nContent-Type: " . SwrTest::MT_OCI_MANIFEST]
--- error_code eval
[202, 202, 202, 202, 201, 201]
--- response_headers_like eval
["Location: https://registry\\.example\\.com/v2/fw/app/blobs/uploads/$main::UUID_RE",
 "Location: https://localhost/v2/fw/app/blobs/uploads/$main::UUID_RE",
 "Location: http://registry\\.example\\.com:8443/v2/fw/app/blobs/uploads/$main::UUID_RE",
 "Location: http://registry\\.example\\.com/v2/fw/app/blobs/uploads/$main::UUID_RE",
 "Location: https://registry\\.example\\.com/v2/fw/app/blobs/\Q$main::HELLO_D\E",
 "Location: https://registry\\.example\\.com/v2/fw/app/manifests/\Q$main::M_D\E"]
--- no_error_log
[error]
[alert]



=== TEST 3: swr_trust_forwarded is inherited from the server level, and off in a location turns it off
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    swr_trust_forwarded on;
    location /v2/ {
        swr_registry;
    }
    location /v2/untrusted/ {
        swr_trust_forwarded off;
        swr_registry;
    }
--- request eval
["POST /v2/fw/app/blobs/uploads/",
 "POST /v2/untrusted/app/blobs/uploads/",
 "POST /v2/fw/app/blobs/uploads/",
 "POST /v2/untrusted/app/blobs/uploads/"]
--- more_headers eval
["X-Forwarded-Proto: https\nX-Forwarded-Host: registry.example.com",
 "X-Forwarded-Proto: https\nX-Forwarded-Host: registry.example.com",
 "Host: direct.example.com",
 "Host: direct.example.com"]
--- error_code eval
[202, 202, 202, 202]
--- response_headers_like eval
["Location: https://registry\\.example\\.com/v2/fw/app/blobs/uploads/$main::UUID_RE",
 "Location: http://localhost/v2/untrusted/app/blobs/uploads/$main::UUID_RE",
 "Location: http://direct\\.example\\.com/v2/fw/app/blobs/uploads/$main::UUID_RE",
 "Location: http://direct\\.example\\.com/v2/untrusted/app/blobs/uploads/$main::UUID_RE"]
--- no_error_log
[error]
[alert]



=== TEST 4: a chain of proxies: the first X-Forwarded-Host and X-Forwarded-Proto are the client's
Proxies append to these headers ("client-side, next hop"); the URL the
client can use is built from the first entries.
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        swr_trust_forwarded on;
        swr_registry;
    }
--- request eval
["POST /v2/fw/app/blobs/uploads/",
 "POST /v2/fw/app/blobs/uploads/",
 "POST /v2/fw/app/blobs/uploads/"]
--- more_headers eval
["X-Forwarded-Proto: https, http\nX-Forwarded-Host: registry.example.com, lb.internal:8080",
 "X-Forwarded-Proto: https,http\nX-Forwarded-Host: registry.example.com,lb.internal",
 "X-Forwarded-Proto: https\nX-Forwarded-Host: registry.example.com"]
--- error_code eval
[202, 202, 202]
--- response_headers_like eval
["Location: https://registry\\.example\\.com/v2/fw/app/blobs/uploads/$main::UUID_RE",
 "Location: https://registry\\.example\\.com/v2/fw/app/blobs/uploads/$main::UUID_RE",
 "Location: https://registry\\.example\\.com/v2/fw/app/blobs/uploads/$main::UUID_RE"]
--- no_error_log
[error]
[alert]



=== TEST 5: a request without Host gets a Location without host
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        swr_registry;
    }
--- raw_request eval
"POST /v2/fw/app/blobs/uploads/ HTTP/1.0\r\n\r\n"
--- error_code: 202
--- response_headers_like
Location: /v2/fw/app/blobs/uploads/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}
--- no_error_log
[error]
[alert]
