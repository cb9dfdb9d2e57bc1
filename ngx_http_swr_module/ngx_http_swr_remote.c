
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_digest.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_obs.h"
#include "ngx_http_swr_remote.h"
#include "ngx_http_swr_util.h"


/*
 * Calls to an object store, made by nginx's proxy: each call is a
 * subrequest to the store's internal proxy location (swr_storage obs ...
 * location=, "/_swr_obs/" by default), whose $swr_obs_* variables carry
 * the signed request.  The upstream there (keepalive, TLS, timeouts) is
 * the operator's.  Answers are small (kept in memory), or a GET's bytes
 * written to a temporary file, or nothing; nothing a call returns reaches
 * the client.
 *
 * A client's blob GET is handed to the same location by an internal
 * redirect, so the blob streams from the store to the client through
 * nginx's buffers, Range included; a filter here turns the store's
 * headers into the registry's and its errors into registry errors.
 */


#define NGX_HTTP_SWR_REMOTE_DENIED_LOG  60     /* s between 403 logs */


static ngx_int_t ngx_http_swr_remote_done(ngx_http_request_t *sr,
    void *data, ngx_int_t rc);
static void ngx_http_swr_remote_wake(ngx_http_request_t *r);
static ngx_uint_t ngx_http_swr_remote_method(ngx_str_t *name);
static ngx_uint_t ngx_http_swr_remote_status(ngx_http_request_t *r,
    ngx_http_swr_obs_conf_t *obs, ngx_uint_t status, ngx_str_t *what);
static ngx_int_t ngx_http_swr_remote_header_filter(ngx_http_request_t *r);
static ngx_int_t ngx_http_swr_remote_body_filter(ngx_http_request_t *r,
    ngx_chain_t *in);


static ngx_http_output_header_filter_pt  ngx_http_next_header_filter;
static ngx_http_output_body_filter_pt    ngx_http_next_body_filter;


static ngx_str_t  ngx_http_swr_remote_blob_type =
    ngx_string("application/octet-stream");


/*
 * Starts one call.  NGX_OK: rm->handler runs when the store answered (or
 * failed); the request must be kept (ngx_http_swr_wait) meanwhile.
 */

ngx_int_t
ngx_http_swr_remote_call(ngx_http_request_t *r, ngx_http_swr_storage_t *st,
    ngx_http_swr_remote_t *rm)
{
    u_char                      *p;
    ngx_str_t                    uri;
    ngx_uint_t                   flags;
    ngx_http_request_t          *sr;
    ngx_http_swr_ctx_t          *ctx, *sctx;
    ngx_http_request_body_t     *rb;
    ngx_http_post_subrequest_t  *ps;

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_ERROR;
    }

    ps = ngx_palloc(r->pool, sizeof(ngx_http_post_subrequest_t));
    if (ps == NULL) {
        return NGX_ERROR;
    }

    ps->handler = ngx_http_swr_remote_done;
    ps->data = rm;

    /* the URI names the store and the method, for the access log */

    uri.len = st->location.len + st->obs->name.len + 1
              + rm->call.method.len;
    uri.data = ngx_pnalloc(r->pool, uri.len);
    if (uri.data == NULL) {
        return NGX_ERROR;
    }

    p = ngx_cpymem(uri.data, st->location.data, st->location.len);
    p = ngx_cpymem(p, st->obs->name.data, st->obs->name.len);
    *p++ = '/';
    ngx_memcpy(p, rm->call.method.data, rm->call.method.len);

    rm->done = 0;
    rm->status = 0;
    ngx_str_null(&rm->etag);
    ngx_str_null(&rm->response);

    flags = rm->in_memory ? NGX_HTTP_SUBREQUEST_IN_MEMORY : 0;

    if (ngx_http_subrequest(r, &uri, NULL, &sr, ps, flags) != NGX_OK) {
        return NGX_ERROR;
    }

    sr->method_name = rm->call.method;
    sr->method = ngx_http_swr_remote_method(&rm->call.method);

    rb = ngx_pcalloc(r->pool, sizeof(ngx_http_request_body_t));
    if (rb == NULL) {
        return NGX_ERROR;
    }

    rb->bufs = rm->body;
    sr->request_body = rb;
    sr->headers_in.content_length_n = rm->length;
    sr->headers_in.chunked = 0;

    sctx = ngx_http_swr_get_ctx(sr);
    if (sctx == NULL) {
        return NGX_ERROR;
    }

    sctx->remote = rm;

    if (ngx_http_swr_obs_sign(sr, st->obs, &rm->call) != NGX_OK) {
        return NGX_ERROR;
    }

    ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "swr store call %V \"%V\" ?%V", &rm->call.method,
                   &rm->call.key, &rm->call.query);

    ctx->remote = rm;
    r->write_event_handler = ngx_http_swr_remote_wake;

    return NGX_OK;
}


static ngx_uint_t
ngx_http_swr_remote_method(ngx_str_t *name)
{
    switch (name->data[0]) {

    case 'P':
        return (name->data[1] == 'U') ? NGX_HTTP_PUT : NGX_HTTP_POST;

    case 'D':
        return NGX_HTTP_DELETE;

    case 'H':
        return NGX_HTTP_HEAD;

    default:
        return NGX_HTTP_GET;
    }
}


/* the subrequest ends: what the store said; may run twice on errors */

static ngx_int_t
ngx_http_swr_remote_done(ngx_http_request_t *sr, void *data, ngx_int_t rc)
{
    ngx_http_swr_remote_t  *rm = data;

    if (rm->done) {
        return rc;
    }

    rm->done = 1;

    if (rc == NGX_ERROR || rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        rm->status = (rc == NGX_ERROR || rc == NGX_HTTP_INTERNAL_SERVER_ERROR)
                     ? NGX_HTTP_BAD_GATEWAY : (ngx_uint_t) rc;

    } else {
        rm->status = sr->headers_out.status;
    }

    if (sr->headers_out.etag) {
        rm->etag = sr->headers_out.etag->value;
    }

    if (rm->in_memory && sr->out && sr->out->buf) {
        rm->response.data = sr->out->buf->pos;
        rm->response.len = sr->out->buf->last - sr->out->buf->pos;
    }

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, sr->connection->log, 0,
                   "swr store call done: %ui, rc %i", rm->status, rc);

    return rc;
}


/* the parent runs again once its subrequest is done */

static void
ngx_http_swr_remote_wake(ngx_http_request_t *r)
{
    ngx_http_swr_ctx_t     *ctx;
    ngx_http_swr_remote_t  *rm;

    ctx = ngx_http_get_module_ctx(r, ngx_http_swr_module);

    if (ctx == NULL || ctx->remote == NULL) {
        return;
    }

    rm = ctx->remote;

    if (!rm->done) {
        return;
    }

    ctx->remote = NULL;
    r->write_event_handler = ngx_http_request_empty_handler;

    rm->handler(r, rm);
}


/*
 * A call that failed: the registry error for it.  The store's 403 (bad
 * credentials, a skewed clock) is logged once a minute per worker, not
 * once per request.
 */

ngx_int_t
ngx_http_swr_remote_failed(ngx_http_request_t *r, ngx_http_swr_storage_t *st,
    ngx_http_swr_remote_t *rm)
{
    ngx_str_t   detail;
    ngx_uint_t  status;

    status = ngx_http_swr_remote_status(r, st->obs, rm->status, &rm->call.key);

    ngx_str_set(&detail, "object store failed");

    return ngx_http_swr_send_error(r,
               status == NGX_HTTP_GATEWAY_TIME_OUT
               ? NGX_HTTP_SWR_ERR_GATEWAY_TIMEOUT
               : status == NGX_HTTP_SERVICE_UNAVAILABLE
                 ? NGX_HTTP_SWR_ERR_UNAVAILABLE : NGX_HTTP_SWR_ERR_BAD_GATEWAY,
               &detail);
}


/* the client's status for a store's: 502, 503 or 504 */

static ngx_uint_t
ngx_http_swr_remote_status(ngx_http_request_t *r,
    ngx_http_swr_obs_conf_t *obs, ngx_uint_t status, ngx_str_t *what)
{
    switch (status) {

    case NGX_HTTP_FORBIDDEN:

        if (ngx_time() - obs->denied >= NGX_HTTP_SWR_REMOTE_DENIED_LOG) {
            obs->denied = ngx_time();
            ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                          "object store \"%V\" refused the request (403) "
                          "for \"%V\": check its access_key and secret_key "
                          "and this host's clock; logged once a minute",
                          &obs->name, what);
        }

        return NGX_HTTP_SERVICE_UNAVAILABLE;

    case NGX_HTTP_GATEWAY_TIME_OUT:
    case NGX_HTTP_SERVICE_UNAVAILABLE:
        break;

    case NGX_HTTP_BAD_GATEWAY:
        break;

    default:
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "object store \"%V\" answered %ui for \"%V\"",
                      &obs->name, status, what);
        status = NGX_HTTP_BAD_GATEWAY;
        break;
    }

    return status;
}


/* blobs/<algorithm>/<first two hex digits>/<hex>, as on local storage */

ngx_int_t
ngx_http_swr_remote_blob_key(ngx_pool_t *pool, ngx_str_t *digest,
    ngx_str_t *key)
{
    u_char  *colon;
    size_t   alen;

    colon = ngx_strlchr(digest->data, digest->data + digest->len, ':');
    if (colon == NULL || digest->data + digest->len - colon < 3) {
        return NGX_ERROR;
    }

    alen = colon - digest->data;

    key->data = ngx_pnalloc(pool, sizeof("blobs///") + digest->len + 2);
    if (key->data == NULL) {
        return NGX_ERROR;
    }

    key->len = ngx_sprintf(key->data, "blobs/%*s/%*s/%*s", alen,
                           digest->data, (size_t) 2, colon + 1,
                           (size_t) (digest->data + digest->len - colon - 1),
                           colon + 1)
               - key->data;

    return NGX_OK;
}


/*
 * GET of a blob: a 307 to a presigned URL (redirect=), or the store's
 * answer streamed through the proxy location.  Returns what a content
 * handler returns.
 */

ngx_int_t
ngx_http_swr_remote_blob(ngx_http_request_t *r, ngx_http_swr_storage_t *st,
    ngx_str_t *digest, off_t size)
{
    u_char                   *p;
    ngx_int_t                 rc;
    ngx_str_t                 uri, url;
    ngx_table_elt_t          *h;
    ngx_http_swr_ctx_t       *ctx;
    ngx_http_swr_obs_call_t   call;

    ctx = ngx_http_swr_get_ctx(r);

    ngx_memzero(&call, sizeof(ngx_http_swr_obs_call_t));

    if (ngx_http_swr_remote_blob_key(r->pool, digest, &call.key) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    if (st->redirect) {
        if (ngx_http_swr_obs_presign(r, st->obs, &call.key, st->redirect,
                                     &url)
            != NGX_OK
            || ngx_http_swr_digest_header(r, digest) != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        ngx_http_clear_location(r);

        h = ngx_list_push(&r->headers_out.headers);
        if (h == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        h->hash = 1;
        ngx_str_set(&h->key, "Location");
        h->value = url;
        r->headers_out.location = h;

        return ngx_http_swr_send_empty(r, NGX_HTTP_TEMPORARY_REDIRECT);
    }

    ngx_str_set(&call.method, "GET");

    h = ngx_http_swr_find_header(r, "Range");
    if (h) {
        call.range = h->value;
    }

    if (ngx_http_swr_obs_sign(r, st->obs, &call) != NGX_OK
        || ngx_http_swr_keep_ctx(r, ctx) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->role = NGX_HTTP_SWR_ROLE_REGISTRY;
    ctx->blob_proxied = 1;
    ctx->storage = st;
    ctx->blob_size = size;

    uri.len = st->location.len + st->obs->name.len + sizeof("/blob") - 1;
    uri.data = ngx_pnalloc(r->pool, uri.len);
    if (uri.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_cpymem(uri.data, st->location.data, st->location.len);
    p = ngx_cpymem(p, st->obs->name.data, st->obs->name.len);
    ngx_memcpy(p, "/blob", 5);

    return ngx_http_internal_redirect(r, &uri, NULL);
}


/* a temporary file for a chunk or for a store object, gone with r */

ngx_int_t
ngx_http_swr_remote_temp_file(ngx_http_request_t *r, ngx_file_t *file)
{
    ngx_http_core_loc_conf_t  *clcf;

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    ngx_memzero(file, sizeof(ngx_file_t));

    file->fd = NGX_INVALID_FILE;
    file->log = r->connection->log;

    if (ngx_create_temp_file(file, clcf->client_body_temp_path, r->pool, 0,
                             1, 0600)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}


/* the first size bytes of a file, in front of next */

ngx_chain_t *
ngx_http_swr_remote_file_chain(ngx_http_request_t *r, ngx_chain_t *next,
    ngx_file_t *file, off_t size)
{
    ngx_buf_t    *b;
    ngx_chain_t  *cl;

    if (size == 0) {
        return next;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NULL;
    }

    b->in_file = 1;
    b->file = file;
    b->file_pos = 0;
    b->file_last = size;

    cl = ngx_alloc_chain_link(r->pool);
    if (cl == NULL) {
        return NULL;
    }

    cl->buf = b;
    cl->next = next;

    return cl;
}


/*
 * A blob proxied from the store: the store's own headers stay behind; a
 * 200/206 gets the registry's headers (nginx's conditional requests then
 * work on the digest's ETag), an error becomes the registry's error (the
 * error filter writes the body).
 */

static ngx_int_t
ngx_http_swr_remote_header_filter(ngx_http_request_t *r)
{
    u_char              *p;
    ngx_uint_t           i, status;
    ngx_list_part_t     *part;
    ngx_table_elt_t     *h;
    ngx_http_swr_ctx_t  *ctx;

    if (r != r->main) {
        return ngx_http_next_header_filter(r);
    }

    ctx = ngx_http_swr_find_ctx(r);

    if (ctx == NULL || !ctx->blob_proxied || ctx->error_sent) {
        return ngx_http_next_header_filter(r);
    }

    part = &r->headers_out.headers.part;
    h = part->elts;

    for (i = 0; /* void */; i++) {

        if (i >= part->nelts) {
            if (part->next == NULL) {
                break;
            }

            part = part->next;
            h = part->elts;
            i = 0;
        }

        if (h[i].key.len > 6
            && (ngx_strncasecmp(h[i].key.data, (u_char *) "x-amz-", 6) == 0
                || ngx_strncasecmp(h[i].key.data, (u_char *) "x-obs-", 6)
                   == 0
                || ngx_strncasecmp(h[i].key.data, (u_char *) "x-rgw-", 6)
                   == 0))
        {
            h[i].hash = 0;
        }
    }

    ngx_http_clear_etag(r);
    ngx_http_clear_last_modified(r);

    status = r->headers_out.status;

    if (status >= NGX_HTTP_BAD_REQUEST) {

        switch (status) {

        case NGX_HTTP_NOT_FOUND:
            ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                          "blob %V is linked but missing from the object "
                          "store", &ctx->ref);
            ctx->err = NGX_HTTP_SWR_ERR_BLOB_UNKNOWN;
            ctx->detail = ctx->ref;
            break;

        case NGX_HTTP_PRECONDITION_FAILED:

            /* nginx's, for an If-Match that is not the digest */

            break;

        case NGX_HTTP_RANGE_NOT_SATISFIABLE:

            /* the store's Content-Range, if any, gives way to ours */

            if (r->headers_out.content_range) {
                r->headers_out.content_range->hash = 0;
                r->headers_out.content_range = NULL;
            }

            break;

        default:
            r->headers_out.status = ngx_http_swr_remote_status(r,
                                        ctx->storage->obs, status, &ctx->ref);
            break;
        }

        if (r->headers_out.status == NGX_HTTP_RANGE_NOT_SATISFIABLE) {
            h = ngx_list_push(&r->headers_out.headers);
            if (h == NULL) {
                return NGX_ERROR;
            }

            p = ngx_pnalloc(r->pool, sizeof("bytes */") + NGX_OFF_T_LEN);
            if (p == NULL) {
                return NGX_ERROR;
            }

            h->hash = 1;
            ngx_str_set(&h->key, "Content-Range");
            h->value.data = p;
            h->value.len = ngx_sprintf(p, "bytes */%O", ctx->blob_size) - p;
        }

        r->headers_out.status_line.len = 0;

        return ngx_http_next_header_filter(r);
    }

    r->headers_out.content_type = ngx_http_swr_remote_blob_type;
    r->headers_out.content_type_len = ngx_http_swr_remote_blob_type.len;
    r->headers_out.content_type_lowcase = NULL;
    r->headers_out.charset.len = 0;

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "Cache-Control");
    ngx_str_set(&h->value, "max-age=31536000, immutable");

    if (ngx_http_swr_common_headers(r, NGX_HTTP_SWR_ROLE_REGISTRY) != NGX_OK
        || ngx_http_swr_digest_headers(r, &ctx->ref) != NGX_OK)
    {
        return NGX_ERROR;
    }

    /* If-None-Match and If-Match against the digest, as on local storage */

    r->disable_not_modified = 0;

    return ngx_http_next_header_filter(r);
}


/*
 * What a store call returns stays here: a GET's bytes go to its file, an
 * answer kept in memory goes on to nginx's in-memory filter, the rest is
 * dropped.
 */

static ngx_int_t
ngx_http_swr_remote_body_filter(ngx_http_request_t *r, ngx_chain_t *in)
{
    size_t                  size;
    ssize_t                 n;
    ngx_buf_t              *b;
    ngx_uint_t              capture;
    ngx_chain_t            *cl;
    ngx_http_swr_ctx_t     *ctx;
    ngx_http_swr_remote_t  *rm;

    if (r == r->main) {
        return ngx_http_next_body_filter(r, in);
    }

    ctx = ngx_http_get_module_ctx(r, ngx_http_swr_module);

    if (ctx == NULL || ctx->remote == NULL) {
        return ngx_http_next_body_filter(r, in);
    }

    rm = ctx->remote;

    if (rm->in_memory) {
        return ngx_http_next_body_filter(r, in);
    }

    capture = (rm->capture != NULL
               && (r->headers_out.status == NGX_HTTP_OK
                   || r->headers_out.status == NGX_HTTP_PARTIAL_CONTENT));

    for (cl = in; cl; cl = cl->next) {
        b = cl->buf;

        if (capture && !ngx_buf_special(b)) {

            if (!ngx_buf_in_memory(b)) {
                ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                              "store answer buffered to a file; set "
                              "proxy_max_temp_file_size 0 in the store's "
                              "proxy location");
                return NGX_ERROR;
            }

            size = b->last - b->pos;

            n = ngx_write_file(rm->capture, b->pos, size, rm->offset);
            if (n != (ssize_t) size) {
                return NGX_ERROR;
            }

            rm->offset += size;
        }

        b->pos = b->last;

        if (b->in_file) {
            b->file_pos = b->file_last;
        }
    }

    return NGX_OK;
}


ngx_int_t
ngx_http_swr_remote_init(ngx_conf_t *cf)
{
    ngx_http_next_header_filter = ngx_http_top_header_filter;
    ngx_http_top_header_filter = ngx_http_swr_remote_header_filter;

    ngx_http_next_body_filter = ngx_http_top_body_filter;
    ngx_http_top_body_filter = ngx_http_swr_remote_body_filter;

    return NGX_OK;
}
