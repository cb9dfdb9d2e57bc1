# vim:set ft= ts=4 sw=4 et fdm=marker:
# Manifests: PUT, GET, HEAD and DELETE of /v2/<name>/manifests/<ref>, by
# tag and by digest: OCI image manifests and indexes, Docker schema 2
# manifests and manifest lists, artifacts; Accept negotiation; what a PUT
# needs in the repository (MANIFEST_BLOB_UNKNOWN); deletion.  What makes a
# manifest invalid is in t/042-manifest-validation.t.
#
# The blobs a block needs are pushed from --- init (SwrTest::seed_blobs);
# everything the block checks goes through its own requests.

use Test::Nginx::Socket;
use SwrTest;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

our $CFG = SwrTest::json({ architecture => 'amd64', os => 'linux',
                           rootfs => { type => 'layers', diff_ids => [] } });
our $CFG2 = SwrTest::json({ architecture => 'arm64', os => 'linux',
                            rootfs => { type => 'layers', diff_ids => [] } });
our ($L1, $L2) = ('layer one', 'layer two');

our $M = SwrTest::manifest($CFG, [$L1, $L2]);               # OCI, amd64
our $M_D = SwrTest::sha256($M);
our $M2 = SwrTest::manifest($CFG2, [$L2]);                  # OCI, arm64
our $M2_D = SwrTest::sha256($M2);
our $DM = SwrTest::docker_manifest($CFG, [$L1, $L2]);       # Docker, amd64
our $DM_D = SwrTest::sha256($DM);
our $DM2 = SwrTest::docker_manifest($CFG2, [$L2]);          # Docker, arm64
our $IDX = SwrTest::index_of(SwrTest::MT_OCI_INDEX, [$M, $M2]);
our $IDX_D = SwrTest::sha256($IDX);
our $DL = SwrTest::index_of(SwrTest::MT_DOCKER_LIST, [$DM, $DM2]);
our $DL_D = SwrTest::sha256($DL);

our $T_OCI = SwrTest::MT_OCI_MANIFEST;
our $T_IDX = SwrTest::MT_OCI_INDEX;
our $T_DV2 = SwrTest::MT_DOCKER_V2;
our $T_DL = SwrTest::MT_DOCKER_LIST;

# an artifact: an empty config of its own media type, one layer
our $EMPTY = '{}';
our $SBOM = '{"sbom":"yes"}';
our $ART = SwrTest::json({
    schemaVersion => 2, mediaType => $T_OCI,
    artifactType => 'application/vnd.example.sbom.v1',
    config => SwrTest::desc($EMPTY, 'application/vnd.oci.empty.v1+json'),
    layers => [ SwrTest::desc($SBOM, 'application/vnd.example.sbom.v1+json') ],
    annotations => { 'org.example.kind' => 'sbom' },
});
our $ART_D = SwrTest::sha256($ART);
our $ART2 = SwrTest::json({
    schemaVersion => 2, mediaType => $T_OCI,
    config => SwrTest::desc($SBOM, 'application/vnd.example.config.v1+json'),
    layers => [],
});
our $ART2_D = SwrTest::sha256($ART2);

# a Docker manifest with a foreign layer that is nowhere in the registry
our $FOREIGN = SwrTest::json({
    schemaVersion => 2, mediaType => $T_DV2,
    config => SwrTest::desc($CFG, SwrTest::MT_DOCKER_CONFIG),
    layers => [ SwrTest::desc('windows base', 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
                              urls => ['https://example.com/base']),
                SwrTest::desc($L1, SwrTest::MT_DOCKER_LAYER) ],
});
our $FOREIGN_D = SwrTest::sha256($FOREIGN);

# the same manifests without their mediaType field
sub notype { my $m = SwrTest::decode_json($_[0]); delete $m->{mediaType}; SwrTest::json($m) }
our $M_NOTYPE = notype($M);
our $DM_NOTYPE = notype($DM);
our $IDX_NOTYPE = notype($IDX);

our $HEX64 = 'a' x 64;

sub err { SwrTest::err(@_) }

repeat_each(1);

# per request: status, each header, body, no_error_log ([error], [alert])
plan tests => repeat_each() * (
    (8 + 9 * 4)                         # TEST 1
    + (6 + 7 + 7)                       # TEST 2
    + (5 + 5 + 5 + 7 + 7)               # TEST 3
    + (5 + 5 + 5 + 7 + 7 + 5)           # TEST 4
    + (4 + 4 * 6 + 6 * 2 + 4)           # TEST 5
    + (6 * 5 + 4)                       # TEST 6
    + (4 + 4)                           # TEST 7
    + (6 + 5 + 6 + 5 + 5)               # TEST 8
    + (5 + 4 * 7)                       # TEST 9
    + (5 + 4 + 4 + 5 + 4 * 4)           # TEST 10
    + 4 * 6                             # TEST 11
    + 4 * 6                             # TEST 12
    + (5 + 4 * 6 + 6 + 5 * 2)           # TEST 13
    + (4 + 4 + 5 + 4)                   # TEST 14
    + 4 * 4                             # TEST 15
    + 4 * 7 + 5 * 5                     # TEST 16
);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: an OCI manifest PUT by tag, then GET and HEAD by tag and by digest
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1, $main::L2);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[SwrTest::put_manifest('lib/app', 'v1', $main::M),
 "GET /v2/lib/app/manifests/v1",
 "GET /v2/lib/app/manifests/$main::M_D",
 "HEAD /v2/lib/app/manifests/v1",
 "HEAD /v2/lib/app/manifests/$main::M_D"]
--- more_headers eval
["Content-Type: $main::T_OCI", "", "", "", ""]
--- error_code eval
[201, 200, 200, 200, 200]
--- response_headers eval
["Location: http://localhost/v2/lib/app/manifests/$main::M_D
Docker-Content-Digest: $main::M_D
Content-Length: 0
!OCI-Subject",
 ("Content-Type: $main::T_OCI
Content-Length: " . length($main::M) . "
Docker-Content-Digest: $main::M_D
ETag: \"$main::M_D\"
Docker-Distribution-API-Version: registry/2.0") x 4]
--- response_body eval
["", $main::M, $main::M, "", ""]
--- no_error_log
[error]
[alert]



=== TEST 2: a Docker schema 2 manifest keeps its media type
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1, $main::L2);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[SwrTest::put_manifest('lib/app', 'latest', $main::DM),
 "GET /v2/lib/app/manifests/latest",
 "HEAD /v2/lib/app/manifests/$main::DM_D"]
--- more_headers eval
["Content-Type: $main::T_DV2",
 "Accept: $main::T_DV2",
 "Accept: $main::T_OCI, $main::T_DV2"]
--- error_code eval
[201, 200, 200]
--- response_headers eval
["Location: http://localhost/v2/lib/app/manifests/$main::DM_D\nDocker-Content-Digest: $main::DM_D\n",
 "Content-Type: $main::T_DV2\nContent-Length: " . length($main::DM) . "\nDocker-Content-Digest: $main::DM_D",
 "Content-Type: $main::T_DV2\nContent-Length: " . length($main::DM) . "\nDocker-Content-Digest: $main::DM_D"]
--- response_body eval
["", $main::DM, ""]
--- no_error_log
[error]
[alert]



=== TEST 3: a Docker manifest list over two manifests pushed by digest
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::CFG2, $main::L1, $main::L2);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[SwrTest::put_manifest('lib/app', $main::DM_D, $main::DM),
 SwrTest::put_manifest('lib/app', SwrTest::sha256($main::DM2), $main::DM2),
 SwrTest::put_manifest('lib/app', 'multi', $main::DL),
 "GET /v2/lib/app/manifests/multi",
 "GET /v2/lib/app/manifests/$main::DM_D"]
--- more_headers eval
["Content-Type: $main::T_DV2", "Content-Type: $main::T_DV2", "Content-Type: $main::T_DL",
 "Accept: $main::T_DV2\nAccept: $main::T_DL", "Accept: $main::T_DV2"]
--- error_code eval
[201, 201, 201, 200, 200]
--- response_headers eval
["Docker-Content-Digest: $main::DM_D",
 "Docker-Content-Digest: " . SwrTest::sha256($main::DM2),
 "Location: http://localhost/v2/lib/app/manifests/$main::DL_D",
 "Content-Type: $main::T_DL\nDocker-Content-Digest: $main::DL_D\nContent-Length: " . length($main::DL),
 "Content-Type: $main::T_DV2\nDocker-Content-Digest: $main::DM_D\nContent-Length: " . length($main::DM)]
--- response_body eval
["", "", "", $main::DL, $main::DM]
--- no_error_log
[error]
[alert]



=== TEST 4: an OCI index over two pushed manifests, with its children by digest
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::CFG2, $main::L1, $main::L2);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[SwrTest::put_manifest('lib/app', $main::M_D, $main::M),
 SwrTest::put_manifest('lib/app', $main::M2_D, $main::M2),
 SwrTest::put_manifest('lib/app', 'v1', $main::IDX),
 "GET /v2/lib/app/manifests/v1",
 "GET /v2/lib/app/manifests/$main::M2_D",
 "GET /v2/lib/app/tags/list"]
--- more_headers eval
["Content-Type: $main::T_OCI", "Content-Type: $main::T_OCI", "Content-Type: $main::T_IDX",
 "Accept: $main::T_IDX, $main::T_OCI", "Accept: $main::T_IDX, $main::T_OCI", ""]
--- error_code eval
[201, 201, 201, 200, 200, 200]
--- response_headers eval
["Location: http://localhost/v2/lib/app/manifests/$main::M_D",
 "Location: http://localhost/v2/lib/app/manifests/$main::M2_D",
 "Location: http://localhost/v2/lib/app/manifests/$main::IDX_D",
 "Content-Type: $main::T_IDX\nDocker-Content-Digest: $main::IDX_D\nContent-Length: " . length($main::IDX),
 "Content-Type: $main::T_OCI\nDocker-Content-Digest: $main::M2_D\nContent-Length: " . length($main::M2),
 "Content-Type: application/json; charset=utf-8"]
--- response_body eval
["", "", "", $main::IDX, $main::M2, '{"name":"lib/app","tags":["v1"]}']
--- no_error_log
[error]
[alert]



=== TEST 5: Accept: the stored type, a wildcard, none, several headers; a type not accepted is 404
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1, $main::L2);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[SwrTest::put_manifest('lib/app', 'v1', $main::M),
 ("GET /v2/lib/app/manifests/v1") x 6,
 "HEAD /v2/lib/app/manifests/v1"]
--- more_headers eval
["Content-Type: $main::T_OCI",
 "Accept: $main::T_OCI",
 "Accept: application/json;q=0.5, */*;q=0.1",
 "",
 "Accept: $main::T_DV2\nAccept: $main::T_IDX,$main::T_OCI;q=0.9",
 "Accept: $main::T_DV2, $main::T_DL",
 "Accept: application/vnd.oci.image.*",
 "Accept: $main::T_DV2"]
--- error_code eval
[201, 200, 200, 200, 200, 404, 404, 404]
--- response_headers eval
["",
 ("Content-Type: $main::T_OCI\nDocker-Content-Digest: $main::M_D") x 4,
 "Content-Type: application/json; charset=utf-8\n!Docker-Content-Digest",
 "Content-Type: application/json; charset=utf-8\n!Docker-Content-Digest",
 "",]
--- response_body eval
["", $main::M, $main::M, $main::M, $main::M,
 main::err('MANIFEST_UNKNOWN', 'manifest unknown to registry', "stored as $main::T_OCI, not accepted"),
 main::err('MANIFEST_UNKNOWN', 'manifest unknown to registry', "stored as $main::T_OCI, not accepted"),
 ""]
--- no_error_log
[error]
[alert]



=== TEST 6: a manifest whose config, layer or child manifest is not in the repository is MANIFEST_BLOB_UNKNOWN
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG);
SwrTest::seed_blobs('lib/other', $main::L1, $main::L2, $main::CFG2);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[SwrTest::put_manifest('lib/app', 'v1', $main::M),
 SwrTest::put_manifest('lib/app', 'v2', $main::M2),
 SwrTest::put_manifest('lib/empty', 'v1', $main::M),
 SwrTest::put_manifest('lib/other', 'v1', $main::IDX),
 SwrTest::put_manifest('lib/other', 'v1', $main::DL),
 "GET /v2/lib/app/manifests/v1"]
--- more_headers eval
["Content-Type: $main::T_OCI", "Content-Type: $main::T_OCI", "Content-Type: $main::T_OCI",
 "Content-Type: $main::T_IDX", "Content-Type: $main::T_DL", ""]
--- error_code eval
[400, 400, 400, 400, 400, 404]
--- response_headers eval
[("!Location\n!Docker-Content-Digest") x 5, ""]
--- response_body eval
[main::err('MANIFEST_BLOB_UNKNOWN', 'manifest references a manifest or blob unknown to registry', SwrTest::sha256($main::L1)),
 main::err('MANIFEST_BLOB_UNKNOWN', 'manifest references a manifest or blob unknown to registry', SwrTest::sha256($main::CFG2)),
 main::err('MANIFEST_BLOB_UNKNOWN', 'manifest references a manifest or blob unknown to registry', SwrTest::sha256($main::CFG)),
 main::err('MANIFEST_BLOB_UNKNOWN', 'manifest references a manifest or blob unknown to registry', $main::M_D),
 main::err('MANIFEST_BLOB_UNKNOWN', 'manifest references a manifest or blob unknown to registry', $main::DM_D),
 main::err('MANIFEST_UNKNOWN', 'manifest unknown to registry', 'v1')]
--- no_error_log
[error]
[alert]



=== TEST 7: layers that are foreign or non-distributable need not be in the registry
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/win', $main::CFG, $main::L1);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[SwrTest::put_manifest('lib/win', 'ltsc', $main::FOREIGN),
 "GET /v2/lib/win/manifests/$main::FOREIGN_D"]
--- more_headers eval
["Content-Type: $main::T_DV2", "Accept: $main::T_DV2"]
--- error_code eval
[201, 200]
--- response_body eval
["", $main::FOREIGN]
--- no_error_log
[error]
[alert]



=== TEST 8: PUT by digest: the digest must be the body's, sha256 or sha512
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1, $main::L2);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[SwrTest::put_manifest('lib/app', $main::M2_D, $main::M),
 SwrTest::put_manifest('lib/app', "sha256:$main::HEX64", $main::M),
 SwrTest::put_manifest('lib/app', SwrTest::sha512($main::M), $main::M),
 "GET /v2/lib/app/manifests/" . SwrTest::sha512($main::M),
 SwrTest::put_manifest('lib/app', "sha256:" . uc(substr($main::M_D, 7)), $main::M)]
--- more_headers eval
[("Content-Type: $main::T_OCI") x 3, "", "Content-Type: $main::T_OCI"]
--- error_code eval
[400, 400, 201, 200, 400]
--- response_headers eval
["!Location\n!Docker-Content-Digest",
 "!Location",
 "Location: http://localhost/v2/lib/app/manifests/" . SwrTest::sha512($main::M) . "\nDocker-Content-Digest: " . SwrTest::sha512($main::M),
 "Docker-Content-Digest: " . SwrTest::sha512($main::M),
 "!Location"]
--- response_body eval
[main::err('DIGEST_INVALID', 'provided digest did not match uploaded content', $main::M2_D),
 main::err('DIGEST_INVALID', 'provided digest did not match uploaded content', "sha256:$main::HEX64"),
 "",
 $main::M,
 main::err('DIGEST_INVALID', 'provided digest did not match uploaded content', "sha256:" . uc(substr($main::M_D, 7)))]
--- no_error_log
[error]
[alert]



=== TEST 9: tags: up to 128 characters of [A-Za-z0-9_.-], not starting with . or -; others are TAG_INVALID
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1, $main::L2);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[SwrTest::put_manifest('lib/app', '_V1.0-rc_1', $main::M),
 SwrTest::put_manifest('lib/app', 'T' x 128, $main::M),
 SwrTest::put_manifest('lib/app', 'T' x 129, $main::M),
 SwrTest::put_manifest('lib/app', '.hidden', $main::M),
 SwrTest::put_manifest('lib/app', '-v1', $main::M),
 "GET /v2/lib/app/manifests/v1+1",
 "DELETE /v2/lib/app/manifests/v%201",
 "GET /v2/lib/app/tags/list"]
--- more_headers eval
[("Content-Type: $main::T_OCI") x 5, "", "", ""]
--- error_code eval
[201, 201, 400, 400, 400, 400, 400, 200]
--- response_headers eval
["Location: http://localhost/v2/lib/app/manifests/$main::M_D", "", "", "", "", "", "", ""]
--- response_body eval
["", "",
 main::err('TAG_INVALID', 'manifest tag did not match URI', 'T' x 129),
 main::err('TAG_INVALID', 'manifest tag did not match URI', '.hidden'),
 main::err('TAG_INVALID', 'manifest tag did not match URI', '-v1'),
 main::err('TAG_INVALID', 'manifest tag did not match URI', 'v1+1'),
 main::err('TAG_INVALID', 'manifest tag did not match URI', 'v 1'),
 '{"name":"lib/app","tags":["' . ('T' x 128) . '","_V1.0-rc_1"]}']
--- no_error_log
[error]
[alert]



=== TEST 10: a manifest over 4 MiB is 413, with or without Content-Length; 4 MiB exactly is accepted
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1, $main::L2);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
my $pad = sub {
    my ($size) = @_;
    my $m = SwrTest::manifest($main::CFG, [$main::L1], annotations => { pad => '' });
    return SwrTest::manifest($main::CFG, [$main::L1],
                             annotations => { pad => 'x' x ($size - length $m) });
};
my $big = $pad->(4 * 1024 * 1024 + 1);
my $max = $pad->(4 * 1024 * 1024);
my $chunked = join('', map { sprintf("%x\r\n", length $_) . "$_\r\n" }
                       unpack('(a65536)*', $big)) . "0\r\n\r\n";
[SwrTest::put_manifest('lib/app', 'big', $big),
 "PUT /v2/lib/app/manifests/big\n$chunked",
 SwrTest::put_manifest('lib/app', 'max', $max),
 "HEAD /v2/lib/app/manifests/max",
 "GET /v2/lib/app/manifests/big",
 "GET /v2/lib/app/tags/list",
 SwrTest::put_manifest('lib/app', 'small', $main::M),
 "GET /v2/lib/app/manifests/small"]
--- more_headers eval
["Content-Type: $main::T_OCI",
 "Content-Type: $main::T_OCI\nTransfer-Encoding: chunked",
 "Content-Type: $main::T_OCI", "", "", "", "Content-Type: $main::T_OCI", ""]
--- error_code eval
[413, 413, 201, 200, 404, 200, 201, 200]
--- response_headers eval
["Content-Type: application/json; charset=utf-8", "", "", "Content-Length: 4194304", "", "", "", ""]
--- response_body eval
[main::err('MANIFEST_INVALID', 'manifest too large', undef),
 main::err('MANIFEST_INVALID', 'manifest too large', undef),
 "", "",
 main::err('MANIFEST_UNKNOWN', 'manifest unknown to registry', 'big'),
 '{"name":"lib/app","tags":["max"]}',
 "", $main::M]
--- timeout: 20
--- no_error_log
[error]
[alert]



=== TEST 11: DELETE by tag removes the tag only
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1, $main::L2);
SwrTest::seed_manifest('lib/app', 'v1', $main::M);
SwrTest::seed_manifest('lib/app', 'stable', $main::M);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["DELETE /v2/lib/app/manifests/v1",
 "GET /v2/lib/app/manifests/v1",
 "GET /v2/lib/app/manifests/stable",
 "GET /v2/lib/app/manifests/$main::M_D",
 "GET /v2/lib/app/tags/list",
 "DELETE /v2/lib/app/manifests/v1"]
--- error_code eval
[202, 404, 200, 200, 200, 404]
--- response_body eval
["",
 main::err('MANIFEST_UNKNOWN', 'manifest unknown to registry', 'v1'),
 $main::M, $main::M,
 '{"name":"lib/app","tags":["stable"]}',
 main::err('MANIFEST_UNKNOWN', 'manifest unknown to registry', 'v1')]
--- no_error_log
[error]
[alert]



=== TEST 12: DELETE by digest removes the manifest and every tag on it, not its blobs
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1, $main::L2);
SwrTest::seed_manifest('lib/app', 'v1', $main::M);
SwrTest::seed_manifest('lib/app', 'stable', $main::M);
SwrTest::seed_manifest('lib/app', 'docker', $main::DM);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["DELETE /v2/lib/app/manifests/$main::M_D",
 "GET /v2/lib/app/manifests/v1",
 "HEAD /v2/lib/app/manifests/$main::M_D",
 "GET /v2/lib/app/tags/list",
 "DELETE /v2/lib/app/manifests/$main::M_D",
 "GET /v2/lib/app/blobs/" . SwrTest::sha256($main::L1)]
--- error_code eval
[202, 404, 404, 200, 404, 200]
--- response_body eval
["",
 main::err('MANIFEST_UNKNOWN', 'manifest unknown to registry', 'v1'),
 "",
 '{"name":"lib/app","tags":["docker"]}',
 main::err('MANIFEST_UNKNOWN', 'manifest unknown to registry', $main::M_D),
 $main::L1]
--- no_error_log
[error]
[alert]



=== TEST 13: an unknown repository is NAME_UNKNOWN; a repository with blobs only has no manifest; other methods are 405
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/blobs-only', $main::CFG);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /v2/lib/nothing/manifests/v1",
 "GET /v2/lib/nothing/manifests/$main::M_D",
 "DELETE /v2/lib/nothing/manifests/v1",
 "DELETE /v2/lib/nothing/manifests/$main::M_D",
 "GET /v2/lib/blobs-only/manifests/v1",
 "DELETE /v2/lib/blobs-only/manifests/v1",
 "DELETE /v2/lib/blobs-only/manifests/$main::M_D",
 "HEAD /v2/lib/nothing/manifests/v1",
 "POST /v2/lib/nothing/manifests/v1\n{}",
 "PATCH /v2/lib/nothing/manifests/v1\n{}"]
--- error_code eval
[404, 404, 404, 404, 404, 404, 404, 404, 405, 405]
--- response_body eval
[main::err('NAME_UNKNOWN', 'repository name not known to registry', 'lib/nothing'),
 main::err('NAME_UNKNOWN', 'repository name not known to registry', 'lib/nothing'),
 main::err('NAME_UNKNOWN', 'repository name not known to registry', 'lib/nothing'),
 main::err('NAME_UNKNOWN', 'repository name not known to registry', 'lib/nothing'),
 main::err('MANIFEST_UNKNOWN', 'manifest unknown to registry', 'v1'),
 main::err('MANIFEST_UNKNOWN', 'manifest unknown to registry', 'v1'),
 main::err('MANIFEST_UNKNOWN', 'manifest unknown to registry', $main::M_D),
 "",
 main::err('UNSUPPORTED', 'the operation is unsupported', 'POST'),
 main::err('UNSUPPORTED', 'the operation is unsupported', 'PATCH')]
--- response_headers eval
["Content-Type: application/json; charset=utf-8", "", "", "", "", "", "",
 "Content-Type: application/json; charset=utf-8\nContent-Length: "
 . length(main::err('NAME_UNKNOWN', 'repository name not known to registry', 'lib/nothing')),
 "Allow: GET, HEAD, PUT, DELETE", "Allow: GET, HEAD, PUT, DELETE"]
--- no_error_log
[error]
[alert]



=== TEST 14: artifacts: a custom config media type, artifactType, an empty config, no layers
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/art', $main::EMPTY, $main::SBOM);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[SwrTest::put_manifest('lib/art', 'sbom', $main::ART),
 SwrTest::put_manifest('lib/art', 'bare', $main::ART2),
 "GET /v2/lib/art/manifests/$main::ART_D",
 "GET /v2/lib/art/manifests/bare"]
--- more_headers eval
["Content-Type: $main::T_OCI", "Content-Type: $main::T_OCI", "", ""]
--- error_code eval
[201, 201, 200, 200]
--- response_headers eval
["", "", "Content-Type: $main::T_OCI", ""]
--- response_body eval
["", "", $main::ART, $main::ART2]
--- no_error_log
[error]
[alert]



=== TEST 15: a tag moves to the manifest pushed last; a manifest pushed twice stays one
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1, $main::L2);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[SwrTest::put_manifest('lib/app', 'v1', $main::M),
 SwrTest::put_manifest('lib/app', 'v1', $main::DM),
 SwrTest::put_manifest('lib/app', 'v1', $main::DM),
 "GET /v2/lib/app/manifests/v1"]
--- more_headers eval
["Content-Type: $main::T_OCI", "Content-Type: $main::T_DV2", "Content-Type: $main::T_DV2", ""]
--- error_code eval
[201, 201, 201, 200]
--- response_body eval
["", "", "", $main::DM]
--- no_error_log
[error]
[alert]



=== TEST 16: Content-Type parameters are ignored; without mediaType the type is Content-Type's, else the document's shape
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::CFG2, $main::L1, $main::L2);
SwrTest::seed_manifest('lib/app', $main::M2_D, $main::M2);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[SwrTest::put_manifest('lib/app', 'params', $main::M),
 SwrTest::put_manifest('lib/app', 'params2', $main::M),
 SwrTest::put_manifest('lib/app', 'docker', $main::DM_NOTYPE),
 SwrTest::put_manifest('lib/app', 'bare', $main::M_NOTYPE),
 SwrTest::put_manifest('lib/app', 'json', $main::M_NOTYPE),
 SwrTest::put_manifest('lib/app', $main::M_D, $main::M),
 SwrTest::put_manifest('lib/app', 'index', $main::IDX_NOTYPE),
 "HEAD /v2/lib/app/manifests/params",
 "HEAD /v2/lib/app/manifests/docker",
 "HEAD /v2/lib/app/manifests/bare",
 "HEAD /v2/lib/app/manifests/json",
 "HEAD /v2/lib/app/manifests/index"]
--- more_headers eval
["Content-Type: $main::T_OCI; charset=utf-8",
 "Content-Type: $main::T_DV2; charset=utf-8",
 "Content-Type: $main::T_DV2",
 "",
 "Content-Type: application/json",
 "Content-Type: $main::T_OCI",
 "",
 "", "", "", "", ""]
--- error_code eval
[201, 400, 201, 201, 201, 201, 201, 200, 200, 200, 200, 200]
--- response_headers eval
["", "", "", "", "", "", "",
 "Content-Type: $main::T_OCI", "Content-Type: $main::T_DV2", "Content-Type: $main::T_OCI",
 "Content-Type: $main::T_OCI", "Content-Type: $main::T_IDX"]
--- response_body eval
["", main::err('MANIFEST_INVALID', 'manifest invalid', 'mediaType does not match Content-Type'),
 "", "", "", "", "", "", "", "", "", ""]
--- no_error_log
[error]
[alert]
