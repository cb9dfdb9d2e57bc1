
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_REMOTE_H_INCLUDED_
#define _NGX_HTTP_SWR_REMOTE_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_obs.h"


typedef struct ngx_http_swr_remote_s  ngx_http_swr_remote_t;

typedef void (*ngx_http_swr_remote_pt)(ngx_http_request_t *r,
    ngx_http_swr_remote_t *rm);


/* one call to the object store, made as a subrequest of a client request */

struct ngx_http_swr_remote_s {
    ngx_http_swr_obs_call_t   call;
    ngx_chain_t              *body;        /* what is sent, or NULL */
    off_t                     length;      /* of the body; -1: no body */
    ngx_file_t               *capture;     /* a GET's bytes go here */
    off_t                     offset;      /* where they go next */
    ngx_uint_t                in_memory;   /* the answer is kept */

    ngx_uint_t                status;      /* the store's, or 502/504 */
    ngx_str_t                 etag;
    ngx_str_t                 response;    /* in_memory */

    ngx_http_swr_remote_pt    handler;
    void                     *data;
    unsigned                  done:1;
};


ngx_int_t ngx_http_swr_remote_call(ngx_http_request_t *r,
    ngx_http_swr_storage_t *st, ngx_http_swr_remote_t *rm);
ngx_int_t ngx_http_swr_remote_failed(ngx_http_request_t *r,
    ngx_http_swr_storage_t *st, ngx_http_swr_remote_t *rm);
ngx_int_t ngx_http_swr_remote_blob(ngx_http_request_t *r,
    ngx_http_swr_storage_t *st, ngx_str_t *digest, off_t size);
ngx_int_t ngx_http_swr_remote_blob_key(ngx_pool_t *pool, ngx_str_t *digest,
    ngx_str_t *key);
ngx_int_t ngx_http_swr_remote_temp_file(ngx_http_request_t *r,
    ngx_file_t *file);
ngx_chain_t *ngx_http_swr_remote_file_chain(ngx_http_request_t *r,
    ngx_chain_t *next, ngx_file_t *file, off_t size);
ngx_int_t ngx_http_swr_remote_init(ngx_conf_t *cf);


#endif /* _NGX_HTTP_SWR_REMOTE_H_INCLUDED_ */
