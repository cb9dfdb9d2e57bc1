
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_ROUTER_H_INCLUDED_
#define _NGX_HTTP_SWR_ROUTER_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>


#define NGX_HTTP_SWR_NAME_MAX  255
#define NGX_HTTP_SWR_TAG_MAX   128


typedef enum {
    NGX_HTTP_SWR_ROUTE_NONE = 0,
    NGX_HTTP_SWR_ROUTE_BASE,
    NGX_HTTP_SWR_ROUTE_CATALOG,
    NGX_HTTP_SWR_ROUTE_TAGS,
    NGX_HTTP_SWR_ROUTE_MANIFEST,
    NGX_HTTP_SWR_ROUTE_BLOB,
    NGX_HTTP_SWR_ROUTE_UPLOAD_START,
    NGX_HTTP_SWR_ROUTE_UPLOAD,
    NGX_HTTP_SWR_ROUTE_REFERRERS
} ngx_http_swr_route_e;


typedef struct {
    ngx_uint_t  route;
    ngx_str_t   name;       /* repository */
    ngx_str_t   ref;        /* tag, digest or upload id */
} ngx_http_swr_route_t;


ngx_int_t ngx_http_swr_route(ngx_str_t *uri, ngx_http_swr_route_t *rt);
ngx_int_t ngx_http_swr_valid_name(ngx_str_t *name);
ngx_int_t ngx_http_swr_valid_tag(ngx_str_t *tag);
ngx_int_t ngx_http_swr_valid_uuid(ngx_str_t *id);


#endif /* _NGX_HTTP_SWR_ROUTER_H_INCLUDED_ */
