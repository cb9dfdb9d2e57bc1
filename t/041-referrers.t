# vim:set ft= ts=4 sw=4 et fdm=marker:
# Referrers: manifests with a subject (PUT answers OCI-Subject), and GET
# /v2/<name>/referrers/<digest>: an OCI index of their descriptors, with
# artifactType (the manifest's, else its config's media type) and
# annotations, filtered by ?artifactType= (OCI-Filters-Applied).

use Test::Nginx::Socket;
use SwrTest;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

our $T_OCI = SwrTest::MT_OCI_MANIFEST;
our $T_IDX = SwrTest::MT_OCI_INDEX;

our $CFG = '{"architecture":"amd64","os":"linux"}';
our $L1 = 'layer one';
our $EMPTY = '{}';
our $SIGDATA = 'signature bytes';
our $SBOMCFG = '{"format":"spdx"}';
our $SBOMDATA = '{"packages":[]}';

# the subject: an image
our $M = SwrTest::manifest($CFG, [$L1]);
our $M_D = SwrTest::sha256($M);
our $SUBJECT = SwrTest::desc($M, $T_OCI);

# a signature: artifactType of its own, an empty config, annotations
our $SIG = SwrTest::json({
    schemaVersion => 2, mediaType => $T_OCI,
    artifactType => 'application/vnd.example.signature.v1',
    config => SwrTest::desc($EMPTY, 'application/vnd.oci.empty.v1+json'),
    layers => [ SwrTest::desc($SIGDATA, 'application/vnd.example.signature.v1+sig') ],
    subject => $SUBJECT,
    annotations => { 'org.example.signer' => "al\"ice \\ caf\x{e9}",
                     'org.opencontainers.image.created' => '2020-01-01T00:00:00Z' },
});
our $SIG_D = SwrTest::sha256($SIG);

# an SBOM: no artifactType, so its config's media type stands for it
our $SBOM = SwrTest::json({
    schemaVersion => 2, mediaType => $T_OCI,
    config => SwrTest::desc($SBOMCFG, 'application/vnd.example.sbom.config.v1+json'),
    layers => [ SwrTest::desc($SBOMDATA, 'application/spdx+json') ],
    subject => $SUBJECT,
});
our $SBOM_D = SwrTest::sha256($SBOM);

# an index with a subject and no artifactType, one with an artifactType
our $RIDX = SwrTest::json({
    schemaVersion => 2, mediaType => $T_IDX,
    manifests => [ SwrTest::desc($M, $T_OCI) ],
    subject => $SUBJECT,
    annotations => { 'org.example.kind' => 'bundle' },
});
our $RIDX2 = SwrTest::json({
    schemaVersion => 2, mediaType => $T_IDX,
    artifactType => 'application/vnd.example.bundle.v1',
    manifests => [ SwrTest::desc($M, $T_OCI) ],
    subject => $SUBJECT,
});

# The descriptor the referrers API lists for a manifest: mediaType, digest,
# size, artifactType, annotations (in the manifest's order, which is sorted
# here).
sub rdesc {
    my ($body, $artifact) = @_;
    my $js = JSON::PP->new->utf8(0)->allow_nonref(1);
    my $m = JSON::PP->new->utf8(1)->decode($body);
    my $s = '{"mediaType":' . $js->encode($m->{mediaType})
            . ',"digest":"' . SwrTest::sha256($body) . '","size":' . length($body);
    $s .= ',"artifactType":' . $js->encode($artifact) if defined $artifact;
    my $a = $m->{annotations};
    if ($a && %$a) {
        $s .= ',"annotations":{'
              . join(',', map { $js->encode($_) . ':' . $js->encode($a->{$_}) } sort keys %$a)
              . '}';
    }
    $s .= '}';
    utf8::encode($s);
    return $s;
}

# The referrers index over descriptors, in any order when $any is set.
sub rindex {
    my @d = @_;
    return '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":['
           . join(',', @d) . ']}';
}

sub rindex_any {
    my ($a, $b) = @_;
    return '^' . quotemeta('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[')
           . '(?:' . quotemeta("$a,$b") . '|' . quotemeta("$b,$a") . ')'
           . quotemeta(']}') . '$';
}

our $SIG_DESC = rdesc($SIG, 'application/vnd.example.signature.v1');
our $SBOM_DESC = rdesc($SBOM, 'application/vnd.example.sbom.config.v1+json');

repeat_each(1);

# per request: status, each header, body, no_error_log ([error], [alert])
plan tests => repeat_each() * (
    (6 + 6 + 5 + 7 + 7)                 # TEST 1
    + (6 + 6 + 6 + 5)                   # TEST 2
    + (5 + 6 + 4)                       # TEST 3
    + 5 * 6                             # TEST 4
    + 4 * 6                             # TEST 5
    + 5 * 4                             # TEST 6
    + 4 * 3                             # TEST 7
);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: two referrers of an image: PUT answers OCI-Subject, GET lists both
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1, $main::EMPTY, $main::SIGDATA,
                    $main::SBOMCFG, $main::SBOMDATA);
SwrTest::seed_manifest('lib/app', 'v1', $main::M);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[SwrTest::put_manifest('lib/app', $main::SIG_D, $main::SIG),
 SwrTest::put_manifest('lib/app', 'sbom', $main::SBOM),
 "GET /v2/lib/app/manifests/$main::SIG_D",
 "GET /v2/lib/app/referrers/$main::M_D",
 "HEAD /v2/lib/app/referrers/$main::M_D"]
--- more_headers eval
["Content-Type: $main::T_OCI", "Content-Type: $main::T_OCI", "", "", ""]
--- error_code eval
[201, 201, 200, 200, 200]
--- response_headers_like eval
["OCI-Subject: \Q$main::M_D\E\nLocation: http://localhost/v2/lib/app/manifests/\Q$main::SIG_D\E",
 "OCI-Subject: \Q$main::M_D\E\nDocker-Content-Digest: \Q$main::SBOM_D\E",
 "Docker-Content-Digest: \Q$main::SIG_D\E",
 "Content-Type: application/vnd\\.oci\\.image\\.index\\.v1\\+json\nOCI-Filters-Applied: \nDocker-Distribution-API-Version: registry/2\\.0",
 "Content-Type: application/vnd\\.oci\\.image\\.index\\.v1\\+json\nOCI-Filters-Applied: \nContent-Length: "
 . length(main::rindex($main::SIG_DESC, $main::SBOM_DESC))]
--- response_body_like eval
["^\$", "^\$", "^\Q$main::SIG\E\$",
 main::rindex_any($main::SIG_DESC, $main::SBOM_DESC),
 "^\$"]
--- no_error_log
[error]
[alert]



=== TEST 2: ?artifactType= keeps one kind and says so in OCI-Filters-Applied
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1, $main::EMPTY, $main::SIGDATA,
                    $main::SBOMCFG, $main::SBOMDATA);
SwrTest::seed_manifest('lib/app', 'v1', $main::M);
SwrTest::seed_manifest('lib/app', $main::SIG_D, $main::SIG);
SwrTest::seed_manifest('lib/app', $main::SBOM_D, $main::SBOM);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /v2/lib/app/referrers/$main::M_D?artifactType=application/vnd.example.signature.v1",
 "GET /v2/lib/app/referrers/$main::M_D?artifactType=application%2Fvnd.example.sbom.config.v1%2Bjson",
 "GET /v2/lib/app/referrers/$main::M_D?artifactType=application/vnd.example.other",
 "GET /v2/lib/app/referrers/$main::M_D?artifactType="]
--- error_code eval
[200, 200, 200, 200]
--- response_headers eval
["OCI-Filters-Applied: artifactType\nContent-Type: application/vnd.oci.image.index.v1+json",
 "OCI-Filters-Applied: artifactType\nContent-Type: application/vnd.oci.image.index.v1+json",
 "OCI-Filters-Applied: artifactType\nContent-Type: application/vnd.oci.image.index.v1+json",
 "!OCI-Filters-Applied"]
--- response_body_like eval
['^' . quotemeta(main::rindex($main::SIG_DESC)) . '$',
 '^' . quotemeta(main::rindex($main::SBOM_DESC)) . '$',
 '^' . quotemeta(main::rindex()) . '$',
 main::rindex_any($main::SIG_DESC, $main::SBOM_DESC)]
--- no_error_log
[error]
[alert]



=== TEST 3: a referrer may come before its subject
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::EMPTY, $main::SIGDATA);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[SwrTest::put_manifest('lib/app', 'sig', $main::SIG),
 "GET /v2/lib/app/referrers/$main::M_D",
 "GET /v2/lib/app/manifests/$main::M_D"]
--- more_headers eval
["Content-Type: $main::T_OCI", "", ""]
--- error_code eval
[201, 200, 404]
--- response_headers eval
["OCI-Subject: $main::M_D", "Content-Type: application/vnd.oci.image.index.v1+json\nContent-Length: "
 . length(main::rindex($main::SIG_DESC)), ""]
--- response_body eval
["", main::rindex($main::SIG_DESC),
 SwrTest::err('MANIFEST_UNKNOWN', 'manifest unknown to registry', $main::M_D)]
--- no_error_log
[error]
[alert]



=== TEST 4: no referrers is an empty index, even for an unknown repository; a bad digest is 400
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1);
SwrTest::seed_manifest('lib/app', 'v1', $main::M);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /v2/lib/app/referrers/$main::M_D",
 "GET /v2/lib/app/referrers/sha512:" . ('b' x 128),
 "GET /v2/lib/nothing/referrers/$main::M_D",
 "GET /v2/lib/app/referrers/sha256:abc",
 "GET /v2/lib/app/referrers/v1",
 "PUT /v2/lib/app/referrers/$main::M_D\n{}"]
--- error_code eval
[200, 200, 200, 400, 400, 405]
--- response_headers eval
["Content-Type: application/vnd.oci.image.index.v1+json",
 "Content-Type: application/vnd.oci.image.index.v1+json",
 "Content-Type: application/vnd.oci.image.index.v1+json",
 "Content-Type: application/json; charset=utf-8",
 "Content-Type: application/json; charset=utf-8",
 "Allow: GET, HEAD"]
--- response_body eval
[main::rindex(), main::rindex(), main::rindex(),
 SwrTest::err('DIGEST_INVALID', 'provided digest did not match uploaded content', 'sha256:abc'),
 SwrTest::err('DIGEST_INVALID', 'provided digest did not match uploaded content', 'v1'),
 SwrTest::err('UNSUPPORTED', 'the operation is unsupported', 'PUT')]
--- no_error_log
[error]
[alert]



=== TEST 5: deleting a referrer by digest takes it off the list; deleting its tag does not
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1, $main::EMPTY, $main::SIGDATA,
                    $main::SBOMCFG, $main::SBOMDATA);
SwrTest::seed_manifest('lib/app', 'v1', $main::M);
SwrTest::seed_manifest('lib/app', 'sig', $main::SIG);
SwrTest::seed_manifest('lib/app', 'sbom', $main::SBOM);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["DELETE /v2/lib/app/manifests/sbom",
 "GET /v2/lib/app/referrers/$main::M_D",
 "DELETE /v2/lib/app/manifests/$main::SIG_D",
 "GET /v2/lib/app/referrers/$main::M_D",
 "DELETE /v2/lib/app/manifests/$main::SBOM_D",
 "GET /v2/lib/app/referrers/$main::M_D"]
--- error_code eval
[202, 200, 202, 200, 202, 200]
--- response_body_like eval
['^$', main::rindex_any($main::SIG_DESC, $main::SBOM_DESC),
 '^$', '^' . quotemeta(main::rindex($main::SBOM_DESC)) . '$',
 '^$', '^' . quotemeta(main::rindex()) . '$']
--- no_error_log
[error]
[alert]



=== TEST 6: an index as a referrer: artifactType only when it has one
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1);
SwrTest::seed_manifest('lib/app', 'v1', $main::M);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[SwrTest::put_manifest('lib/app', 'bundle', $main::RIDX),
 SwrTest::put_manifest('lib/app', 'bundle2', $main::RIDX2),
 "GET /v2/lib/app/referrers/$main::M_D?artifactType=application/vnd.example.bundle.v1",
 "GET /v2/lib/app/referrers/$main::M_D"]
--- more_headers eval
["Content-Type: $main::T_IDX", "Content-Type: $main::T_IDX", "", ""]
--- error_code eval
[201, 201, 200, 200]
--- response_body_like eval
['^$', '^$',
 '^' . quotemeta(main::rindex(main::rdesc($main::RIDX2, 'application/vnd.example.bundle.v1'))) . '$',
 main::rindex_any(main::rdesc($main::RIDX), main::rdesc($main::RIDX2, 'application/vnd.example.bundle.v1'))]
--- response_headers eval
["OCI-Subject: $main::M_D", "OCI-Subject: $main::M_D",
 "OCI-Filters-Applied: artifactType", "!OCI-Filters-Applied"]
--- no_error_log
[error]
[alert]



=== TEST 7: referrers are per repository
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('team/a', $main::CFG, $main::L1);
SwrTest::seed_manifest('team/a', 'v1', $main::M);
SwrTest::seed_blobs('team/b', $main::EMPTY, $main::SIGDATA);
SwrTest::seed_manifest('team/b', 'sig', $main::SIG);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
["GET /v2/team/a/referrers/$main::M_D",
 "GET /v2/team/b/referrers/$main::M_D",
 "GET /v2/team/referrers/$main::M_D"]
--- error_code eval
[200, 200, 200]
--- response_body eval
[main::rindex(), main::rindex($main::SIG_DESC), main::rindex()]
--- no_error_log
[error]
[alert]
