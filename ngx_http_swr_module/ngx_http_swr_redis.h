
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_REDIS_H_INCLUDED_
#define _NGX_HTTP_SWR_REDIS_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <hiredis/hiredis.h>

#include "ngx_http_swr_common.h"


typedef enum {
    NGX_HTTP_SWR_REDIS_DOWN = 0,
    NGX_HTTP_SWR_REDIS_CONNECTING,
    NGX_HTTP_SWR_REDIS_UP
} ngx_http_swr_redis_state_e;


/*
 * Called with the reply, or with NULL when the command failed (link lost,
 * command timed out).  The reply is freed when the handler returns.  The
 * handler is not called at all when the request went away meanwhile.
 */

typedef void (*ngx_http_swr_redis_handler_pt)(ngx_http_request_t *r,
    void *data, redisReply *reply);


typedef struct {
    ngx_str_t    name;       /* the address as configured */
    ngx_uint_t   state;
    ngx_uint_t   pending;
    ngx_uint_t   connects;
    ngx_uint_t   failures;
    ngx_str_t    error;
} ngx_http_swr_redis_status_t;


ngx_int_t ngx_http_swr_redis_send(ngx_http_request_t *r,
    ngx_http_swr_redis_handler_pt handler, void *data, int argc,
    const char **argv, const size_t *argvlen);
ngx_int_t ngx_http_swr_redis_send_detached(ngx_http_request_t *r, int argc,
    const char **argv, const size_t *argvlen);
ngx_int_t ngx_http_swr_redis_send_link(ngx_http_swr_redis_link_t *link,
    ngx_http_swr_redis_handler_pt handler, void *data, int argc,
    const char **argv, const size_t *argvlen);
ngx_int_t ngx_http_swr_redis_write_link(ngx_http_swr_redis_link_t *link);
ngx_int_t ngx_http_swr_redis_status(ngx_http_request_t *r,
    ngx_http_swr_redis_status_t *st);
void ngx_http_swr_redis_link_status(ngx_http_swr_redis_link_t *link,
    ngx_http_swr_redis_status_t *st);

char *ngx_http_swr_redis_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
ngx_int_t ngx_http_swr_redis_init_worker(ngx_cycle_t *cycle,
    ngx_http_swr_main_conf_t *smcf);
void ngx_http_swr_redis_exit_worker(ngx_http_swr_main_conf_t *smcf);
ngx_http_swr_redis_link_t *ngx_http_swr_redis_link_create(ngx_cycle_t *cycle,
    ngx_http_swr_redis_conf_t *rcf);
void ngx_http_swr_redis_link_close(ngx_http_swr_redis_link_t *link);
ngx_http_swr_redis_conf_t *ngx_http_swr_redis_conf_create(ngx_conf_t *cf,
    ngx_str_t *address);
ngx_int_t ngx_http_swr_redis_conf_param(ngx_conf_t *cf,
    ngx_http_swr_redis_conf_t *rcf, ngx_str_t *value);


#endif /* _NGX_HTTP_SWR_REDIS_H_INCLUDED_ */
