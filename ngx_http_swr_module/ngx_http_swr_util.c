
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_util.h"


static ngx_str_t  ngx_http_swr_api_version_name =
    ngx_string("Docker-Distribution-API-Version");
static ngx_str_t  ngx_http_swr_api_version = ngx_string("registry/2.0");
static ngx_str_t  ngx_http_swr_request_id_name = ngx_string("X-Request-Id");
static ngx_str_t  ngx_http_swr_json_type =
    ngx_string("application/json; charset=utf-8");


ngx_http_swr_ctx_t *
ngx_http_swr_get_ctx(ngx_http_request_t *r)
{
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_swr_module);

    if (ctx == NULL) {
        ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_ctx_t));
        if (ctx == NULL) {
            return NULL;
        }

        /*
         * set by ngx_pcalloc():
         *
         *     ctx->role = NGX_HTTP_SWR_ROLE_NONE;
         *     ctx->err = NGX_HTTP_SWR_ERR_NONE;
         *     ctx->detail = { 0, NULL };
         *     ctx->own_response = 0;
         *     ctx->replace_body = 0;
         */

        ctx->started = ngx_current_msec;

        ngx_http_set_ctx(r, ctx, ngx_http_swr_module);
    }

    return ctx;
}


ngx_int_t
ngx_http_swr_request_id(ngx_http_request_t *r, ngx_str_t *id)
{
    ngx_http_variable_value_t  *vv;
    ngx_http_swr_main_conf_t   *smcf;

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

    vv = ngx_http_get_indexed_variable(r, smcf->request_id_index);

    if (vv == NULL || vv->not_found) {
        return NGX_DECLINED;
    }

    id->len = vv->len;
    id->data = vv->data;

    return NGX_OK;
}


ngx_table_elt_t *
ngx_http_swr_add_header(ngx_http_request_t *r, ngx_str_t *name,
    ngx_str_t *value)
{
    ngx_table_elt_t  *h;

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NULL;
    }

    h->hash = 1;
    h->key = *name;
    h->value = *value;

    return h;
}


ngx_int_t
ngx_http_swr_common_headers(ngx_http_request_t *r, ngx_uint_t role)
{
    ngx_str_t  id;

    if (role == NGX_HTTP_SWR_ROLE_REGISTRY) {
        if (ngx_http_swr_add_header(r, &ngx_http_swr_api_version_name,
                                    &ngx_http_swr_api_version)
            == NULL)
        {
            return NGX_ERROR;
        }
    }

    if (ngx_http_swr_request_id(r, &id) == NGX_OK) {
        if (ngx_http_swr_add_header(r, &ngx_http_swr_request_id_name, &id)
            == NULL)
        {
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


ngx_int_t
ngx_http_swr_send_json(ngx_http_request_t *r, ngx_uint_t status,
    ngx_http_swr_json_t *j)
{
    ngx_int_t            rc;
    ngx_buf_t           *b;
    ngx_chain_t          out;
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b = ngx_http_swr_json_buf(j);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->own_response = 1;

    if (r == r->main && !r->discard_body && r->request_body == NULL) {
        if (ngx_http_discard_request_body(r) != NGX_OK) {
            r->keepalive = 0;
        }
    }

    r->headers_out.status = status;
    r->headers_out.content_type = ngx_http_swr_json_type;
    r->headers_out.content_type_len = ngx_http_swr_json_type.len;
    r->headers_out.content_length_n = b->last - b->pos;

    ngx_http_clear_accept_ranges(r);
    ngx_http_clear_last_modified(r);
    ngx_http_clear_etag(r);

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}
