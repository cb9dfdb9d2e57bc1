# vim:set ft= ts=4 sw=4 et fdm=marker:
# A real client copying an image between two repositories of the same
# registry: skopeo mounts the layers it knows to be in the source
# repository (POST .../blobs/uploads/?from=<repo>&mount=<digest>, 201)
# instead of sending them again; the config blob it always uploads.
#
# skopeo only tries a mount for blobs its blob info cache places in
# another repository of the same registry; SwrSkopeo gives each block a
# fresh cache, which the push to the first repository fills.  What was
# mounted or uploaded is read from the access log of the server.  A
# registry that does not honour the mount (202 and an upload session)
# still gets the image: skopeo cancels that session (DELETE) and uploads
# the layer, which the report then shows as "mount refused, uploaded".
#
# Which layers skopeo offers to mount is skopeo's choice (under load it
# sometimes uploads one again); the test demands that it mounted at least
# one layer and that the registry refused no mount.
#
# Same pattern as t/045-skopeo.t; skopeo must be installed.

use Test::Nginx::Socket;
use SwrImage;
use SwrSkopeo;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

repeat_each(1);

# per request: status, each header, body, no_error_log
plan tests => repeat_each() * (3 + 5 + 4);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: skopeo copies an image to another repository by mounting its layers
--- init
SwrSkopeo::report('mount', sub {
    my $img = SwrImage::fixture('simple', 'mount');
    my $from = SwrSkopeo::docker('skopeo/mount-from:1');
    my $to = SwrSkopeo::docker('skopeo/mount-to:1');
    SwrSkopeo::copy('push', "oci:$img->{dir}:v1", $from);
    SwrSkopeo::copy('copy', $from, $to);
    my $out = SwrSkopeo::scratch('pull');
    SwrSkopeo::copy('pull', $to, "oci:$out:v1");
    return SwrSkopeo::blob_writes($img, 'skopeo/mount-to')
        . SwrImage::describe(SwrImage::read_layout($out, 'v1'));
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
my $img = SwrImage::fixture('simple', 'mount');
["GET /mount.txt",
 "GET /v2/skopeo/mount-to/manifests/1",
 "HEAD /v2/skopeo/mount-to/blobs/$img->{layers}[0]{digest}"]
--- more_headers eval
["", "Accept: application/vnd.oci.image.manifest.v1+json", ""]
--- error_code eval
[200, 200, 200]
--- response_headers eval
my $img = SwrImage::fixture('simple', 'mount');
["",
 "Content-Type: application/vnd.oci.image.manifest.v1+json
Docker-Content-Digest: $img->{manifest}{digest}",
 "Docker-Content-Digest: $img->{layers}[0]{digest}"]
--- response_body_like eval
my $img = SwrImage::fixture('simple', 'mount');
my ($c, $l1, $l2) = map { $_->{digest} } $img->{config}, @{ $img->{layers} };
my $way = '(?:mounted from skopeo/mount-from|uploaded)';
["^(?=(?:.*\n)*layer \\S+ mounted from skopeo/mount-from\n)"
 . "push ok\ncopy ok\npull ok\n"
 . "config " . quotemeta($c) . " uploaded\n"
 . "layer " . quotemeta($l1) . " $way\n"
 . "layer " . quotemeta($l2) . " $way\n"
 . quotemeta(SwrImage::describe($img)) . "\$",
 "^" . quotemeta(SwrImage::blob($img->{dir}, $img->{manifest}{digest}))
 . "\$",
 "^\$"]
--- no_error_log
[error]
