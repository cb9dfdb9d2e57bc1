# vim:set ft= ts=4 sw=4 et fdm=marker:
# The module's signatures for object stores against two references:
# Huawei's own OBS SDK for Node (esdk-obs-nodejs, installed by make test
# into build/node), whose signing code t/lib/obs-sdk-sign.js runs on the
# same request at the same time, and a real store (Ceph's RADOS Gateway,
# started by util/test.sh) that must honour a presigned URL and refuse a
# tampered one.
#
# A block with "--- sdk_check: obs" or "--- sdk_check: v4" answers each
# request with the lines "method, key, $swr_obs_uri, $swr_obs_date,
# $swr_obs_authorization, $swr_obs_presigned_url"; the response body check
# below asks the SDK for the same method, key and time and compares byte
# for byte: with obs the header form (path, Date, Authorization) and the
# query form (the URL), with v4 the presigned URL.  No node or no SDK is a
# failure, not a skip.

use Test::Nginx::Socket;

use File::Basename ();
use File::Spec ();

$ENV{TEST_NGINX_RGW_PORT} ||= 7480;
$ENV{TEST_NGINX_RGW_BUCKET} ||= 'swr-test';
$ENV{TEST_NGINX_RGW_ACCESS_KEY} ||= 'AK';
$ENV{TEST_NGINX_RGW_SECRET_KEY} ||= 'SK';
$ENV{TEST_NGINX_RGW_REGION} ||= 'us-east-1';

# what the blocks' swr_obs lines say of the stores the SDK signs for
our %STORE = (
    obs => {
        endpoint => "127.0.0.1:$ENV{TEST_NGINX_RGW_PORT}",
        bucket   => 'obs-bucket',
        ak       => 'OBSACCESSKEYEXAMPLE',
        sk       => 'Obs/Secret+Key/ExAmPlE=0123456789abcdef',
    },
    v4 => {
        endpoint => "127.0.0.1:$ENV{TEST_NGINX_RGW_PORT}",
        bucket   => 'v4-bucket',
        ak       => 'AKIDV4EXAMPLE',
        sk       => 'v4/Secret+Key/ExAmPlE=fedcba9876543210',
        region   => 'cn-north-4',
    },
);

our $SDK_SIGN = File::Spec->rel2abs(
    File::Spec->catfile(File::Basename::dirname(__FILE__), 'lib',
                        'obs-sdk-sign.js'));

# the lines t/lib/obs-sdk-sign.js prints, or undef (and why, as a diag)
sub sdk {
    my @args = @_;

    my $pid = open(my $fh, '-|', 'node', $SDK_SIGN, @args);
    if (!$pid) {
        Test::More::diag("cannot run node: $!");
        return undef;
    }

    local $/;
    my $out = <$fh>;
    close $fh;

    if ($? != 0 || !defined $out) {
        Test::More::diag("obs-sdk-sign.js @args: exit status " . ($? >> 8));
        return undef;
    }

    return $out;
}

add_response_body_check(sub {
    my ($block, $body, $idx, $rep, $dry_run) = @_;

    my $form = $block->sdk_check;
    return unless defined $form;
    $form =~ s/^\s+|\s+$//g;

    my $name = $block->name;
    my $s = $STORE{$form} or die "$name: sdk_check obs or v4, not $form\n";
    my $n = $form eq 'obs' ? 2 : 1;

    SKIP: {
        Test::More::skip("$name - sdk_check - tests skipped due to $dry_run",
                         $n) if $dry_run;

        my ($method, $key, $uri, $date, $auth, $url)
            = split /\n/, $body // '';
        $url //= '';

        if ($form eq 'obs') {
            my $want = sdk('request', @$s{qw(endpoint bucket ak sk)}, $method,
                           $date // '', $key // '');

            Test::More::is("$uri\n$date\n$auth\n", $want,
                           "$name - the SDK signs the same request "
                           . "(path, Date, Authorization) (req $idx)");

            $want = sdk('url', @$s{qw(endpoint bucket ak sk)}, 'GET',
                        $date // '', $key // '', 300);

            Test::More::is("$url\n", $want,
                           "$name - the SDK presigns the same URL (req $idx)");

        } else {
            my $want = sdk('v4url', @$s{qw(endpoint bucket ak sk)}, 'GET',
                           $date // '', $key // '', 300, $s->{region});

            Test::More::is("$url\n", $want,
                           "$name - the SDK presigns the same URL (req $idx)");
        }
    }
});

repeat_each(1);

# Methods and keys (as sent: the location decodes them into $key).  No key
# ends in an extension the SDK knows (".txt", ".json", ...): for those its
# putObject sends and signs a Content-Type, which a bare PUT does not have.
# In its presigned URLs the SDK encodes the Signature with "/" left as it
# is ("+" and "=" as %2B and %3D), so the module must too.
our @KEYS = (
    ['GET',    'plain'],
    ['PUT',    'with%20space/and/slashes'],
    ['DELETE', '%C3%BCnic%C3%B8de/%E4%B8%AD%E6%96%87'],
    ['GET',    "a+b~c(d)*e!f'g"],
    ['PUT',    'q%3Fh%23p%25a=b&c;d,e:f@g$h'],
    ['DELETE', 'sha256/0123456789abcdef'],
);

plan tests => 1 + repeat_each() * (3 * @KEYS + 2 * @KEYS + 5 * 2);

# The reference itself: the SDK's SigV4 presigning, on a fixed clock, gives
# the example of AWS's documentation ("Authenticating Requests: Using Query
# Parameters"), so its answers for the module's requests can be trusted.
Test::More::is(
    sdk('v4url', 'https://s3.amazonaws.com:443', 'examplebucket',
        'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        'GET', '20130524T000000Z', 'test.txt', 86400, 'us-east-1'),
    'https://examplebucket.s3.amazonaws.com:443/test.txt'
    . '?X-Amz-Algorithm=AWS4-HMAC-SHA256'
    . '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3'
    . '%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400'
    . '&X-Amz-SignedHeaders=host&X-Amz-Signature='
    . "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404\n",
    'the SDK presigns the AWS documentation example');

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: OBS signature, header and query form, as Huawei's SDK makes them
--- http_config
    swr_obs o endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
              bucket=obs-bucket
              access_key=OBSACCESSKEYEXAMPLE
              secret_key=Obs/Secret+Key/ExAmPlE=0123456789abcdef
              signature=obs;
--- config
    location ~ ^/k/(?<key>.+)$ {
        swr_obs_object o $key;
        return 200 "$request_method\n$key\n$swr_obs_uri\n$swr_obs_date\n$swr_obs_authorization\n$swr_obs_presigned_url\n";
    }
--- request eval
[map { "$_->[0] /k/$_->[1]" } @main::KEYS]
--- error_code eval
[(200) x @main::KEYS]
--- sdk_check: obs



=== TEST 2: SigV4 presigned URLs, as Huawei's SDK makes them
--- http_config
    swr_obs v endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
              bucket=v4-bucket
              access_key=AKIDV4EXAMPLE
              secret_key=v4/Secret+Key/ExAmPlE=fedcba9876543210
              region=cn-north-4;
--- config
    location ~ ^/k/(?<key>.+)$ {
        swr_obs_object v $key;
        return 200 "$request_method\n$key\n$swr_obs_uri\n$swr_obs_date\n$swr_obs_authorization\n$swr_obs_presigned_url\n";
    }
--- request eval
[map { "$_->[0] /k/$_->[1]" } @main::KEYS]
--- error_code eval
[(200) x @main::KEYS]
--- sdk_check: v4



=== TEST 3: the store honours a presigned URL and refuses it tampered with
--- http_config
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;

    # the same URL for another object, and for a longer time
    map $swr_obs_presigned_url $swr_test_other_key {
        "~^(?<a>.*/presign-test/)one(?<b>\?.*)$"  "${a}two$b";
    }
    map $swr_obs_presigned_url $swr_test_longer {
        "~^(?<a>.*X-Amz-Expires=)300(?<b>&.*)$"  "${a}3000$b";
    }
--- config
    location /o/ {
        swr_obs_object rgw "presign-test/$arg_k";
        proxy_pass http://127.0.0.1:$TEST_NGINX_RGW_PORT$swr_obs_uri;
        proxy_set_header Host $swr_obs_host;
        proxy_set_header x-amz-date $swr_obs_date;
        proxy_set_header x-amz-content-sha256 $swr_obs_content_sha256;
        proxy_set_header Authorization $swr_obs_authorization;
    }

    location /presigned {
        swr_obs_object rgw "presign-test/$arg_k";
        proxy_pass $swr_obs_presigned_url;
    }

    location /other-key {
        swr_obs_object rgw "presign-test/$arg_k";
        proxy_pass $swr_test_other_key;
    }

    location /longer {
        swr_obs_object rgw "presign-test/$arg_k";
        proxy_pass $swr_test_longer;
    }
--- request eval
["PUT /o/?k=one\nfetched with a presigned URL", "PUT /o/?k=two\nnot this one",
 "GET /presigned?k=one", "GET /other-key?k=one", "GET /longer?k=one"]
--- error_code eval
[200, 200, 200, 403, 403]
--- response_body_like eval
["^\$", "^\$", "^fetched with a presigned URL\$", "SignatureDoesNotMatch",
 "SignatureDoesNotMatch"]
