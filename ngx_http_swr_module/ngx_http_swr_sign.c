
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
 *
 * AWS Signature Version 4, header form: a canonical request over the
 * method, path, query and the signed headers (host, x-amz-content-sha256,
 * x-amz-copy-source for a copy, x-amz-date), a string to sign, and a key
 * derived from the secret through date, region, service and
 * "aws4_request".
 * Query form (presigned URLs): the same over the X-Amz-* parameters, the
 * host header alone and UNSIGNED-PAYLOAD.
 *
 * Huawei OBS's own signature: HMAC-SHA1 of method, Content-MD5,
 * Content-Type, date (or expiry), the x-obs- headers and the resource,
 * base64-encoded, the scheme of AWS Signature Version 2.
 */


#define NGX_HTTP_SWR_SIGNED_HEADERS  "host;x-amz-content-sha256;x-amz-date"
#define NGX_HTTP_SWR_SIGNED_HEADERS_COPY                                      \
    "host;x-amz-content-sha256;x-amz-copy-source;x-amz-date"
#define NGX_HTTP_SWR_PRESIGN_MAX     604800


static ngx_int_t ngx_http_swr_hmac(u_char *key, size_t klen, u_char *data,
    size_t len, u_char *out);
static ngx_int_t ngx_http_swr_sigv4_sign(ngx_pool_t *pool,
    ngx_http_swr_sigv4_t *in, u_char *canonical, size_t clen, u_char *sig);
static void ngx_http_swr_query_sort(ngx_str_t *param, ngx_uint_t n);


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


/*
 * The signature (64 hex digits into sig) of a canonical request: the
 * string to sign over its hash, and the key derived from the secret.
 */

static ngx_int_t
ngx_http_swr_sigv4_sign(ngx_pool_t *pool, ngx_http_swr_sigv4_t *in,
    u_char *canonical, size_t clen, u_char *sig)
{
    u_char     *p, *sts, *key;
    size_t      len;
    ngx_str_t   day;
    u_char      md[SHA256_DIGEST_LENGTH], k[SHA256_DIGEST_LENGTH];
    u_char      hash[2 * SHA256_DIGEST_LENGTH];

    day.data = in->date.data;
    day.len = 8;

    SHA256(canonical, clen, md);
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

    return NGX_OK;
}


ngx_int_t
ngx_http_swr_sigv4(ngx_pool_t *pool, ngx_http_swr_sigv4_t *in,
    ngx_str_t *authorization)
{
    u_char     *p, *canonical, *signed_headers;
    size_t      len;
    ngx_str_t   day;
    u_char      sig[2 * SHA256_DIGEST_LENGTH];

    if (in->date.len != 16) {
        return NGX_ERROR;
    }

    day.data = in->date.data;
    day.len = 8;

    /* the canonical request; a copy's source is signed as AWS wants */

    signed_headers = in->copy_source.len
                     ? (u_char *) NGX_HTTP_SWR_SIGNED_HEADERS_COPY
                     : (u_char *) NGX_HTTP_SWR_SIGNED_HEADERS;

    len = in->method.len + in->uri.len + in->query.len + in->host.len
          + 2 * in->payload.len + in->date.len + in->copy_source.len
          + sizeof(NGX_HTTP_SWR_SIGNED_HEADERS_COPY)
          + sizeof("\n\n\nhost:\nx-amz-content-sha256:\nx-amz-copy-source:\n"
                   "x-amz-date:\n\n\n");

    canonical = ngx_pnalloc(pool, len);
    if (canonical == NULL) {
        return NGX_ERROR;
    }

    p = ngx_sprintf(canonical,
                    "%V\n%V\n%V\n"
                    "host:%V\nx-amz-content-sha256:%V\n",
                    &in->method, &in->uri, &in->query, &in->host,
                    &in->payload);

    if (in->copy_source.len) {
        p = ngx_sprintf(p, "x-amz-copy-source:%V\n", &in->copy_source);
    }

    p = ngx_sprintf(p, "x-amz-date:%V\n\n%s\n%V",
                    &in->date, signed_headers, &in->payload);

    if (ngx_http_swr_sigv4_sign(pool, in, canonical, p - canonical, sig)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    len = sizeof("AWS4-HMAC-SHA256 Credential=////aws4_request, "
                 "SignedHeaders=" NGX_HTTP_SWR_SIGNED_HEADERS_COPY
                 ", Signature=")
          + in->access_key.len + day.len + in->region.len + 2 + sizeof(sig);

    authorization->data = ngx_pnalloc(pool, len);
    if (authorization->data == NULL) {
        return NGX_ERROR;
    }

    p = ngx_sprintf(authorization->data,
                    "AWS4-HMAC-SHA256 Credential=%V/%V/%V/s3/aws4_request, "
                    "SignedHeaders=%s, Signature=",
                    &in->access_key, &day, &in->region, signed_headers);
    p = ngx_cpymem(p, sig, sizeof(sig));

    authorization->len = p - authorization->data;

    return NGX_OK;
}


/*
 * Presigned: the X-Amz-* parameters sorted in among the caller's, the
 * canonical request over them and the host header, the signature last.
 */

ngx_int_t
ngx_http_swr_sigv4_presign(ngx_pool_t *pool, ngx_http_swr_sigv4_t *in,
    time_t expires, ngx_str_t *query)
{
    u_char       *p, *last, *own, *credential, *canonical, *start;
    size_t        len, clen, crlen;
    ngx_str_t    *param, day;
    ngx_uint_t    i, n;
    ngx_array_t   params;
    u_char        sig[2 * SHA256_DIGEST_LENGTH];

    if (in->date.len != 16 || expires < 1
        || expires > NGX_HTTP_SWR_PRESIGN_MAX)
    {
        return NGX_ERROR;
    }

    day.data = in->date.data;
    day.len = 8;

    /* the credential, its slashes encoded as in any query value */

    crlen = in->access_key.len + day.len + in->region.len
            + sizeof("///s3/aws4_request") - 1;

    credential = ngx_pnalloc(pool, crlen);
    if (credential == NULL) {
        return NGX_ERROR;
    }

    ngx_sprintf(credential, "%V/%V/%V/s3/aws4_request",
                &in->access_key, &day, &in->region);

    clen = ngx_http_swr_s3_escape(NULL, credential, crlen, 0);

    /* our five parameters, one after the other in one buffer */

    len = sizeof("X-Amz-Algorithm=AWS4-HMAC-SHA256") - 1
          + sizeof("X-Amz-Credential=") - 1 + clen
          + sizeof("X-Amz-Date=") - 1 + in->date.len
          + sizeof("X-Amz-Expires=") - 1 + NGX_TIME_T_LEN
          + sizeof("X-Amz-SignedHeaders=host") - 1;

    own = ngx_pnalloc(pool, len);
    if (own == NULL) {
        return NGX_ERROR;
    }

    n = 1;

    for (p = in->query.data; p < in->query.data + in->query.len; p++) {
        if (*p == '&') {
            n++;
        }
    }

    if (ngx_array_init(&params, pool, n + 5, sizeof(ngx_str_t)) != NGX_OK) {
        return NGX_ERROR;
    }

    param = ngx_array_push_n(&params, 5);
    if (param == NULL) {
        return NGX_ERROR;
    }

    p = own;

    param[0].data = p;
    p = ngx_cpymem(p, "X-Amz-Algorithm=AWS4-HMAC-SHA256",
                   sizeof("X-Amz-Algorithm=AWS4-HMAC-SHA256") - 1);
    param[0].len = p - param[0].data;

    param[1].data = p;
    p = ngx_cpymem(p, "X-Amz-Credential=", sizeof("X-Amz-Credential=") - 1);
    p += ngx_http_swr_s3_escape(p, credential, crlen, 0);
    param[1].len = p - param[1].data;

    param[2].data = p;
    p = ngx_sprintf(p, "X-Amz-Date=%V", &in->date);
    param[2].len = p - param[2].data;

    param[3].data = p;
    p = ngx_sprintf(p, "X-Amz-Expires=%T", expires);
    param[3].len = p - param[3].data;

    param[4].data = p;
    p = ngx_cpymem(p, "X-Amz-SignedHeaders=host",
                   sizeof("X-Amz-SignedHeaders=host") - 1);
    param[4].len = p - param[4].data;

    /* the caller's parameters, empty ones left out */

    start = in->query.data;
    last = in->query.data + in->query.len;

    for (p = start; in->query.len && p <= last; p++) {
        if (p < last && *p != '&') {
            continue;
        }

        if (p > start) {
            param = ngx_array_push(&params);
            if (param == NULL) {
                return NGX_ERROR;
            }

            param->data = start;
            param->len = p - start;
        }

        start = p + 1;
    }

    ngx_http_swr_query_sort(params.elts, params.nelts);

    /* the canonical request */

    param = params.elts;
    clen = 0;

    for (i = 0; i < params.nelts; i++) {
        clen += param[i].len + 1;
    }

    len = in->method.len + in->uri.len + clen + in->host.len
          + sizeof("\n\n\nhost:\n\nhost\nUNSIGNED-PAYLOAD");

    canonical = ngx_pnalloc(pool, len);
    if (canonical == NULL) {
        return NGX_ERROR;
    }

    p = ngx_sprintf(canonical, "%V\n%V\n", &in->method, &in->uri);
    start = p;

    for (i = 0; i < params.nelts; i++) {
        if (i > 0) {
            *p++ = '&';
        }

        p = ngx_cpymem(p, param[i].data, param[i].len);
    }

    last = p;

    p = ngx_sprintf(p, "\nhost:%V\n\nhost\nUNSIGNED-PAYLOAD", &in->host);

    if (ngx_http_swr_sigv4_sign(pool, in, canonical, p - canonical, sig)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    /* the query: the canonical one, then the signature */

    len = (last - start) + sizeof("&X-Amz-Signature=") - 1 + sizeof(sig);

    query->data = ngx_pnalloc(pool, len);
    if (query->data == NULL) {
        return NGX_ERROR;
    }

    p = ngx_cpymem(query->data, start, last - start);
    p = ngx_cpymem(p, "&X-Amz-Signature=", sizeof("&X-Amz-Signature=") - 1);
    p = ngx_cpymem(p, sig, sizeof(sig));

    query->len = p - query->data;

    return NGX_OK;
}


/*
 * Query parameters ("name=value") by name, then by value: an insertion
 * sort in place (a handful of them, and no allocation, unlike ngx_sort).
 */

static void
ngx_http_swr_query_sort(ngx_str_t *param, ngx_uint_t n)
{
    size_t      alen, blen;
    ngx_int_t   rc;
    ngx_str_t   tmp;
    ngx_uint_t  i, j;

    for (i = 1; i < n; i++) {
        tmp = param[i];

        for (blen = 0; blen < tmp.len && tmp.data[blen] != '='; blen++) {
            /* void */
        }

        for (j = i; j > 0; j--) {
            for (alen = 0;
                 alen < param[j - 1].len && param[j - 1].data[alen] != '=';
                 alen++)
            {
                /* void */
            }

            rc = ngx_memn2cmp(param[j - 1].data, tmp.data, alen, blen);

            if (rc == 0) {
                rc = ngx_memn2cmp(param[j - 1].data, tmp.data,
                                  param[j - 1].len, tmp.len);
            }

            if (rc <= 0) {
                break;
            }

            param[j] = param[j - 1];
        }

        param[j] = tmp;
    }
}


ngx_int_t
ngx_http_swr_sign_obs(ngx_pool_t *pool, ngx_http_swr_obs_sign_t *in,
    ngx_str_t *signature)
{
    u_char        *p, *sts;
    size_t         len;
    ngx_str_t      md;
    unsigned int   mdlen;
    u_char         hmac[EVP_MAX_MD_SIZE];

    len = in->method.len + in->content_md5.len + in->content_type.len
          + in->date.len + in->headers.len + in->resource.len
          + sizeof("\n\n\n\n") - 1;

    sts = ngx_pnalloc(pool, len);
    if (sts == NULL) {
        return NGX_ERROR;
    }

    p = ngx_sprintf(sts, "%V\n%V\n%V\n%V\n%V%V",
                    &in->method, &in->content_md5, &in->content_type,
                    &in->date, &in->headers, &in->resource);

    if (HMAC(EVP_sha1(), in->secret_key.data, (int) in->secret_key.len,
             sts, p - sts, hmac, &mdlen)
        == NULL)
    {
        return NGX_ERROR;
    }

    md.data = hmac;
    md.len = mdlen;

    signature->data = ngx_pnalloc(pool, ngx_base64_encoded_length(md.len));
    if (signature->data == NULL) {
        return NGX_ERROR;
    }

    ngx_encode_base64(signature, &md);

    return NGX_OK;
}
