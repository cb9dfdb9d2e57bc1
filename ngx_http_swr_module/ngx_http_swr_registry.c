
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_blob.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_manifest.h"
#include "ngx_http_swr_referrers.h"
#include "ngx_http_swr_registry.h"
#include "ngx_http_swr_router.h"
#include "ngx_http_swr_tags.h"
#include "ngx_http_swr_upload.h"
#include "ngx_http_swr_util.h"


static ngx_int_t ngx_http_swr_registry_base(ngx_http_request_t *r);
static ngx_int_t ngx_http_swr_registry_not_allowed(ngx_http_request_t *r,
    const char *allow);


/*
 * The content handler of a location with "swr_registry": the Docker
 * Registry v2 / OCI Distribution API under /v2/.  The route decides which
 * file serves the request; each checks the method itself.
 */

ngx_int_t
ngx_http_swr_registry_handler(ngx_http_request_t *r)
{
    ngx_int_t              rc;
    ngx_http_swr_ctx_t    *ctx;
    ngx_http_swr_route_t   rt;

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->role = NGX_HTTP_SWR_ROLE_REGISTRY;

    if (ngx_http_swr_common_headers(r, NGX_HTTP_SWR_ROLE_REGISTRY) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_swr_route(&r->uri, &rt);

    if (rc == NGX_DECLINED) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NOT_FOUND, &r->uri);
    }

    if (rc == NGX_ABORT) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NAME_INVALID,
                                       &rt.name);
    }

    ctx->route = rt.route;
    ctx->name = rt.name;
    ctx->ref = rt.ref;

    switch (rt.route) {

    case NGX_HTTP_SWR_ROUTE_BASE:
        if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
            return ngx_http_swr_registry_not_allowed(r, "GET, HEAD");
        }

        return ngx_http_swr_registry_base(r);

    case NGX_HTTP_SWR_ROUTE_CATALOG:
        if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
            return ngx_http_swr_registry_not_allowed(r, "GET, HEAD");
        }

        return ngx_http_swr_catalog_handler(r);

    case NGX_HTTP_SWR_ROUTE_TAGS:
        if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
            return ngx_http_swr_registry_not_allowed(r, "GET, HEAD");
        }

        return ngx_http_swr_tags_handler(r);

    case NGX_HTTP_SWR_ROUTE_MANIFEST:
        if (!(r->method
              & (NGX_HTTP_GET|NGX_HTTP_HEAD|NGX_HTTP_PUT|NGX_HTTP_DELETE)))
        {
            return ngx_http_swr_registry_not_allowed(r,
                                                   "GET, HEAD, PUT, DELETE");
        }

        return ngx_http_swr_manifest_handler(r);

    case NGX_HTTP_SWR_ROUTE_BLOB:
        if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD|NGX_HTTP_DELETE))) {
            return ngx_http_swr_registry_not_allowed(r, "GET, HEAD, DELETE");
        }

        return ngx_http_swr_blob_handler(r);

    case NGX_HTTP_SWR_ROUTE_UPLOAD_START:
        if (r->method != NGX_HTTP_POST) {
            return ngx_http_swr_registry_not_allowed(r, "POST");
        }

        return ngx_http_swr_upload_handler(r);

    case NGX_HTTP_SWR_ROUTE_UPLOAD:
        if (!(r->method
              & (NGX_HTTP_GET|NGX_HTTP_PATCH|NGX_HTTP_PUT|NGX_HTTP_DELETE)))
        {
            return ngx_http_swr_registry_not_allowed(r,
                                                 "GET, PATCH, PUT, DELETE");
        }

        return ngx_http_swr_upload_handler(r);

    case NGX_HTTP_SWR_ROUTE_REFERRERS:
        if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
            return ngx_http_swr_registry_not_allowed(r, "GET, HEAD");
        }

        return ngx_http_swr_referrers_handler(r);
    }

    return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NOT_FOUND, &r->uri);
}


/*
 * GET /v2/: the API version check.  200 with an empty JSON object tells
 * the client that this endpoint implements the V2 API.
 */

static ngx_int_t
ngx_http_swr_registry_base(ngx_http_request_t *r)
{
    ngx_http_swr_json_t  *j;

    j = ngx_http_swr_json_create(r->pool);
    if (j == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_send_json(r, NGX_HTTP_OK, j);
}


static ngx_int_t
ngx_http_swr_registry_not_allowed(ngx_http_request_t *r, const char *allow)
{
    ngx_str_t  name, value;

    ngx_str_set(&name, "Allow");
    value.data = (u_char *) allow;
    value.len = ngx_strlen(allow);

    if (ngx_http_swr_add_header(r, &name, &value) == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_UNSUPPORTED,
                                   &r->method_name);
}
