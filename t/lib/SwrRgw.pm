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

use strict;
use warnings;

use Digest::SHA ();
use HTTP::Tiny ();
use POSIX ();

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

# RFC 3986 encoding as SigV4 wants it: all but A-Z a-z 0-9 - . _ ~, and
# also "/" unless $keep_slash
sub uri_encode {
    my ($s, $keep_slash) = @_;
    utf8::encode($s) if utf8::is_utf8($s);
    my $re = $keep_slash ? qr{([^A-Za-z0-9\-._~/])} : qr{([^A-Za-z0-9\-._~])};
    $s =~ s/$re/sprintf('%%%02X', ord $1)/ge;
    return $s;
}

sub _query_string {
    my ($query) = @_;
    my @pairs = map { [uri_encode($_), uri_encode($query->{$_} // '')] }
        keys %$query;
    return join '&', map { "$_->[0]=$_->[1]" }
        sort { $a->[0] cmp $b->[0] or $a->[1] cmp $b->[1] } @pairs;
}

# sign(method => 'GET', host => '127.0.0.1:8000', path => '/bucket/key'
#      (encoded), query => {...} (not encoded), headers => {...},
#      payload_hash => hex or 'UNSIGNED-PAYLOAD', time => epoch,
#      access_key, secret_key, region, service => 's3')
# Returns the headers to send: the given ones plus host, x-amz-date,
# x-amz-content-sha256 and authorization (names in lower case).
sub sign {
    my (%a) = @_;

    my $service = $a{service} // 's3';
    my $region  = $a{region} // region();
    my $ak      = $a{access_key} // access_key();
    my $sk      = $a{secret_key} // secret_key();
    my @t       = gmtime($a{time} // time);
    my $date    = POSIX::strftime('%Y%m%d', @t);
    my $stamp   = POSIX::strftime('%Y%m%dT%H%M%SZ', @t);

    my %h;
    while (my ($k, $v) = each %{ $a{headers} // {} }) {
        $h{lc $k} = $v;
    }
    $h{host} = $a{host};
    $h{'x-amz-date'} = $stamp;
    $h{'x-amz-content-sha256'} //= $a{payload_hash}
        // Digest::SHA::sha256_hex('');

    my @names = sort keys %h;
    my $canonical = join "\n",
        $a{method},
        $a{path},
        _query_string($a{query} // {}),
        (map { my $v = $h{$_}; $v =~ s/^\s+|\s+$//g; $v =~ s/\s+/ /g;
               "$_:$v" } @names),
        '',
        join(';', @names),
        $h{'x-amz-content-sha256'};

    my $scope = "$date/$region/$service/aws4_request";
    my $to_sign = join "\n", 'AWS4-HMAC-SHA256', $stamp, $scope,
        Digest::SHA::sha256_hex($canonical);

    my $k = Digest::SHA::hmac_sha256($date, "AWS4$sk");
    $k = Digest::SHA::hmac_sha256($region, $k);
    $k = Digest::SHA::hmac_sha256($service, $k);
    $k = Digest::SHA::hmac_sha256('aws4_request', $k);
    my $sig = Digest::SHA::hmac_sha256_hex($to_sign, $k);

    $h{authorization} = "AWS4-HMAC-SHA256 Credential=$ak/$scope, "
        . 'SignedHeaders=' . join(';', @names) . ", Signature=$sig";
    return \%h;
}

my $Http;

# request($method, $key, content => $bytes, query => {...},
#         headers => {...}, bucket => $name)
# Returns HTTP::Tiny's answer: {status, reason, headers, content}; status
# 599 is a connection failure (the text in content).
sub request {
    my ($method, $key, %o) = @_;

    my $ep = endpoint();
    my ($scheme, $host) = $ep =~ m{^(https?)://([^/]+)/*$}
        or die "bad endpoint $ep\n";
    $host =~ s/:80$// if $scheme eq 'http';

    my $bucket = $o{bucket} // bucket();
    my $path = '/' . ($bucket eq '' ? '' : uri_encode($bucket));
    $path .= '/' . uri_encode($key, 1) if defined $key;

    my $content = $o{content} // '';
    my $headers = sign(method => $method, host => $host, path => $path,
                       query => $o{query}, headers => $o{headers},
                       payload_hash => Digest::SHA::sha256_hex($content));
    delete $headers->{host};    # HTTP::Tiny sends the same

    my $url = "$scheme://$host$path";
    my $q = _query_string($o{query} // {});
    $url .= "?$q" if $q ne '';

    $Http //= HTTP::Tiny->new(proxy => undef, http_proxy => undef,
                              https_proxy => undef, timeout => $TIMEOUT,
                              agent => 'swr-test-rgw/1');
    my $send = length $content || $method eq 'PUT' || $method eq 'POST';
    return $Http->request($method, $url,
        { headers => $headers, ($send ? (content => $content) : ()) });
}

sub _ok {
    my ($r, $what, @want) = @_;
    return $r if grep { $r->{status} == $_ } @want;
    die "S3 $what: $r->{status} $r->{reason}\n$r->{content}\n";
}

sub put  { my ($key, $bytes, %o) = @_;
           _ok(request('PUT', $key, content => $bytes, %o), "PUT $key", 200) }
sub get  { request('GET', @_) }
sub head { request('HEAD', @_) }
sub del  { my ($key) = @_; _ok(request('DELETE', $key), "DELETE $key", 204) }

# every key under $prefix (ListObjectsV2, following continuation tokens;
# $page keys a request if given)
sub list {
    my ($prefix, $page) = @_;
    my (@keys, $token);
    while (1) {
        my %q = ('list-type' => 2, prefix => $prefix // '');
        $q{'max-keys'} = $page if $page;
        $q{'continuation-token'} = $token if defined $token;
        my $r = _ok(request('GET', undef, query => \%q), 'list', 200);
        push @keys, map { _xml_unescape($_) }
            $r->{content} =~ m{<Key>([^<]*)</Key>}g;
        last unless $r->{content} =~ m{<IsTruncated>true</IsTruncated>};
        ($token) = $r->{content} =~ m{<NextContinuationToken>([^<]*)<}
            or die "S3 list: truncated, without a continuation token\n";
        $token = _xml_unescape($token);
    }
    return @keys;
}

sub _xml_unescape {
    my ($s) = @_;
    $s =~ s/&lt;/</g;
    $s =~ s/&gt;/>/g;
    $s =~ s/&quot;/"/g;
    $s =~ s/&apos;/'/g;
    $s =~ s/&#(\d+);/chr $1/ge;
    $s =~ s/&#x([0-9a-fA-F]+);/chr hex $1/ge;
    $s =~ s/&amp;/&/g;
    return $s;
}

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

# Checks sign() against the example "GET Object" of AWS's SigV4 docs
# (Authenticating Requests: Using the Authorization Header).
sub selftest {
    my $h = sign(
        method => 'GET', host => 'examplebucket.s3.amazonaws.com',
        path => '/test.txt', headers => { Range => 'bytes=0-9' },
        payload_hash => Digest::SHA::sha256_hex(''),
        time => 1369353600,    # 20130524T000000Z
        access_key => 'AKIAIOSFODNN7EXAMPLE',
        secret_key => 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        region => 'us-east-1');
    my $want = 'f0e8bdb87c964420e857bd35b5d6ed310b'
             . 'd44f0170aba48dd91039c6036bdb41';
    my ($got) = $h->{authorization} =~ /Signature=(\w+)/;
    die "SwrRgw::sign: $got, expected $want\n" unless $got eq $want;
    print "SwrRgw::sign ok\n";
    return 1;
}

1;
