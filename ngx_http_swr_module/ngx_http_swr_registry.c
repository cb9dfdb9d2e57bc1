
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_registry.h"
#include "ngx_http_swr_util.h"


static ngx_int_t ngx_http_swr_registry_base(ngx_http_request_t *r);
static ngx_int_t ngx_http_swr_registry_not_allowed(ngx_http_request_t *r,
    ngx_str_t *allow);


static ngx_str_t  ngx_http_swr_allow_name = ngx_string("Allow");
static ngx_str_t  ngx_http_swr_allow_get = ngx_string("GET, HEAD");


/*
 * The content handler of a location with "swr_registry": the Docker
 * Registry v2 / OCI Distribution API under /v2/.
 */

ngx_int_t
ngx_http_swr_registry_handler(ngx_http_request_t *r)
{
    ngx_str_t            path;
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->role = NGX_HTTP_SWR_ROLE_REGISTRY;

    path = r->uri;

    if (path.len < 3 || ngx_strncmp(path.data, "/v2", 3) != 0) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NOT_FOUND, &path);
    }

    if (path.len == 3 || (path.len == 4 && path.data[3] == '/')) {
        if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
            return ngx_http_swr_registry_not_allowed(r,
                                                     &ngx_http_swr_allow_get);
        }

        return ngx_http_swr_registry_base(r);
    }

    return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NOT_FOUND, &path);
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

    if (ngx_http_swr_common_headers(r, NGX_HTTP_SWR_ROLE_REGISTRY) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_send_json(r, NGX_HTTP_OK, j);
}


static ngx_int_t
ngx_http_swr_registry_not_allowed(ngx_http_request_t *r, ngx_str_t *allow)
{
    if (ngx_http_swr_add_header(r, &ngx_http_swr_allow_name, allow) == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_UNSUPPORTED,
                                   &r->method_name);
}
