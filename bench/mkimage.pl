#!/usr/bin/env perl
# Writes the benchmark's test image as an OCI image layout directory.
#
#   bench/mkimage.pl [--tag TAG] [--sizes 4096,1048576,67108864] [--seed N] DIR
#
# The image has one config blob and one layer per size.  Each layer is a
# gzip blob of exactly that many bytes (so the blob benchmarks move exactly
# 4 KiB, 1 MiB and 64 MiB) holding a ustar archive with one file of
# deterministic pseudo-random bytes (SHA-512 in counter mode).  The same
# arguments always give the same bytes, hence the same digests; another
# --seed gives an image that shares no blob with the first (bench/run.sh
# pushes several so that no push can reuse or mount a previous one's blobs).
#
# Why gzip and not a plain tar layer: skopeo (containers/image) compresses
# uncompressed layers when it pushes to a registry, which would change the
# blobs' sizes and digests; an already gzip-compressed layer is pushed as it
# is.  The gzip stream uses stored (uncompressed) deflate blocks, so the
# size is exact; the slack is absorbed by the gzip header's comment field.
#
# Prints one line per blob: "<role> <size> <digest>" (role: manifest,
# config, layer), and writes the same lines to DIR/blobs.txt.  Needs only
# core Perl modules.

use strict;
use warnings;
use Digest::SHA qw(sha256_hex sha512);
use Compress::Zlib ();
use File::Path qw(make_path);
use Getopt::Long;

my $tag   = 'bench';
my $sizes = '4096,1048576,67108864';
my $seed  = 0;
GetOptions('tag=s' => \$tag, 'sizes=s' => \$sizes, 'seed=i' => \$seed)
    and @ARGV == 1
    or die "usage: $0 [--tag TAG] [--sizes N,N,...] [--seed N] DIR\n";
my $dir = $ARGV[0];

my @sizes = split /,/, $sizes;
for (@sizes) {
    /^\d+$/ && $_ >= 4096 or die "$0: layer sizes are byte counts >= 4096\n";
}

make_path("$dir/blobs/sha256");

my @summary;

sub put_blob {
    my ($role, $bytes) = @_;
    my $hex = sha256_hex($bytes);
    my $path = "$dir/blobs/sha256/$hex";
    unless (-f $path && -s _ == length $bytes) {
        open my $fh, '>:raw', "$path.tmp" or die "$path.tmp: $!\n";
        print {$fh} $bytes or die "$path.tmp: $!\n";
        close $fh or die "$path.tmp: $!\n";
        rename "$path.tmp", $path or die "$path: $!\n";
    }
    push @summary, sprintf "%s %d sha256:%s", $role, length $bytes, $hex;
    return { digest => "sha256:$hex", size => length $bytes };
}

# deterministic pseudo-random bytes: SHA-512(seed, counter)
sub noise {
    my ($seed, $len) = @_;
    my $out = '';
    my $n = int(($len + 63) / 64);
    $out .= sha512(pack 'NN', $seed, $_) for 0 .. $n - 1;
    return substr $out, 0, $len;
}

# a ustar archive of exactly $len bytes (a multiple of 512): one regular
# file, then the two zero blocks that end the archive
sub tar_of {
    my ($name, $len, $seed) = @_;
    my $data_len = $len - 512 - 1024;
    die "tar too small\n" if $data_len < 0;
    my $hdr = pack 'a100 a8 a8 a8 a12 a12 a8 a1 a100 a6 a2 a32 a32 a8 a8 a155 a12',
        $name, '0000644', '0000000', '0000000',
        sprintf('%011o', $data_len), sprintf('%011o', 1704067200),
        ' ' x 8, '0', '', "ustar\0", '00', 'root', 'root',
        '0000000', '0000000', '', '';
    my $sum = unpack '%32C*', $hdr;
    substr $hdr, 148, 8, sprintf("%06o\0 ", $sum);
    return $hdr . noise($seed, $data_len) . ("\0" x 1024);
}

# largest payload (multiple of 512) whose stored-block gzip fits in $total
sub payload_for {
    my ($total) = @_;
    my $p = int(($total - 18) / 512) * 512;
    while ($p > 0) {
        my $blocks = int(($p + 65534) / 65535) || 1;
        return $p if 18 + $p + 5 * $blocks <= $total;
        $p -= 512;
    }
    die "no payload fits in $total bytes\n";
}

# gzip member of exactly $total bytes around $payload: stored deflate
# blocks, the remaining bytes go to the header's FCOMMENT field
sub gzip_exact {
    my ($payload, $total) = @_;
    my $len = length $payload;
    my $body = '';
    my $off = 0;
    do {
        my $n = $len - $off > 65535 ? 65535 : $len - $off;
        my $final = $off + $n >= $len ? 1 : 0;
        $body .= pack('C v v', $final, $n, ~$n & 0xffff)
              . substr($payload, $off, $n);
        $off += $n;
    } while ($off < $len);
    my $slack = $total - 10 - length($body) - 8;
    die "gzip overflow\n" if $slack < 0;
    # ID1 ID2 CM FLG MTIME(4) XFL OS; FLG.FCOMMENT = 0x10, OS 3 = Unix
    my $hdr = pack 'C C C C V C C', 0x1f, 0x8b, 8, $slack ? 0x10 : 0, 0, 0, 3;
    $hdr .= ('-' x ($slack - 1)) . "\0" if $slack;
    my $crc = Compress::Zlib::crc32($payload);
    return $hdr . $body . pack('V V', $crc, $len & 0xffffffff);
}

my (@layers, @diff_ids);
my $i = 0;
for my $size (@sizes) {
    $i++;
    my $tar = tar_of("bench/layer-$i-$size.bin", payload_for($size), 1000 * $seed + $i);
    push @diff_ids, 'sha256:' . sha256_hex($tar);
    my $gz = gzip_exact($tar, $size);
    die "layer $i is " . length($gz) . " bytes, not $size\n"
        unless length $gz == $size;
    my $b = put_blob('layer', $gz);
    push @layers, sprintf '{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}',
        $b->{digest}, $b->{size};
}

my $history = join ',', map {
    '{"created":"2024-01-01T00:00:00Z","created_by":"bench/mkimage.pl"}'
} @sizes;
my $config = sprintf '{"architecture":"amd64","config":{"Cmd":["/bin/true"]},'
    . '"created":"2024-01-01T00:00:00Z","history":[%s],"os":"linux",'
    . '"rootfs":{"diff_ids":[%s],"type":"layers"}}',
    $history, join(',', map {"\"$_\""} @diff_ids);
my $cb = put_blob('config', $config);

my $manifest = sprintf '{"schemaVersion":2,'
    . '"mediaType":"application/vnd.oci.image.manifest.v1+json",'
    . '"config":{"mediaType":"application/vnd.oci.image.config.v1+json",'
    . '"digest":"%s","size":%d},"layers":[%s]}',
    $cb->{digest}, $cb->{size}, join(',', @layers);
my $mb = put_blob('manifest', $manifest);

sub write_file {
    my ($path, $text) = @_;
    open my $fh, '>', "$path.tmp" or die "$path.tmp: $!\n";
    print {$fh} $text;
    close $fh or die "$path.tmp: $!\n";
    rename "$path.tmp", $path or die "$path: $!\n";
}

write_file("$dir/oci-layout", '{"imageLayoutVersion":"1.0.0"}');
write_file("$dir/index.json", sprintf '{"schemaVersion":2,"manifests":['
    . '{"mediaType":"application/vnd.oci.image.manifest.v1+json",'
    . '"digest":"%s","size":%d,'
    . '"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}',
    $mb->{digest}, $mb->{size}, $tag);
write_file("$dir/blobs.txt", join("\n", @summary) . "\n");
print "$_\n" for @summary;
