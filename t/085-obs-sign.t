# vim:set ft= ts=4 sw=4 et fdm=marker:
# Requests to an S3 object store through nginx's own proxy, signed by the
# module (AWS Signature Version 4 in the $swr_obs_* variables), against a
# real store that checks every signature: Ceph's RADOS Gateway, started by
# util/test.sh.

use Test::Nginx::Socket;

$ENV{TEST_NGINX_RGW_PORT} ||= 7480;
$ENV{TEST_NGINX_RGW_BUCKET} ||= 'swr-test';
$ENV{TEST_NGINX_RGW_ACCESS_KEY} ||= 'AK';
$ENV{TEST_NGINX_RGW_SECRET_KEY} ||= 'SK';
$ENV{TEST_NGINX_RGW_REGION} ||= 'us-east-1';

repeat_each(1);

plan tests => repeat_each() * (5 * 2 + 2 + 3 * 2);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: put, get, delete an object through a signed proxy location
--- http_config
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
--- config
    location /o/ {
        swr_obs_object rgw "sign-test/$uri";
        proxy_pass http://127.0.0.1:$TEST_NGINX_RGW_PORT$swr_obs_uri;
        proxy_set_header Host $swr_obs_host;
        proxy_set_header x-amz-date $swr_obs_date;
        proxy_set_header x-amz-content-sha256 $swr_obs_content_sha256;
        proxy_set_header Authorization $swr_obs_authorization;
    }
--- request eval
["PUT /o/one\nhello object store", "GET /o/one", "HEAD /o/one",
 "DELETE /o/one", "GET /o/one"]
--- error_code eval
[200, 200, 200, 204, 404]
--- response_body_like eval
["^\$", "^hello object store\$", "^\$", "^\$", "NoSuchKey"]



=== TEST 2: a wrong secret key is refused by the store
--- http_config
    swr_obs bad endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=not-the-secret
                region=$TEST_NGINX_RGW_REGION;
--- config
    location /o/ {
        swr_obs_object bad "sign-test/$uri";
        proxy_pass http://127.0.0.1:$TEST_NGINX_RGW_PORT$swr_obs_uri;
        proxy_set_header Host $swr_obs_host;
        proxy_set_header x-amz-date $swr_obs_date;
        proxy_set_header x-amz-content-sha256 $swr_obs_content_sha256;
        proxy_set_header Authorization $swr_obs_authorization;
    }
--- request
GET /o/one
--- error_code: 403
--- response_body_like: SignatureDoesNotMatch



=== TEST 3: keys that need encoding are signed as they are sent
--- http_config
    swr_obs rgw endpoint=127.0.0.1:$TEST_NGINX_RGW_PORT
                bucket=$TEST_NGINX_RGW_BUCKET
                access_key=$TEST_NGINX_RGW_ACCESS_KEY
                secret_key=$TEST_NGINX_RGW_SECRET_KEY
                region=$TEST_NGINX_RGW_REGION;
--- config
    location /o/ {
        swr_obs_object rgw "sign-test/$arg_k";
        proxy_pass http://127.0.0.1:$TEST_NGINX_RGW_PORT$swr_obs_uri;
        proxy_set_header Host $swr_obs_host;
        proxy_set_header x-amz-date $swr_obs_date;
        proxy_set_header x-amz-content-sha256 $swr_obs_content_sha256;
        proxy_set_header Authorization $swr_obs_authorization;
    }
--- request eval
["PUT /o/?k=a%20b+c%25d~e(f)\nodd key", "GET /o/?k=a%20b+c%25d~e(f)",
 "DELETE /o/?k=a%20b+c%25d~e(f)"]
--- error_code eval
[200, 200, 204]
--- response_body_like eval
["^\$", "^odd key\$", "^\$"]
