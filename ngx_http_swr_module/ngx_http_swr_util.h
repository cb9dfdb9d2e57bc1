
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_UTIL_H_INCLUDED_
#define _NGX_HTTP_SWR_UTIL_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_redis.h"


ngx_table_elt_t *ngx_http_swr_add_header(ngx_http_request_t *r,
    ngx_str_t *name, ngx_str_t *value);
ngx_int_t ngx_http_swr_common_headers(ngx_http_request_t *r,
    ngx_uint_t role);
ngx_int_t ngx_http_swr_send_json(ngx_http_request_t *r, ngx_uint_t status,
    ngx_http_swr_json_t *j);
ngx_int_t ngx_http_swr_send_body(ngx_http_request_t *r, ngx_uint_t status,
    ngx_str_t *type, ngx_buf_t *b, off_t length);
ngx_int_t ngx_http_swr_send_empty(ngx_http_request_t *r, ngx_uint_t status);
ngx_int_t ngx_http_swr_digest_headers(ngx_http_request_t *r,
    ngx_str_t *digest);
ngx_int_t ngx_http_swr_store_failed(ngx_http_request_t *r, ngx_int_t rc);
ngx_int_t ngx_http_swr_wait(ngx_http_request_t *r, ngx_int_t rc);
void ngx_http_swr_resume(ngx_http_request_t *r, ngx_int_t rc);
ngx_int_t ngx_http_swr_location(ngx_http_request_t *r, ngx_str_t *path);
ngx_int_t ngx_http_swr_url(ngx_http_request_t *r, ngx_str_t *path,
    ngx_str_t *url);
/* a per-worker table that a new cycle starts afresh */

typedef struct {
    void                  *data;
    volatile ngx_cycle_t  *cycle;
} ngx_http_swr_table_t;


ngx_int_t ngx_http_swr_slot_strings(ngx_pool_t *pool, ngx_str_t **str,
    ngx_uint_t n, size_t *len, u_char *rows, size_t width);
void *ngx_http_swr_worker_table(ngx_http_swr_table_t *t, size_t size,
    ngx_uint_t create);
ngx_table_elt_t *ngx_http_swr_find_header_n(ngx_http_request_t *r,
    u_char *name, size_t len);
ngx_table_elt_t *ngx_http_swr_find_in(ngx_list_t *headers, u_char *name,
    size_t len);
ngx_table_elt_t *ngx_http_swr_find_header(ngx_http_request_t *r,
    const char *name);
ngx_int_t ngx_http_swr_body_text(ngx_http_request_t *r, size_t max,
    ngx_str_t *text, off_t *size);
ngx_int_t ngx_http_swr_arg(ngx_http_request_t *r, const char *name,
    ngx_str_t *value);
ngx_int_t ngx_http_swr_digest_header(ngx_http_request_t *r,
    ngx_str_t *digest);
ngx_int_t ngx_http_swr_reply_error(ngx_http_request_t *r,
    redisReply *reply);


#endif /* _NGX_HTTP_SWR_UTIL_H_INCLUDED_ */
