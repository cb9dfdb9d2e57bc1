
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_SDK_H_INCLUDED_
#define _NGX_HTTP_SWR_SDK_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>


ngx_int_t ngx_http_swr_sdk_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_swr_sdk_access(ngx_str_t *value, ngx_str_t *ak);


#endif /* _NGX_HTTP_SWR_SDK_H_INCLUDED_ */
