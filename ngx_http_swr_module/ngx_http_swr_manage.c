
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_login.h"
#include "ngx_http_swr_manage.h"
#include "ngx_http_swr_mop.h"
#include "ngx_http_swr_namespace.h"
#include "ngx_http_swr_util.h"


#define NGX_HTTP_SWR_MANAGE_NAMESPACES  "/v2/manage/namespaces"


static ngx_int_t ngx_http_swr_manage_versions(ngx_http_request_t *r);
static ngx_int_t ngx_http_swr_manage_version(ngx_http_request_t *r,
    ngx_http_swr_json_t *j);


/*
 * The content handler of a location with "swr_manage_api": Huawei SWR's
 * management API under /v2/manage/, and the two API version documents,
 * GET / and GET /{api_version}, in the locations that route those here
 * (README, "Management API").  Operations are routed here as they are
 * implemented; a path that names none of them is "Requested URL not
 * found" in the SWR envelope, as the real service answers.
 */

ngx_int_t
ngx_http_swr_manage_handler(ngx_http_request_t *r)
{
    u_char              *p, *last;
    ngx_int_t            rc;
    ngx_str_t            name;
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->role = NGX_HTTP_SWR_ROLE_MANAGE;

    if (ngx_http_swr_common_headers(r, NGX_HTTP_SWR_ROLE_MANAGE) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (r->uri.len == sizeof("/v2/manage/utils/secret") - 1
        && ngx_strncmp(r->uri.data, "/v2/manage/utils/secret", r->uri.len)
           == 0)
    {
        if (r->method != NGX_HTTP_POST) {
            return ngx_http_swr_send_error(r,
                                       NGX_HTTP_SWR_ERR_METHOD_NOT_ALLOWED,
                                       NULL);
        }

        return ngx_http_swr_login_handler(r);
    }

    rc = ngx_http_swr_mop_handler(r);
    if (rc != NGX_DECLINED) {
        return rc;
    }

    p = r->uri.data;
    last = p + r->uri.len;

    if (r->uri.len >= sizeof(NGX_HTTP_SWR_MANAGE_NAMESPACES) - 1
        && ngx_strncmp(p, NGX_HTTP_SWR_MANAGE_NAMESPACES,
                       sizeof(NGX_HTTP_SWR_MANAGE_NAMESPACES) - 1)
           == 0)
    {
        p += sizeof(NGX_HTTP_SWR_MANAGE_NAMESPACES) - 1;

        if (p == last) {
            return ngx_http_swr_namespace_handler(r, NULL);
        }

        if (*p == '/' && p + 1 < last
            && ngx_strlchr(p + 1, last, '/') == NULL)
        {
            name.data = p + 1;
            name.len = last - name.data;

            return ngx_http_swr_namespace_handler(r, &name);
        }
    }

    /* "/" and "/{api_version}": no further "/" */

    if (r->uri.len && r->uri.data[0] == '/'
        && ngx_strlchr(r->uri.data + 1, last, '/') == NULL)
    {
        return ngx_http_swr_manage_versions(r);
    }

    return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NOT_FOUND, &r->uri);
}


/*
 * ListApiVersions, GET /: {"versions": [VersionDetail]};
 * ShowApiVersion, GET /v2: {"version": VersionDetail}; other versions are
 * unknown URLs (swr-api.md 4.1).  No identity is needed.
 */

static ngx_int_t
ngx_http_swr_manage_versions(ngx_http_request_t *r)
{
    ngx_int_t             rc;
    ngx_uint_t            list;
    ngx_http_swr_json_t  *j;

    list = (r->uri.len == 1);

    if (!list
        && !(r->uri.len == sizeof("/v2") - 1
             && ngx_strncmp(r->uri.data, "/v2", r->uri.len) == 0))
    {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NOT_FOUND,
                                       &r->uri);
    }

    if (r->method != NGX_HTTP_GET) {
        return ngx_http_swr_send_error(r,
                                       NGX_HTTP_SWR_ERR_METHOD_NOT_ALLOWED,
                                       NULL);
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    j = ngx_http_swr_json_create(r->pool);
    if (j == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, list ? "versions" : "version")
           != NGX_OK
        || (list && ngx_http_swr_json_open(j, 1) != NGX_OK)
        || ngx_http_swr_manage_version(r, j) != NGX_OK
        || (list && ngx_http_swr_json_close(j, 1) != NGX_OK)
        || ngx_http_swr_json_close(j, 0) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_send_json(r, NGX_HTTP_OK, j);
}


static ngx_int_t
ngx_http_swr_manage_version(ngx_http_request_t *r, ngx_http_swr_json_t *j)
{
    ngx_str_t  path, url;

    ngx_str_set(&path, "/v2/");

    if (ngx_http_swr_url(r, &path, &url) != NGX_OK) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "id") != NGX_OK
        || ngx_http_swr_json_cstr(j, "v2") != NGX_OK
        || ngx_http_swr_json_cstr(j, "links") != NGX_OK
        || ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "href") != NGX_OK
        || ngx_http_swr_json_str(j, &url) != NGX_OK
        || ngx_http_swr_json_cstr(j, "rel") != NGX_OK
        || ngx_http_swr_json_cstr(j, "self") != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "version") != NGX_OK
        || ngx_http_swr_json_cstr(j, "2.26") != NGX_OK
        || ngx_http_swr_json_cstr(j, "status") != NGX_OK
        || ngx_http_swr_json_cstr(j, "CURRENT") != NGX_OK
        || ngx_http_swr_json_cstr(j, "updated") != NGX_OK
        || ngx_http_swr_json_cstr(j, "2017-12-09T00:00:00Z") != NGX_OK
        || ngx_http_swr_json_cstr(j, "min_version") != NGX_OK
        || ngx_http_swr_json_cstr(j, "2.0") != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}
