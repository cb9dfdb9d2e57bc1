# vim:set ft= ts=4 sw=4 et fdm=marker:
# A real client and a multi-platform image: skopeo pushes an OCI index of
# two images (linux/amd64, linux/arm64) with --all, pulls it back whole,
# and pulls the one platform a client on arm64 would get.
#
# Same pattern as t/045-skopeo.t: --- init runs skopeo and writes a
# report to html/<name>.txt, the first request reads it, the others ask
# the registry directly; expected digests come from the deterministic
# fixtures of t/lib/SwrImage.pm.  skopeo must be installed.

use Test::Nginx::Socket;
use SwrImage;
use SwrSkopeo;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

repeat_each(1);

# per request: status, each header, body, no_error_log
plan tests => repeat_each() * ((3 + 5 + 5 + 5) + (3 + 5));

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: skopeo --all pushes an index with both images and pulls it back
--- init
SwrSkopeo::report('multi-arch', sub {
    my $idx = SwrImage::fixture('multiarch', 'multi-arch');
    my $ref = SwrSkopeo::docker('skopeo/multi-arch:v1');
    SwrSkopeo::copy('push', "oci:$idx->{dir}:v1", $ref, '--all');
    my $out = SwrSkopeo::scratch('pull');
    SwrSkopeo::copy('pull', $ref, "oci:$out:v1", '--all');
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
my $idx = SwrImage::fixture('multiarch', 'multi-arch');
["GET /multi-arch.txt",
 "GET /v2/skopeo/multi-arch/manifests/v1",
 "GET /v2/skopeo/multi-arch/manifests/$idx->{images}[0]{manifest}{digest}",
 "GET /v2/skopeo/multi-arch/manifests/$idx->{images}[1]{manifest}{digest}"]
--- more_headers eval
my $accept = "Accept: application/vnd.oci.image.manifest.v1+json
Accept: application/vnd.docker.distribution.manifest.v2+json
Accept: application/vnd.docker.distribution.manifest.v1+prettyjws
Accept: application/vnd.docker.distribution.manifest.v1+json
Accept: application/vnd.docker.distribution.manifest.list.v2+json
Accept: application/vnd.oci.image.index.v1+json";
["", $accept, $accept, $accept]
--- error_code eval
[200, 200, 200, 200]
--- response_headers eval
my $idx = SwrImage::fixture('multiarch', 'multi-arch');
["",
 "Content-Type: application/vnd.oci.image.index.v1+json
Docker-Content-Digest: $idx->{index}{digest}",
 "Content-Type: application/vnd.oci.image.manifest.v1+json
Docker-Content-Digest: $idx->{images}[0]{manifest}{digest}",
 "Content-Type: application/vnd.oci.image.manifest.v1+json
Docker-Content-Digest: $idx->{images}[1]{manifest}{digest}"]
--- response_body eval
my $idx = SwrImage::fixture('multiarch', 'multi-arch');
["push ok\npull ok\n" . SwrImage::describe($idx),
 SwrImage::blob($idx->{dir}, $idx->{index}{digest}),
 SwrImage::blob($idx->{dir}, $idx->{images}[0]{manifest}{digest}),
 SwrImage::blob($idx->{dir}, $idx->{images}[1]{manifest}{digest})]
--- no_error_log
[error]



=== TEST 2: a client on arm64 pulls the arm64 image of the index
--- init
SwrSkopeo::report('arm64', sub {
    my $idx = SwrImage::fixture('multiarch', 'arm64');
    my $ref = SwrSkopeo::docker('skopeo/arm64:v1');
    SwrSkopeo::copy('push', "oci:$idx->{dir}:v1", $ref, '--all');
    my $out = SwrSkopeo::scratch('pull');
    SwrSkopeo::copy('pull arm64', $ref, "oci:$out:v1",
                    '--override-os', 'linux', '--override-arch', 'arm64');
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
my $idx = SwrImage::fixture('multiarch', 'arm64');
["GET /arm64.txt",
 "HEAD /v2/skopeo/arm64/manifests/v1"]
--- more_headers eval
["", "Accept: application/vnd.oci.image.index.v1+json"]
--- error_code eval
[200, 200]
--- response_headers eval
my $idx = SwrImage::fixture('multiarch', 'arm64');
["",
 "Docker-Content-Digest: $idx->{index}{digest}
Content-Length: $idx->{index}{size}"]
--- response_body eval
my $idx = SwrImage::fixture('multiarch', 'arm64');
["push ok\npull arm64 ok\n" . SwrImage::describe($idx->{images}[1]), ""]
--- no_error_log
[error]
