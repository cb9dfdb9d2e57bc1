
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_blob.h"
#include "ngx_http_swr_digest.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_local.h"
#include "ngx_http_swr_remote.h"
#include "ngx_http_swr_store.h"
#include "ngx_http_swr_util.h"


static void ngx_http_swr_blob_found(ngx_http_request_t *r, void *data,
    redisReply *reply);
static ngx_int_t ngx_http_swr_blob_send(ngx_http_request_t *r,
    off_t size);
static void ngx_http_swr_blob_deleted(ngx_http_request_t *r, void *data,
    redisReply *reply);


static ngx_str_t  ngx_http_swr_blob_type =
    ngx_string("application/octet-stream");
static ngx_str_t  ngx_http_swr_immutable =
    ngx_string("max-age=31536000, immutable");


/*
 * GET, HEAD and DELETE /v2/<name>/blobs/<digest>.  A repository sees a
 * blob only when the blob is linked to it: one HGET of the repository's
 * blob hash answers both "is it here" and "how large is it".
 */

ngx_int_t
ngx_http_swr_blob_handler(ngx_http_request_t *r)
{
    ngx_uint_t                algo;
    ngx_http_swr_ctx_t       *ctx;
    ngx_http_swr_cmd_t       *cmd;
    ngx_http_swr_loc_conf_t  *slcf;

    ctx = ngx_http_swr_get_ctx(r);
    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);

    if (ngx_http_swr_digest_parse(&ctx->ref, &algo) != NGX_OK) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_DIGEST_INVALID,
                                       &ctx->ref);
    }

    if (slcf->storage == NULL && r->method == NGX_HTTP_GET) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "swr_registry location without swr_storage");
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_INTERNAL, NULL);
    }

    cmd = ngx_http_swr_cmd(r->pool, 3);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_cmd_cstr(cmd, r->method == NGX_HTTP_DELETE ? "HDEL"
                                                                : "HGET")
           != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_BLOBS,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &ctx->ref) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_wait(r, ngx_http_swr_cmd_send(r, cmd,
                                  r->method == NGX_HTTP_DELETE
                                  ? ngx_http_swr_blob_deleted
                                  : ngx_http_swr_blob_found, NULL));
}


static void
ngx_http_swr_blob_found(ngx_http_request_t *r, void *data, redisReply *reply)
{
    off_t                size;
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);

    if (reply == NULL || reply->type == REDIS_REPLY_ERROR) {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    if (reply->type != REDIS_REPLY_STRING) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_BLOB_UNKNOWN,
                                    &ctx->ref));
        return;
    }

    size = ngx_atoof((u_char *) reply->str, reply->len);
    if (size == NGX_ERROR) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_http_finalize_request(r, ngx_http_swr_blob_send(r, size));
}


/*
 * HEAD answers from Redis alone; GET opens the file first, so that a blob
 * Redis knows but storage lost is an error without the blob's headers.
 */

static ngx_int_t
ngx_http_swr_blob_send(ngx_http_request_t *r, off_t size)
{
    ngx_int_t                 rc;
    ngx_buf_t                *b;
    ngx_chain_t               out;
    ngx_table_elt_t          *h;
    ngx_http_swr_ctx_t       *ctx;
    ngx_http_swr_loc_conf_t  *slcf;

    ctx = ngx_http_swr_get_ctx(r);
    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    b = NULL;

    if (r->method != NGX_HTTP_HEAD
        && slcf->storage->type == NGX_HTTP_SWR_STORAGE_OBS)
    {
        return ngx_http_swr_remote_blob(r, slcf->storage, &ctx->ref, size);
    }

    if (r->method != NGX_HTTP_HEAD) {
        rc = ngx_http_swr_local_blob_open(r, slcf->storage, &ctx->ref, size,
                                          &b);

        if (rc == NGX_DECLINED) {
            return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_BLOB_UNKNOWN,
                                           &ctx->ref);
        }

        if (rc != NGX_OK) {
            return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_INTERNAL, NULL);
        }
    }

    if (ngx_http_swr_digest_headers(r, &ctx->ref) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "Cache-Control");
    h->value = ngx_http_swr_immutable;

    /* a 416 that the range filter makes of it gets the error filter's body */

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_type = ngx_http_swr_blob_type;
    r->headers_out.content_type_len = ngx_http_swr_blob_type.len;
    r->headers_out.content_length_n = size;
    r->allow_ranges = 1;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only || b == NULL) {
        return rc;
    }

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


static void
ngx_http_swr_blob_deleted(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);

    if (reply == NULL || reply->type != REDIS_REPLY_INTEGER) {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    if (reply->integer == 0) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_BLOB_UNKNOWN,
                                    &ctx->ref));
        return;
    }

    ngx_http_finalize_request(r,
                              ngx_http_swr_send_empty(r, NGX_HTTP_ACCEPTED));
}
