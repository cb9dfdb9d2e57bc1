# vim:set ft= ts=4 sw=4 et fdm=marker:
# A real client: skopeo pushes images to the registry and pulls them back
# (OCI image, the same image converted to Docker schema 2, an image with a
# 64 MiB layer).
#
# Each block's --- init runs skopeo (t/lib/SwrSkopeo.pm) with fixtures
# from t/lib/SwrImage.pm and writes what happened to html/<name>.txt; the
# first request reads that report, the others ask the registry directly.
# Expected digests are computed from the same deterministic fixtures while
# the spec is parsed.  skopeo must be installed (util/deps.sh).
#
# The blob storage is <server root>/storage_temp: both runners remove
# *_temp directories of the server root between blocks (any other
# directory left there makes the next block bail out), so every block
# starts with empty storage.  Redis is not emptied between blocks, so
# every block pushes images of its own (own seed, own repository).

use Test::Nginx::Socket;
use SwrImage;
use SwrSkopeo;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

repeat_each(1);

# per request: status, each header, body, no_error_log
plan tests => repeat_each() * ((3 + 5 + 5 + 5) + (3 + 5 + 5 + 5) + (3 + 5 + 4));

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: an OCI image pushed and pulled back by skopeo is unchanged
--- init
SwrSkopeo::report('oci-image', sub {
    my $img = SwrImage::fixture('simple', 'oci-image');
    my $ref = SwrSkopeo::docker('skopeo/oci-image:v1');
    SwrSkopeo::copy('push', "oci:$img->{dir}:v1", $ref);
    my $out = SwrSkopeo::scratch('pull');
    SwrSkopeo::copy('pull', $ref, "oci:$out:v1");
    return SwrImage::describe(SwrImage::read_layout($out, 'v1'));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
my $img = SwrImage::fixture('simple', 'oci-image');
["GET /oci-image.txt",
 "GET /v2/skopeo/oci-image/manifests/v1",
 "GET /v2/skopeo/oci-image/blobs/$img->{config}{digest}",
 "HEAD /v2/skopeo/oci-image/blobs/$img->{layers}[1]{digest}"]
--- more_headers eval
["",
 "Accept: application/vnd.oci.image.manifest.v1+json
Accept: application/vnd.docker.distribution.manifest.v2+json
Accept: application/vnd.docker.distribution.manifest.v1+prettyjws
Accept: application/vnd.docker.distribution.manifest.v1+json
Accept: application/vnd.docker.distribution.manifest.list.v2+json
Accept: application/vnd.oci.image.index.v1+json",
 "",
 ""]
--- error_code eval
[200, 200, 200, 200]
--- response_headers eval
my $img = SwrImage::fixture('simple', 'oci-image');
["",
 "Content-Type: application/vnd.oci.image.manifest.v1+json
Docker-Content-Digest: $img->{manifest}{digest}",
 "Docker-Content-Digest: $img->{config}{digest}
Content-Length: $img->{config}{size}",
 "Docker-Content-Digest: $img->{layers}[1]{digest}
Content-Length: $img->{layers}[1]{size}"]
--- response_body eval
my $img = SwrImage::fixture('simple', 'oci-image');
["push ok\npull ok\n" . SwrImage::describe($img),
 SwrImage::blob($img->{dir}, $img->{manifest}{digest}),
 SwrImage::blob($img->{dir}, $img->{config}{digest}),
 ""]
--- no_error_log
[error]



=== TEST 2: a Docker schema 2 image (skopeo --format v2s2) goes up and back
--- init
SwrSkopeo::report('docker-image', sub {
    my $img = SwrImage::fixture('simple', 'docker-image');
    my $ref = SwrSkopeo::docker('skopeo/docker-image:v1');
    SwrSkopeo::copy('push', "oci:$img->{dir}:v1", $ref, '--format', 'v2s2');
    my $out = SwrSkopeo::scratch('pull');
    SwrSkopeo::copy('pull', $ref, "dir:$out");
    return SwrImage::describe(SwrImage::read_dir($out));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
my $img = SwrImage::docker_v2s2(SwrImage::fixture('simple', 'docker-image'));
["GET /docker-image.txt",
 "GET /v2/skopeo/docker-image/manifests/v1",
 "GET /v2/skopeo/docker-image/manifests/$img->{manifest}{digest}",
 "HEAD /v2/skopeo/docker-image/blobs/$img->{config}{digest}"]
--- more_headers eval
["",
 "Accept: application/vnd.oci.image.manifest.v1+json
Accept: application/vnd.docker.distribution.manifest.v2+json
Accept: application/vnd.docker.distribution.manifest.v1+prettyjws
Accept: application/vnd.docker.distribution.manifest.v1+json
Accept: application/vnd.docker.distribution.manifest.list.v2+json
Accept: application/vnd.oci.image.index.v1+json",
 "Accept: application/vnd.docker.distribution.manifest.v2+json",
 ""]
--- error_code eval
[200, 200, 200, 200]
--- response_headers eval
my $img = SwrImage::docker_v2s2(SwrImage::fixture('simple', 'docker-image'));
["",
 "Content-Type: application/vnd.docker.distribution.manifest.v2+json
Docker-Content-Digest: $img->{manifest}{digest}",
 "Content-Type: application/vnd.docker.distribution.manifest.v2+json
Docker-Content-Digest: $img->{manifest}{digest}",
 "Docker-Content-Digest: $img->{config}{digest}
Content-Length: $img->{config}{size}"]
--- response_body eval
my $img = SwrImage::docker_v2s2(SwrImage::fixture('simple', 'docker-image'));
["push ok\npull ok\n" . SwrImage::describe($img),
 $img->{manifest_text},
 $img->{manifest_text},
 ""]
--- no_error_log
[error]



=== TEST 3: an image with a 64 MiB layer goes up and comes back intact
--- init
SwrSkopeo::report('big-image', sub {
    my $img = SwrImage::fixture('big', 'big-image');
    my $ref = SwrSkopeo::docker('skopeo/big-image:v1');
    SwrSkopeo::copy('push', "oci:$img->{dir}:v1", $ref);
    my $out = SwrSkopeo::scratch('pull');
    SwrSkopeo::copy('pull', $ref, "oci:$out:v1");
    return SwrImage::describe(SwrImage::read_layout($out, 'v1'));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
--- request eval
my $img = SwrImage::fixture('big', 'big-image');
["GET /big-image.txt",
 "HEAD /v2/skopeo/big-image/blobs/$img->{layers}[0]{digest}",
 "HEAD /v2/skopeo/big-image/manifests/v1"]
--- more_headers eval
["", "", "Accept: application/vnd.oci.image.manifest.v1+json"]
--- timeout: 30
--- error_code eval
[200, 200, 200]
--- response_headers eval
my $img = SwrImage::fixture('big', 'big-image');
["",
 "Docker-Content-Digest: $img->{layers}[0]{digest}
Content-Length: $img->{layers}[0]{size}",
 "Docker-Content-Digest: $img->{manifest}{digest}"]
--- response_body eval
my $img = SwrImage::fixture('big', 'big-image');
["push ok\npull ok\n" . SwrImage::describe($img), "", ""]
--- no_error_log
[error]
