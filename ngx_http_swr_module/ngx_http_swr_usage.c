
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_router.h"
#include "ngx_http_swr_store.h"
#include "ngx_http_swr_usage.h"


/*
 * Download traffic, for ShowDomainOverview's downflow_size and the
 * "downflow" daily report (swr-api.md 4.12): the body bytes of every blob
 * GET that was answered 200 or 206 count, in the log phase, against the
 * repository's organization (swr:ns:{<ns>}:usage "downflow" and
 * swr:ns:{<ns>}:daily:downflow <day>).  The counts are sent without
 * waiting: nothing a response does waits for them.
 */


static ngx_int_t ngx_http_swr_usage_log(ngx_http_request_t *r);


ngx_int_t
ngx_http_swr_usage_init(ngx_conf_t *cf)
{
    ngx_http_handler_pt        *h;
    ngx_http_core_main_conf_t  *cmcf;

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_LOG_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_swr_usage_log;

    return NGX_OK;
}


static ngx_int_t
ngx_http_swr_usage_log(ngx_http_request_t *r)
{
    off_t                sent;
    ngx_uint_t           i;
    ngx_http_swr_ctx_t  *ctx;
    ngx_http_swr_cmd_t  *cmd;

    if (r != r->main || r->method != NGX_HTTP_GET
        || (r->headers_out.status != NGX_HTTP_OK
            && r->headers_out.status != NGX_HTTP_PARTIAL_CONTENT))
    {
        return NGX_OK;
    }

    ctx = ngx_http_swr_find_ctx(r);

    if (ctx == NULL || ctx->role != NGX_HTTP_SWR_ROLE_REGISTRY
        || ctx->route != NGX_HTTP_SWR_ROUTE_BLOB || ctx->name.len == 0)
    {
        return NGX_OK;
    }

    sent = r->connection->sent - r->header_size;

    if (sent <= 0) {
        return NGX_OK;
    }

    for (i = 0; i < 2; i++) {
        cmd = ngx_http_swr_cmd(r->pool, 4);
        if (cmd == NULL) {
            return NGX_OK;
        }

        if (ngx_http_swr_cmd_cstr(cmd, "HINCRBY") != NGX_OK
            || ngx_http_swr_cmd_ns_key(cmd, &ctx->name,
                                       i == 0 ? NGX_HTTP_SWR_NS_USAGE
                                              : NGX_HTTP_SWR_NS_DAILY_DOWN)
               != NGX_OK
            || (i == 0 ? ngx_http_swr_cmd_cstr(cmd, "downflow")
                       : ngx_http_swr_cmd_day(cmd)) != NGX_OK
            || ngx_http_swr_cmd_int(cmd, sent) != NGX_OK)
        {
            return NGX_OK;
        }

        (void) ngx_http_swr_cmd_send(r, cmd, NULL, NULL);
    }

    return NGX_OK;
}
