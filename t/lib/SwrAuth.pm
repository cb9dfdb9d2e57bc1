package SwrAuth;

# Helpers for the authentication and authorization tests (t/12x): key
# files for nginx, identities and grants written straight into Redis in
# the schema of docs/redis-schema.md ("Identity and grants"), SWR's login
# key and the Basic header made from it, the token endpoint, and JSON Web
# Tokens taken apart, checked and forged with chosen claims.
#
# Core Perl only (Digest::SHA, MIME::Base64, JSON::PP, File::Temp), plus
# the openssl command line for what Perl has not: AES-256-CTR (the SK
# encryption), EC P-256 keys and ES256 signatures.
#
#   key_dir()             the key files (made once per process, in a
#                         temporary directory removed at exit), and
#                         $ENV{TEST_NGINX_SWR_KEYS} set to their directory,
#                         for the nginx configurations:
#                           secret.hex  swr_secret_key_file (64 hex digits)
#                           token.pem   swr_token_key (EC P-256)
#                           other.pem   another EC P-256 key (forgeries)
#   encrypt_sk($sk[, $master_hex[, $iv_hex]])  "v1:<iv>:<ct>:<tag>" as
#                         Redis holds it (with the key file's master key
#                         and a random iv by default)
#   login_key($ak, $sk)   hex HMAC-SHA256(key = SK, message = AK)
#   basic($ak, $sk[, $region])   "Authorization: Basic ..." header line
#   identity(...)         a user (and account, AK) in Redis; see below
#   token(...)            GET /_swr/token, the answer decoded
#   forge(...)            a token with any header, claims and key

use strict;
use warnings;

use Digest::SHA ();
use File::Temp ();
use JSON::PP ();
use MIME::Base64 ();
use POSIX ();

use SwrTest ();

our $REGION = 'cn-north-4';

my $JSON = JSON::PP->new->canonical(1)->utf8(1);

our $Dir;    # a directory of ready key files may be given (debugging)

sub key_dir {
    return $ENV{TEST_NGINX_SWR_KEYS} = $Dir if $Dir;

    $Dir = File::Temp::tempdir('swr-auth-keys-XXXXXX', TMPDIR => 1,
                               CLEANUP => 1);

    write_file("$Dir/secret.hex",
               Digest::SHA::sha256_hex("swr test master key $$ " . time)
               . "\n");

    for my $k (qw(token other)) {
        openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout',
                '-out', "$Dir/$k.pem");
        openssl('ec', '-in', "$Dir/$k.pem", '-pubout',
                '-out', "$Dir/$k.pub.pem");
    }

    $ENV{TEST_NGINX_SWR_KEYS} = $Dir;

    return $Dir;
}

sub key_file { return key_dir() . "/$_[0]" }

# ---- secret keys and login keys ----------------------------------------

sub master_hex {
    my $hex = read_file(key_file('secret.hex'));
    $hex =~ s/\s+//g;
    return $hex;
}

sub encrypt_sk {
    my ($sk, $master_hex, $iv) = @_;

    my $master = pack 'H*', $master_hex // master_hex();
    my $enc = Digest::SHA::hmac_sha256_hex('swr-sk-enc', $master);
    my $mac = Digest::SHA::hmac_sha256('swr-sk-mac', $master);

    $iv //= substr(Digest::SHA::sha256_hex("iv $sk " . rand()), 0, 32);

    my $in = File::Temp->new(TEMPLATE => 'swr-auth-sk-XXXXXX', TMPDIR => 1);
    binmode $in;
    print $in $sk;
    close $in;

    my $ct = openssl('enc', '-aes-256-ctr', '-K', $enc, '-iv', $iv,
                     '-nosalt', '-in', $in->filename);
    die "openssl enc gave " . length($ct) . " bytes for "
        . length($sk) . "\n" unless length $ct == length $sk;

    my $text = "v1:$iv:" . unpack('H*', $ct);

    return "$text:" . Digest::SHA::hmac_sha256_hex($text, $mac);
}

sub login_key {
    my ($ak, $sk) = @_;
    return Digest::SHA::hmac_sha256_hex($ak, $sk);
}

sub basic_value {
    my ($ak, $sk, $region) = @_;
    $region = $REGION unless defined $region;
    return 'Basic ' . MIME::Base64::encode_base64(
        "$region\@$ak:" . login_key($ak, $sk), '');
}

sub basic { return 'Authorization: ' . basic_value(@_) }

# ---- identities and grants ---------------------------------------------
#
# identity(user => 'u1', account => 'a1', admin => 1, ak => 'AK1',
#          sk => 'SK1', enabled => 1, expires => 0, disabled => 0)
# writes swr:user:{u1} and, with ak, swr:ak:{AK1}; sk_stored => '...'
# stores that text as the SK instead of encrypting sk; no_user => 1
# writes the AK only.

sub identity {
    my (%o) = @_;

    my $uid = $o{user} or die "identity needs a user\n";

    SwrTest::command('HSET', "swr:user:{$uid}",
                     account => $o{account} // 'acct',
                     name => $o{name} // $uid,
                     admin => $o{admin} ? '1' : '0',
                     disabled => $o{disabled} ? '1' : '0')
        unless $o{no_user};

    if (defined $o{ak}) {
        SwrTest::command('HSET', "swr:ak:{$o{ak}}",
                         user => $uid,
                         sk => $o{sk_stored} // encrypt_sk($o{sk}),
                         enabled => (defined $o{enabled} && !$o{enabled})
                                    ? '0' : '1',
                         expires => $o{expires} // '0');
    }

    return 1;
}

sub namespace {
    my ($ns, $account, $creator) = @_;
    SwrTest::command('HSET', "swr:ns:{$ns}", account => $account,
                     creator => $creator // 'nobody');
}

sub ns_grant {
    my ($ns, $uid, $level) = @_;
    SwrTest::command('HSET', "swr:ns:{$ns}:grants", $uid, $level);
}

sub repo_grant {
    my ($repo, $uid, $level) = @_;
    SwrTest::command('HSET', "swr:{r:$repo}:grants", $uid, $level);
}

sub public {
    my ($repo) = @_;
    SwrTest::command('HSET', "swr:{r:$repo}:meta", public => '1');
}

sub share {
    my ($repo, $account, $deadline) = @_;
    SwrTest::command('HSET', "swr:{r:$repo}:shares", $account,
                     $deadline // '0');
}

# ---- the token endpoint --------------------------------------------------

# token($auth_header_or_undef, @scopes) or token($auth, {query => '...'}):
# {status, body, headers, json (decoded, or undef), claims (of the
# token), header (of the token, decoded), www (WWW-Authenticate)}
sub token {
    my ($auth, @scopes) = @_;

    my $query;
    if (@scopes == 1 && ref $scopes[0] eq 'HASH') {
        $query = $scopes[0]{query};
    } else {
        $query = join '&', 'service=swr',
                           map { 'scope=' . uri_escape($_) } @scopes;
    }

    my $r = SwrTest::http('GET', "/_swr/token?$query",
                          headers => [ $auth ? ($auth) : () ]);

    my %t = (status => $r->{status}, body => $r->{body},
             headers => $r->{headers},
             www => $r->{headers}{'www-authenticate'});

    if ($r->{status} == 200) {
        $t{json} = eval { $JSON->decode($r->{body}) };
        if ($t{json} && $t{json}{token}) {
            my ($h, $c) = split /\./, $t{json}{token};
            $t{header} = eval { $JSON->decode(unb64url($h)) };
            $t{claims} = eval { $JSON->decode(unb64url($c)) };
        }
    }

    return \%t;
}

# The actions a token grants, "name:a,b name2:" in claim order.
sub access_text {
    my ($claims) = @_;
    return '(no claims)' unless $claims;
    return join ' ', map {
        "$_->{name}:" . join(',', @{ $_->{actions} || [] })
    } @{ $claims->{access} || [] };
}

sub bearer { return "Authorization: Bearer $_[0]" }

sub uri_escape {
    my ($s) = @_;
    $s =~ s/([^A-Za-z0-9._~:,*-])/sprintf '%%%02X', ord $1/ge;
    return $s;
}

# ---- JSON Web Tokens -----------------------------------------------------

sub b64url {
    my $s = MIME::Base64::encode_base64($_[0], '');
    $s =~ tr{+/}{-_};
    $s =~ s/=+$//;
    return $s;
}

sub unb64url {
    my $s = $_[0];
    $s =~ tr{-_}{+/};
    $s .= '=' x ((4 - length($s) % 4) % 4);
    return MIME::Base64::decode_base64($s);
}

sub json { return $JSON->encode($_[0]) }

# the claims (or header) part of a token, decoded
sub decode_claims { return $JSON->decode(unb64url($_[0])) }

# The key id the module writes: the SHA-256 of the public key (DER),
# its first 12 bytes in hex.
sub kid {
    my ($name) = @_;
    my $der = openssl('ec', '-in', key_file("$name.pem"), '-pubout',
                      '-outform', 'DER');
    return substr(Digest::SHA::sha256_hex($der), 0, 24);
}

# The JOSE header the module writes for key $name, as text.
sub header_text {
    my ($name) = @_;
    return '{"typ":"JWT","alg":"ES256","kid":"' . kid($name) . '"}';
}

# ES256 over $input with key $name: r || s, 32 bytes each.
sub sign_raw {
    my ($name, $input) = @_;

    my $in = File::Temp->new(TEMPLATE => 'swr-auth-jws-XXXXXX', TMPDIR => 1);
    binmode $in;
    print $in $input;
    close $in;

    my $der = openssl('dgst', '-sha256', '-sign', key_file("$name.pem"),
                      $in->filename);

    return der_to_raw($der);
}

# ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } -> r || s
sub der_to_raw {
    my ($der) = @_;
    my @b = unpack 'C*', $der;
    my $i = 0;

    die "not a DER SEQUENCE\n" unless $b[$i++] == 0x30;
    my $len = $b[$i++];
    $i += $len & 0x7f if $len & 0x80;    # long form (not for P-256)

    my $raw = '';
    for (1 .. 2) {
        die "not a DER INTEGER\n" unless $b[$i++] == 0x02;
        my $n = $b[$i++];
        my $int = pack 'C*', @b[$i .. $i + $n - 1];
        $i += $n;
        $int =~ s/^\x00+//;
        die "integer longer than 32 bytes\n" if length $int > 32;
        $raw .= ("\x00" x (32 - length $int)) . $int;
    }

    return $raw;
}

sub raw_to_der {
    my ($raw) = @_;
    my $seq = '';
    for my $half (0, 1) {
        my $int = substr($raw, 32 * $half, 32);
        $int =~ s/^\x00+//;
        $int = "\x00$int" if !length $int || ord($int) & 0x80;
        $seq .= "\x02" . chr(length $int) . $int;
    }
    return "\x30" . chr(length $seq) . $seq;
}

# Checks a token's ES256 signature with the public key of $name, with
# openssl (independently of the module): 1 or 0.
sub verify {
    my ($name, $token) = @_;

    my ($h, $c, $s) = split /\./, $token;
    return 0 unless defined $s;

    my $in = File::Temp->new(TEMPLATE => 'swr-auth-in-XXXXXX', TMPDIR => 1);
    binmode $in;
    print $in "$h.$c";
    close $in;

    my $sig = File::Temp->new(TEMPLATE => 'swr-auth-sig-XXXXXX',
                              TMPDIR => 1);
    binmode $sig;
    print $sig raw_to_der(unb64url($s));
    close $sig;

    my $out = eval {
        openssl('dgst', '-sha256', '-verify', key_file("$name.pub.pem"),
                '-signature', $sig->filename, $in->filename);
    } // '';

    return $out =~ /Verified OK/ ? 1 : 0;
}

# forge(claims => {...} or claims_text => '...', key => 'token'|'other'|
#       undef (no signature), header => '...' (text; default the module's
#       for the signing key), signature => raw bytes (instead of signing))
sub forge {
    my (%o) = @_;

    my $key = exists $o{key} ? $o{key} : 'token';
    my $header = $o{header} // header_text($key // 'token');
    my $claims = $o{claims_text} // json($o{claims});

    my $input = b64url($header) . '.' . b64url($claims);

    my $sig = exists $o{signature} ? $o{signature}
              : defined $key ? sign_raw($key, $input) : '';

    return "$input." . b64url($sig);
}

# Claims as the module writes them, for user $sub, with %over replacing
# or adding fields (undef values remove them).
sub claims {
    my ($sub, $access, %over) = @_;
    my $now = time;

    my %c = (iss => 'swr', sub => $sub, aud => 'swr', exp => $now + 300,
             nbf => $now - 1, iat => $now,
             jti => substr(Digest::SHA::sha256_hex(rand()), 0, 32),
             access => [ map {
                 { type => 'repository', name => $_->[0],
                   actions => [ @$_[1 .. $#$_] ] }
             } @$access ]);

    for (CORE::keys %over) {
        if (defined $over{$_}) {
            $c{$_} = $over{$_};
        } else {
            delete $c{$_};
        }
    }

    return \%c;
}

# ---- small things ----------------------------------------------------------

sub openssl {
    my (@args) = @_;

    my $pid = open(my $fh, '-|');
    die "fork: $!\n" unless defined $pid;

    if (!$pid) {
        open STDERR, '>', '/dev/null';
        exec('openssl', @args) or POSIX::_exit(127);
    }

    binmode $fh;
    my $out = do { local $/; <$fh> } // '';
    close $fh;

    die "openssl @args[0 .. 1]: exit status " . ($? >> 8) . "\n" if $?;

    return $out;
}

sub write_file {
    my ($file, $text) = @_;
    open my $fh, '>', $file or die "cannot write $file: $!\n";
    binmode $fh;
    print $fh $text;
    close $fh;
}

sub read_file {
    my ($file) = @_;
    open my $fh, '<', $file or die "cannot read $file: $!\n";
    binmode $fh;
    my $s = do { local $/; <$fh> };
    close $fh;
    return $s;
}

# Writes a report to html/$name.txt of the server under test.
sub report {
    my ($name, $text) = @_;
    write_file("$ENV{TEST_NGINX_SERVER_ROOT}/html/$name.txt", $text);
}

1;
