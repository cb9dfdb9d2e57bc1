
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
    ngx_str_t   copy_source;   /* x-amz-copy-source, signed too; or empty */
} ngx_http_swr_sigv4_t;


/*
 * what Huawei OBS's own signature ("OBS AK:signature", the scheme of AWS
 * Signature Version 2 with x-obs- headers) signs of a request
 */

typedef struct {
    ngx_str_t   method;
    ngx_str_t   content_md5;    /* may be empty */
    ngx_str_t   content_type;   /* may be empty */
    ngx_str_t   date;           /* header form: the Date header value
                                   (RFC 1123); query form: the Expires
                                   value, seconds since the epoch */
    ngx_str_t   headers;        /* canonicalized x-obs- headers, each
                                   "name:value\n", lowercased names,
                                   sorted; may be empty */
    ngx_str_t   resource;       /* canonicalized resource: "/bucket/key"
                                   with the key exactly as sent on the
                                   wire (S3-escaped), plus sorted
                                   sub-resources, e.g.
                                   "?partNumber=1&uploadId=abc" */
    ngx_str_t   secret_key;
} ngx_http_swr_obs_sign_t;


size_t ngx_http_swr_s3_escape(u_char *dst, u_char *src, size_t len,
    ngx_uint_t keep_slash);
ngx_int_t ngx_http_swr_sigv4(ngx_pool_t *pool, ngx_http_swr_sigv4_t *in,
    ngx_str_t *authorization);

/*
 * SigV4 presigned query form: fills *query with the complete canonical
 * query string to append after '?', including X-Amz-Algorithm,
 * X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders=host
 * and finally X-Amz-Signature.  in->query may already hold extra
 * canonical query parameters (sorted) or be empty; in->payload is ignored
 * (UNSIGNED-PAYLOAD is used).  expires: 1 to 604800 seconds.
 */
ngx_int_t ngx_http_swr_sigv4_presign(ngx_pool_t *pool,
    ngx_http_swr_sigv4_t *in, time_t expires, ngx_str_t *query);

/* base64(HMAC-SHA1(SK, StringToSign)) into *signature (pool memory) */
ngx_int_t ngx_http_swr_sign_obs(ngx_pool_t *pool,
    ngx_http_swr_obs_sign_t *in, ngx_str_t *signature);


#endif /* _NGX_HTTP_SWR_SIGN_H_INCLUDED_ */
