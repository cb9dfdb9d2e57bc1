
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_redis.h"
#include "ngx_http_swr_util.h"


static ngx_http_swr_ctx_t *ngx_http_swr_kept_ctx(ngx_http_request_t *r);
static void ngx_http_swr_kept_ctx_cleanup(void *data);
static ngx_int_t ngx_http_swr_first_value(ngx_str_t *list,
    ngx_str_t *value);


static ngx_str_t  ngx_http_swr_api_version_name =
    ngx_string("Docker-Distribution-API-Version");
static ngx_str_t  ngx_http_swr_api_version = ngx_string("registry/2.0");
static ngx_str_t  ngx_http_swr_request_id_name = ngx_string("X-Request-Id");
static ngx_str_t  ngx_http_swr_json_type =
    ngx_string("application/json; charset=utf-8");
static ngx_str_t  ngx_http_swr_digest_name =
    ngx_string("Docker-Content-Digest");
static ngx_str_t  ngx_http_swr_etag_name = ngx_string("ETag");
static ngx_str_t  ngx_http_swr_retry_after_name = ngx_string("Retry-After");
static ngx_str_t  ngx_http_swr_retry_after = ngx_string("1");


ngx_http_swr_ctx_t *
ngx_http_swr_get_ctx(ngx_http_request_t *r)
{
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_swr_module);

    if (ctx == NULL && r == r->main && r->internal) {
        ctx = ngx_http_swr_kept_ctx(r);
    }

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
         *     ctx->error_sent = 0;
         *     ctx->replace_body = 0;
         */

        ctx->started = ngx_current_msec;

        ngx_http_set_ctx(r, ctx, ngx_http_swr_module);
    }

    return ctx;
}


/*
 * An internal redirect (and a filter's finalization) clears every module's
 * context; a request that hands itself to the store's proxy location
 * keeps ours in a pool cleanup (as nginx's realip module does), found
 * again here.
 */

ngx_int_t
ngx_http_swr_keep_ctx(ngx_http_request_t *r, ngx_http_swr_ctx_t *ctx)
{
    ngx_pool_cleanup_t  *cln;

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        return NGX_ERROR;
    }

    cln->handler = ngx_http_swr_kept_ctx_cleanup;
    cln->data = ctx;

    return NGX_OK;
}


/* the context if there is one, kept ones included; never makes one */

ngx_http_swr_ctx_t *
ngx_http_swr_find_ctx(ngx_http_request_t *r)
{
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_swr_module);

    if (ctx == NULL && r == r->main && r->internal) {
        ctx = ngx_http_swr_kept_ctx(r);
    }

    return ctx;
}


static ngx_http_swr_ctx_t *
ngx_http_swr_kept_ctx(ngx_http_request_t *r)
{
    ngx_pool_cleanup_t  *cln;

    for (cln = r->pool->cleanup; cln; cln = cln->next) {
        if (cln->handler == ngx_http_swr_kept_ctx_cleanup) {
            ngx_http_set_ctx(r, cln->data, ngx_http_swr_module);
            return cln->data;
        }
    }

    return NULL;
}


static void
ngx_http_swr_kept_ctx_cleanup(void *data)
{
    /* nothing to free: the marker alone is what counts */
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
    ngx_str_t            id;
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_ERROR;
    }

    if (ctx->headers_added) {
        return NGX_OK;
    }

    ctx->headers_added = 1;

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
    ngx_buf_t  *b;

    b = ngx_http_swr_json_buf(j);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_http_clear_accept_ranges(r);
    ngx_http_clear_last_modified(r);
    ngx_http_clear_etag(r);

    return ngx_http_swr_send_body(r, status, &ngx_http_swr_json_type, b,
                                  b->last - b->pos);
}


/*
 * A response whose body is in memory: b, or with b NULL the headers alone
 * (HEAD answered from metadata), length bytes long either way.
 */

ngx_int_t
ngx_http_swr_send_body(ngx_http_request_t *r, ngx_uint_t status,
    ngx_str_t *type, ngx_buf_t *b, off_t length)
{
    ngx_int_t    rc;
    ngx_chain_t  out;

    if (r == r->main && !r->discard_body && r->request_body == NULL) {
        if (ngx_http_discard_request_body(r) != NGX_OK) {
            r->keepalive = 0;
        }
    }

    r->headers_out.status = status;
    r->headers_out.content_type = *type;
    r->headers_out.content_type_len = type->len;
    r->headers_out.content_length_n = length;

    if (b == NULL) {
        r->header_only = 1;
    }

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


/* Docker-Content-Digest and an ETag of the same digest */

ngx_int_t
ngx_http_swr_digest_headers(ngx_http_request_t *r, ngx_str_t *digest)
{
    ngx_str_t         etag;
    ngx_table_elt_t  *h;

    if (ngx_http_swr_add_header(r, &ngx_http_swr_digest_name, digest)
        == NULL)
    {
        return NGX_ERROR;
    }

    etag.data = ngx_pnalloc(r->pool, digest->len + 2);
    if (etag.data == NULL) {
        return NGX_ERROR;
    }

    etag.len = ngx_sprintf(etag.data, "\"%V\"", digest) - etag.data;

    h = ngx_http_swr_add_header(r, &ngx_http_swr_etag_name, &etag);
    if (h == NULL) {
        return NGX_ERROR;
    }

    r->headers_out.etag = h;

    return NGX_OK;
}


ngx_int_t
ngx_http_swr_send_empty(ngx_http_request_t *r, ngx_uint_t status)
{
    ngx_int_t  rc;

    if (r == r->main && !r->discard_body && r->request_body == NULL) {
        if (ngx_http_discard_request_body(r) != NGX_OK) {
            r->keepalive = 0;
        }
    }

    r->headers_out.status = status;
    r->headers_out.content_length_n = 0;
    r->header_only = 1;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK) {
        return rc;
    }

    return ngx_http_send_special(r, NGX_HTTP_LAST);
}


/*
 * What a request gets when Redis could not take its command: 503 while
 * the link is down, 429 while too many commands are in flight.
 */

ngx_int_t
ngx_http_swr_store_failed(ngx_http_request_t *r, ngx_int_t rc)
{
    ngx_str_t  detail;

    if (rc == NGX_BUSY) {
        if (ngx_http_swr_add_header(r, &ngx_http_swr_retry_after_name,
                                    &ngx_http_swr_retry_after)
            == NULL)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        ngx_str_set(&detail, "metadata store saturated");

        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_TOOMANYREQUESTS,
                                       &detail);
    }

    if (rc == NGX_DECLINED) {
        ngx_str_set(&detail, "metadata store unreachable");

        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_UNAVAILABLE,
                                       &detail);
    }

    return NGX_HTTP_INTERNAL_SERVER_ERROR;
}


/* a content handler's first asynchronous step */

ngx_int_t
ngx_http_swr_wait(ngx_http_request_t *r, ngx_int_t rc)
{
    if (rc == NGX_OK) {
        r->main->count++;
        return NGX_DONE;
    }

    return ngx_http_swr_store_failed(r, rc);
}


/*
 * From a callback: rc is what the next step returned.  NGX_OK: another
 * command is on its way and the request keeps waiting; NGX_DONE: the step
 * finalized the request itself; anything else ends it.
 */

void
ngx_http_swr_resume(ngx_http_request_t *r, ngx_int_t rc)
{
    if (rc == NGX_OK || rc == NGX_DONE) {
        return;
    }

    if (rc == NGX_DECLINED || rc == NGX_BUSY) {
        rc = ngx_http_swr_store_failed(r, rc);
    }

    ngx_http_finalize_request(r, rc);
}


/* a reply that is an error, or no reply at all */

ngx_int_t
ngx_http_swr_reply_error(ngx_http_request_t *r, redisReply *reply)
{
    ngx_str_t  detail;

    if (reply == NULL) {
        ngx_str_set(&detail, "metadata store did not answer");

        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_UNAVAILABLE,
                                       &detail);
    }

    ngx_str_set(&detail, "metadata store error");

    return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_INTERNAL, &detail);
}


ngx_table_elt_t *
ngx_http_swr_find_header(ngx_http_request_t *r, const char *name)
{
    return ngx_http_swr_find_header_n(r, (u_char *) name, ngx_strlen(name));
}


/* the same for a name that is not NUL-terminated */

ngx_table_elt_t *
ngx_http_swr_find_header_n(ngx_http_request_t *r, u_char *name, size_t len)
{
    return ngx_http_swr_find_in(&r->headers_in.headers, name, len);
}


/*
 * The first header of that name in a list (the request's or the
 * answer's), skipping those taken out (hash 0)
 */

ngx_table_elt_t *
ngx_http_swr_find_in(ngx_list_t *headers, u_char *name, size_t len)
{
    ngx_uint_t        i;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;

    part = &headers->part;
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

        if (h[i].hash
            && h[i].key.len == len
            && ngx_strncasecmp(h[i].key.data, name, len) == 0)
        {
            return &h[i];
        }
    }

    return NULL;
}


/* a query argument, percent-decoded */

ngx_int_t
ngx_http_swr_arg(ngx_http_request_t *r, const char *name, ngx_str_t *value)
{
    u_char     *dst, *src;
    ngx_str_t   raw;

    if (ngx_http_arg(r, (u_char *) name, ngx_strlen(name), &raw) != NGX_OK) {
        return NGX_DECLINED;
    }

    dst = ngx_pnalloc(r->pool, raw.len);
    if (dst == NULL) {
        return NGX_ERROR;
    }

    value->data = dst;
    src = raw.data;

    ngx_unescape_uri(&dst, &src, raw.len, 0);

    value->len = dst - value->data;

    return NGX_OK;
}


ngx_int_t
ngx_http_swr_digest_header(ngx_http_request_t *r, ngx_str_t *digest)
{
    return ngx_http_swr_add_header(r, &ngx_http_swr_digest_name, digest)
           ? NGX_OK : NGX_ERROR;
}


/* the first item of a comma-separated header value, trimmed */

static ngx_int_t
ngx_http_swr_first_value(ngx_str_t *list, ngx_str_t *value)
{
    u_char  *p, *last;

    p = list->data;
    last = ngx_strlchr(p, p + list->len, ',');

    if (last == NULL) {
        last = p + list->len;
    }

    while (p < last && (*p == ' ' || *p == '\t')) {
        p++;
    }

    while (last > p && (last[-1] == ' ' || last[-1] == '\t')) {
        last--;
    }

    if (p == last) {
        return NGX_DECLINED;
    }

    value->data = p;
    value->len = last - p;

    return NGX_OK;
}


/*
 * Location: an absolute URL of this registry.  Behind a reverse proxy
 * trusted with swr_trust_forwarded, its X-Forwarded-Proto and
 * X-Forwarded-Host say what the client used.
 */

ngx_int_t
ngx_http_swr_location(ngx_http_request_t *r, ngx_str_t *path)
{
    ngx_str_t  url;

    static ngx_str_t  location = ngx_string("Location");

    if (ngx_http_swr_url(r, path, &url) != NGX_OK) {
        return NGX_ERROR;
    }

    return ngx_http_swr_add_header(r, &location, &url) ? NGX_OK : NGX_ERROR;
}


/* an absolute URL of this server for path, as the client sees it */

ngx_int_t
ngx_http_swr_url(ngx_http_request_t *r, ngx_str_t *path, ngx_str_t *url)
{
    u_char                   *p;
    size_t                    len;
    ngx_str_t                 scheme, host, value;
    ngx_table_elt_t          *h;
    ngx_http_swr_loc_conf_t  *slcf;

    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);

#if (NGX_HTTP_SSL)
    if (r->connection->ssl) {
        ngx_str_set(&scheme, "https");
    } else
#endif
    {
        ngx_str_set(&scheme, "http");
    }

    if (r->headers_in.host) {
        host = r->headers_in.host->value;

    } else {
        host = r->headers_in.server;
    }

    if (slcf->trust_forwarded) {

        /* through a chain of proxies, the first value is the client's */

        h = ngx_http_swr_find_header(r, "X-Forwarded-Proto");
        if (h && ngx_http_swr_first_value(&h->value, &value) == NGX_OK) {
            scheme = value;
        }

        h = ngx_http_swr_find_header(r, "X-Forwarded-Host");
        if (h && ngx_http_swr_first_value(&h->value, &value) == NGX_OK) {
            host = value;
        }
    }

    if (host.len == 0) {
        *url = *path;
        return NGX_OK;
    }

    len = scheme.len + sizeof("://") - 1 + host.len + path->len;

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        return NGX_ERROR;
    }

    url->data = p;
    p = ngx_sprintf(p, "%V://%V%V", &scheme, &host, path);
    url->len = p - url->data;

    return NGX_OK;
}


/*
 * A table of this worker's, of size bytes, in the cycle's pool: made on
 * first use (create), made afresh in a new cycle (a reload), NULL when
 * there is none and create is 0.
 */

void *
ngx_http_swr_worker_table(ngx_http_swr_table_t *t, size_t size,
    ngx_uint_t create)
{
    if (t->data && t->cycle == ngx_cycle) {
        return t->data;
    }

    if (!create) {
        return NULL;
    }

    t->cycle = ngx_cycle;
    t->data = ngx_pcalloc(ngx_cycle->pool, size);

    return t->data;
}


/*
 * The n strings a worker table's slot keeps (rows of width bytes, their
 * lengths in len) copied for a request, in one allocation: the slot may
 * be reused while the request still runs
 */

ngx_int_t
ngx_http_swr_slot_strings(ngx_pool_t *pool, ngx_str_t **str, ngx_uint_t n,
    size_t *len, u_char *rows, size_t width)
{
    u_char      *p;
    size_t       total;
    ngx_uint_t   i;

    for (total = 0, i = 0; i < n; i++) {
        total += len[i];
    }

    p = ngx_pnalloc(pool, total);
    if (p == NULL) {
        return NGX_ERROR;
    }

    for (i = 0; i < n; i++) {
        str[i]->len = len[i];
        str[i]->data = p;
        p = ngx_cpymem(p, rows + i * width, len[i]);
    }

    return NGX_OK;
}


/*
 * The request body as one piece of memory, its first max bytes, from the
 * buffers or the temporary file it was read into; *size is its whole
 * length (the caller decides what a longer one means).  Read once a
 * request: the management scripts and the audit record share it (kept in
 * the context; nobody changes it).
 */

ngx_int_t
ngx_http_swr_body_text(ngx_http_request_t *r, size_t max, ngx_str_t *text,
    off_t *size)
{
    u_char              *p;
    size_t               n, room;
    ngx_buf_t           *b;
    ngx_chain_t         *cl;
    ngx_http_swr_ctx_t  *ctx;

    ngx_str_null(text);
    *size = 0;

    if (r->request_body == NULL) {
        return NGX_OK;
    }

    ctx = ngx_http_swr_find_ctx(r);

    if (ctx && ctx->body_text.data
        && (ctx->body_text.len == (size_t) ctx->body_size
            || ctx->body_text.len >= max))
    {
        text->data = ctx->body_text.data;
        text->len = ngx_min(ctx->body_text.len, max);
        *size = ctx->body_size;
        return NGX_OK;
    }

    for (cl = r->request_body->bufs; cl; cl = cl->next) {
        b = cl->buf;
        *size += b->in_file ? b->file_last - b->file_pos : b->last - b->pos;
    }

    room = (size_t) ngx_min(*size, (off_t) max);

    p = ngx_pnalloc(r->pool, room + 1);
    if (p == NULL) {
        return NGX_ERROR;
    }

    text->data = p;

    for (cl = r->request_body->bufs; cl && room; cl = cl->next) {
        b = cl->buf;

        if (!b->in_file) {
            n = ngx_min((size_t) (b->last - b->pos), room);
            p = ngx_cpymem(p, b->pos, n);
            room -= n;
            continue;
        }

        n = (size_t) ngx_min(b->file_last - b->file_pos, (off_t) room);

        if (ngx_read_file(b->file, p, n, b->file_pos) != (ssize_t) n) {
            return NGX_ERROR;
        }

        p += n;
        room -= n;
    }

    text->len = p - text->data;

    if (ctx) {
        ctx->body_text = *text;
        ctx->body_size = *size;
        ctx->body_json = 0;
    }

    return NGX_OK;
}
