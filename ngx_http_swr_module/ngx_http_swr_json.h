
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_JSON_H_INCLUDED_
#define _NGX_HTTP_SWR_JSON_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <yajl/yajl_gen.h>


typedef struct {
    yajl_gen     gen;
    ngx_pool_t  *pool;
} ngx_http_swr_json_t;


void ngx_http_swr_json_alloc_funcs(yajl_alloc_funcs *af, ngx_pool_t *pool);
ngx_http_swr_json_t *ngx_http_swr_json_create(ngx_pool_t *pool);
ngx_int_t ngx_http_swr_json_str(ngx_http_swr_json_t *j, ngx_str_t *s);
ngx_int_t ngx_http_swr_json_cstr(ngx_http_swr_json_t *j, const char *s);
ngx_int_t ngx_http_swr_json_int(ngx_http_swr_json_t *j, int64_t n);
ngx_int_t ngx_http_swr_json_bool(ngx_http_swr_json_t *j, ngx_uint_t b);
ngx_int_t ngx_http_swr_json_null(ngx_http_swr_json_t *j);
ngx_int_t ngx_http_swr_json_open(ngx_http_swr_json_t *j, ngx_uint_t array);
ngx_int_t ngx_http_swr_json_close(ngx_http_swr_json_t *j, ngx_uint_t array);
ngx_buf_t *ngx_http_swr_json_buf(ngx_http_swr_json_t *j);


#endif /* _NGX_HTTP_SWR_JSON_H_INCLUDED_ */
