# vim:set ft= ts=4 sw=4 et fdm=marker:
# GET /v2/: the version check every registry client starts with.

use Test::Nginx::Socket;

repeat_each(2);

plan tests => repeat_each() * (5 + 4 + 3 + 3 + 4 + 3);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: GET /v2/ answers 200 with an empty JSON object
--- config
    location /v2/ {
        swr_registry;
    }
--- request
GET /v2/
--- response_headers
Content-Type: application/json; charset=utf-8
Docker-Distribution-API-Version: registry/2.0
Content-Length: 2
--- response_body chomp
{}



=== TEST 2: HEAD /v2/ has the same headers and no body
--- config
    location /v2/ {
        swr_registry;
    }
--- request
HEAD /v2/
--- response_headers
Docker-Distribution-API-Version: registry/2.0
Content-Length: 2
--- response_body



=== TEST 3: /v2 without the slash is the same endpoint
--- config
    location /v2 {
        swr_registry;
    }
--- request
GET /v2
--- response_headers
Docker-Distribution-API-Version: registry/2.0
--- response_body chomp
{}



=== TEST 4: every response carries a request id
--- config
    location /v2/ {
        swr_registry;
    }
--- request
GET /v2/
--- response_headers_like
X-Request-Id: [0-9a-f]{32}
--- error_code: 200
--- no_error_log
[error]



=== TEST 5: other methods on /v2/ are refused with 405 and Allow
--- config
    location /v2/ {
        swr_registry;
    }
--- request
POST /v2/
--- error_code: 405
--- response_headers
Allow: GET, HEAD
Docker-Distribution-API-Version: registry/2.0
--- response_body chomp
{"errors":[{"code":"UNSUPPORTED","message":"the operation is unsupported","detail":"POST"}]}



=== TEST 6: an unknown registry path is a 404 in the OCI envelope
--- config
    location /v2/ {
        swr_registry;
    }
--- request
GET /v2/no/such/endpoint
--- error_code: 404
--- response_headers
Content-Type: application/json; charset=utf-8
--- response_body chomp
{"errors":[{"code":"NOT_FOUND","message":"no such endpoint","detail":"/v2/no/such/endpoint"}]}
