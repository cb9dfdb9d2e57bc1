
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_AUDIT_H_INCLUDED_
#define _NGX_HTTP_SWR_AUDIT_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>


char *ngx_http_swr_audit_log_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_swr_audit_redis_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
ngx_int_t ngx_http_swr_audit_init(ngx_conf_t *cf);
void ngx_http_swr_audit_repo_created(ngx_http_request_t *r);


#endif /* _NGX_HTTP_SWR_AUDIT_H_INCLUDED_ */
