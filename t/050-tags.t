# vim:set ft= ts=4 sw=4 et fdm=marker:
# Tags and catalog: GET /v2/<name>/tags/list and /v2/_catalog in lexical
# order, n/last pages with a Link header to the next one; repository names
# with several components, and the names the distribution grammar refuses
# (NAME_INVALID).

use Test::Nginx::Socket;
use SwrTest;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

our $CFG = '{"architecture":"amd64","os":"linux"}';
our $L1 = 'layer one';
our $M = SwrTest::manifest($CFG, [$L1]);
our $T_OCI = SwrTest::MT_OCI_MANIFEST;
our @TAGS = qw(v10 latest v2 V1 1.0 _x a-b);      # pushed in this order
our $HEX64 = 'a' x 64;

our $NAME255 = join('/', ('abcdefghijklmnop') x 15);    # 15 * 17 - 1
$NAME255 .= 'x' x (255 - length $NAME255);

sub tags { '{"name":"lib/app","tags":[' . join(',', map { "\"$_\"" } @_) . ']}' }
sub repos { '{"repositories":[' . join(',', map { "\"$_\"" } @_) . ']}' }
sub invalid { SwrTest::err('NAME_INVALID', 'invalid repository name', $_[0]) }
sub pagination { SwrTest::err('PAGINATION_NUMBER_INVALID', 'invalid number of results requested', $_[0]) }

# names the grammar refuses, each tried on tags/list
our @BAD = ('Lib/app', 'lib/App', 'a//b', 'a/b/', '/a', '-a', '_a', '.a',
            'a-', 'a_', 'a.', 'a._b', 'a..b', 'a___b', 'a/-b', 'a/b.',
            'lib/caf%C3%A9', 'a%20b', 'manage', 'manage/x', $NAME255 . 'x');
our @BAD_DETAIL = map { my $n = $_; $n =~ s/%C3%A9/\x{e9}/; $n =~ s/%20/ /; $n } @BAD;

# names it takes: unknown, so NAME_UNKNOWN rather than NAME_INVALID
our @GOOD = ('a', '0', 'a-b', 'a--b', 'a_b', 'a__b', 'a.b', 'a.b-c_d__e',
             'x/manage', 'manager', 'ns/a/b/c/d', $NAME255);

repeat_each(1);

# per request: status, each header, body, no_error_log ([error], [alert])
plan tests => repeat_each() * (
    (4 + 6)                             # TEST 1
    + 5 * 10                            # TEST 2
    + 5 * 6                             # TEST 3
    + 4 * 3                             # TEST 4
    + (5 + 5 + 4 + 4 + 4 + 4 + 5 + 4)   # TEST 5
    + (4 * 6 + 5)                       # TEST 6
    + 4 * 21 + 4 * 12                   # TEST 7
    + 4 * 6                             # TEST 8
    + 4 * 3                             # TEST 9
    + (5 + 5)                           # TEST 10
    + 4 * 4                             # TEST 11
);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: tags are listed in lexical (byte) order, whatever the push order
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1);
SwrTest::seed_manifest('lib/app', $_, $main::M) for @main::TAGS;
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /v2/lib/app/tags/list", "HEAD /v2/lib/app/tags/list"]
--- error_code eval
[200, 200]
--- response_headers eval
["", "Content-Type: application/json; charset=utf-8\nContent-Length: "
     . length(main::tags(qw(1.0 V1 _x a-b latest v10 v2)))]
--- response_body eval
[main::tags(qw(1.0 V1 _x a-b latest v10 v2)), ""]
--- no_error_log
[error]
[alert]



=== TEST 2: n and last page through the tags; Link names the next page until the last
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1);
SwrTest::seed_manifest('lib/app', $_, $main::M) for @main::TAGS;
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /v2/lib/app/tags/list?n=2",
 "GET /v2/lib/app/tags/list?n=2&last=V1",
 "GET /v2/lib/app/tags/list?last=a-b&n=2",
 "GET /v2/lib/app/tags/list?n=2&last=v10",
 "GET /v2/lib/app/tags/list?n=7",
 "GET /v2/lib/app/tags/list?n=100000",
 "GET /v2/lib/app/tags/list?last=latest",
 "GET /v2/lib/app/tags/list?n=3&last=b",
 "GET /v2/lib/app/tags/list?last=zzz",
 "GET /v2/lib/app/tags/list?n=1&last=v10"]
--- error_code eval
[(200) x 10]
--- response_headers eval
["Link: </v2/lib/app/tags/list?n=2&last=V1>; rel=\"next\"",
 "Link: </v2/lib/app/tags/list?n=2&last=a-b>; rel=\"next\"",
 "Link: </v2/lib/app/tags/list?n=2&last=v10>; rel=\"next\"",
 "!Link", "!Link", "!Link", "!Link",
 "!Link", "!Link", "!Link"]
--- response_body eval
[main::tags(qw(1.0 V1)), main::tags(qw(_x a-b)), main::tags(qw(latest v10)),
 main::tags(qw(v2)), main::tags(qw(1.0 V1 _x a-b latest v10 v2)),
 main::tags(qw(1.0 V1 _x a-b latest v10 v2)), main::tags(qw(v10 v2)),
 main::tags(qw(latest v10 v2)), main::tags(), main::tags(qw(v2))]
--- no_error_log
[error]
[alert]



=== TEST 3: n=0 is an empty list without Link; n must be a number from 0 to 100000
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1);
SwrTest::seed_manifest('lib/app', $_, $main::M) for @main::TAGS;
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /v2/lib/app/tags/list?n=0",
 "GET /v2/lib/app/tags/list?n=-1",
 "GET /v2/lib/app/tags/list?n=abc",
 "GET /v2/lib/app/tags/list?n=",
 "GET /v2/lib/app/tags/list?n=100001",
 "GET /v2/lib/app/tags/list?n=1.5"]
--- error_code eval
[200, 400, 400, 400, 400, 400]
--- response_headers eval
["!Link", ("Content-Type: application/json; charset=utf-8") x 5]
--- response_body eval
[main::tags(), main::pagination('-1'), main::pagination('abc'), main::pagination(undef),
 main::pagination('100001'), main::pagination('1.5')]
--- no_error_log
[error]
[alert]



=== TEST 4: an unknown repository is NAME_UNKNOWN; one with blobs only has no tags
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/blobs', $main::CFG);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /v2/lib/nothing/tags/list",
 "GET /v2/lib/nothing/tags/list?n=0",
 "GET /v2/lib/blobs/tags/list"]
--- error_code eval
[404, 404, 200]
--- response_body eval
[SwrTest::err('NAME_UNKNOWN', 'repository name not known to registry', 'lib/nothing'),
 SwrTest::err('NAME_UNKNOWN', 'repository name not known to registry', 'lib/nothing'),
 '{"name":"lib/blobs","tags":[]}']
--- no_error_log
[error]
[alert]



=== TEST 5: the catalog: every repository in lexical order, n and last pages with Link
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs($_, $main::CFG) for qw(zeta lib/app alpha ns/a/b lib);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /v2/_catalog",
 "GET /v2/_catalog?n=2",
 "GET /v2/_catalog?n=2&last=lib",
 "GET /v2/_catalog?n=2&last=lib/app",
 "GET /v2/_catalog?n=0",
 "GET /v2/_catalog?last=lib/app",
 "HEAD /v2/_catalog",
 "GET /v2/_catalog?n=x"]
--- error_code eval
[200, 200, 200, 200, 200, 200, 200, 400]
--- response_headers eval
["!Link",
 "Link: </v2/_catalog?n=2&last=lib>; rel=\"next\"",
 "", "", "", "",
 "Content-Length: " . length(main::repos(qw(alpha lib lib/app ns/a/b zeta))),
 ""]
--- response_body eval
[main::repos(qw(alpha lib lib/app ns/a/b zeta)),
 main::repos(qw(alpha lib)),
 main::repos(qw(lib/app ns/a/b)),
 main::repos(qw(ns/a/b zeta)),
 main::repos(),
 main::repos(qw(ns/a/b zeta)),
 "",
 main::pagination('x')]
--- no_error_log
[error]
[alert]



=== TEST 6: an empty catalog; what does and does not make a repository appear in it
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
["GET /v2/_catalog",
 "POST /v2/lib/session/blobs/uploads/",
 SwrTest::put_manifest('lib/ghost', 'v1', $main::M),
 "GET /v2/lib/ghost/tags/list",
 "POST /v2/lib/bad/blobs/uploads/?digest=sha256:$main::HEX64\nhello",
 "GET /v2/_catalog",
 "POST /v2/_catalog"]
--- more_headers eval
["", "", "Content-Type: $main::T_OCI", "", "", "", ""]
--- error_code eval
[200, 202, 400, 404, 400, 200, 405]
--- response_headers eval
["", "", "", "", "", "", "Allow: GET, HEAD"]
--- response_body eval
[main::repos(), "",
 SwrTest::err('MANIFEST_BLOB_UNKNOWN', 'manifest references a manifest or blob unknown to registry', SwrTest::sha256($main::CFG)),
 SwrTest::err('NAME_UNKNOWN', 'repository name not known to registry', 'lib/ghost'),
 SwrTest::err('DIGEST_INVALID', 'provided digest did not match uploaded content', "sha256:$main::HEX64"),
 main::repos(),
 SwrTest::err('UNSUPPORTED', 'the operation is unsupported', 'POST')]
--- no_error_log
[error]
[alert]



=== TEST 7: names: components of [a-z0-9] joined by ".", "_", "__" or "-"s, slashes between, at most 255 characters, "manage" first is not a name
--- config
    merge_slashes off;
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- request eval
[(map { "GET /v2/$_/tags/list" } @main::BAD),
 (map { "GET /v2/$_/tags/list" } @main::GOOD)]
--- error_code eval
[(400) x @main::BAD, (404) x @main::GOOD]
--- response_body eval
[(map { main::invalid($_) } @main::BAD_DETAIL),
 (map { SwrTest::err('NAME_UNKNOWN', 'repository name not known to registry', $_) } @main::GOOD)]
--- no_error_log
[error]
[alert]



=== TEST 8: every repository endpoint checks the name
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /v2/Bad/manifests/v1",
 "PUT /v2/Bad/manifests/v1\n{}",
 "GET /v2/Bad/blobs/sha256:$main::HEX64",
 "POST /v2/Bad/blobs/uploads/",
 "PATCH /v2/Bad/blobs/uploads/0b9e1cd8-3d3b-4c4e-9f5a-2a6f0c1d2e3f\nx",
 "GET /v2/Bad/referrers/sha256:$main::HEX64"]
--- error_code eval
[(400) x 6]
--- response_body eval
[(main::invalid('Bad')) x 6]
--- no_error_log
[error]
[alert]



=== TEST 9: names with several components, and components that look like endpoints
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('ns/a/b', $main::CFG, $main::L1);
SwrTest::seed_manifest('ns/a/b', 'v1', $main::M);
SwrTest::seed_blobs('ns/blobs/tags', $main::CFG, $main::L1);
SwrTest::seed_manifest('ns/blobs/tags', 'v2', $main::M);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /v2/ns/a/b/tags/list",
 "GET /v2/ns/blobs/tags/tags/list",
 "GET /v2/_catalog"]
--- error_code eval
[200, 200, 200]
--- response_body eval
['{"name":"ns/a/b","tags":["v1"]}',
 '{"name":"ns/blobs/tags","tags":["v2"]}',
 main::repos(qw(ns/a/b ns/blobs/tags))]
--- no_error_log
[error]
[alert]



=== TEST 10: the catalog without n stops at 1000 repositories and links to the rest
--- init
SwrTest::command('FLUSHALL');
SwrTest::command('ZADD', 'swr:repos', map { (0, sprintf('r%04d', $_)) } 0 .. 1000);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /v2/_catalog", "GET /v2/_catalog?n=1000&last=r0999"]
--- error_code eval
[200, 200]
--- response_headers eval
["Link: </v2/_catalog?n=1000&last=r0999>; rel=\"next\"", "!Link"]
--- response_body eval
[main::repos(map { sprintf('r%04d', $_) } 0 .. 999), main::repos('r1000')]
--- no_error_log
[error]
[alert]



=== TEST 11: a bad n does not cost the connection: the requests after it on the same connection are answered
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- pipelined_requests eval
["GET /v2/lib/app/tags/list?n=x", "GET /v2/lib/app/tags/list", "GET /v2/_catalog?n=-1", "GET /v2/_catalog"]
--- error_code eval
[400, 200, 400, 200]
--- response_body eval
[main::pagination('x'), '{"name":"lib/app","tags":[]}', main::pagination('-1'), main::repos('lib/app')]
--- no_error_log
[error]
[alert]
