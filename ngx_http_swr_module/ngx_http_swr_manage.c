
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_login.h"
#include "ngx_http_swr_manage.h"


/*
 * The content handler of a location with "swr_manage_api": Huawei SWR's
 * management API under /v2/manage/.  Operations are routed here as they
 * are implemented; a path that names none of them is "Requested URL not
 * found" in the SWR envelope, as the real service answers.
 */

ngx_int_t
ngx_http_swr_manage_handler(ngx_http_request_t *r)
{
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->role = NGX_HTTP_SWR_ROLE_MANAGE;

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

    return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NOT_FOUND, &r->uri);
}
