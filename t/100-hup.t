# vim:set ft= ts=4 sw=4 et fdm=marker:
# A configuration reload (SIGHUP to the master): old workers free their
# Redis links, new ones connect, and work started before the reload goes on
# after it.

use Test::Nginx::Socket;
use SwrTest;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

repeat_each(1);
master_on();
workers(2);

plan tests => repeat_each() * (2 + 2);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: an upload started before a HUP reload finishes after it
--- init
SwrTest::redis_start();
my $report = SwrTest::hup_reload('hup/app');
open my $fh, '>', "$ENV{TEST_NGINX_SERVER_ROOT}/html/hup.txt" or die $!;
print $fh $report;
close $fh;
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
    location = /_swr/health {
        swr_health;
    }
--- request
GET /hup.txt
--- response_body
start 202
patch 202
reloaded yes
finish 201
blob 200 hello world
--- no_error_log
[alert]
[crit]
