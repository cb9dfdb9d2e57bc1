
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_NAMESPACE_H_INCLUDED_
#define _NGX_HTTP_SWR_NAMESPACE_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>


ngx_int_t ngx_http_swr_namespace_handler(ngx_http_request_t *r,
    ngx_str_t *name);
ngx_int_t ngx_http_swr_namespace_valid(ngx_str_t *name);


#endif /* _NGX_HTTP_SWR_NAMESPACE_H_INCLUDED_ */
