package SwrRgw;

# Talks S3 to the test store that util/rgw.sh starts (Ceph's RADOS Gateway
# on 127.0.0.1), for .t files that check what the module stored there or
# that put things there themselves: requests signed with AWS Signature
# Version 4 (the payload hashed, path-style URLs), core Perl only.
#
#   SwrRgw::put('blobs/sha256/ab', $bytes);    # dies unless 200
#   my $r = SwrRgw::get('blobs/sha256/ab');     # {status, headers, content}
#   SwrRgw::head($key); SwrRgw::del($key);      # del dies unless 204
#   my @keys = SwrRgw::list('blobs/');          # every key, all pages
#   SwrRgw::request('POST', $key, query => { uploads => '' });
#   SwrRgw::multipart_put($key, $part1, $part2, ...);  # ETag of the result
#
# Keys are object keys in the bucket, not encoded; request() encodes them
# (as UTF-8 if they are character strings).  Contents are bytes; list()
# gives keys as UTF-8 bytes.
# request('GET', undef, bucket => '') is the service (ListBuckets).
#
# Where the store is: $ENV{TEST_NGINX_RGW_<X>}, else $ENV{RGW_<X>}, for X
# in ENDPOINT (or PORT), ACCESS_KEY, SECRET_KEY, BUCKET, REGION: the lines
# that "util/rgw.sh start" prints, exported (with or without the
# TEST_NGINX_ prefix).
#
# sign() is the signer alone, for requests sent another way (raw sockets,
# curl); it takes and gives plain values, and checks against AWS's own
# worked example in the self-check: perl -It/lib -MSwrRgw -e SwrRgw::selftest
#
# The client itself is util/lib/SwrS3.pm (found from this file's place);
# s3() gives one for the test store, for its listings with times
# (s3()->list($prefix), s3()->uploads).

use strict;
use warnings;

use File::Basename ();
use File::Spec ();
use HTTP::Tiny ();
use lib File::Spec->catdir(
    File::Basename::dirname(File::Spec->rel2abs(__FILE__)),
    File::Spec->updir, File::Spec->updir, 'util', 'lib');
use SwrS3 ();

our $TIMEOUT = 60;

sub env {
    my ($name, $default) = @_;
    my $v = $ENV{"TEST_NGINX_RGW_$name"} // $ENV{"RGW_$name"} // $default;
    die "RGW_$name unset (start the store with util/rgw.sh)\n"
        unless defined $v;
    return $v;
}

sub endpoint {
    my $e = $ENV{TEST_NGINX_RGW_ENDPOINT} // $ENV{RGW_ENDPOINT};
    return $e if defined $e;
    return 'http://127.0.0.1:' . env('PORT');
}

sub bucket     { env('BUCKET', 'swr-test') }
sub region     { env('REGION', 'us-east-1') }
sub access_key { env('ACCESS_KEY') }
sub secret_key { env('SECRET_KEY') }

# The signing and the requests are util/lib/SwrS3.pm's (util/swr-gc's
# client); these wrappers fill in the store from the environment.

sub uri_encode { SwrS3::uri_encode(@_) }

# sign(method => 'GET', host => '127.0.0.1:8000', path => '/bucket/key'
#      (encoded), query => {...} (not encoded), headers => {...},
#      payload_hash => hex or 'UNSIGNED-PAYLOAD', time => epoch,
#      access_key, secret_key, region, service => 's3')
# Returns the headers to send: the given ones plus host, x-amz-date,
# x-amz-content-sha256 and authorization (names in lower case).  The
# store's keys and region are the defaults.
sub sign {
    my (%a) = @_;
    $a{region}     //= region();
    $a{access_key} //= access_key();
    $a{secret_key} //= secret_key();
    return SwrS3::sign(%a);
}

my $Http;

sub s3 {
    $Http //= HTTP::Tiny->new(proxy => undef, http_proxy => undef,
                              https_proxy => undef, timeout => $TIMEOUT,
                              agent => 'swr-test-rgw/1');
    return SwrS3->new(endpoint => endpoint(), bucket => bucket(),
                      access_key => access_key(),
                      secret_key => secret_key(), region => region(),
                      http => $Http);
}

# request($method, $key, content => $bytes, query => {...},
#         headers => {...}, bucket => $name)
# Returns HTTP::Tiny's answer: {status, reason, headers, content}; status
# 599 is a connection failure (the text in content).
sub request { s3()->request(@_) }

sub _ok { SwrS3::check(@_) }

sub put  { my ($key, $bytes, %o) = @_;
           _ok(request('PUT', $key, content => $bytes, %o), "PUT $key", 200) }
sub get  { request('GET', @_) }
sub head { request('HEAD', @_) }
sub del  { my ($key) = @_; _ok(request('DELETE', $key), "DELETE $key", 204) }

# every key under $prefix (ListObjectsV2, following continuation tokens;
# $page keys a request if given)
sub list {
    my ($prefix, $page) = @_;
    return map { $_->{key} } s3()->list($prefix, page => $page);
}

sub _xml_unescape { SwrS3::xml_unescape(@_) }

# A multipart upload of the given parts (all but the last at least
# 5 MiB); returns the ETag that HEAD gives afterwards (RGW 16 leaves it
# empty in the answer to CompleteMultipartUpload).
sub multipart_put {
    my ($key, @parts) = @_;

    my $r = _ok(request('POST', $key, query => { uploads => '' }),
                "initiate $key", 200);
    my ($id) = $r->{content} =~ m{<UploadId>([^<]+)</UploadId>}
        or die "S3 initiate $key: no UploadId\n";
    $id = _xml_unescape($id);

    my $xml = '<CompleteMultipartUpload>';
    my $n = 0;
    for my $part (@parts) {
        $n++;
        $r = request('PUT', $key, content => $part,
                     query => { partNumber => $n, uploadId => $id });
        if ($r->{status} != 200) {
            request('DELETE', $key, query => { uploadId => $id });
            _ok($r, "upload part $n of $key", 200);
        }
        $xml .= "<Part><PartNumber>$n</PartNumber>"
              . "<ETag>$r->{headers}{etag}</ETag></Part>";
    }
    $xml .= '</CompleteMultipartUpload>';

    _ok(request('POST', $key, query => { uploadId => $id }, content => $xml),
        "complete $key", 200);
    return _ok(head($key), "HEAD $key", 200)->{headers}{etag};
}

# Checks the signer against AWS's own worked example.
sub selftest { SwrS3::selftest() }

1;
