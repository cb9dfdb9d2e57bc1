# vim:set ft= ts=4 sw=4 et fdm=marker:
# One error table, two envelopes: OCI errors[] under the registry, SWR's
# error_code/error_msg under /v2/manage/.  Errors that nginx raises itself
# in these locations (413, 403, 400, 500...) get the same JSON bodies, never
# nginx's HTML pages.

use Test::Nginx::Socket;

repeat_each(2);

plan tests => repeat_each() * (4 + 4 + 3 + 4 + 2 + 4 + 2 + 2 + 2 + 3 + 3);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: the SWR envelope, old and new layout in one body
--- config
    location /v2/manage/ {
        swr_manage_api;
    }
--- request
GET /v2/manage/no/such/operation
--- error_code: 404
--- response_headers
Content-Type: application/json; charset=utf-8
!Docker-Distribution-API-Version
--- response_body chomp
{"errors":[{"errorCode":"SVCSTG.SWR.4040083","errorMessage":"Requested URL not found","detail":"/v2/manage/no/such/operation"}],"error_code":"SVCSTG.SWR.4040083","error_msg":"Requested URL not found","details":[{"error_code":"SVCSTG.SWR.4040083","error_msg":"/v2/manage/no/such/operation"}]}



=== TEST 2: a body over client_max_body_size is 413 in the OCI envelope
--- config
    location /v2/ {
        client_max_body_size 8;
        swr_registry;
    }
--- request
POST /v2/some/blobs/uploads/
0123456789abcdef
--- error_code: 413
--- response_headers
Content-Type: application/json; charset=utf-8
Docker-Distribution-API-Version: registry/2.0
--- response_body chomp
{"errors":[{"code":"SIZE_INVALID","message":"request body too large","detail":null}]}



=== TEST 3: the same 413 under /v2/manage/ is SWR's 4131001
--- config
    location /v2/manage/ {
        client_max_body_size 8;
        swr_manage_api;
    }
--- request
POST /v2/manage/namespaces
{"namespace":"a-long-enough-name"}
--- error_code: 413
--- response_headers
Content-Type: application/json; charset=utf-8
--- response_body_like: ^\{"errors":\[\{"errorCode":"SVCSTG.SWR.4131001","errorMessage":"Request body is too large","detail":""\}\],"error_code":"SVCSTG.SWR.4131001",



=== TEST 4: deny in a registry location is DENIED, not an HTML page
--- config
    location /v2/ {
        deny all;
        swr_registry;
    }
--- request
GET /v2/
--- error_code: 403
--- response_headers
Content-Type: application/json; charset=utf-8
--- response_body chomp
{"errors":[{"code":"DENIED","message":"requested access to the resource is denied","detail":null}]}
--- error_log
access forbidden by rule



=== TEST 5: return 503 in a manage location keeps the status, SWR body
--- config
    location /v2/manage/ {
        swr_manage_api;
        return 503;
    }
--- request
GET /v2/manage/namespaces
--- error_code: 503
--- response_body_like: "error_code":"SVCSTG.SWR.5030001","error_msg":"Service temporarily unavailable"



=== TEST 6: HEAD of an error has the headers and no body
--- config
    location /v2/ {
        swr_registry;
    }
--- request
HEAD /v2/nothing/here
--- error_code: 404
--- response_headers
Content-Type: application/json; charset=utf-8
Docker-Distribution-API-Version: registry/2.0
--- response_body



=== TEST 7: a path that is not UTF-8 still gives valid JSON
--- config
    location /v2/ {
        swr_registry;
    }
--- request
GET /v2/%FF%FEx
--- error_code: 404
--- response_body chomp
{"errors":[{"code":"NOT_FOUND","message":"no such endpoint","detail":"/v2/??x"}]}



=== TEST 8: control characters in a detail are escaped
--- config
    location /v2/ {
        swr_registry;
    }
--- request
GET /v2/a%0Ab%22c
--- error_code: 404
--- response_body chomp
{"errors":[{"code":"NOT_FOUND","message":"no such endpoint","detail":"/v2/a\nb\"c"}]}



=== TEST 9: locations without swr directives keep nginx's own pages
--- config
    location /v2/ {
        swr_registry;
    }
    location /other/ {
        return 404;
    }
--- request
GET /other/x
--- error_code: 404
--- response_body_like: <html>



=== TEST 10: a bad header under /v2/, before any location is chosen
--- config
    location /v2/ {
        swr_registry;
    }
    location /v2/manage/ {
        swr_manage_api;
    }
--- raw_request eval
"GET /v2/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: x\r\n\r\n"
--- error_code: 400
--- response_headers
Docker-Distribution-API-Version: registry/2.0
--- response_body chomp
{"errors":[{"code":"UNKNOWN","message":"bad request","detail":null}]}



=== TEST 11: the same under /v2/manage/ takes the longest location's role
--- config
    location /v2/ {
        swr_registry;
    }
    location /v2/manage/ {
        swr_manage_api;
    }
--- raw_request eval
"GET /v2/manage/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: x\r\n\r\n"
--- error_code: 400
--- response_headers
!Docker-Distribution-API-Version
--- response_body_like: "error_code":"SVCSTG.SWR.4000014"
