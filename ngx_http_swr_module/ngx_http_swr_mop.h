
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_MOP_H_INCLUDED_
#define _NGX_HTTP_SWR_MOP_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>


#define NGX_HTTP_SWR_MOP_PARAMS  3


ngx_int_t ngx_http_swr_mop_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_swr_mop_match(ngx_http_request_t *r, ngx_str_t *path,
    const char *pattern, ngx_str_t *out);
ngx_int_t ngx_http_swr_mop_init(ngx_conf_t *cf);


#endif /* _NGX_HTTP_SWR_MOP_H_INCLUDED_ */
