
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <yajl/yajl_parse.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_auth.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_namespace.h"
#include "ngx_http_swr_store.h"
#include "ngx_http_swr_util.h"


/*
 * Organizations (swr-api.md 4.2), authorized as docs/authorization.md
 * says:
 *
 *   CreateNamespace   POST   /v2/manage/namespaces              admin
 *   ListNamespaces    GET    /v2/manage/namespaces              (>= 1)
 *   ShowNamespace     GET    /v2/manage/namespaces/{namespace}  1
 *   DeleteNamespaces  DELETE /v2/manage/namespaces/{namespace}  7
 *
 * A namespace the caller may not read is answered as one that does not
 * exist.  The keys are those of docs/redis-schema.md ("Identity and
 * grants", "Organizations").
 */


#define NGX_HTTP_SWR_NAMESPACE_BODY_MAX  4096
#define NGX_HTTP_SWR_NAMESPACE_LEN_MAX   64


typedef struct {
    ngx_pool_t                *pool;
    ngx_str_t                  name;
    ngx_str_t                  detail;
    ngx_uint_t                 depth;
    ngx_uint_t                 err;
    unsigned                   in_name:1;   /* "namespace"'s value next */
    unsigned                   seen:1;
} ngx_http_swr_namespace_body_t;


typedef struct {
    ngx_http_swr_identity_t   *id;
    ngx_str_t                  name;
    unsigned                   show:1;      /* one namespace, not a list */
} ngx_http_swr_namespace_t;


static ngx_int_t ngx_http_swr_namespace_list(ngx_http_request_t *r,
    ngx_http_swr_namespace_t *ns);
static ngx_int_t ngx_http_swr_namespace_filter(ngx_str_t *filter,
    ngx_str_t *name, ngx_uint_t *visible);
static ngx_int_t ngx_http_swr_namespace_query(ngx_http_request_t *r,
    ngx_http_swr_namespace_t *ns, ngx_uint_t visible);
static void ngx_http_swr_namespace_listed(ngx_http_request_t *r,
    void *data, redisReply *reply);
static ngx_int_t ngx_http_swr_namespace_item(ngx_http_swr_json_t *j,
    redisReply **e);
static void ngx_http_swr_namespace_body(ngx_http_request_t *r);
static ngx_int_t ngx_http_swr_namespace_parse(ngx_http_request_t *r,
    ngx_http_swr_namespace_body_t *b);
static ngx_int_t ngx_http_swr_namespace_create(ngx_http_request_t *r,
    ngx_http_swr_namespace_t *ns);
static void ngx_http_swr_namespace_created(ngx_http_request_t *r,
    void *data, redisReply *reply);
static ngx_int_t ngx_http_swr_namespace_delete(ngx_http_request_t *r,
    ngx_http_swr_namespace_t *ns);
static void ngx_http_swr_namespace_deleted(ngx_http_request_t *r,
    void *data, redisReply *reply);
static ngx_int_t ngx_http_swr_namespace_key(ngx_http_swr_cmd_t *cmd,
    ngx_str_t *name, const char *suffix);
static ngx_int_t ngx_http_swr_namespace_lookup_valid(ngx_str_t *name);
static ngx_int_t ngx_http_swr_namespace_reply_is(redisReply *reply,
    const char *s);

static int ngx_http_swr_namespace_null(void *ctx);
static int ngx_http_swr_namespace_boolean(void *ctx, int b);
static int ngx_http_swr_namespace_number(void *ctx, const char *s,
    size_t len);
static int ngx_http_swr_namespace_string(void *ctx, const unsigned char *s,
    size_t len);
static int ngx_http_swr_namespace_start_map(void *ctx);
static int ngx_http_swr_namespace_map_key(void *ctx, const unsigned char *s,
    size_t len);
static int ngx_http_swr_namespace_end_map(void *ctx);
static int ngx_http_swr_namespace_start_array(void *ctx);
static int ngx_http_swr_namespace_end_array(void *ctx);
static int ngx_http_swr_namespace_scalar(ngx_http_swr_namespace_body_t *b);


static yajl_callbacks  ngx_http_swr_namespace_callbacks = {
    ngx_http_swr_namespace_null,
    ngx_http_swr_namespace_boolean,
    NULL,
    NULL,
    ngx_http_swr_namespace_number,
    ngx_http_swr_namespace_string,
    ngx_http_swr_namespace_start_map,
    ngx_http_swr_namespace_map_key,
    ngx_http_swr_namespace_end_map,
    ngx_http_swr_namespace_start_array,
    ngx_http_swr_namespace_end_array
};


/* name NULL: the collection, /v2/manage/namespaces */

ngx_int_t
ngx_http_swr_namespace_handler(ngx_http_request_t *r, ngx_str_t *name)
{
    ngx_int_t                  rc;
    ngx_http_swr_ctx_t        *ctx;
    ngx_http_swr_identity_t   *id;
    ngx_http_swr_namespace_t  *ns;

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    id = ctx->identity;

    if (id == NULL || id->user.len == 0) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_UNAUTHORIZED,
                                       NULL);
    }

    ns = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_namespace_t));
    if (ns == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ns->id = id;
    ctx->data = ns;

    if (name == NULL) {

        if (r->method == NGX_HTTP_GET) {
            return ngx_http_swr_namespace_list(r, ns);
        }

        if (r->method != NGX_HTTP_POST) {
            return ngx_http_swr_send_error(r,
                                       NGX_HTTP_SWR_ERR_METHOD_NOT_ALLOWED,
                                       NULL);
        }

        if (id->admin != 1) {
            return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_DENIED, NULL);
        }

        if (r->headers_in.content_length_n
            > NGX_HTTP_SWR_NAMESPACE_BODY_MAX)
        {
            return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_TOO_LARGE,
                                           NULL);
        }

        rc = ngx_http_read_client_request_body(r,
                                               ngx_http_swr_namespace_body);
        if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
            return rc;
        }

        return NGX_DONE;
    }

    if (r->method != NGX_HTTP_GET && r->method != NGX_HTTP_DELETE) {
        return ngx_http_swr_send_error(r,
                                       NGX_HTTP_SWR_ERR_METHOD_NOT_ALLOWED,
                                       NULL);
    }

    if (ngx_http_swr_namespace_lookup_valid(name) != NGX_OK) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NS_INVALID, name);
    }

    ns->name = *name;

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    if (r->method == NGX_HTTP_DELETE) {
        return ngx_http_swr_namespace_delete(r, ns);
    }

    ns->show = 1;

    return ngx_http_swr_wait(r, ngx_http_swr_namespace_query(r, ns, 0));
}


/*
 * The organization rule of swr-api.md 1.6 (R1), for names being made:
 * ^[a-z][a-z0-9]*((\.|_|__|-+)[a-z0-9]+)*$, 1 to 64 characters, not a
 * reserved name.
 */

ngx_int_t
ngx_http_swr_namespace_valid(ngx_str_t *name)
{
    u_char  *p, *last, *sep;

    if (name->len == 0 || name->len > NGX_HTTP_SWR_NAMESPACE_LEN_MAX) {
        return NGX_DECLINED;
    }

    if ((name->len == sizeof("library") - 1
         && ngx_strncmp(name->data, "library", name->len) == 0)
        || (name->len == sizeof("manage") - 1
            && ngx_strncmp(name->data, "manage", name->len) == 0))
    {
        return NGX_DECLINED;
    }

    p = name->data;
    last = p + name->len;

    if (*p < 'a' || *p > 'z') {
        return NGX_DECLINED;
    }

    while (p < last) {

        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
            p++;
            continue;
        }

        if (*p != '.' && *p != '_' && *p != '-') {
            return NGX_DECLINED;
        }

        sep = p;

        while (p < last && *p == *sep) {
            p++;
        }

        if (p == last) {
            return NGX_DECLINED;
        }

        if ((*sep == '.' && p - sep != 1)
            || (*sep == '_' && p - sep > 2)
            || *p == '.' || *p == '_' || *p == '-')
        {
            return NGX_DECLINED;
        }
    }

    return NGX_OK;
}


/*
 * A name looked up: what util/swr-admin may have made as well (a leading
 * digit, say), so only its characters and length are checked.
 */

static ngx_int_t
ngx_http_swr_namespace_lookup_valid(ngx_str_t *name)
{
    u_char  *p, *last;

    if (name->len == 0 || name->len > NGX_HTTP_SWR_NAMESPACE_LEN_MAX) {
        return NGX_DECLINED;
    }

    last = name->data + name->len;

    for (p = name->data; p < last; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')
              || *p == '.' || *p == '_' || *p == '-'))
        {
            return NGX_DECLINED;
        }
    }

    return NGX_OK;
}


/*
 * ListNamespaces: ?namespace=<name> or ?filter=namespace::<name>|
 * mode::visible (swr-api.md 1.7; filter wins when both are given).
 */

static ngx_int_t
ngx_http_swr_namespace_list(ngx_http_request_t *r,
    ngx_http_swr_namespace_t *ns)
{
    ngx_int_t   rc;
    ngx_str_t   arg, name;
    ngx_uint_t  visible;

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    ngx_str_null(&name);
    visible = 0;

    if (ngx_http_swr_arg(r, "filter", &arg) == NGX_OK && arg.len) {
        if (ngx_http_swr_namespace_filter(&arg, &name, &visible)
            != NGX_OK)
        {
            return ngx_http_swr_send_error(r,
                                           NGX_HTTP_SWR_ERR_FILTER_INVALID,
                                           &arg);
        }

    } else if (ngx_http_swr_arg(r, "namespace", &arg) == NGX_OK) {
        name = arg;
    }

    if (name.len && ngx_http_swr_namespace_lookup_valid(&name) != NGX_OK) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NS_INVALID,
                                       &name);
    }

    ns->name = name;

    return ngx_http_swr_wait(r, ngx_http_swr_namespace_query(r, ns,
                                                             visible));
}


/* pair *("|" pair), pair = key "::" value, split at the first "::" */

static ngx_int_t
ngx_http_swr_namespace_filter(ngx_str_t *filter, ngx_str_t *name,
    ngx_uint_t *visible)
{
    u_char     *p, *last, *end, *sep;
    ngx_str_t   key, value;
    ngx_uint_t  seen_ns, seen_mode;

    p = filter->data;
    last = p + filter->len;
    seen_ns = 0;
    seen_mode = 0;

    while (p <= last) {
        end = ngx_strlchr(p, last, '|');
        if (end == NULL) {
            end = last;
        }

        sep = ngx_strlcasestrn(p, end, (u_char *) "::", 2 - 1);
        if (sep == NULL) {
            return NGX_DECLINED;
        }

        key.data = p;
        key.len = sep - p;
        value.data = sep + 2;
        value.len = end - value.data;

        if (key.len == sizeof("namespace") - 1
            && ngx_strncmp(key.data, "namespace", key.len) == 0
            && !seen_ns)
        {
            seen_ns = 1;
            *name = value;

        } else if (key.len == sizeof("mode") - 1
                   && ngx_strncmp(key.data, "mode", key.len) == 0
                   && !seen_mode
                   && value.len == sizeof("visible") - 1
                   && ngx_strncmp(value.data, "visible", value.len) == 0)
        {
            seen_mode = 1;
            *visible = 1;

        } else {
            return NGX_DECLINED;
        }

        p = end + 1;
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_swr_namespace_query(ngx_http_request_t *r,
    ngx_http_swr_namespace_t *ns, ngx_uint_t visible)
{
    ngx_http_swr_cmd_t  *cmd;

    cmd = ngx_http_swr_cmd(r->pool, 8);
    if (cmd == NULL) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_cmd_cstr(cmd, NGX_HTTP_SWR_KEY_NAMESPACES) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, NGX_HTTP_SWR_KEY_NS_SEQ) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, NGX_HTTP_SWR_KEY_REPOS) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &ns->id->user) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &ns->id->account) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, ns->id->admin == 1 ? "1" : "0")
           != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, visible ? "1" : "0") != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &ns->name) != NGX_OK)
    {
        return NGX_ERROR;
    }

    return ngx_http_swr_script_send(r, NGX_HTTP_SWR_SCRIPT_NS_LIST, 3, cmd,
                                    ngx_http_swr_namespace_listed, ns);
}


static void
ngx_http_swr_namespace_listed(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_namespace_t  *ns = data;

    size_t                i;
    ngx_http_swr_json_t  *j;

    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY
        || reply->elements % 4)
    {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    for (i = 0; i < reply->elements; i++) {
        if (reply->element[i]->type != REDIS_REPLY_STRING) {
            ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
            return;
        }
    }

    if (ns->show && reply->elements == 0) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NS_UNKNOWN,
                                    &ns->name));
        return;
    }

    j = ngx_http_swr_json_create(r->pool);
    if (j == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    if (ns->show) {
        if (ngx_http_swr_namespace_item(j, reply->element) != NGX_OK) {
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
            return;
        }

        ngx_http_finalize_request(r, ngx_http_swr_send_json(r, NGX_HTTP_OK,
                                                            j));
        return;
    }

    if (ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "namespaces") != NGX_OK
        || ngx_http_swr_json_open(j, 1) != NGX_OK)
    {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    for (i = 0; i < reply->elements; i += 4) {
        if (ngx_http_swr_namespace_item(j, &reply->element[i]) != NGX_OK) {
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
            return;
        }
    }

    if (ngx_http_swr_json_close(j, 1) != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK)
    {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_http_finalize_request(r, ngx_http_swr_send_json(r, NGX_HTTP_OK, j));
}


/* {"id": 1, "name": "ns", "creator_name": "alice", "auth": 7} */

static ngx_int_t
ngx_http_swr_namespace_item(ngx_http_swr_json_t *j, redisReply **e)
{
    ngx_int_t  id, auth;
    ngx_str_t  name, creator;

    name.data = (u_char *) e[0]->str;
    name.len = e[0]->len;
    creator.data = (u_char *) e[2]->str;
    creator.len = e[2]->len;

    id = ngx_atoi((u_char *) e[1]->str, e[1]->len);
    auth = ngx_atoi((u_char *) e[3]->str, e[3]->len);

    if (id == NGX_ERROR || auth == NGX_ERROR) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "id") != NGX_OK
        || ngx_http_swr_json_int(j, id) != NGX_OK
        || ngx_http_swr_json_cstr(j, "name") != NGX_OK
        || ngx_http_swr_json_str(j, &name) != NGX_OK
        || ngx_http_swr_json_cstr(j, "creator_name") != NGX_OK
        || ngx_http_swr_json_str(j, &creator) != NGX_OK
        || ngx_http_swr_json_cstr(j, "auth") != NGX_OK
        || ngx_http_swr_json_int(j, auth) != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}


/* CreateNamespace: the body is read (maybe already, to verify it) */

static void
ngx_http_swr_namespace_body(ngx_http_request_t *r)
{
    ngx_int_t                       rc;
    ngx_http_swr_ctx_t             *ctx;
    ngx_http_swr_namespace_t       *ns;
    ngx_http_swr_namespace_body_t   b;

    ctx = ngx_http_swr_get_ctx(r);
    ns = ctx->data;

    ngx_memzero(&b, sizeof(ngx_http_swr_namespace_body_t));
    b.pool = r->pool;

    rc = ngx_http_swr_namespace_parse(r, &b);

    if (rc != NGX_OK) {
        ngx_http_finalize_request(r, rc);
        return;
    }

    if (b.err) {
        ngx_http_finalize_request(r, ngx_http_swr_send_error(r, b.err,
                                                     b.detail.len ? &b.detail
                                                                  : NULL));
        return;
    }

    if (!b.seen) {
        ngx_str_set(&b.detail, "namespace");
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_PARAM_MISSING,
                                    &b.detail));
        return;
    }

    if (ngx_http_swr_namespace_valid(&b.name) != NGX_OK) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NS_INVALID,
                                    &b.name));
        return;
    }

    ns->name = b.name;

    rc = ngx_http_swr_namespace_create(r, ns);

    if (rc != NGX_OK) {
        ngx_http_finalize_request(r, ngx_http_swr_store_failed(r, rc));
    }

    /* the body reading's reference waits for the reply */
}


/*
 * The body through yajl, from memory or from its temporary file; the
 * outcome is in b (err: the error to answer); the return value is an
 * HTTP status only when nothing could be answered.
 */

static ngx_int_t
ngx_http_swr_namespace_parse(ngx_http_request_t *r,
    ngx_http_swr_namespace_body_t *b)
{
    off_t              size, pos;
    u_char            *buf;
    ssize_t            n;
    ngx_buf_t         *hb;
    ngx_chain_t       *cl;
    yajl_handle        h;
    yajl_status        st;
    yajl_alloc_funcs   af;

    size = 0;

    if (r->request_body) {
        for (cl = r->request_body->bufs; cl; cl = cl->next) {
            hb = cl->buf;
            size += hb->in_file ? hb->file_last - hb->file_pos
                                : hb->last - hb->pos;
        }
    }

    if (size > NGX_HTTP_SWR_NAMESPACE_BODY_MAX) {
        b->err = NGX_HTTP_SWR_ERR_TOO_LARGE;
        return NGX_OK;
    }

    if (size == 0) {
        b->err = NGX_HTTP_SWR_ERR_BODY_INVALID;
        ngx_str_set(&b->detail, "no body");
        return NGX_OK;
    }

    ngx_http_swr_json_alloc_funcs(&af, r->pool);

    h = yajl_alloc(&ngx_http_swr_namespace_callbacks, &af, b);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    buf = NULL;
    st = yajl_status_ok;

    for (cl = r->request_body->bufs; cl && st == yajl_status_ok;
         cl = cl->next)
    {
        hb = cl->buf;

        if (!hb->in_file) {
            st = yajl_parse(h, hb->pos, hb->last - hb->pos);
            continue;
        }

        if (buf == NULL) {
            buf = ngx_pnalloc(r->pool, NGX_HTTP_SWR_NAMESPACE_BODY_MAX);
            if (buf == NULL) {
                yajl_free(h);
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }
        }

        for (pos = hb->file_pos; pos < hb->file_last; pos += n) {
            n = ngx_read_file(hb->file, buf,
                              (size_t) ngx_min(hb->file_last - pos,
                                            NGX_HTTP_SWR_NAMESPACE_BODY_MAX),
                              pos);
            if (n <= 0) {
                yajl_free(h);
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            st = yajl_parse(h, buf, n);
            if (st != yajl_status_ok) {
                break;
            }
        }
    }

    if (st == yajl_status_ok) {
        st = yajl_complete_parse(h);
    }

    yajl_free(h);

    if (st != yajl_status_ok && b->err == 0) {
        b->err = NGX_HTTP_SWR_ERR_BODY_INVALID;
        ngx_str_set(&b->detail, "malformed JSON");
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_swr_namespace_create(ngx_http_request_t *r,
    ngx_http_swr_namespace_t *ns)
{
    ngx_http_swr_cmd_t        *cmd;
    ngx_http_swr_main_conf_t  *smcf;

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

    cmd = ngx_http_swr_cmd(r->pool, 8);
    if (cmd == NULL) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_namespace_key(cmd, &ns->name, "") != NGX_OK
        || ngx_http_swr_namespace_key(cmd, &ns->name, ":grants") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, NGX_HTTP_SWR_KEY_NAMESPACES) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, NGX_HTTP_SWR_KEY_NS_SEQ) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &ns->name) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &ns->id->account) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &ns->id->user) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, ngx_time()) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, smcf->quota_namespaces) != NGX_OK)
    {
        return NGX_ERROR;
    }

    return ngx_http_swr_script_send(r, NGX_HTTP_SWR_SCRIPT_NS_CREATE, 4,
                                    cmd, ngx_http_swr_namespace_created, ns);
}


static void
ngx_http_swr_namespace_created(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_namespace_t  *ns = data;

    if (ngx_http_swr_namespace_reply_is(reply, "exists")) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NS_EXISTS,
                                    &ns->name));
        return;
    }

    if (ngx_http_swr_namespace_reply_is(reply, "quota")) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NS_QUOTA,
                                    &ns->name));
        return;
    }

    if (!ngx_http_swr_namespace_reply_is(reply, "ok")) {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    ngx_http_finalize_request(r, ngx_http_swr_send_empty(r,
                                                         NGX_HTTP_CREATED));
}


static ngx_int_t
ngx_http_swr_namespace_delete(ngx_http_request_t *r,
    ngx_http_swr_namespace_t *ns)
{
    ngx_http_swr_cmd_t  *cmd;

    cmd = ngx_http_swr_cmd(r->pool, 8);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_namespace_key(cmd, &ns->name, "") != NGX_OK
        || ngx_http_swr_namespace_key(cmd, &ns->name, ":grants") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, NGX_HTTP_SWR_KEY_NAMESPACES) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, NGX_HTTP_SWR_KEY_REPOS) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &ns->name) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &ns->id->user) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &ns->id->account) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, ns->id->admin == 1 ? "1" : "0")
           != NGX_OK
        || ngx_http_swr_cmd_day(cmd) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_wait(r,
               ngx_http_swr_script_send(r, NGX_HTTP_SWR_SCRIPT_NS_DELETE, 4,
                                        cmd, ngx_http_swr_namespace_deleted,
                                        ns));
}


static void
ngx_http_swr_namespace_deleted(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_namespace_t  *ns = data;

    ngx_uint_t  err;

    if (ngx_http_swr_namespace_reply_is(reply, "ok")) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_empty(r, NGX_HTTP_NO_CONTENT));
        return;
    }

    if (ngx_http_swr_namespace_reply_is(reply, "absent")) {
        err = NGX_HTTP_SWR_ERR_NS_UNKNOWN;

    } else if (ngx_http_swr_namespace_reply_is(reply, "denied")) {
        err = NGX_HTTP_SWR_ERR_DENIED;

    } else if (ngx_http_swr_namespace_reply_is(reply, "busy")) {
        err = NGX_HTTP_SWR_ERR_NS_NOT_EMPTY;

    } else {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    ngx_http_finalize_request(r, ngx_http_swr_send_error(r, err, &ns->name));
}


/* swr:ns:{<name>}<suffix> */

static ngx_int_t
ngx_http_swr_namespace_key(ngx_http_swr_cmd_t *cmd, ngx_str_t *name,
    const char *suffix)
{
    u_char  *p, *last;

    p = ngx_pnalloc(cmd->pool, sizeof(NGX_HTTP_SWR_KEY_NS "{}") + name->len
                               + ngx_strlen(suffix));
    if (p == NULL) {
        return NGX_ERROR;
    }

    last = ngx_sprintf(p, NGX_HTTP_SWR_KEY_NS "{%V}%s", name, suffix);

    return ngx_http_swr_cmd_add(cmd, p, last - p);
}


static ngx_int_t
ngx_http_swr_namespace_reply_is(redisReply *reply, const char *s)
{
    size_t  len;

    if (reply == NULL
        || (reply->type != REDIS_REPLY_STRING
            && reply->type != REDIS_REPLY_STATUS))
    {
        return 0;
    }

    len = ngx_strlen(s);

    return reply->len == len && ngx_strncmp(reply->str, s, len) == 0;
}


/*
 * The body: {"namespace": "<name>"} and nothing else.  A body that is not
 * a JSON object, or a field of the wrong type, is 4001018; another field
 * 4000014.
 */

static int
ngx_http_swr_namespace_scalar(ngx_http_swr_namespace_body_t *b)
{
    b->err = NGX_HTTP_SWR_ERR_BODY_INVALID;

    if (b->in_name) {
        ngx_str_set(&b->detail, "namespace must be a string");

    } else {
        ngx_str_set(&b->detail, "the body must be a JSON object");
    }

    return 0;
}


static int
ngx_http_swr_namespace_null(void *ctx)
{
    return ngx_http_swr_namespace_scalar(ctx);
}


static int
ngx_http_swr_namespace_boolean(void *ctx, int b)
{
    return ngx_http_swr_namespace_scalar(ctx);
}


static int
ngx_http_swr_namespace_number(void *ctx, const char *s, size_t len)
{
    return ngx_http_swr_namespace_scalar(ctx);
}


static int
ngx_http_swr_namespace_string(void *ctx, const unsigned char *s, size_t len)
{
    ngx_http_swr_namespace_body_t  *b = ctx;

    if (!b->in_name) {
        return ngx_http_swr_namespace_scalar(b);
    }

    b->name.data = ngx_pnalloc(b->pool, len + 1);
    if (b->name.data == NULL) {
        b->err = NGX_HTTP_SWR_ERR_INTERNAL;
        return 0;
    }

    ngx_memcpy(b->name.data, s, len);
    b->name.len = len;
    b->in_name = 0;
    b->seen = 1;

    return 1;
}


static int
ngx_http_swr_namespace_start_map(void *ctx)
{
    ngx_http_swr_namespace_body_t  *b = ctx;

    if (b->depth != 0 || b->in_name) {
        return ngx_http_swr_namespace_scalar(b);
    }

    b->depth = 1;

    return 1;
}


static int
ngx_http_swr_namespace_map_key(void *ctx, const unsigned char *s,
    size_t len)
{
    ngx_http_swr_namespace_body_t  *b = ctx;

    if (len == sizeof("namespace") - 1
        && ngx_strncmp(s, "namespace", len) == 0)
    {
        if (b->seen) {
            b->err = NGX_HTTP_SWR_ERR_BODY_INVALID;
            ngx_str_set(&b->detail, "namespace given twice");
            return 0;
        }

        b->in_name = 1;

        return 1;
    }

    b->err = NGX_HTTP_SWR_ERR_BAD_REQUEST;

    b->detail.data = ngx_pnalloc(b->pool, len + sizeof("unknown field ") - 1);
    if (b->detail.data != NULL) {
        b->detail.len = ngx_sprintf(b->detail.data, "unknown field %*s",
                                    len, s)
                        - b->detail.data;
    }

    return 0;
}


static int
ngx_http_swr_namespace_end_map(void *ctx)
{
    ngx_http_swr_namespace_body_t  *b = ctx;

    b->depth--;

    return 1;
}


static int
ngx_http_swr_namespace_start_array(void *ctx)
{
    return ngx_http_swr_namespace_scalar(ctx);
}


static int
ngx_http_swr_namespace_end_array(void *ctx)
{
    return 1;
}
