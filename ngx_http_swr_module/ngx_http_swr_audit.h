
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_AUDIT_H_INCLUDED_
#define _NGX_HTTP_SWR_AUDIT_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>


ngx_int_t ngx_http_swr_audit_init(ngx_conf_t *cf);
void ngx_http_swr_audit_repo_created(ngx_http_request_t *r);


#endif /* _NGX_HTTP_SWR_AUDIT_H_INCLUDED_ */
