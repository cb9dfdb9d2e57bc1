
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_auth.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_store.h"
#include "ngx_http_swr_tags.h"
#include "ngx_http_swr_util.h"


/* a catalog page without "n" */
#define NGX_HTTP_SWR_CATALOG_PAGE  1000


typedef struct {
    ngx_int_t   n;              /* -1: all */
    ngx_str_t   last;
    ngx_str_t   bad;            /* an n that is not one */
} ngx_http_swr_page_t;


static ngx_int_t ngx_http_swr_page_args(ngx_http_request_t *r,
    ngx_http_swr_page_t *pg);
static ngx_int_t ngx_http_swr_page_start(ngx_http_swr_cmd_t *cmd,
    ngx_http_swr_page_t *pg);
static void ngx_http_swr_tags_reply(ngx_http_request_t *r, void *data,
    redisReply *reply);
static void ngx_http_swr_catalog_reply(ngx_http_request_t *r, void *data,
    redisReply *reply);
static ngx_int_t ngx_http_swr_page_send(ngx_http_request_t *r,
    ngx_http_swr_page_t *pg, redisReply *reply, const char *field,
    ngx_str_t *name, ngx_str_t *path);


/*
 * n and last, as the distribution specification has them: at most n
 * entries, in lexical order, starting after last; a Link header names the
 * next page when there is one.  NGX_DECLINED: n is not a valid count.
 */

static ngx_int_t
ngx_http_swr_page_args(ngx_http_request_t *r, ngx_http_swr_page_t *pg)
{
    ngx_str_t  n;

    pg->n = -1;
    ngx_str_null(&pg->last);

    if (ngx_http_swr_arg(r, "n", &n) == NGX_OK) {
        pg->n = ngx_atoi(n.data, n.len);

        if (pg->n == NGX_ERROR || pg->n > 100000) {
            pg->bad = n;
            return NGX_DECLINED;
        }
    }

    if (ngx_http_swr_arg(r, "last", &pg->last) == NGX_ERROR) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_swr_page_start(ngx_http_swr_cmd_t *cmd, ngx_http_swr_page_t *pg)
{
    u_char  *p;

    if (pg->last.len == 0) {
        return ngx_http_swr_cmd_cstr(cmd, "-");
    }

    p = ngx_pnalloc(cmd->pool, pg->last.len + 1);
    if (p == NULL) {
        return NGX_ERROR;
    }

    *p = '(';
    ngx_memcpy(p + 1, pg->last.data, pg->last.len);

    return ngx_http_swr_cmd_add(cmd, p, pg->last.len + 1);
}


/* GET /v2/<name>/tags/list */

ngx_int_t
ngx_http_swr_tags_handler(ngx_http_request_t *r)
{
    ngx_int_t             rc;
    ngx_http_swr_ctx_t   *ctx;
    ngx_http_swr_cmd_t   *cmd;
    ngx_http_swr_page_t  *pg;

    ctx = ngx_http_swr_get_ctx(r);

    pg = ngx_palloc(r->pool, sizeof(ngx_http_swr_page_t));
    if (pg == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_swr_page_args(r, pg);

    if (rc == NGX_DECLINED) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_PAGINATION_INVALID,
                                       &pg->bad);
    }

    if (rc != NGX_OK) {
        return rc;
    }

    cmd = ngx_http_swr_cmd(r->pool, 5);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_TAGLIST,
                             NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_MANIFESTS,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_BLOBS,
                                NULL) != NGX_OK
        || ngx_http_swr_page_start(cmd, pg) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, pg->n < 0 ? -1 : pg->n + 1) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_wait(r, ngx_http_swr_script_send(r,
                                  NGX_HTTP_SWR_SCRIPT_TAGS_LIST, 3, cmd,
                                  ngx_http_swr_tags_reply, pg));
}


static void
ngx_http_swr_tags_reply(ngx_http_request_t *r, void *data, redisReply *reply)
{
    u_char              *p;
    ngx_str_t            path;
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);

    if (reply == NULL || reply->type == REDIS_REPLY_ERROR) {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    if (reply->type != REDIS_REPLY_ARRAY) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NAME_UNKNOWN,
                                    &ctx->name));
        return;
    }

    p = ngx_pnalloc(r->pool, ctx->name.len + sizeof("/v2//tags/list"));
    if (p == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    path.data = p;
    path.len = ngx_sprintf(p, "/v2/%V/tags/list", &ctx->name) - p;

    ngx_http_finalize_request(r, ngx_http_swr_page_send(r, data, reply,
                                                        "tags", &ctx->name,
                                                        &path));
}


/* GET /v2/_catalog */

ngx_int_t
ngx_http_swr_catalog_handler(ngx_http_request_t *r)
{
    ngx_int_t                 rc;
    ngx_http_swr_ctx_t       *ctx;
    ngx_http_swr_cmd_t       *cmd;
    ngx_http_swr_page_t      *pg;
    ngx_http_swr_identity_t  *id;

    pg = ngx_palloc(r->pool, sizeof(ngx_http_swr_page_t));
    if (pg == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_swr_page_args(r, pg);

    if (rc == NGX_DECLINED) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_PAGINATION_INVALID,
                                       &pg->bad);
    }

    if (rc != NGX_OK) {
        return rc;
    }

    if (pg->n < 0) {
        pg->n = NGX_HTTP_SWR_CATALOG_PAGE;
    }

    /* with swr_auth, the repositories the caller may read, no others */

    ctx = ngx_http_swr_get_ctx(r);
    id = ctx ? ctx->identity : NULL;

    if (id) {
        cmd = ngx_http_swr_cmd(r->pool, 6);
        if (cmd == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (ngx_http_swr_cmd_cstr(cmd, NGX_HTTP_SWR_KEY_REPOS) != NGX_OK
            || ngx_http_swr_cmd_str(cmd, &id->user) != NGX_OK
            || ngx_http_swr_cmd_str(cmd, &id->account) != NGX_OK
            || ngx_http_swr_cmd_cstr(cmd, id->admin ? "1" : "0") != NGX_OK
            || ngx_http_swr_cmd_int(cmd, ngx_time()) != NGX_OK
            || ngx_http_swr_page_start(cmd, pg) != NGX_OK
            || ngx_http_swr_cmd_int(cmd, pg->n + 1) != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        return ngx_http_swr_wait(r, ngx_http_swr_script_send(r,
                                      NGX_HTTP_SWR_SCRIPT_CATALOG, 1, cmd,
                                      ngx_http_swr_catalog_reply, pg));
    }

    cmd = ngx_http_swr_cmd(r->pool, 7);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_cmd_cstr(cmd, "ZRANGEBYLEX") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, NGX_HTTP_SWR_KEY_REPOS) != NGX_OK
        || ngx_http_swr_page_start(cmd, pg) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "+") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "LIMIT") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "0") != NGX_OK
        || ngx_http_swr_cmd_int(cmd, pg->n + 1) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_wait(r, ngx_http_swr_cmd_send(r, cmd,
                                  ngx_http_swr_catalog_reply, pg));
}


static void
ngx_http_swr_catalog_reply(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_str_t  path;

    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY) {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    ngx_str_set(&path, "/v2/_catalog");

    ngx_http_finalize_request(r, ngx_http_swr_page_send(r, data, reply,
                                                        "repositories", NULL,
                                                        &path));
}


/*
 * {"name":<name>,"tags":[...]} or {"repositories":[...]}; Redis was asked
 * for one entry more than the page, which tells whether a next page
 * exists.
 */

static ngx_int_t
ngx_http_swr_page_send(ngx_http_request_t *r, ngx_http_swr_page_t *pg,
    redisReply *reply, const char *field, ngx_str_t *name, ngx_str_t *path)
{
    u_char               *p;
    size_t                i, count, len;
    ngx_str_t             s, link, key;
    ngx_http_swr_json_t  *j;

    count = reply->elements;

    if (pg->n >= 0 && count > (size_t) pg->n) {
        count = pg->n;
    }

    j = ngx_http_swr_json_create(r->pool);
    if (j == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_json_open(j, 0) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (name != NULL) {
        if (ngx_http_swr_json_cstr(j, "name") != NGX_OK
            || ngx_http_swr_json_str(j, name) != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    if (ngx_http_swr_json_cstr(j, field) != NGX_OK
        || ngx_http_swr_json_open(j, 1) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    for (i = 0; i < count; i++) {
        s.data = (u_char *) reply->element[i]->str;
        s.len = reply->element[i]->len;

        if (ngx_http_swr_json_str(j, &s) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    if (ngx_http_swr_json_close(j, 1) != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (count > 0 && count < reply->elements) {
        s.data = (u_char *) reply->element[count - 1]->str;
        s.len = reply->element[count - 1]->len;

        len = path->len + s.len * 3 + NGX_INT_T_LEN
              + sizeof("<?n=&last=>; rel=\"next\"");

        p = ngx_pnalloc(r->pool, len);
        if (p == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        link.data = p;
        p = ngx_sprintf(p, "<%V?n=%i&last=", path, pg->n);
        p = (u_char *) ngx_escape_uri(p, s.data, s.len, NGX_ESCAPE_ARGS);
        p = ngx_cpymem(p, ">; rel=\"next\"", sizeof(">; rel=\"next\"") - 1);
        link.len = p - link.data;

        ngx_str_set(&key, "Link");

        if (ngx_http_swr_add_header(r, &key, &link) == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    return ngx_http_swr_send_json(r, NGX_HTTP_OK, j);
}
