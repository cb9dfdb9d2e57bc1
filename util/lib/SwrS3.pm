package SwrS3;

# A small S3 client in core Perl, for util/swr-gc and the tests: requests
# signed with AWS Signature Version 4 (the payload hashed, path-style
# URLs) to an S3-compatible store (Huawei OBS, Ceph RGW, AWS S3), and the
# listings the garbage collector needs, every page of them.
#
#   my $s3 = SwrS3->new(endpoint => 'http://127.0.0.1:7480',
#                       bucket => 'b', access_key => $ak,
#                       secret_key => $sk, region => 'us-east-1');
#   my $r = $s3->request('PUT', $key, content => $bytes);
#   SwrS3::check($r, "PUT $key", 200);     # $r, or dies with S3's error
#   for my $o ($s3->list('blobs/')) { ... $o->{key}, $o->{size},
#                                     $o->{mtime}, $o->{date} }
#   for my $u ($s3->uploads) { ... $u->{key}, $u->{upload_id},
#                              $u->{initiated}, $u->{date} }
#
# request() returns HTTP::Tiny's answer ({status, reason, headers,
# content}; status 599 is a connection failure, the text in content).
# Keys are object keys, not encoded; request() encodes them (as UTF-8 if
# they are character strings).  Listed keys are UTF-8 bytes.  Times are
# Unix seconds as the store tells them: mtime (LastModified) and
# initiated (Initiated), and date, the store's own clock (its Date
# header) when it answered the listing page, so that an age is
# date - mtime whatever the local clock says.
#
# sign() is the signer alone, for requests sent another way (raw sockets,
# curl); selftest() checks it against AWS's own worked example:
#   perl -Iutil/lib -MSwrS3 -e SwrS3::selftest

use strict;
use warnings;

use Digest::SHA ();
use HTTP::Tiny ();
use POSIX ();
use Time::Local ();

# new(endpoint => 'http[s]://host[:port]' or 'host[:port]', bucket,
#     access_key, secret_key, region (us-east-1), timeout (60 s),
#     agent, http => an HTTP::Tiny to share)
# Connects directly: proxy variables of the environment are ignored.
# https needs IO::Socket::SSL, which HTTP::Tiny loads.
sub new {
    my ($class, %o) = @_;

    my $ep = $o{endpoint} // die "SwrS3: no endpoint\n";
    $ep = "http://$ep" unless $ep =~ m{^[a-z]+://}i;
    my ($scheme, $host) = $ep =~ m{^(https?)://([^/?#\@]+)/*$}i
        or die "SwrS3: bad endpoint $o{endpoint}"
               . " (http[s]://host[:port], no path)\n";
    $scheme = lc $scheme;
    $host =~ s/:80$// if $scheme eq 'http';
    $host =~ s/:443$// if $scheme eq 'https';

    for (qw(access_key secret_key)) {
        die "SwrS3: no $_\n" unless defined $o{$_} && $o{$_} ne '';
    }

    my $http = $o{http} // HTTP::Tiny->new(
        proxy => undef, http_proxy => undef, https_proxy => undef,
        timeout => $o{timeout} // 60, agent => $o{agent} // 'swr-s3/1',
        verify_SSL => 1);

    return bless { scheme => $scheme, host => $host,
                   bucket => $o{bucket} // '',
                   access_key => $o{access_key},
                   secret_key => $o{secret_key},
                   region => $o{region} // 'us-east-1',
                   http => $http }, $class;
}

# RFC 3986 encoding as SigV4 wants it: all but A-Z a-z 0-9 - . _ ~, and
# also "/" unless $keep_slash
sub uri_encode {
    my ($s, $keep_slash) = @_;
    utf8::encode($s) if utf8::is_utf8($s);
    my $re = $keep_slash ? qr{([^A-Za-z0-9\-._~/])} : qr{([^A-Za-z0-9\-._~])};
    $s =~ s/$re/sprintf('%%%02X', ord $1)/ge;
    return $s;
}

# the canonical query string: encoded, sorted, "k=" for an empty value
# (RGW wants "uploads=" signed as such, and takes it on the wire too)
sub query_string {
    my ($query) = @_;
    my @pairs = map { [uri_encode($_), uri_encode($query->{$_} // '')] }
        keys %$query;
    return join '&', map { "$_->[0]=$_->[1]" }
        sort { $a->[0] cmp $b->[0] or $a->[1] cmp $b->[1] } @pairs;
}

# sign(method => 'GET', host => '127.0.0.1:8000', path => '/bucket/key'
#      (encoded), query => {...} (not encoded), headers => {...},
#      payload_hash => hex or 'UNSIGNED-PAYLOAD', time => epoch,
#      access_key, secret_key, region (us-east-1), service => 's3')
# Returns the headers to send: the given ones plus host, x-amz-date,
# x-amz-content-sha256 and authorization (names in lower case).
sub sign {
    my (%a) = @_;

    my $service = $a{service} // 's3';
    my $region  = $a{region} // 'us-east-1';
    my $ak      = $a{access_key} // die "SwrS3::sign: no access_key\n";
    my $sk      = $a{secret_key} // die "SwrS3::sign: no secret_key\n";
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
        query_string($a{query} // {}),
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

# $s3->request($method, $key, content => $bytes, query => {...},
#              headers => {...}, bucket => $name)
# $key undef is the bucket itself; bucket => '' (and no key) the service
# (ListBuckets).
sub request {
    my ($self, $method, $key, %o) = @_;

    my $bucket = $o{bucket} // $self->{bucket};
    my $path = '/' . ($bucket eq '' ? '' : uri_encode($bucket));
    $path .= '/' . uri_encode($key, 1) if defined $key;

    my $content = $o{content} // '';
    my $headers = sign(method => $method, host => $self->{host},
                       path => $path, query => $o{query},
                       headers => $o{headers},
                       payload_hash => Digest::SHA::sha256_hex($content),
                       access_key => $self->{access_key},
                       secret_key => $self->{secret_key},
                       region => $self->{region});
    delete $headers->{host};    # HTTP::Tiny sends the same

    my $url = "$self->{scheme}://$self->{host}$path";
    my $q = query_string($o{query} // {});
    $url .= "?$q" if $q ne '';

    my $send = length $content || $method eq 'PUT' || $method eq 'POST';
    return $self->{http}->request($method, $url,
        { headers => $headers, ($send ? (content => $content) : ()) });
}

# check($answer, $what, @statuses): the answer if its status is one of
# them, else dies: "S3 <what>: <status> <reason>: <Code>: <Message>"
sub check {
    my ($r, $what, @want) = @_;
    return $r if grep { $r->{status} == $_ } @want;

    my $why = "$r->{status} $r->{reason}";
    my $body = $r->{content} // '';
    if ($r->{status} == 599) {
        $body =~ s/\s+\z//;
        $why = $body;

    } elsif ($body =~ m{<Code>([^<]*)</Code>}) {
        $why .= ': ' . xml_unescape($1);
        $why .= ': ' . xml_unescape($1)
            if $body =~ m{<Message>([^<]+)</Message>};
    }

    die "S3 $what: $why\n";
}

# Every object under $prefix, all pages of ListObjectsV2 (page => N keys
# a request, else the store's default, 1000); a list of {key, size,
# mtime, date}.
sub list {
    my ($self, $prefix, %o) = @_;
    my (@objects, $token);

    while (1) {
        my %q = ('list-type' => 2, prefix => $prefix // '');
        $q{'max-keys'} = $o{page} if $o{page};
        $q{'continuation-token'} = $token if defined $token;
        my $r = check($self->request('GET', undef, query => \%q),
                      "list of $self->{bucket}/" . ($prefix // ''), 200);
        my $date = _date($r);

        for my $c ($r->{content} =~ m{<Contents>(.*?)</Contents>}gs) {
            my %f = _fields($c, qw(Key Size LastModified));
            die "S3 list: an entry without Key, Size or LastModified\n"
                if grep { !defined } values %f;
            push @objects, { key => $f{Key}, size => $f{Size} + 0,
                             mtime => iso_time($f{LastModified}),
                             date => $date };
        }

        last unless _truncated($r);
        (undef, $token) = _fields($r->{content}, 'NextContinuationToken');
        die "S3 list: truncated, without a continuation token\n"
            unless defined $token && $token ne '';
    }

    return @objects;
}

# Every multipart upload in progress in the bucket, all pages of
# ListMultipartUploads (page => N uploads a request); a list of {key,
# upload_id, initiated, date}.
sub uploads {
    my ($self, %o) = @_;
    my (@uploads, %marker);

    while (1) {
        my %q = (uploads => '', %marker);
        $q{'max-uploads'} = $o{page} if $o{page};
        my $r = check($self->request('GET', undef, query => \%q),
                      "multipart uploads of $self->{bucket}", 200);
        my $date = _date($r);

        for my $u ($r->{content} =~ m{<Upload>(.*?)</Upload>}gs) {
            my %f = _fields($u, qw(Key UploadId Initiated));
            die "S3 multipart uploads: an entry without Key, UploadId"
                . " or Initiated\n" if grep { !defined } values %f;
            push @uploads, { key => $f{Key}, upload_id => $f{UploadId},
                             initiated => iso_time($f{Initiated}),
                             date => $date };
        }

        last unless _truncated($r);
        my %next = _fields($r->{content}, qw(NextKeyMarker
                                             NextUploadIdMarker));
        die "S3 multipart uploads: truncated, without a next marker\n"
            unless defined $next{NextKeyMarker};
        %marker = ('key-marker' => $next{NextKeyMarker},
                   'upload-id-marker' => $next{NextUploadIdMarker} // '');
    }

    return @uploads;
}

# name => unescaped text of the first <name> element of $xml, for each
# name (undef where there is none)
sub _fields {
    my ($xml, @names) = @_;
    return map { my ($v) = $xml =~ m{<$_>([^<]*)</$_>};
                 ($_ => defined $v ? xml_unescape($v) : undef) } @names;
}

sub _truncated {
    my ($r) = @_;
    return $r->{content} =~ m{<IsTruncated>true</IsTruncated>};
}

# the store's clock: its Date header, else ours
sub _date {
    my ($r) = @_;
    my $d = http_time($r->{headers}{date} // '');
    return $d // time;
}

sub xml_unescape {
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

# "2026-12-04T23:03:34.265Z" (S3's times, UTC) -> Unix seconds (the
# fraction dropped); dies on anything else
sub iso_time {
    my ($s) = @_;
    my @t = $s =~ /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?Z$/
        or die "S3: cannot read the time \"$s\"\n";
    return Time::Local::timegm($t[5], $t[4], $t[3], $t[2], $t[1] - 1, $t[0]);
}

my %Month;
@Month{qw(Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec)} = 0 .. 11;

# "Fri, 04 Dec 2026 23:03:34 GMT" (RFC 7231's IMF-fixdate) -> Unix
# seconds, undef for anything else
sub http_time {
    my ($s) = @_;
    my ($d, $mon, $y, $h, $m, $sec) =
        $s =~ /^\w{3}, (\d\d) (\w{3}) (\d{4}) (\d\d):(\d\d):(\d\d) GMT$/
        or return undef;
    return undef unless exists $Month{$mon};
    return Time::Local::timegm($sec, $m, $h, $d, $Month{$mon}, $y);
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
    die "SwrS3::sign: $got, expected $want\n" unless $got eq $want;
    print "SwrS3::sign ok\n";
    return 1;
}

1;
