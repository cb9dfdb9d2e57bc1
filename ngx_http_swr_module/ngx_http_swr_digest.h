
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_DIGEST_H_INCLUDED_
#define _NGX_HTTP_SWR_DIGEST_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#ifndef OPENSSL_SUPPRESS_DEPRECATED
#define OPENSSL_SUPPRESS_DEPRECATED
#endif
#include <openssl/sha.h>


#define NGX_HTTP_SWR_SHA256  1
#define NGX_HTTP_SWR_SHA512  2

/* "sha512:" and 128 hex digits */
#define NGX_HTTP_SWR_DIGEST_MAX  (7 + 128)


/*
 * The hash of an upload in progress.  Its state is a plain struct, so it
 * is stored with the upload in Redis between chunks and restored by
 * whichever worker gets the next chunk: finishing needs no re-read.
 * Both algorithms run, since the client names the digest only at the end.
 */

typedef struct {
    SHA256_CTX  sha256;
    SHA512_CTX  sha512;
} ngx_http_swr_hash_t;


ngx_int_t ngx_http_swr_digest_parse(ngx_str_t *digest, ngx_uint_t *algo);
size_t ngx_http_swr_digest_of(ngx_uint_t algo, u_char *data, size_t len,
    u_char *out);

void ngx_http_swr_hash_init(ngx_http_swr_hash_t *h);
void ngx_http_swr_hash_update(ngx_http_swr_hash_t *h, u_char *data,
    size_t len);
size_t ngx_http_swr_hash_final(ngx_http_swr_hash_t *h, ngx_uint_t algo,
    u_char *out);
ngx_int_t ngx_http_swr_hash_restore(ngx_http_swr_hash_t *h, u_char *state,
    size_t len);


#endif /* _NGX_HTTP_SWR_DIGEST_H_INCLUDED_ */
