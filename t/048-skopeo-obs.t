# vim:set ft= ts=4 sw=4 et fdm=marker:
# A real client on the object store driver: skopeo pushes images to the
# registry with "swr_storage obs" (blobs in the bucket of the real Ceph
# RGW that util/test.sh starts) and pulls them back: an image with a
# 64 MiB layer of random bytes (one PATCH of 64 MiB: a piece staged in the
# bucket, then the blob made by a multipart upload that copies it), and
# an image of five layers of assorted sizes (segments and pieces, blobs
# made by one PUT or by a multipart upload).
#
# Each block's --- init runs skopeo (t/lib/SwrSkopeo.pm) on fixtures from
# t/lib/SwrImage.pm (as t/045-skopeo.t does) and writes html/<name>.txt:
# skopeo's steps, the image pulled back (every blob checked against its
# digest and size, the layers compared byte for byte with the ones
# pushed), each blob's object in the bucket (blobs/sha256/<2>/<hex>, its
# size), the upload sessions of the push (from the access log) and what
# is left of them: staged objects under _uploads/<id>/ and multipart
# uploads in progress at the blobs' keys, none expected.  Expected texts
# are computed from the same deterministic fixtures while the spec is
# parsed.  skopeo must be installed (util/deps.sh).
#
# Redis and the bucket are not emptied between blocks: every block pushes
# images of its own (own seed, own repository under skopeo-obs/), and
# first makes Redis forget that repository and removes its blobs from the
# bucket, so that every blob is pushed again when the file runs again on
# the same Redis and store.

use Test::Nginx::Socket;
use File::Spec ();
use File::Compare ();
use SwrImage;
use SwrRgw;
use SwrSkopeo;
use SwrTest;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;
$ENV{TEST_NGINX_RGW_PORT} ||= 7480;
$ENV{TEST_NGINX_RGW_BUCKET} ||= 'swr-test';
$ENV{TEST_NGINX_RGW_ACCESS_KEY} ||= 'AK';
$ENV{TEST_NGINX_RGW_SECRET_KEY} ||= 'SK';
$ENV{TEST_NGINX_RGW_REGION} ||= 'us-east-1';
$ENV{TEST_NGINX_SWR_CONF} ||= File::Spec->rel2abs('conf');

repeat_each(1);

# a block: 3 requests, their status, 3 headers, body, 2 no_error_log each
plan tests => repeat_each() * 2 * (3 + 3 + 3 + 2 * 3);


# ---- helpers, called as main::name() from the sections ------------------

# An image of five layers: a small file, 7 MiB of random bytes (above
# the store's least part of 5 MiB), a directory tree of small files,
# 1 MiB of random bytes, and an empty directory (made with SwrImage's own
# building blocks, _image and _random_stream).
my %Layers;
sub layers {
    my ($seed) = @_;
    return $Layers{$seed} ||= do {
        my $dir = SwrImage::tmpdir() . "/layers-$seed";
        my $layout = SwrImage::Layout->new($dir);
        my $random = sub {
            my ($name, $size) = @_;
            [ $name, sub { SwrImage::_random_stream("$seed/$name", $size,
                                                    @_) }, $size ];
        };
        my $img = SwrImage::_image($layout, $seed, 'amd64', [
            [ [ 'etc/', undef ], [ 'etc/os-release', "ID=$seed\n" ] ],
            [ [ 'opt/', undef ], $random->('opt/seven.bin', 7 * 1024 * 1024) ],
            [ [ 'usr/', undef ], [ 'usr/share/', undef ],
              map { [ "usr/share/f$_.txt", "file $_ of $seed\n" x $_ ] }
                  1 .. 40 ],
            [ [ 'var/', undef ], $random->('var/one.bin', 1024 * 1024) ],
            [ [ 'tmp/', undef ] ],
        ], level => 1);
        $layout->finish([ [ $img->{manifest}, 'v1' ] ]);
        +{ %$img, dir => $dir, tag => 'v1', seed => $seed };
    };
}

# the blobs of $img (config, then layers)
sub blobs {
    my ($img) = @_;
    return ([ config => $img->{config} ],
            map { [ layer => $_ ] } @{ $img->{layers} });
}

# The key of a blob in the bucket.
sub key_of {
    my ($digest) = @_;
    my $hex = (split /:/, $digest)[1];
    return 'blobs/sha256/' . substr($hex, 0, 2) . "/$hex";
}

# Before a push: repository $repo unknown to Redis and the blobs of $img
# not in the bucket, so that a run on a Redis and a store used before
# pushes every blob again.
sub forget {
    my ($repo, $img) = @_;
    my $keys = SwrTest::command('KEYS', "swr:{r:$repo}:*");
    SwrTest::command('DEL', @$keys) if @$keys;
    SwrTest::command('ZREM', 'swr:repos', $repo);
    SwrRgw::del(key_of($_->[1]{digest})) for blobs($img);
}

# the multipart uploads in progress at $key (ListMultipartUploads)
sub multipart_at {
    my ($key) = @_;
    my $r = SwrRgw::request('GET', undef,
                            query => { uploads => '', prefix => $key });
    die "S3 list of multipart uploads: $r->{status}\n"
        unless $r->{status} == 200;
    return scalar grep { $_ eq $key }
        $r->{content} =~ m{<Upload>.*?<Key>([^<]*)</Key>}gs;
}

# one line a blob: its object in the bucket, status and size
sub stored {
    my ($img) = @_;
    my $out = '';
    for (blobs($img)) {
        my ($what, $d) = @$_;
        my $key = key_of($d->{digest});
        my $h = SwrRgw::head($key);
        $out .= "store $what $key $h->{status} "
              . ($h->{headers}{'content-length'} // '-') . "\n";
    }
    return $out;
}

# the same lines as expected
sub stored_expected {
    my ($img) = @_;
    return join '', map {
        my ($what, $d) = @$_;
        "store $what " . key_of($d->{digest}) . " 200 $d->{size}\n";
    } blobs($img);
}

# "layer <digest> bytes same" when the file pulled into $blob_path is the
# one pushed
sub compare_layers {
    my ($img, $blob_path) = @_;
    my $out = '';
    for my $l (@{ $img->{layers} }) {
        my $pushed = SwrImage::blob_path($img->{dir}, $l->{digest});
        my $pulled = $blob_path->($l->{digest});
        my $same = File::Compare::compare($pushed, $pulled) == 0;
        $out .= "layer $l->{digest} bytes " . ($same ? 'same' : 'differ')
              . "\n";
    }
    return $out;
}

# the same lines as expected (a function: "join" in an eval section is
# also a filter of the real Test::Nginx)
sub same_expected {
    my ($img) = @_;
    return join '', map { "layer $_->{digest} bytes same\n" }
                        @{ $img->{layers} };
}

# The upload sessions of repository $repo that the access log shows, and
# what is left of them in the bucket: staged objects, multipart uploads
# in progress at the blobs' keys, and keys under _uploads/ that were not
# there before (@$before).
sub leftovers {
    my ($repo, $img, $before) = @_;

    my $log = "$ENV{TEST_NGINX_SERVER_ROOT}/logs/access.log";
    open my $fh, '<', $log or die "cannot read $log: $!\n";
    my %ids;
    while (<$fh>) {
        $ids{$1} = 1
            if m{"(?:PATCH|PUT) /v2/\Q$repo\E/blobs/uploads/([0-9a-f-]{36})\b};
    }
    close $fh;

    my $staged = 0;
    $staged += () = SwrRgw::list("_uploads/$_/") for keys %ids;

    my %old = map { $_ => 1 } @$before;
    my @new = grep { !$old{$_} } SwrRgw::list('_uploads/');

    my $multipart = 0;
    $multipart += multipart_at(key_of($_->[1]{digest})) for blobs($img);

    return "upload sessions " . scalar(keys %ids) . "\n"
         . "staged objects left $staged\n"
         . "new keys under _uploads/ " . scalar(@new) . "\n"
         . "multipart uploads left $multipart\n";
}

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: an image with a 64 MiB layer goes up to the bucket and comes back intact
--- init
SwrSkopeo::report('obs-big', sub {
    my $img = SwrImage::fixture('big', 't048-big');
    my $ref = SwrSkopeo::docker('skopeo-obs/big:v1');
    main::forget('skopeo-obs/big', $img);
    my @before = SwrRgw::list('_uploads/');
    SwrSkopeo::copy('push', "oci:$img->{dir}:v1", $ref);
    SwrSkopeo::add(main::stored($img),
                   main::leftovers('skopeo-obs/big', $img, \@before));
    my $out = SwrSkopeo::scratch('pull');
    SwrSkopeo::copy('pull', $ref, "oci:$out:v1");
    return SwrImage::describe(SwrImage::read_layout($out, 'v1'))
         . main::compare_layers($img,
                                sub { SwrImage::blob_path($out, $_[0]) });
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
    upstream obs { server 127.0.0.1:$TEST_NGINX_RGW_PORT; keepalive 8; }
--- config
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs rgw;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://obs$swr_obs_uri;
    }
--- request eval
my $img = SwrImage::fixture('big', 't048-big');
["GET /obs-big.txt",
 "HEAD /v2/skopeo-obs/big/blobs/$img->{layers}[0]{digest}",
 "GET /v2/skopeo-obs/big/manifests/v1"]
--- more_headers eval
["", "", "Accept: application/vnd.oci.image.manifest.v1+json"]
--- timeout: 60
--- error_code eval
[200, 200, 200]
--- response_headers eval
my $img = SwrImage::fixture('big', 't048-big');
["",
 "Docker-Content-Digest: $img->{layers}[0]{digest}
Content-Length: $img->{layers}[0]{size}",
 "Docker-Content-Digest: $img->{manifest}{digest}"]
--- response_body eval
my $img = SwrImage::fixture('big', 't048-big');
["push ok\n"
 . main::stored_expected($img)
 . "upload sessions 2\nstaged objects left 0\n"
 . "new keys under _uploads/ 0\nmultipart uploads left 0\n"
 . "pull ok\n"
 . SwrImage::describe($img)
 . main::same_expected($img),
 "",
 SwrImage::blob($img->{dir}, $img->{manifest}{digest})]
--- no_error_log
[error]
[alert]



=== TEST 2: an image of five layers (small, 7 MiB, many files, 1 MiB, empty) goes up and back (oci: to docker:, docker: to dir:)
--- init
SwrSkopeo::report('obs-layers', sub {
    my $img = main::layers('t048-layers');
    my $ref = SwrSkopeo::docker('skopeo-obs/layers:v1');
    main::forget('skopeo-obs/layers', $img);
    my @before = SwrRgw::list('_uploads/');
    SwrSkopeo::copy('push', "oci:$img->{dir}:v1", $ref);
    SwrSkopeo::add(main::stored($img),
                   main::leftovers('skopeo-obs/layers', $img, \@before));
    my $out = SwrSkopeo::scratch('pull');
    SwrSkopeo::copy('pull', $ref, "dir:$out");
    return SwrImage::describe(SwrImage::read_dir($out))
         . main::compare_layers($img,
                                sub { "$out/" . (split /:/, $_[0])[1] });
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
    upstream obs { server 127.0.0.1:$TEST_NGINX_RGW_PORT; keepalive 8; }
--- config
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_storage obs rgw;
    }
    location /_swr_obs/ {
        internal;
        include $TEST_NGINX_SWR_CONF/swr_obs_proxy.conf;
        proxy_pass http://obs$swr_obs_uri;
    }
--- request eval
my $img = main::layers('t048-layers');
["GET /obs-layers.txt",
 "GET /v2/skopeo-obs/layers/blobs/$img->{layers}[2]{digest}",
 "GET /v2/skopeo-obs/layers/blobs/$img->{layers}[1]{digest}"]
--- more_headers eval
["", "", "Range: bytes=5242870-5242889"]
--- timeout: 60
--- error_code eval
[200, 200, 206]
--- response_headers eval
my $img = main::layers('t048-layers');
["",
 "Docker-Content-Digest: $img->{layers}[2]{digest}
Content-Length: $img->{layers}[2]{size}",
 "Content-Range: bytes 5242870-5242889/$img->{layers}[1]{size}"]
--- response_body eval
my $img = main::layers('t048-layers');
["push ok\n"
 . main::stored_expected($img)
 . "upload sessions 6\nstaged objects left 0\n"
 . "new keys under _uploads/ 0\nmultipart uploads left 0\n"
 . "pull ok\n"
 . SwrImage::describe($img)
 . main::same_expected($img),
 SwrImage::blob($img->{dir}, $img->{layers}[2]{digest}),
 substr(SwrImage::blob($img->{dir}, $img->{layers}[1]{digest}),
        5242870, 20)]
--- no_error_log
[error]
[alert]
