# vim:set ft= ts=4 sw=4 et fdm=marker:
# util/swr-gc on the embedded storage: a blob stored once for two
# repositories stays while either links it, goes once neither does, and a
# blob put in place within the grace period is never taken; DeleteRepo of
# the management API leaves the blobs only it linked to be collected.

use Test::Nginx::Socket;
use SwrTest;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

repeat_each(1);

plan tests => repeat_each() * (2 + 2 + 2 * 2 + 2);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: a blob shared by two repositories is removed only when neither links it
--- init
SwrTest::command('FLUSHALL');
my $blob = 'gc shared blob';
my $d = SwrTest::sha256($blob);
my @out;
my $gc = "util/swr-gc --storage $ENV{TEST_NGINX_SERVER_ROOT}/storage_temp"
         . " --redis 127.0.0.1:$ENV{TEST_NGINX_REDIS_PORT} --grace 0";
my $r = SwrTest::http('POST', "/v2/gc/a/blobs/uploads/?digest=$d",
                      body => $blob);
push @out, "push $r->{status}";
$r = SwrTest::http('POST', "/v2/gc/b/blobs/uploads/?mount=$d&from=gc/a");
push @out, "mount $r->{status}";
$r = SwrTest::http('DELETE', "/v2/gc/a/blobs/$d");
push @out, "unlink a $r->{status}";
push @out, (`$gc` =~ /(\d+ removed)/)[0];
$r = SwrTest::http('GET', "/v2/gc/b/blobs/$d");
push @out, "get b $r->{status} $r->{body}";
$r = SwrTest::http('DELETE', "/v2/gc/b/blobs/$d");
push @out, "unlink b $r->{status}";
push @out, (`$gc --dry-run` =~ /(\d+ to remove)/)[0];
push @out, (`$gc` =~ /(\d+ removed)/)[0];
push @out, (-e "$ENV{TEST_NGINX_SERVER_ROOT}/storage_temp/blobs/sha256/"
            . substr($d, 7, 2) . '/' . substr($d, 7)) ? 'file kept' : 'file gone';
open my $fh, '>', "$ENV{TEST_NGINX_SERVER_ROOT}/html/gc.txt" or die $!;
print $fh join("\n", @out), "\n";
close $fh;
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request
GET /gc.txt
--- response_body
push 201
mount 201
unlink a 202
0 removed
get b 200 gc shared blob
unlink b 202
1 to remove
1 removed
file gone



=== TEST 2: the grace period protects a blob that was just put in place
--- init
SwrTest::command('FLUSHALL');
my $blob = 'gc young blob';
my $d = SwrTest::sha256($blob);
my $r = SwrTest::http('POST', "/v2/gc/c/blobs/uploads/?digest=$d",
                      body => $blob);
SwrTest::http('DELETE', "/v2/gc/c/blobs/$d");
my $out = `util/swr-gc --storage $ENV{TEST_NGINX_SERVER_ROOT}/storage_temp --redis 127.0.0.1:$ENV{TEST_NGINX_REDIS_PORT} --grace 3600`;
open my $fh, '>', "$ENV{TEST_NGINX_SERVER_ROOT}/html/gc.txt" or die $!;
print $fh "push $r->{status}\n", $out;
close $fh;
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request
GET /gc.txt
--- response_body_like: ^push 201\nswr-gc: 0 repositories, 0 blobs linked; 0 files kept, 1 unlinked but younger than 3600s, 0 removed \(0 bytes\)\n$



=== TEST 3: a blob that is linked is never removed, whatever its age
--- init
SwrTest::command('FLUSHALL');
my $blob = 'gc linked blob';
my $d = SwrTest::sha256($blob);
SwrTest::http('POST', "/v2/gc/d/blobs/uploads/?digest=$d", body => $blob);
`util/swr-gc --storage $ENV{TEST_NGINX_SERVER_ROOT}/storage_temp --redis 127.0.0.1:$ENV{TEST_NGINX_REDIS_PORT} --grace 0 > $ENV{TEST_NGINX_SERVER_ROOT}/html/gc.txt`;
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /gc.txt", "GET /v2/gc/d/blobs/sha256:" . Digest::SHA::sha256_hex('gc linked blob')]
--- response_body eval
["swr-gc: 1 repositories, 1 blobs linked; 1 files kept, 0 unlinked but younger than 0s, 0 removed (0 bytes)\n", "gc linked blob"]



=== TEST 4: DeleteRepo (management API) unlinks the repository's blobs: those no other repository links are collected, a shared one stays
--- init
SwrTest::command('FLUSHALL');
SwrTest::command('HSET', 'swr:ns:{gc4}', account => 'acct', id => 1);
SwrTest::command('HSET', 'swr:user:{u-admin}', account => 'acct',
                 admin => 1, name => 'admin');
SwrTest::command('HSET', 'swr:token:{tok-admin}', user => 'u-admin',
                 expires => 0);
my @out;
my $gc = "util/swr-gc --storage $ENV{TEST_NGINX_SERVER_ROOT}/storage_temp"
         . " --redis 127.0.0.1:$ENV{TEST_NGINX_REDIS_PORT} --grace 0";
my ($own, $shared) = ('gc4 own layer', 'gc4 shared layer');
my $cfg = 'gc4 config';
for my $repo ('gc4/app', 'gc4/keep') {
    for my $blob ($repo eq 'gc4/app' ? ($cfg, $own, $shared) : ($shared)) {
        my $r = SwrTest::http('POST', "/v2/$repo/blobs/uploads/?digest="
                                      . SwrTest::sha256($blob),
                              body => $blob);
        push @out, "push $repo " . substr($blob, 4) . " $r->{status}";
    }
}
my $m = SwrTest::manifest($cfg, [$own, $shared]);
my $r = SwrTest::http('PUT', '/v2/gc4/app/manifests/v1',
                      headers => ['Content-Type: '
                                  . 'application/vnd.oci.image.manifest.v1+json'],
                      body => $m);
push @out, "manifest $r->{status}";
$r = SwrTest::http('DELETE', '/v2/manage/namespaces/gc4/repos/app',
                   headers => ['X-Auth-Token: tok-admin']);
push @out, "DeleteRepo $r->{status}";
$r = SwrTest::http('GET', '/v2/gc4/app/tags/list');
push @out, "tags of gc4/app $r->{status}";
push @out, (`$gc` =~ /(\d+ removed)/)[0];
for my $blob ($cfg, $own, $shared) {
    my $d = SwrTest::sha256($blob);
    push @out, substr($blob, 4) . ': '
               . ((-e "$ENV{TEST_NGINX_SERVER_ROOT}/storage_temp/blobs/sha256/"
                   . substr($d, 7, 2) . '/' . substr($d, 7)) ? 'kept' : 'gone');
}
$r = SwrTest::http('GET', '/v2/gc4/keep/blobs/' . SwrTest::sha256($shared));
push @out, "get gc4/keep shared $r->{status}";
open my $fh, '>', "$ENV{TEST_NGINX_SERVER_ROOT}/html/gc.txt" or die $!;
print $fh join("\n", @out), "\n";
close $fh;
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /gc.txt
--- response_body
push gc4/app config 201
push gc4/app own layer 201
push gc4/app shared layer 201
push gc4/keep shared layer 201
manifest 201
DeleteRepo 204
tags of gc4/app 404
2 removed
config: gone
own layer: gone
shared layer: kept
get gc4/keep shared 200
