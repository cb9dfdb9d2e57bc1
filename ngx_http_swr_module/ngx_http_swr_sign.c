
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "ngx_http_swr_sign.h"


/*
 * Request signing for S3-compatible stores: pure functions, no I/O.
 * AWS Signature Version 4, header form: a canonical request over the
 * method, path, query and the three signed headers (host,
 * x-amz-content-sha256, x-amz-date), a string to sign, and a key derived
 * from the secret through date, region, service and "aws4_request".
 */


#define NGX_HTTP_SWR_SIGNED_HEADERS  "host;x-amz-content-sha256;x-amz-date"


static ngx_int_t ngx_http_swr_hmac(u_char *key, size_t klen, u_char *data,
    size_t len, u_char *out);


/*
 * RFC 3986 as S3 wants it: everything but A-Z a-z 0-9 - . _ ~ as %XX,
 * "/" kept in paths.  dst NULL: the length only.
 */

size_t
ngx_http_swr_s3_escape(u_char *dst, u_char *src, size_t len,
    ngx_uint_t keep_slash)
{
    u_char  c, *start;
    size_t  n;

    static u_char  hex[] = "0123456789ABCDEF";

    n = 0;
    start = dst;

    while (len--) {
        c = *src++;

        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
            || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
            || c == '~' || (c == '/' && keep_slash))
        {
            if (dst) {
                *dst++ = c;
            }

            n++;
            continue;
        }

        if (dst) {
            *dst++ = '%';
            *dst++ = hex[c >> 4];
            *dst++ = hex[c & 0xf];
        }

        n += 3;
    }

    return dst ? (size_t) (dst - start) : n;
}


static ngx_int_t
ngx_http_swr_hmac(u_char *key, size_t klen, u_char *data, size_t len,
    u_char *out)
{
    unsigned int  olen;

    if (HMAC(EVP_sha256(), key, (int) klen, data, len, out, &olen) == NULL
        || olen != SHA256_DIGEST_LENGTH)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}


ngx_int_t
ngx_http_swr_sigv4(ngx_pool_t *pool, ngx_http_swr_sigv4_t *in,
    ngx_str_t *authorization)
{
    u_char     *p, *canonical, *sts, *key;
    size_t      len;
    ngx_str_t   day;
    u_char      md[SHA256_DIGEST_LENGTH], k[SHA256_DIGEST_LENGTH];
    u_char      hash[2 * SHA256_DIGEST_LENGTH];
    u_char      sig[2 * SHA256_DIGEST_LENGTH];

    if (in->date.len != 16) {
        return NGX_ERROR;
    }

    day.data = in->date.data;
    day.len = 8;

    /* the canonical request */

    len = in->method.len + in->uri.len + in->query.len + in->host.len
          + 2 * in->payload.len + in->date.len
          + sizeof(NGX_HTTP_SWR_SIGNED_HEADERS)
          + sizeof("\n\n\nhost:\nx-amz-content-sha256:\nx-amz-date:\n\n\n");

    canonical = ngx_pnalloc(pool, len);
    if (canonical == NULL) {
        return NGX_ERROR;
    }

    p = ngx_sprintf(canonical,
                    "%V\n%V\n%V\n"
                    "host:%V\nx-amz-content-sha256:%V\nx-amz-date:%V\n\n"
                    NGX_HTTP_SWR_SIGNED_HEADERS "\n%V",
                    &in->method, &in->uri, &in->query, &in->host,
                    &in->payload, &in->date, &in->payload);

    SHA256(canonical, p - canonical, md);
    ngx_hex_dump(hash, md, SHA256_DIGEST_LENGTH);

    /* the string to sign */

    len = sizeof("AWS4-HMAC-SHA256\n\n////aws4_request\n") + in->date.len
          + day.len + in->region.len + 2 + sizeof(hash);

    sts = ngx_pnalloc(pool, len);
    if (sts == NULL) {
        return NGX_ERROR;
    }

    p = ngx_sprintf(sts, "AWS4-HMAC-SHA256\n%V\n%V/%V/s3/aws4_request\n",
                    &in->date, &day, &in->region);
    p = ngx_cpymem(p, hash, sizeof(hash));

    /* the signing key, then the signature */

    key = ngx_pnalloc(pool, in->secret_key.len + 4);
    if (key == NULL) {
        return NGX_ERROR;
    }

    ngx_memcpy(key, "AWS4", 4);
    ngx_memcpy(key + 4, in->secret_key.data, in->secret_key.len);

    if (ngx_http_swr_hmac(key, in->secret_key.len + 4, day.data, day.len, k)
           != NGX_OK
        || ngx_http_swr_hmac(k, sizeof(k), in->region.data, in->region.len, k)
           != NGX_OK
        || ngx_http_swr_hmac(k, sizeof(k), (u_char *) "s3", 2, k) != NGX_OK
        || ngx_http_swr_hmac(k, sizeof(k), (u_char *) "aws4_request", 12, k)
           != NGX_OK
        || ngx_http_swr_hmac(k, sizeof(k), sts, p - sts, md) != NGX_OK)
    {
        return NGX_ERROR;
    }

    ngx_hex_dump(sig, md, SHA256_DIGEST_LENGTH);

    len = sizeof("AWS4-HMAC-SHA256 Credential=////aws4_request, "
                 "SignedHeaders=" NGX_HTTP_SWR_SIGNED_HEADERS
                 ", Signature=")
          + in->access_key.len + day.len + in->region.len + 2 + sizeof(sig);

    authorization->data = ngx_pnalloc(pool, len);
    if (authorization->data == NULL) {
        return NGX_ERROR;
    }

    p = ngx_sprintf(authorization->data,
                    "AWS4-HMAC-SHA256 Credential=%V/%V/%V/s3/aws4_request, "
                    "SignedHeaders=" NGX_HTTP_SWR_SIGNED_HEADERS
                    ", Signature=",
                    &in->access_key, &day, &in->region);
    p = ngx_cpymem(p, sig, sizeof(sig));

    authorization->len = p - authorization->data;

    return NGX_OK;
}
