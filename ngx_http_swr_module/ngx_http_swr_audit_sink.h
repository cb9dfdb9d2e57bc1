
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_AUDIT_SINK_H_INCLUDED_
#define _NGX_HTTP_SWR_AUDIT_SINK_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"


void ngx_http_swr_audit_sink_write(ngx_http_request_t *r,
    ngx_http_swr_audit_log_t *log, ngx_http_swr_audit_redis_t *ar,
    u_char *line, size_t len);
ngx_int_t ngx_http_swr_audit_sink_init_worker(ngx_cycle_t *cycle,
    ngx_http_swr_main_conf_t *smcf);
void ngx_http_swr_audit_sink_exit_worker(ngx_cycle_t *cycle,
    ngx_http_swr_main_conf_t *smcf);
char *ngx_http_swr_audit_log_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_swr_audit_redis_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);


#endif /* _NGX_HTTP_SWR_AUDIT_SINK_H_INCLUDED_ */
