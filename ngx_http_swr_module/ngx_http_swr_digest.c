
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_digest.h"


/*
 * digest := algorithm ":" encoded; the module stores sha256 and sha512,
 * both lower-case hex of their full length.
 *
 * NGX_OK: valid and supported; NGX_DECLINED: not a digest at all (no
 * colon, so perhaps a tag); NGX_ERROR: a digest that is malformed or of
 * an algorithm the module does not support.
 */

ngx_int_t
ngx_http_swr_digest_parse(ngx_str_t *digest, ngx_uint_t *algo)
{
    u_char  *p, *colon, *last;
    size_t   hexlen;

    last = digest->data + digest->len;

    colon = ngx_strlchr(digest->data, last, ':');
    if (colon == NULL) {
        return NGX_DECLINED;
    }

    if ((size_t) (colon - digest->data) == 6
        && ngx_strncmp(digest->data, "sha256", 6) == 0)
    {
        *algo = NGX_HTTP_SWR_SHA256;
        hexlen = 64;

    } else if ((size_t) (colon - digest->data) == 6
               && ngx_strncmp(digest->data, "sha512", 6) == 0)
    {
        *algo = NGX_HTTP_SWR_SHA512;
        hexlen = 128;

    } else {
        return NGX_ERROR;
    }

    if ((size_t) (last - colon - 1) != hexlen) {
        return NGX_ERROR;
    }

    for (p = colon + 1; p < last; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) {
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


size_t
ngx_http_swr_digest_of(ngx_uint_t algo, u_char *data, size_t len,
    u_char *out)
{
    u_char  md[SHA512_DIGEST_LENGTH];

    if (algo == NGX_HTTP_SWR_SHA512) {
        SHA512(data, len, md);
        out = ngx_cpymem(out, "sha512:", 7);
        ngx_hex_dump(out, md, SHA512_DIGEST_LENGTH);
        return 7 + 2 * SHA512_DIGEST_LENGTH;
    }

    SHA256(data, len, md);
    out = ngx_cpymem(out, "sha256:", 7);
    ngx_hex_dump(out, md, SHA256_DIGEST_LENGTH);

    return 7 + 2 * SHA256_DIGEST_LENGTH;
}


void
ngx_http_swr_hash_init(ngx_http_swr_hash_t *h)
{
    SHA256_Init(&h->sha256);
    SHA512_Init(&h->sha512);
}


void
ngx_http_swr_hash_update(ngx_http_swr_hash_t *h, u_char *data, size_t len)
{
    SHA256_Update(&h->sha256, data, len);
    SHA512_Update(&h->sha512, data, len);
}


/* finalizes a copy, so the state stays usable */

size_t
ngx_http_swr_hash_final(ngx_http_swr_hash_t *h, ngx_uint_t algo, u_char *out)
{
    u_char      md[SHA512_DIGEST_LENGTH];
    SHA256_CTX  c256;
    SHA512_CTX  c512;

    if (algo == NGX_HTTP_SWR_SHA512) {
        c512 = h->sha512;
        SHA512_Final(md, &c512);
        out = ngx_cpymem(out, "sha512:", 7);
        ngx_hex_dump(out, md, SHA512_DIGEST_LENGTH);
        return 7 + 2 * SHA512_DIGEST_LENGTH;
    }

    c256 = h->sha256;
    SHA256_Final(md, &c256);
    out = ngx_cpymem(out, "sha256:", 7);
    ngx_hex_dump(out, md, SHA256_DIGEST_LENGTH);

    return 7 + 2 * SHA256_DIGEST_LENGTH;
}


ngx_int_t
ngx_http_swr_hash_restore(ngx_http_swr_hash_t *h, u_char *state, size_t len)
{
    if (len != sizeof(ngx_http_swr_hash_t)) {
        return NGX_ERROR;
    }

    ngx_memcpy(h, state, len);

    return NGX_OK;
}
