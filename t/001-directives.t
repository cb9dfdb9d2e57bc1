# vim:set ft= ts=4 sw=4 et fdm=marker:
# Directive parsing: what nginx accepts at start-up and what it refuses,
# with a message that names the problem.

use Test::Nginx::Socket;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

repeat_each(1);

plan tests => repeat_each() * (4 + 9 * 3 + 4 + 3 + 4 + 3 + 8 * 3 + 3 + 4 * 3 + 3);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: swr_redis with every parameter is accepted
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT db=0 connect_timeout=500ms
              timeout=2s max_pending=64;
--- config
    location /v2/ {
        swr_registry;
    }
--- request
GET /v2/
--- response_body chomp
{}
--- no_error_log
[error]
[emerg]



=== TEST 2: swr_redis refuses an unknown parameter
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT color=blue;
--- config
    location /v2/ {
        swr_registry;
    }
--- must_die
--- error_log
[emerg]
invalid parameter "color=blue"



=== TEST 3: swr_redis refuses a zero timeout
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT timeout=0;
--- config
    location /v2/ {
        swr_registry;
    }
--- must_die
--- error_log
[emerg]
invalid parameter "timeout=0"



=== TEST 4: swr_redis may appear once
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    location /v2/ {
        swr_registry;
    }
--- must_die
--- error_log
[emerg]
"swr_redis" directive is duplicate



=== TEST 5: swr_redis refuses an address it cannot parse
--- http_config
    swr_redis 127.0.0.1:notaport;
--- config
    location /v2/ {
        swr_registry;
    }
--- must_die
--- error_log
[emerg]
invalid port in Redis address "127.0.0.1:notaport"



=== TEST 6: swr_registry conflicts with another content handler
--- config
    location /v2/ {
        proxy_pass http://127.0.0.1:1;
        swr_registry;
    }
--- must_die
--- error_log
[emerg]
"swr_registry" directive conflicts with another content handler



=== TEST 7: swr_storage knows the local and obs types
--- config
    location /v2/ {
        swr_registry;
        swr_storage s3 /tmp;
    }
--- must_die
--- error_log
[emerg]
unknown storage type "s3", expected "local" or "obs"



=== TEST 8: swr_registry takes no arguments
--- config
    location /v2/ {
        swr_registry on;
    }
--- must_die
--- error_log
[emerg]
invalid number of arguments in "swr_registry" directive



=== TEST 9: swr_storage may appear once per level
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/a;
    swr_storage local $TEST_NGINX_SERVER_ROOT/b;
    location /v2/ {
        swr_registry;
    }
--- must_die
--- error_log
[emerg]
"swr_storage" directive is duplicate



=== TEST 10: swr_registry is not allowed at server level
--- config
    swr_registry;
--- must_die
--- error_log
[emerg]
"swr_registry" directive is not allowed here



=== TEST 11: swr_storage creates its directory, parents included
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/html/data/deep/storage;
    location /v2/ {
        swr_registry;
    }
    location /data/ {
        autoindex on;
    }
--- request
GET /data/deep/
--- response_body_like: storage/
--- no_error_log
[error]
[emerg]



=== TEST 12: swr_audit_log opens its file at start-up
--- config
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
    location /v2/ {
        swr_registry;
    }
--- request
GET /audit.log
--- response_body
--- no_error_log
[error]



=== TEST 13: swr_manage_api and swr_health in their own locations
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    location /v2/manage/ {
        swr_manage_api;
    }
    location = /_swr/health {
        swr_health;
    }
--- request
GET /_swr/health
--- response_body_like: "status":"ok"
--- no_error_log
[error]
[emerg]



=== TEST 14: a registry without swr_redis starts, with a warning
--- config
    location /v2/ {
        swr_registry;
    }
--- request
GET /v2/
--- response_body chomp
{}
--- error_log
swr_registry or swr_manage_api without swr_redis



=== TEST 15: swr_obs refuses an unknown signature
--- http_config
    swr_obs s endpoint=127.0.0.1:1 bucket=b access_key=a secret_key=k signature=v2;
--- config
    location /v2/ {
        swr_registry;
        swr_storage obs s;
    }
--- must_die
--- error_log
[emerg]
invalid signature "v2", expected "v4" or "obs"



=== TEST 16: swr_obs refuses an unknown addressing
--- http_config
    swr_obs s endpoint=127.0.0.1:1 bucket=b access_key=a secret_key=k addressing=dns;
--- config
    location /v2/ {
        swr_registry;
        swr_storage obs s;
    }
--- must_die
--- error_log
[emerg]
invalid addressing "dns", expected "path" or "virtual"



=== TEST 17: swr_obs needs its keys
--- http_config
    swr_obs s endpoint=127.0.0.1:1 bucket=b access_key=a;
--- config
    location /v2/ {
        swr_registry;
        swr_storage obs s;
    }
--- must_die
--- error_log
[emerg]
swr_obs "s" needs endpoint, bucket, access_key and secret_key



=== TEST 18: swr_obs names are unique
--- http_config
    swr_obs s endpoint=127.0.0.1:1 bucket=b access_key=a secret_key=k;
    swr_obs s endpoint=127.0.0.1:1 bucket=b access_key=a secret_key=k;
--- config
    location /v2/ {
        swr_registry;
        swr_storage obs s;
    }
--- must_die
--- error_log
[emerg]
duplicate swr_obs "s"



=== TEST 19: swr_storage obs needs a known store
--- http_config
    swr_obs s endpoint=127.0.0.1:1 bucket=b access_key=a secret_key=k;
--- config
    location /v2/ {
        swr_registry;
        swr_storage obs t;
    }
--- must_die
--- error_log
[emerg]
unknown swr_obs "t" (swr_obs must come first)



=== TEST 20: swr_storage obs refuses a bad redirect time
--- http_config
    swr_obs s endpoint=127.0.0.1:1 bucket=b access_key=a secret_key=k;
--- config
    location /v2/ {
        swr_registry;
        swr_storage obs s redirect=soon;
    }
--- must_die
--- error_log
[emerg]
invalid redirect time "soon"



=== TEST 21: swr_storage obs wants its location as /prefix/
--- http_config
    swr_obs s endpoint=127.0.0.1:1 bucket=b access_key=a secret_key=k;
--- config
    location /v2/ {
        swr_registry;
        swr_storage obs s location=_obs;
    }
--- must_die
--- error_log
[emerg]
invalid parameter "location=_obs"



=== TEST 22: swr_storage local takes one path
--- http_config
    # none
--- config
    location /v2/ {
        swr_registry;
        swr_storage local /tmp/a /tmp/b;
    }
--- must_die
--- error_log
[emerg]
"swr_storage local" takes one path



=== TEST 23: swr_obs and swr_storage obs with every parameter are accepted
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs s endpoint=https://obs.example.com bucket=b access_key=a
              secret_key=k region=cn-north-4 signature=obs
              addressing=virtual;
--- config
    location /v2/ {
        swr_registry;
        swr_storage obs s redirect=5m location=/_store/;
    }
    location /_store/ {
        internal;
        return 500;
    }
--- request
GET /v2/
--- response_body chomp
{}
--- no_error_log
[emerg]



=== TEST 24: swr_audit_redis takes db= only after redis= (the stream's own Redis)
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_audit_redis on db=5;
    location /v2/ {
        swr_registry;
    }
--- must_die
--- error_log
[emerg]
invalid parameter "db=5"



=== TEST 25: swr_audit_redis refuses a redis= address it cannot parse
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_audit_redis on redis=127.0.0.1:notaport;
    location /v2/ {
        swr_registry;
    }
--- must_die
--- error_log
[emerg]
invalid port in Redis address "127.0.0.1:notaport"



=== TEST 26: swr_audit_redis refuses a second redis=
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_audit_redis on redis=127.0.0.1 redis=127.0.0.2;
    location /v2/ {
        swr_registry;
    }
--- must_die
--- error_log
[emerg]
"swr_audit_redis" directive has redis= twice



=== TEST 27: swr_audit_redis refuses flush= without buffer=
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_audit_redis on flush=1s;
    location /v2/ {
        swr_registry;
    }
--- must_die
--- error_log
[emerg]
"swr_audit_redis" directive has flush= without buffer=



=== TEST 28: swr_audit_redis with redis= and its parameters is accepted
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_audit_redis on stream=t001:audit maxlen=100 buffer=16k flush=500ms
                    redis=127.0.0.1:$TEST_NGINX_REDIS_PORT db=3
                    connect_timeout=500ms timeout=2s max_pending=100;
    location /v2/ {
        swr_registry;
    }
--- request
GET /v2/
--- response_body chomp
{}
--- no_error_log
[emerg]
