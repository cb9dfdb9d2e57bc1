
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_LOGIN_H_INCLUDED_
#define _NGX_HTTP_SWR_LOGIN_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>


ngx_int_t ngx_http_swr_login_handler(ngx_http_request_t *r);


#endif /* _NGX_HTTP_SWR_LOGIN_H_INCLUDED_ */
