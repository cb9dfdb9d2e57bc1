package SwrImage;

# Container image fixtures for the client tests: writes OCI image layouts
# (oci-layout, index.json, blobs/sha256/...) that skopeo reads with its
# oci:<dir>:<tag> transport.
#
#   simple($dir, %opt)     one linux/amd64 image: a config and 2 layers
#   multiarch($dir, %opt)  an OCI index of two images, linux/amd64 and
#                          linux/arm64 (2 layers each)
#   big($dir, %opt)        one image with a single layer holding 64 MiB of
#                          pseudo-random bytes (a 64 MiB gzip blob)
#
# Options: tag (default "v1"), seed (a string mixed into every file, so
# that images made with different seeds share no blob; default "swr").
#
# Layers are real tar archives (ustar, written here), compressed with
# `gzip -n`, media type application/vnd.oci.image.layer.v1.tar+gzip, and
# the config lists their diff_ids.  Everything is fixed (mtimes, owners,
# JSON key order, no gzip name or time), so a given seed always gives the
# same digests for a given gzip program.
#
# Each function returns a description of what it wrote (digests, sizes,
# media types; see "what was written" below).  fixture($kind, $seed)
# makes one of them once per process in a temporary directory that is
# removed when the process exits, so that .t files can compute expected
# digests while the spec is parsed and push the same files in --- init.
#
# Core Perl only, plus the gzip program.

use strict;
use warnings;

use Digest::SHA ();
use File::Path ();
use File::Temp ();
use JSON::PP ();
use POSIX ();

our $MTIME = 1577836800;    # 2020-01-01T00:00:00Z
our $CREATED = '2020-01-01T00:00:00Z';

our $BIG_SIZE = 64 * 1024 * 1024;

use constant {
    MT_INDEX    => 'application/vnd.oci.image.index.v1+json',
    MT_MANIFEST => 'application/vnd.oci.image.manifest.v1+json',
    MT_CONFIG   => 'application/vnd.oci.image.config.v1+json',
    MT_LAYER    => 'application/vnd.oci.image.layer.v1.tar+gzip',
};

my $JSON = JSON::PP->new->canonical(1)->utf8(1);

sub json { return $JSON->encode($_[0]) }

sub decode_json { return $JSON->decode($_[0]) }


# ---- the three fixtures ------------------------------------------------

sub simple {
    my ($dir, %opt) = @_;

    my $seed = defined $opt{seed} ? $opt{seed} : 'swr';
    my $tag = defined $opt{tag} ? $opt{tag} : 'v1';

    my $layout = SwrImage::Layout->new($dir);
    my $img = _image($layout, $seed, 'amd64', [
        [ [ 'etc/', undef ],
          [ 'etc/swr-fixture', "seed $seed\nlayer 1\n" ] ],
        [ [ 'usr/', undef ], [ 'usr/share/', undef ],
          [ 'usr/share/swr/', undef ],
          [ 'usr/share/swr/hello.txt', "hello from $seed\n" x 64 ] ],
    ]);

    $layout->finish([ [ $img->{manifest}, $tag ] ]);

    return { %$img, dir => $dir, tag => $tag, seed => $seed };
}

sub multiarch {
    my ($dir, %opt) = @_;

    my $seed = defined $opt{seed} ? $opt{seed} : 'swr';
    my $tag = defined $opt{tag} ? $opt{tag} : 'v1';

    my $layout = SwrImage::Layout->new($dir);

    my @images;
    for my $arch (qw(amd64 arm64)) {
        my $img = _image($layout, $seed, $arch, [
            [ [ 'etc/', undef ],
              [ 'etc/swr-fixture', "seed $seed\narch $arch\nlayer 1\n" ] ],
            [ [ 'opt/', undef ], [ "opt/$arch/", undef ],
              [ "opt/$arch/bin.txt", "$arch binary of $seed\n" x 32 ] ],
        ]);
        push @images, $img;
    }

    my $index = {
        schemaVersion => 2,
        mediaType => MT_INDEX,
        manifests => [ map {
            { mediaType => MT_MANIFEST,
              digest => $_->{manifest}{digest},
              size => $_->{manifest}{size},
              platform => { architecture => $_->{arch}, os => 'linux' } }
        } @images ],
    };

    my $desc = $layout->add_blob(json($index), MT_INDEX);

    $layout->finish([ [ $desc, $tag ] ]);

    return { dir => $dir, tag => $tag, seed => $seed, index => $desc,
             images => \@images };
}

sub big {
    my ($dir, %opt) = @_;

    my $seed = defined $opt{seed} ? $opt{seed} : 'swr';
    my $tag = defined $opt{tag} ? $opt{tag} : 'v1';
    my $size = $opt{size} || $BIG_SIZE;

    my $layout = SwrImage::Layout->new($dir);
    my $img = _image($layout, $seed, 'amd64', [
        [ [ 'data/', undef ],
          [ 'data/random.bin', sub { _random_stream($seed, $size, @_) },
            $size ] ],
    ], level => 1);

    $layout->finish([ [ $img->{manifest}, $tag ] ]);

    return { %$img, dir => $dir, tag => $tag, seed => $seed };
}


# fixture($kind, $seed): the fixture of that kind (simple, multiarch, big)
# and seed, made once per process under a temporary directory.

my $TMP;
my %FIXTURE;

sub tmpdir {
    $TMP ||= File::Temp::tempdir('swr-image-XXXXXX', TMPDIR => 1,
                                 CLEANUP => 1);
    return $TMP;
}

sub fixture {
    my ($kind, $seed, %opt) = @_;

    my $key = "$kind-$seed";
    return $FIXTURE{$key} if $FIXTURE{$key};

    my $make = __PACKAGE__->can($kind) or die "no fixture kind $kind\n";
    my $dir = tmpdir() . "/$key";

    return $FIXTURE{$key} = $make->($dir, seed => $seed, %opt);
}


# ---- what was written, what was pulled ---------------------------------

# An image:  { arch, manifest => DESC, config => DESC,
#              layers => [ DESC... ], diff_ids => [ ... ] }
# An index:  { index => DESC, images => [ image... ] }
# DESC:      { mediaType, digest, size }  (layers also have diff_id)

# The bytes of a blob of the OCI layout in $dir.
sub blob {
    my ($dir, $digest) = @_;
    return _slurp(blob_path($dir, $digest));
}

sub blob_path {
    my ($dir, $digest) = @_;
    my ($alg, $hex) = split /:/, $digest, 2;
    return "$dir/blobs/$alg/$hex";
}

# The text the client tests report for an image or index, one line a
# descriptor: "<what> <digest> <media type>"; for an index, first the
# index and one "<os>/<arch> <digest>" line per platform.
sub describe {
    my ($info) = @_;

    my @lines;
    if ($info->{index}) {
        push @lines, "index $info->{index}{digest} $info->{index}{mediaType}";
        push @lines, "linux/$_->{arch} $_->{manifest}{digest}"
            for @{ $info->{images} };
        push @lines, _describe_image($_) for @{ $info->{images} };
    } else {
        push @lines, _describe_image($info);
    }

    return join '', map { "$_\n" } @lines;
}

sub _describe_image {
    my ($img) = @_;
    return map { "$_->[0] $_->[1]{digest} $_->[1]{mediaType}" }
           [ manifest => $img->{manifest} ], [ config => $img->{config} ],
           map { [ layer => $_ ] } @{ $img->{layers} };
}

# read_layout($dir, $tag): reads back an OCI layout (one skopeo pulled
# into with oci:<dir>:<tag>) into the structure the writers return.
# read_dir($dir): the same for skopeo's dir:<dir> transport, which keeps
# manifests byte for byte whatever their type.
# Both die when a blob is missing or does not match its digest or size.
sub read_layout {
    my ($dir, $tag) = @_;

    my $top = decode_json(_slurp("$dir/index.json"));
    my ($desc) = grep {
        my $a = $_->{annotations} || {};
        ($a->{'org.opencontainers.image.ref.name'} // '') eq $tag;
    } @{ $top->{manifests} || [] };
    die "no $tag in $dir/index.json\n" unless $desc;

    my $path = sub { blob_path($dir, $_[0]) };
    return _read($path, $path, $desc,
                 _verified($path->($desc->{digest}), $desc));
}

sub read_dir {
    my ($dir) = @_;

    my $text = _slurp("$dir/manifest.json");
    my $desc = { digest => digest_of($text), size => length $text };
    my $blob = sub { "$dir/" . (split /:/, $_[0], 2)[1] };
    my $manifest = sub { $blob->($_[0]) . '.manifest.json' };

    return _read($blob, $manifest, $desc, $text);
}

my %LIST = map { $_ => 1 } (MT_INDEX,
    'application/vnd.docker.distribution.manifest.list.v2+json');

sub _read {
    my ($blob, $manifest, $desc, $text) = @_;

    my $doc = decode_json($text);
    my $mt = $desc->{mediaType} || $doc->{mediaType} || '';

    if ($LIST{$mt}) {
        my @images;
        for my $m (@{ $doc->{manifests} }) {
            my $img = _read($blob, $manifest, $m,
                            _verified($manifest->($m->{digest}), $m));
            $img->{arch} = $m->{platform}{architecture};
            push @images, $img;
        }
        return { index => _desc($desc, $mt), images => \@images };
    }

    my $config = decode_json(_verified($blob->($doc->{config}{digest}),
                                       $doc->{config}));
    _verified($blob->($_->{digest}), $_) for @{ $doc->{layers} };

    return {
        arch => $config->{architecture},
        manifest => _desc($desc, $mt),
        config => _desc($doc->{config}),
        layers => [ map { _desc($_) } @{ $doc->{layers} } ],
        diff_ids => $config->{rootfs}{diff_ids},
    };
}

sub _desc {
    my ($d, $mt) = @_;
    return { mediaType => $mt || $d->{mediaType}, digest => $d->{digest},
             size => $d->{size} };
}

# The contents of $path, checked against descriptor $desc.
sub _verified {
    my ($path, $desc) = @_;

    die "blob $desc->{digest} missing\n" unless -f $path;

    my $sha = Digest::SHA->new(256);
    $sha->addfile($path);
    my $got = 'sha256:' . $sha->hexdigest;
    die "blob $desc->{digest} has digest $got\n" if $got ne $desc->{digest};
    die "blob $desc->{digest} has size " . (-s $path) . "\n"
        if defined $desc->{size} && -s $path != $desc->{size};

    return -s $path > 1024 * 1024 ? '' : _slurp($path);
}

# The Docker schema 2 image `skopeo copy --format v2s2` makes of an image
# written here: the same config and layer blobs under Docker media types,
# and the manifest exactly as containers/image serialises it (keys in its
# Go struct order).
sub docker_v2s2 {
    my ($img) = @_;

    my $config = { %{ $img->{config} },
        mediaType => 'application/vnd.docker.container.image.v1+json' };
    my @layers = map { { %$_,
        mediaType => 'application/vnd.docker.image.rootfs.diff.tar.gzip' } }
        @{ $img->{layers} };

    my $d = sub {
        sprintf '{"mediaType":"%s","size":%d,"digest":"%s"}',
                $_[0]{mediaType}, $_[0]{size}, $_[0]{digest};
    };

    my $text = '{"schemaVersion":2,'
        . '"mediaType":"application/vnd.docker.distribution.manifest.v2+json",'
        . '"config":' . $d->($config)
        . ',"layers":[' . join(',', map { $d->($_) } @layers) . ']}';

    return {
        %$img,
        manifest => {
            mediaType => 'application/vnd.docker.distribution.manifest.v2+json',
            digest => digest_of($text), size => length $text,
        },
        manifest_text => $text,
        config => $config,
        layers => \@layers,
    };
}

sub digest_of {
    return 'sha256:' . Digest::SHA::sha256_hex($_[0]);
}


# ---- building blocks ---------------------------------------------------

# One image: its layers (each a list of [path, content, size] entries:
# content undef for a directory, a string, or a writer sub for big files),
# its config and its manifest, all added to $layout.
sub _image {
    my ($layout, $seed, $arch, $layers, %opt) = @_;

    my @layers;
    for my $entries (@$layers) {
        push @layers, $layout->add_layer($entries, $opt{level});
    }

    my $n = 0;
    my $config = {
        created => $CREATED,
        architecture => $arch,
        os => 'linux',
        config => {
            Env => [ 'PATH=/usr/local/bin:/usr/bin:/bin' ],
            Cmd => [ '/bin/sh' ],
            Labels => { 'org.example.swr-test.seed' => $seed },
        },
        rootfs => {
            type => 'layers',
            diff_ids => [ map { $_->{diff_id} } @layers ],
        },
        history => [ map {
            { created => $CREATED,
              created_by => "swr test fixture $seed layer " . ++$n }
        } @layers ],
    };

    my $config_desc = $layout->add_blob(json($config), MT_CONFIG);

    my $manifest = {
        schemaVersion => 2,
        mediaType => MT_MANIFEST,
        config => $config_desc,
        layers => [ map { _desc($_) } @layers ],
    };

    my $manifest_desc = $layout->add_blob(json($manifest), MT_MANIFEST);

    return {
        arch => $arch,
        manifest => $manifest_desc,
        config => $config_desc,
        layers => \@layers,
        diff_ids => [ map { $_->{diff_id} } @layers ],
    };
}

# $size pseudo-random bytes derived from $seed, given to $out in 1 MiB
# pieces: one MiB from SHA-512 in counter mode, then that MiB rotated by a
# different offset for every further MiB (repeats are 1 MiB apart, far
# beyond deflate's 32 KiB window, so the data does not compress).
sub _random_stream {
    my ($seed, $size, $out) = @_;

    my $mib = 1024 * 1024;
    my $base = '';
    my $i = 0;
    $base .= Digest::SHA::sha512("$seed/" . $i++) while length($base) < $mib;

    my $left = $size;
    for (my $n = 0; $left > 0; $n++) {
        my $off = ($n * 40961) % $mib;
        my $piece = substr($base, $off) . substr($base, 0, $off);
        $piece = substr($piece, 0, $left) if $left < $mib;
        $out->($piece);
        $left -= length $piece;
    }
}

sub _slurp {
    my ($path) = @_;
    open my $fh, '<:raw', $path or die "cannot read $path: $!\n";
    local $/;
    my $text = <$fh>;
    close $fh;
    return $text;
}


package SwrImage::Layout;

# An OCI image layout being written.

sub new {
    my ($class, $dir) = @_;

    File::Path::make_path("$dir/blobs/sha256");
    return bless { dir => $dir }, $class;
}

sub add_blob {
    my ($self, $bytes, $mt) = @_;

    my $hex = Digest::SHA::sha256_hex($bytes);
    my $path = "$self->{dir}/blobs/sha256/$hex";

    open my $fh, '>:raw', $path or die "cannot write $path: $!\n";
    print $fh $bytes;
    close $fh or die "cannot write $path: $!\n";

    return { mediaType => $mt, digest => "sha256:$hex",
             size => 0 + length $bytes };
}

# A gzip-compressed tar layer of $entries; returns its descriptor with
# diff_id (the digest of the uncompressed tar).
sub add_layer {
    my ($self, $entries, $level) = @_;

    my $tmp = "$self->{dir}/layer.tmp";
    my $diff = Digest::SHA->new(256);

    my $pid = open(my $gz, '|-');
    die "cannot fork gzip: $!\n" unless defined $pid;

    if (!$pid) {
        open STDOUT, '>:raw', $tmp or POSIX::_exit(126);
        exec 'gzip', '-n', '-' . ($level || 6), '-c'
            or POSIX::_exit(127);
    }

    binmode $gz;

    my $write = sub {
        $diff->add($_[0]);
        print $gz $_[0] or die "cannot write to gzip: $!\n";
    };

    for my $e (@$entries) {
        my ($name, $content, $size) = @$e;

        if (!defined $content) {
            $write->(SwrImage::Tar::header($name, 0, '5', 0755));
            next;
        }

        if (ref $content) {
            $write->(SwrImage::Tar::header($name, $size, '0', 0644));
            my $n = 0;
            $content->(sub { $n += length $_[0]; $write->($_[0]) });
            die "$name: wrote $n bytes, not $size\n" if $n != $size;
        } else {
            $size = length $content;
            $write->(SwrImage::Tar::header($name, $size, '0', 0644));
            $write->($content);
        }

        $write->("\0" x ((512 - $size % 512) % 512));
    }

    $write->("\0" x 1024);

    close $gz or die "gzip failed: " . ($! || "status $?") . "\n";

    my $sha = Digest::SHA->new(256);
    $sha->addfile($tmp);
    my $hex = $sha->hexdigest;
    my $size = -s $tmp;

    rename $tmp, "$self->{dir}/blobs/sha256/$hex"
        or die "cannot rename $tmp: $!\n";

    return { mediaType => SwrImage::MT_LAYER, digest => "sha256:$hex",
             size => 0 + $size, diff_id => 'sha256:' . $diff->hexdigest };
}

# oci-layout and index.json; $refs: [ [descriptor, tag], ... ]
sub finish {
    my ($self, $refs) = @_;

    my $index = {
        schemaVersion => 2,
        manifests => [ map {
            { mediaType => $_->[0]{mediaType},
              digest => $_->[0]{digest},
              size => $_->[0]{size},
              annotations => {
                  'org.opencontainers.image.ref.name' => $_->[1] } }
        } @$refs ],
    };

    for ([ 'oci-layout', '{"imageLayoutVersion":"1.0.0"}' ],
         [ 'index.json', SwrImage::json($index) ])
    {
        my $path = "$self->{dir}/$_->[0]";
        open my $fh, '>:raw', $path or die "cannot write $path: $!\n";
        print $fh $_->[1];
        close $fh or die "cannot write $path: $!\n";
    }
}


package SwrImage::Tar;

# A ustar header: root-owned, fixed mtime.
sub header {
    my ($name, $size, $type, $mode) = @_;

    die "tar name too long: $name\n" if length $name > 100;

    my $h = pack
        'a100 a8 a8 a8 a12 a12 A8 a1 a100 a6 a2 a32 a32 a8 a8 a155 a12',
        $name,
        sprintf('%07o', $mode),
        sprintf('%07o', 0),
        sprintf('%07o', 0),
        sprintf('%011o', $size),
        sprintf('%011o', $SwrImage::MTIME),
        '',                       # checksum: blanks while summing
        $type,
        '',
        "ustar\0",
        '00',
        'root',
        'root',
        sprintf('%07o', 0),
        sprintf('%07o', 0),
        '',
        '';

    my $sum = unpack '%32C*', $h;
    substr($h, 148, 8) = sprintf("%06o\0 ", $sum);

    return $h;
}

1;
