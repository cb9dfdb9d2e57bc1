# vim:set ft= ts=4 sw=4 et fdm=marker:
# What makes a manifest PUT MANIFEST_INVALID (400): JSON that does not
# parse or is not an object, schemaVersion other than 2, Docker schema 1,
# media types that are unknown or disagree with Content-Type, missing or
# mistyped config, layers and manifests, descriptors without a valid
# digest, size or mediaType.  Each request's detail names the check that
# failed; none of them stores anything.

use Test::Nginx::Socket;
use SwrTest;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

our $CFG = '{"architecture":"amd64","os":"linux"}';
our $L1 = 'layer one';
our $T_OCI = SwrTest::MT_OCI_MANIFEST;
our $T_IDX = SwrTest::MT_OCI_INDEX;
our $T_DV2 = SwrTest::MT_DOCKER_V2;

# an OCI image manifest with some fields changed (undef: removed)
sub mf {
    my %change = @_;
    my %m = (schemaVersion => 2, mediaType => $T_OCI,
             config => SwrTest::desc($CFG, SwrTest::MT_OCI_CONFIG),
             layers => [ SwrTest::desc($L1, SwrTest::MT_OCI_LAYER) ]);
    for my $k (keys %change) {
        if (defined $change{$k}) { $m{$k} = $change{$k} } else { delete $m{$k} }
    }
    return SwrTest::json(\%m);
}

# a layer descriptor with some fields changed (undef: removed)
sub layer {
    my %change = @_;
    my $d = SwrTest::desc($L1, SwrTest::MT_OCI_LAYER);
    for my $k (keys %change) {
        if (defined $change{$k}) { $d->{$k} = $change{$k} } else { delete $d->{$k} }
    }
    return $d;
}

# an OCI index with some fields changed (undef: removed)
sub ix {
    my %change = @_;
    my %m = (schemaVersion => 2, mediaType => $T_IDX,
             manifests => [ SwrTest::desc(mf(), $T_OCI) ]);
    for my $k (keys %change) {
        if (defined $change{$k}) { $m{$k} = $change{$k} } else { delete $m{$k} }
    }
    return SwrTest::json(\%m);
}

sub invalid {
    SwrTest::err('MANIFEST_INVALID', 'manifest invalid', $_[0]);
}

# [content type, body, detail]
our @JSON_CASES = (
    [$T_OCI, '', 'empty manifest'],
    [$T_OCI, '{', 'invalid JSON'],
    [$T_OCI, 'schemaVersion: 2', 'invalid JSON'],
    [$T_OCI, mf() . '{}', 'invalid JSON'],
    [$T_OCI, '[' . mf() . ']', 'a manifest is a JSON object'],
    [$T_OCI, '{"schemaVersion":2,"mediaType":"' . $T_OCI . "\xff\xfe" . '"}', 'invalid JSON'],
    [$T_OCI, '{"schemaVersion":2,"x":' . ('[' x 20) . (']' x 20) . '}', 'JSON nested too deeply'],
);

our @TYPE_CASES = (
    [$T_OCI, mf(schemaVersion => 1), 'schemaVersion must be 2'],
    [$T_OCI, mf(schemaVersion => undef), 'schemaVersion must be 2'],
    [$T_OCI, mf(schemaVersion => '2'), 'a field has the wrong type'],
    ['application/vnd.docker.distribution.manifest.v1+prettyjws',
     '{"schemaVersion":1,"name":"lib/app","tag":"v1","architecture":"amd64","fsLayers":[],"history":[]}',
     'schemaVersion must be 2'],
    ['application/vnd.docker.distribution.manifest.v1+json',
     mf(mediaType => 'application/vnd.docker.distribution.manifest.v1+json'),
     'Docker schema 1 manifests are not supported'],
    ['', mf(mediaType => 'application/vnd.docker.distribution.manifest.v1+prettyjws'),
     'Docker schema 1 manifests are not supported'],
    ['application/json', mf(mediaType => 'application/json'), 'unsupported manifest mediaType'],
    [$T_DV2, mf(), 'mediaType does not match Content-Type'],
    [$T_IDX, mf(), 'mediaType does not match Content-Type'],
    [$T_OCI, mf(mediaType => 5), 'a field has the wrong type'],
    [$T_OCI, mf(mediaType => $T_DV2), 'mediaType does not match Content-Type'],
);

our @DESC_CASES = (
    [$T_OCI, mf(config => undef), 'an image manifest needs a config descriptor'],
    [$T_OCI, mf(config => []), 'a field has the wrong type'],
    [$T_OCI, mf(config => 'sha256:abc'), 'a field has the wrong type'],
    [$T_OCI, mf(layers => {}), 'a field has the wrong type'],
    [$T_OCI, mf(config => { mediaType => SwrTest::MT_OCI_CONFIG, size => 2 }), 'a descriptor has no digest'],
    [$T_OCI, mf(layers => [ layer(digest => 'sha256:xyz') ]), 'a descriptor has an invalid digest'],
    [$T_OCI, mf(layers => [ layer(digest => 'md5:d41d8cd98f00b204e9800998ecf8427e') ]), 'a descriptor has an invalid digest'],
    [$T_OCI, mf(layers => [ layer(size => undef) ]), 'a descriptor has no valid size'],
    [$T_OCI, mf(layers => [ layer(size => -1) ]), 'a descriptor has no valid size'],
    [$T_OCI, mf(layers => [ layer(size => '9') ]), 'a descriptor size is not a number'],
    [$T_OCI, mf(layers => [ layer(size => 1.5) ]), 'a descriptor field has the wrong type'],
    [$T_OCI, mf(layers => [ layer(mediaType => undef) ]), 'a descriptor has no mediaType'],
    [$T_OCI, mf(layers => [ layer(digest => 12) ]), 'a descriptor field has the wrong type'],
    [$T_OCI, mf(layers => [ layer(), layer(digest => undef) ]), 'a descriptor has no digest'],
    [$T_DV2, mf(mediaType => $T_DV2, layers => undef), 'a Docker image manifest needs layers'],
    [$T_OCI, mf(manifests => []), 'an image manifest has no manifests'],
    [$T_OCI, mf(subject => { mediaType => $T_OCI, size => 10 }), 'a descriptor has no digest'],
);

our @INDEX_CASES = (
    [$T_IDX, ix(manifests => undef), 'an index needs manifests'],
    [$T_IDX, ix(config => SwrTest::desc($CFG, SwrTest::MT_OCI_CONFIG)), 'an index has no config or layers'],
    [$T_IDX, ix(layers => []), 'an index has no config or layers'],
    [$T_IDX, ix(manifests => [ { mediaType => $T_OCI, digest => SwrTest::sha256(mf()) } ]), 'a descriptor has no valid size'],
    [$T_IDX, ix(manifests => {}), 'a field has the wrong type'],
    ['', ix(mediaType => undef, manifests => [ { digest => SwrTest::sha256(mf()), size => 10 } ]),
     'a descriptor has no mediaType'],
);

# array entries and annotation values of the wrong JSON type
our @SHAPE_CASES = (
    [$T_OCI, mf(layers => ['junk'])],
    [$T_OCI, mf(layers => [[ SwrTest::desc($L1, SwrTest::MT_OCI_LAYER) ]])],
    [$T_IDX, ix(manifests => [1, 2])],
    [$T_IDX, ix(manifests => ['sha256:' . ('a' x 64)])],
    [$T_OCI, mf(annotations => { 'org.example.n' => 1 })],
);

repeat_each(1);

# per request: status, body, no_error_log ([error], [alert]); requests: one
# per case (7 JSON, 11 type, 17 descriptor, 6 index, 5 shape cases), then
# the tags list
plan tests => repeat_each() * 4 * ((7 + 1) + (11 + 1) + (17 + 1) + (6 + 1) + (5 + 1));

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: bodies that are not a JSON object
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[(map { "PUT /v2/lib/app/manifests/v1\n$_->[1]" } @main::JSON_CASES),
 "GET /v2/lib/app/tags/list"]
--- more_headers eval
[(map { $_->[0] ? "Content-Type: $_->[0]" : "" } @main::JSON_CASES), ""]
--- error_code eval
[(400) x @main::JSON_CASES, 200]
--- response_body eval
[(map { main::invalid($_->[2]) } @main::JSON_CASES), '{"name":"lib/app","tags":[]}']
--- no_error_log
[error]
[alert]



=== TEST 2: schemaVersion and media types
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[(map { "PUT /v2/lib/app/manifests/v1\n$_->[1]" } @main::TYPE_CASES),
 "GET /v2/lib/app/tags/list"]
--- more_headers eval
[(map { $_->[0] ? "Content-Type: $_->[0]" : "" } @main::TYPE_CASES), ""]
--- error_code eval
[(400) x @main::TYPE_CASES, 200]
--- response_body eval
[(map { main::invalid($_->[2]) } @main::TYPE_CASES), '{"name":"lib/app","tags":[]}']
--- no_error_log
[error]
[alert]



=== TEST 3: config, layers and their descriptors
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[(map { "PUT /v2/lib/app/manifests/v1\n$_->[1]" } @main::DESC_CASES),
 "GET /v2/lib/app/tags/list"]
--- more_headers eval
[(map { $_->[0] ? "Content-Type: $_->[0]" : "" } @main::DESC_CASES), ""]
--- error_code eval
[(400) x @main::DESC_CASES, 200]
--- response_body eval
[(map { main::invalid($_->[2]) } @main::DESC_CASES), '{"name":"lib/app","tags":[]}']
--- no_error_log
[error]
[alert]



=== TEST 4: indexes
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1);
SwrTest::seed_manifest('lib/app', SwrTest::sha256(main::mf()), main::mf());
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
[(map { "PUT /v2/lib/app/manifests/v1\n$_->[1]" } @main::INDEX_CASES),
 "GET /v2/lib/app/tags/list"]
--- more_headers eval
[(map { $_->[0] ? "Content-Type: $_->[0]" : "" } @main::INDEX_CASES), ""]
--- error_code eval
[(400) x @main::INDEX_CASES, 200]
--- response_body eval
[(map { main::invalid($_->[2]) } @main::INDEX_CASES), '{"name":"lib/app","tags":[]}']
--- no_error_log
[error]
[alert]



=== TEST 5: descriptors that are not JSON objects, annotations that are not strings
OCI image-spec: every entry of layers and manifests is a descriptor (an
object), annotation values are strings.
--- init
SwrTest::command('FLUSHALL');
SwrTest::seed_blobs('lib/app', $main::CFG, $main::L1);
SwrTest::seed_manifest('lib/app', SwrTest::sha256(main::mf()), main::mf());
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
my $i = 0;
[(map { "PUT /v2/lib/app/manifests/shape" . ++$i . "\n$_->[1]" } @main::SHAPE_CASES),
 "GET /v2/lib/app/tags/list"]
--- more_headers eval
[(map { "Content-Type: $_->[0]" } @main::SHAPE_CASES), ""]
--- error_code eval
[(400) x @main::SHAPE_CASES, 200]
--- response_body_like eval
[('^\{"errors":\[\{"code":"MANIFEST_INVALID","message":"manifest invalid","detail":"[^"]+"\}\]\}$') x @main::SHAPE_CASES,
 '^\{"name":"lib/app","tags":\[\]\}$']
--- no_error_log
[error]
[alert]
