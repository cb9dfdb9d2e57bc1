# vim:set ft= ts=4 sw=4 et fdm=marker:
# The asynchronous Redis link against a real redis-server: health round
# trips, Redis stopped and started again under a running nginx, commands
# that time out, clients that leave before the reply.

use Test::Nginx::Socket;
use SwrTest;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

repeat_each(1);

plan tests => repeat_each() * (4 + 2 + 4 + 4 + 4 + 3 + 2 + 4 + 4);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: health answers 200 after a PING round trip
--- init
SwrTest::redis_start();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    location = /_swr/health {
        swr_health;
    }
--- request
GET /_swr/health
--- response_headers
Content-Type: application/json; charset=utf-8
--- response_body_like: ^\{"status":"ok","version":"[0-9.]+","pid":\d+,"redis":\{"status":"up","latency_ms":\d+,"pending":0,"connects":1,"failures":0\}\}$
--- no_error_log
[error]



=== TEST 2: without swr_redis the health check says so
--- config
    location = /_swr/health {
        swr_health;
    }
--- request
GET /_swr/health
--- error_code: 503
--- response_body_like: "redis":\{"status":"unconfigured"\}



=== TEST 3: Redis stopped gives 503 at once, service resumes when it is back
--- init
SwrTest::redis_start();
SwrTest::redis_stop();
SwrTest::redis_start_after(0.8);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    location = /_swr/health {
        swr_health;
    }
    location /v2/ {
        swr_registry;
    }
    location = /later {
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/_swr/health;
        proxy_method GET;
        proxy_pass_request_body off;
        proxy_set_header Content-Length "";
    }
--- request eval
["GET /_swr/health",
 ["POST /later\nab", {value => "cd", delay_before => 2.5}]]
--- timeout: 5
--- error_code eval
[503, 200]
--- response_body_like eval
['"status":"unavailable".*"redis":\{"status":"down","error":"[^"]+"',
 '"status":"ok".*"redis":\{"status":"up".*"connects":2']



=== TEST 4: the registry does not need Redis for GET /v2/
--- init
SwrTest::redis_stop();
SwrTest::redis_start_after(0.3);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    location /v2/ {
        swr_registry;
    }
    location = /_swr/health {
        swr_health;
    }
--- request eval
["GET /v2/", "GET /_swr/health"]
--- error_code eval
[200, 503]
--- response_body_like eval
['^\{\}$', '"status":"down"']



=== TEST 5: a command that outlives its timeout fails the request with 503
--- init
SwrTest::redis_start();
SwrTest::wait_health();
SwrTest::command('CLIENT', 'PAUSE', '1500');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT timeout=300ms;
--- config
    location = /_swr/health {
        swr_health;
    }
    location = /later {
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/_swr/health;
        proxy_method GET;
        proxy_pass_request_body off;
        proxy_set_header Content-Length "";
    }
--- request eval
["GET /_swr/health",
 ["POST /later\nab", {value => "cd", delay_before => 2}]]
--- timeout: 4
--- error_code eval
[503, 200]
--- response_body_like eval
['"error":"command timed out"', '"status":"ok"']



=== TEST 6: a client that leaves before the reply leaves nothing behind
--- init
SwrTest::redis_start();
SwrTest::wait_health();
SwrTest::command('CLIENT', 'PAUSE', '700');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    location = /_swr/health {
        swr_health;
    }
--- request
GET /_swr/health
--- timeout: 0.2
--- abort
--- wait: 1
--- error_code:
--- error_log
swr redis op cancelled
swr redis reply for a finished request dropped



=== TEST 7: a unix socket address is accepted and fails cleanly when absent
--- http_config
    swr_redis unix:$TEST_NGINX_SERVER_ROOT/no-such.sock;
--- config
    location = /_swr/health {
        swr_health;
    }
--- request
GET /_swr/health
--- error_code: 503
--- response_body_like: "error":"connect failed: No such file or directory"



=== TEST 8: scripts unknown to Redis (SCRIPT FLUSH) are sent again
--- init
SwrTest::redis_start();
SwrTest::command('SCRIPT', 'FLUSH');
SwrTest::command('ZADD', 'swr:{r:flush/repo}:taglist', '0', 'v1');
SwrTest::command('HSET', 'swr:{r:flush/repo}:manifests', 'sha256:x', '1 t');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    location /v2/ {
        swr_registry;
    }
--- request
GET /v2/flush/repo/tags/list
--- response_body chomp
{"name":"flush/repo","tags":["v1"]}
--- error_log
swr redis script 4 not loaded, sending it
--- no_error_log
[error]



=== TEST 9: past max_pending commands in flight a request gets 429 at once
--- init
SwrTest::redis_start();
SwrTest::wait_health();
SwrTest::command('CLIENT', 'PAUSE', '1500');
SwrTest::get_in_background('/_swr/health');
select(undef, undef, undef, 0.4);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT max_pending=1;
--- config
    location = /_swr/health {
        swr_health;
    }
    location /v2/ {
        swr_registry;
    }
--- request
GET /v2/busy/repo/tags/list
--- timeout: 1
--- error_code: 429
--- response_headers
Retry-After: 1
--- response_body chomp
{"errors":[{"code":"TOOMANYREQUESTS","message":"too many requests","detail":"metadata store saturated"}]}
--- error_log
commands in flight, refusing more
