
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_SECRET_H_INCLUDED_
#define _NGX_HTTP_SWR_SECRET_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"


/* the longest secret key decrypted */
#define NGX_HTTP_SWR_SK_MAX  256


char *ngx_http_swr_secret_key_file(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
ngx_int_t ngx_http_swr_secret_encrypt(ngx_pool_t *pool,
    ngx_http_swr_secret_t *secret, ngx_str_t *sk, ngx_str_t *out);
ngx_int_t ngx_http_swr_secret_decrypt(ngx_http_swr_secret_t *secret,
    ngx_str_t *in, u_char *out, size_t *outlen);


#endif /* _NGX_HTTP_SWR_SECRET_H_INCLUDED_ */
