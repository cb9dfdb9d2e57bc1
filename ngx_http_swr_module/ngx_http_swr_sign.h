
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_SIGN_H_INCLUDED_
#define _NGX_HTTP_SWR_SIGN_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>


/* what AWS Signature Version 4 signs of a request to an S3 store */

typedef struct {
    ngx_str_t   method;
    ngx_str_t   host;          /* host[:port], as the Host header says */
    ngx_str_t   uri;           /* canonical: already S3-encoded */
    ngx_str_t   query;         /* canonical query string, or empty */
    ngx_str_t   payload;       /* hex SHA-256, or UNSIGNED-PAYLOAD */
    ngx_str_t   date;          /* YYYYMMDDTHHMMSSZ */
    ngx_str_t   region;
    ngx_str_t   access_key;
    ngx_str_t   secret_key;
} ngx_http_swr_sigv4_t;


size_t ngx_http_swr_s3_escape(u_char *dst, u_char *src, size_t len,
    ngx_uint_t keep_slash);
ngx_int_t ngx_http_swr_sigv4(ngx_pool_t *pool, ngx_http_swr_sigv4_t *in,
    ngx_str_t *authorization);


#endif /* _NGX_HTTP_SWR_SIGN_H_INCLUDED_ */
