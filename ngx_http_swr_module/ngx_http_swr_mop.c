
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
#include "ngx_http_swr_mop.h"
#include "ngx_http_swr_mop_lua.h"
#include "ngx_http_swr_store.h"
#include "ngx_http_swr_util.h"


/*
 * The management operations that are one Lua script each (repositories,
 * tags, permissions, sharing, quotas: swr-api.md 4.3-4.7, 4.12).  The
 * module routes the request, takes the path's parameters, the query's
 * arguments and the body, and hands them with the caller's identity to
 * the operation's script, which validates, authorizes, changes and
 * renders in one atomic step (ngx_http_swr_module/lua/, docs/
 * management.md).  The answer is sent as the script gives it.
 */


#define NGX_HTTP_SWR_MOP_BODY_MAX    65536
#define NGX_HTTP_SWR_MOP_DEPTH       8
#define NGX_HTTP_SWR_MOP_FIELDS      64


/*
 * What a body's JSON may be before a script sees it: well formed (yajl:
 * strict numbers, UTF-8), no name twice in an object, no array in an
 * array, no deeper than NGX_HTTP_SWR_MOP_DEPTH, no object of more than
 * NGX_HTTP_SWR_MOP_FIELDS names: what cjson in the scripts would take
 * silently (the last of a name given twice, an empty array as an empty
 * object) never reaches them.
 */

typedef struct {
    ngx_uint_t                 depth;
    u_char                     kind[NGX_HTTP_SWR_MOP_DEPTH];  /* 'a', 'o' */
    ngx_uint_t                 nkeys[NGX_HTTP_SWR_MOP_DEPTH];
    ngx_str_t                  keys[NGX_HTTP_SWR_MOP_DEPTH]
                                   [NGX_HTTP_SWR_MOP_FIELDS];
    const char                *why;
} ngx_http_swr_mop_json_t;


typedef struct {
    ngx_uint_t                 method;
    const char                *path;     /* "*" a segment, "$" a repository
                                            segment ('$' for '/') */
    ngx_uint_t                 script;   /* ngx_http_swr_mop_script_e */
    unsigned                   body:1;
    unsigned                   project:1;  /* the first parameter */
} ngx_http_swr_mop_route_t;


typedef struct {
    ngx_str_t                  param[NGX_HTTP_SWR_MOP_PARAMS];
    ngx_http_swr_mop_route_t  *route;
    ngx_uint_t                 err;      /* a parameter refused */
    ngx_str_t                 *bad;
} ngx_http_swr_mop_t;


typedef struct {
    const char                *name;
    ngx_uint_t                 err;
} ngx_http_swr_mop_error_t;


static ngx_int_t ngx_http_swr_mop_valid(ngx_http_request_t *r,
    ngx_http_swr_mop_t *op);
static void ngx_http_swr_mop_body(ngx_http_request_t *r);
static ngx_int_t ngx_http_swr_mop_json(ngx_http_request_t *r,
    ngx_str_t *body, const char **why);
static int ngx_http_swr_mop_json_open(void *ctx, u_char kind);
static int ngx_http_swr_mop_json_start_map(void *ctx);
static int ngx_http_swr_mop_json_start_array(void *ctx);
static int ngx_http_swr_mop_json_end(void *ctx);
static int ngx_http_swr_mop_json_key(void *ctx, const unsigned char *s,
    size_t len);
static ngx_int_t ngx_http_swr_mop_run(ngx_http_request_t *r,
    ngx_http_swr_mop_t *op, ngx_str_t *body);
static ngx_int_t ngx_http_swr_mop_query(ngx_http_request_t *r,
    ngx_str_t *out);
static void ngx_http_swr_mop_reply(ngx_http_request_t *r, void *data,
    redisReply *reply);
static ngx_int_t ngx_http_swr_mop_error(ngx_http_request_t *r,
    redisReply *name, redisReply *detail);


static ngx_http_swr_mop_route_t  ngx_http_swr_mop_routes[] = {

    { NGX_HTTP_GET, "repos", NGX_HTTP_SWR_MOP_REPO_LIST, 0, 0 },
    { NGX_HTTP_GET, "shared-repositories", NGX_HTTP_SWR_MOP_REPO_SHARED,
      0, 0 },
    { NGX_HTTP_POST, "namespaces/*/repos", NGX_HTTP_SWR_MOP_REPO_CREATE,
      1, 0 },
    { NGX_HTTP_GET, "namespaces/*/repos/$", NGX_HTTP_SWR_MOP_REPO_SHOW,
      0, 0 },
    { NGX_HTTP_PATCH, "namespaces/*/repos/$", NGX_HTTP_SWR_MOP_REPO_UPDATE,
      1, 0 },
    { NGX_HTTP_DELETE, "namespaces/*/repos/$",
      NGX_HTTP_SWR_MOP_REPO_DELETE, 0, 0 },

    { NGX_HTTP_GET, "namespaces/*/repos/$/tags", NGX_HTTP_SWR_MOP_TAG_LIST,
      0, 0 },
    { NGX_HTTP_POST, "namespaces/*/repos/$/tags",
      NGX_HTTP_SWR_MOP_TAG_CREATE, 1, 0 },
    { NGX_HTTP_DELETE, "namespaces/*/repos/$/tags/*",
      NGX_HTTP_SWR_MOP_TAG_DELETE, 0, 0 },

    { NGX_HTTP_POST, "namespaces/*/access", NGX_HTTP_SWR_MOP_NS_AUTH_CREATE,
      1, 0 },
    { NGX_HTTP_GET, "namespaces/*/access", NGX_HTTP_SWR_MOP_NS_AUTH_SHOW,
      0, 0 },
    { NGX_HTTP_PATCH, "namespaces/*/access",
      NGX_HTTP_SWR_MOP_NS_AUTH_UPDATE, 1, 0 },
    { NGX_HTTP_DELETE, "namespaces/*/access",
      NGX_HTTP_SWR_MOP_NS_AUTH_DELETE, 1, 0 },

    { NGX_HTTP_POST, "namespaces/*/repos/$/access",
      NGX_HTTP_SWR_MOP_REPO_AUTH_CREATE, 1, 0 },
    { NGX_HTTP_GET, "namespaces/*/repos/$/access",
      NGX_HTTP_SWR_MOP_REPO_AUTH_SHOW, 0, 0 },
    { NGX_HTTP_PATCH, "namespaces/*/repos/$/access",
      NGX_HTTP_SWR_MOP_REPO_AUTH_UPDATE, 1, 0 },
    { NGX_HTTP_DELETE, "namespaces/*/repos/$/access",
      NGX_HTTP_SWR_MOP_REPO_AUTH_DELETE, 1, 0 },

    { NGX_HTTP_POST, "namespaces/*/repositories/$/access-domains",
      NGX_HTTP_SWR_MOP_SHARE_CREATE, 1, 0 },
    { NGX_HTTP_GET, "namespaces/*/repositories/$/access-domains",
      NGX_HTTP_SWR_MOP_SHARE_LIST, 0, 0 },
    { NGX_HTTP_GET, "namespaces/*/repositories/$/access-domains/*",
      NGX_HTTP_SWR_MOP_SHARE_SHOW, 0, 0 },
    { NGX_HTTP_PATCH, "namespaces/*/repositories/$/access-domains/*",
      NGX_HTTP_SWR_MOP_SHARE_UPDATE, 1, 0 },
    { NGX_HTTP_DELETE, "namespaces/*/repositories/$/access-domains/*",
      NGX_HTTP_SWR_MOP_SHARE_DELETE, 0, 0 },

    { NGX_HTTP_GET, "projects/*/quotas", NGX_HTTP_SWR_MOP_QUOTA_LIST, 0, 1 },
    { NGX_HTTP_GET, "projects/*/feature-gates",
      NGX_HTTP_SWR_MOP_FEATURE_GATES, 0, 1 },
    { NGX_HTTP_GET, "overview", NGX_HTTP_SWR_MOP_OVERVIEW, 0, 0 },
    { NGX_HTTP_GET, "reports/*/*", NGX_HTTP_SWR_MOP_REPORT, 0, 0 }
};


/* what a script's failure names, and the error answered */

static ngx_http_swr_mop_error_t  ngx_http_swr_mop_errors[] = {
    { "BAD_REQUEST", NGX_HTTP_SWR_ERR_BAD_REQUEST },
    { "PARAM_INVALID", NGX_HTTP_SWR_ERR_BAD_REQUEST },
    { "BODY_INVALID", NGX_HTTP_SWR_ERR_BODY_INVALID },
    { "PARAM_MISSING", NGX_HTTP_SWR_ERR_PARAM_MISSING },
    { "FILTER_INVALID", NGX_HTTP_SWR_ERR_FILTER_INVALID },
    { "PAGINATION_INVALID", NGX_HTTP_SWR_ERR_PAGINATION_INVALID },
    { "REPO_INVALID", NGX_HTTP_SWR_ERR_NAME_INVALID },
    { "TAG_INVALID", NGX_HTTP_SWR_ERR_TAG_INVALID },
    { "PUBLIC_INVALID", NGX_HTTP_SWR_ERR_PUBLIC_INVALID },
    { "NS_AUTH_INVALID", NGX_HTTP_SWR_ERR_NS_AUTH_INVALID },
    { "REPO_AUTH_INVALID", NGX_HTTP_SWR_ERR_REPO_AUTH_INVALID },
    { "USER_UNKNOWN", NGX_HTTP_SWR_ERR_USER_UNKNOWN },
    { "PERMIT_INVALID", NGX_HTTP_SWR_ERR_PERMIT_INVALID },
    { "SHARE_UNKNOWN", NGX_HTTP_SWR_ERR_SHARE_UNKNOWN },
    { "ACCOUNT_UNKNOWN", NGX_HTTP_SWR_ERR_ACCOUNT_UNKNOWN },
    { "NS_QUOTA", NGX_HTTP_SWR_ERR_NS_QUOTA },
    { "REPO_QUOTA", NGX_HTTP_SWR_ERR_REPO_QUOTA },
    { "TAG_QUOTA", NGX_HTTP_SWR_ERR_TAG_QUOTA },
    { "DENIED", NGX_HTTP_SWR_ERR_DENIED },
    { "NS_UNKNOWN", NGX_HTTP_SWR_ERR_NS_UNKNOWN },
    { "REPO_UNKNOWN", NGX_HTTP_SWR_ERR_NAME_UNKNOWN },
    { "TAG_UNKNOWN", NGX_HTTP_SWR_ERR_TAG_UNKNOWN },
    { "NS_GRANT_UNKNOWN", NGX_HTTP_SWR_ERR_NS_GRANT_UNKNOWN },
    { "REPO_GRANT_UNKNOWN", NGX_HTTP_SWR_ERR_REPO_GRANT_UNKNOWN },
    { "REPO_EXISTS", NGX_HTTP_SWR_ERR_REPO_EXISTS },
    { "TAG_EXISTS", NGX_HTTP_SWR_ERR_TAG_EXISTS },
    { "NS_GRANT_EXISTS", NGX_HTTP_SWR_ERR_NS_GRANT_EXISTS },
    { "REPO_GRANT_EXISTS", NGX_HTTP_SWR_ERR_REPO_GRANT_EXISTS },
    { "SHARE_EXISTS", NGX_HTTP_SWR_ERR_SHARE_EXISTS },
    { "DESCRIPTION_TOO_LONG", NGX_HTTP_SWR_ERR_DESCRIPTION_TOO_LONG },
    { NULL, 0 }
};


static ngx_http_swr_script_t  ngx_http_swr_mop_scripts[NGX_HTTP_SWR_MOP_LAST];

static yajl_callbacks  ngx_http_swr_mop_json_callbacks = {
    NULL, NULL, NULL, NULL, NULL, NULL,
    ngx_http_swr_mop_json_start_map,
    ngx_http_swr_mop_json_key,
    ngx_http_swr_mop_json_end,
    ngx_http_swr_mop_json_start_array,
    ngx_http_swr_mop_json_end
};

static ngx_str_t  ngx_http_swr_mop_range = ngx_string("Content-Range");
static ngx_str_t  ngx_http_swr_mop_json_type = ngx_string("application/json");


/* every script: prelude, area, operation, epilogue (ngx_http_swr_mop_lua.h) */

ngx_int_t
ngx_http_swr_mop_init(ngx_conf_t *cf)
{
    u_char      *p, *text;
    size_t       len;
    ngx_uint_t   i;
    const char  *area;

    for (i = 0; i < NGX_HTTP_SWR_MOP_LAST; i++) {
        area = ngx_http_swr_mop_areas[ngx_http_swr_mop_ops[i].area];

        len = sizeof(ngx_http_swr_mop_prelude) - 1 + ngx_strlen(area)
              + ngx_strlen(ngx_http_swr_mop_ops[i].text)
              + sizeof(ngx_http_swr_mop_epilogue) - 1;

        text = ngx_pnalloc(cf->pool, len);
        if (text == NULL) {
            return NGX_ERROR;
        }

        p = ngx_cpymem(text, ngx_http_swr_mop_prelude,
                       sizeof(ngx_http_swr_mop_prelude) - 1);
        p = ngx_cpymem(p, area, ngx_strlen(area));
        p = ngx_cpymem(p, ngx_http_swr_mop_ops[i].text,
                       ngx_strlen(ngx_http_swr_mop_ops[i].text));
        ngx_memcpy(p, ngx_http_swr_mop_epilogue,
                   sizeof(ngx_http_swr_mop_epilogue) - 1);

        ngx_http_swr_script_set(&ngx_http_swr_mop_scripts[i],
                                NGX_HTTP_SWR_SCRIPT_LAST + i, text, len);
    }

    return NGX_OK;
}


/*
 * A request under /v2/manage/ (path: what follows it).  NGX_DECLINED: no
 * operation here has this path.
 */

ngx_int_t
ngx_http_swr_mop_handler(ngx_http_request_t *r)
{
    ngx_int_t                  rc;
    ngx_str_t                  path;
    ngx_uint_t                 i, found;
    ngx_http_swr_ctx_t        *ctx;
    ngx_http_swr_mop_t        *op;
    ngx_http_swr_identity_t   *id;
    ngx_http_swr_mop_route_t  *rt;

    if (r->uri.len <= sizeof("/v2/manage/") - 1
        || ngx_strncmp(r->uri.data, "/v2/manage/",
                       sizeof("/v2/manage/") - 1) != 0)
    {
        return NGX_DECLINED;
    }

    path.data = r->uri.data + sizeof("/v2/manage/") - 1;
    path.len = r->uri.len - (sizeof("/v2/manage/") - 1);

    op = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_mop_t));
    if (op == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    found = 0;

    for (i = 0; i < sizeof(ngx_http_swr_mop_routes)
                    / sizeof(ngx_http_swr_mop_route_t); i++)
    {
        rt = &ngx_http_swr_mop_routes[i];

        rc = ngx_http_swr_mop_match(r, &path, rt->path, op->param);
        if (rc == NGX_ERROR) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (rc != NGX_OK) {
            continue;
        }

        found = 1;

        if (rt->method == r->method) {
            op->route = rt;
            break;
        }
    }

    if (!found) {
        return NGX_DECLINED;
    }

    if (op->route == NULL) {
        return ngx_http_swr_send_error(r,
                                       NGX_HTTP_SWR_ERR_METHOD_NOT_ALLOWED,
                                       NULL);
    }

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    id = ctx->identity;

    if (id == NULL || id->user.len == 0) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_UNAUTHORIZED,
                                       NULL);
    }

    if (ngx_http_swr_mop_valid(r, op) != NGX_OK) {
        return ngx_http_swr_send_error(r, op->err, op->bad);
    }

    ctx->data = op;

    if (!op->route->body) {
        rc = ngx_http_discard_request_body(r);
        if (rc != NGX_OK) {
            return rc;
        }

        return ngx_http_swr_wait(r, ngx_http_swr_mop_run(r, op, NULL));
    }

    if (r->headers_in.content_length_n > NGX_HTTP_SWR_MOP_BODY_MAX) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_TOO_LARGE, NULL);
    }

    rc = ngx_http_read_client_request_body(r, ngx_http_swr_mop_body);
    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        return rc;
    }

    return NGX_DONE;
}


/*
 * path against a pattern, segment by segment; "*" and "$" take the
 * segment as a parameter (into out, NGX_HTTP_SWR_MOP_PARAMS of them), "$"
 * with every '$' turned into '/'.  The audit trail classifies with it
 * too.
 */

ngx_int_t
ngx_http_swr_mop_match(ngx_http_request_t *r, ngx_str_t *path,
    const char *pattern, ngx_str_t *out)
{
    u_char      *p, *last, *end, *d;
    ngx_str_t    seg, params[NGX_HTTP_SWR_MOP_PARAMS];
    ngx_uint_t   n;
    const char  *pat, *pend;

    p = path->data;
    last = p + path->len;
    pat = pattern;
    n = 0;

    for ( ;; ) {
        pend = ngx_strchr(pat, '/');
        if (pend == NULL) {
            pend = pat + ngx_strlen(pat);
        }

        end = ngx_strlchr(p, last, '/');
        if (end == NULL) {
            end = last;
        }

        seg.data = p;
        seg.len = end - p;

        if (pend - pat == 1 && (*pat == '*' || *pat == '$')) {

            if (seg.len == 0 || n == NGX_HTTP_SWR_MOP_PARAMS) {
                return NGX_DECLINED;
            }

            if (*pat == '$') {
                d = ngx_pnalloc(r->pool, seg.len);
                if (d == NULL) {
                    return NGX_ERROR;
                }

                ngx_memcpy(d, seg.data, seg.len);
                seg.data = d;

                for (d = seg.data; d < seg.data + seg.len; d++) {
                    if (*d == '$') {
                        *d = '/';
                    }
                }
            }

            params[n++] = seg;

        } else if (seg.len != (size_t) (pend - pat)
                   || ngx_strncmp(seg.data, pat, seg.len) != 0)
        {
            return NGX_DECLINED;
        }

        if (*pend == '\0' || end == last) {
            if (*pend != '\0' || end != last) {
                return NGX_DECLINED;
            }

            break;
        }

        pat = pend + 1;
        p = end + 1;
    }

    ngx_memcpy(out, params, n * sizeof(ngx_str_t));

    return NGX_OK;
}


/*
 * The path's parameters before anything else: an organization and a
 * repository name only with the characters names have (what a script
 * builds key names from), and a project id that is the caller's.
 * NGX_DECLINED: op->err and op->bad say what to answer.
 */

static ngx_int_t
ngx_http_swr_mop_valid(ngx_http_request_t *r, ngx_http_swr_mop_t *op)
{
    u_char     *p, *last;
    ngx_str_t  *s;
    ngx_uint_t  i;

    if (op->route->project) {
        if (ngx_http_swr_auth_project(r, &op->param[0]) != NGX_OK) {
            op->err = NGX_HTTP_SWR_ERR_DENIED;
            op->bad = &op->param[0];
            return NGX_DECLINED;
        }

        return NGX_OK;
    }

    if (ngx_strncmp(op->route->path, "namespaces/", 11) != 0) {
        return NGX_OK;
    }

    for (i = 0; i < 2 && op->param[i].len; i++) {
        s = &op->param[i];
        last = s->data + s->len;

        op->err = (i == 0) ? NGX_HTTP_SWR_ERR_NS_INVALID
                           : NGX_HTTP_SWR_ERR_NAME_INVALID;
        op->bad = s;

        if (s->len > (i == 0 ? 64 : 255)) {
            return NGX_DECLINED;
        }

        for (p = s->data; p < last; p++) {
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')
                  || *p == '.' || *p == '_' || *p == '-'
                  || (i == 1 && *p == '/')))
            {
                return NGX_DECLINED;
            }
        }
    }

    return NGX_OK;
}


/* the body is read: into one piece of memory, then to the script */

static void
ngx_http_swr_mop_body(ngx_http_request_t *r)
{
    off_t                size;
    ngx_int_t            rc;
    ngx_str_t            body, detail;
    const char          *why;
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);

    if (ngx_http_swr_body_text(r, NGX_HTTP_SWR_MOP_BODY_MAX, &body, &size)
        != NGX_OK)
    {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    if (size > NGX_HTTP_SWR_MOP_BODY_MAX) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_TOO_LARGE, NULL));
        return;
    }

    rc = ngx_http_swr_mop_json(r, &body, &why);

    if (rc == NGX_ERROR) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    if (rc == NGX_DECLINED) {
        detail.data = (u_char *) why;
        detail.len = ngx_strlen(why);

        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_BODY_INVALID,
                                    &detail));
        return;
    }

    ctx->body_json = (body.len > 0);

    rc = ngx_http_swr_mop_run(r, ctx->data, &body);

    if (rc != NGX_OK) {
        ngx_http_finalize_request(r, ngx_http_swr_store_failed(r, rc));
    }

    /* the body reading's reference waits for the reply */
}


/* NGX_DECLINED: not a body a script takes, *why says why */

static ngx_int_t
ngx_http_swr_mop_json(ngx_http_request_t *r, ngx_str_t *body,
    const char **why)
{
    yajl_handle               h;
    yajl_status               st;
    yajl_alloc_funcs          af;
    ngx_http_swr_mop_json_t  *js;

    if (body->len == 0) {
        return NGX_OK;          /* the script says what it wanted */
    }

    js = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_mop_json_t));
    if (js == NULL) {
        return NGX_ERROR;
    }

    ngx_http_swr_json_alloc_funcs(&af, r->pool);

    h = yajl_alloc(&ngx_http_swr_mop_json_callbacks, &af, js);
    if (h == NULL) {
        return NGX_ERROR;
    }

    st = yajl_parse(h, body->data, body->len);

    if (st == yajl_status_ok) {
        st = yajl_complete_parse(h);
    }

    yajl_free(h);

    if (st == yajl_status_ok) {
        return NGX_OK;
    }

    *why = js->why ? js->why : "malformed JSON";

    return NGX_DECLINED;
}


static int
ngx_http_swr_mop_json_open(void *ctx, u_char kind)
{
    ngx_http_swr_mop_json_t  *js = ctx;

    if (js->depth == NGX_HTTP_SWR_MOP_DEPTH) {
        js->why = "JSON nested too deep";
        return 0;
    }

    if (kind == 'a' && js->depth && js->kind[js->depth - 1] == 'a') {
        js->why = "an array inside an array";
        return 0;
    }

    js->kind[js->depth] = kind;
    js->nkeys[js->depth] = 0;
    js->depth++;

    return 1;
}


static int
ngx_http_swr_mop_json_start_map(void *ctx)
{
    return ngx_http_swr_mop_json_open(ctx, 'o');
}


static int
ngx_http_swr_mop_json_start_array(void *ctx)
{
    return ngx_http_swr_mop_json_open(ctx, 'a');
}


static int
ngx_http_swr_mop_json_end(void *ctx)
{
    ngx_http_swr_mop_json_t  *js = ctx;

    js->depth--;

    return 1;
}


static int
ngx_http_swr_mop_json_key(void *ctx, const unsigned char *s, size_t len)
{
    ngx_http_swr_mop_json_t  *js = ctx;

    ngx_str_t   *keys;
    ngx_uint_t   i, n;

    keys = js->keys[js->depth - 1];
    n = js->nkeys[js->depth - 1];

    for (i = 0; i < n; i++) {
        if (keys[i].len == len && ngx_memcmp(keys[i].data, s, len) == 0) {
            js->why = "a field given twice";
            return 0;
        }
    }

    if (n == NGX_HTTP_SWR_MOP_FIELDS) {
        js->why = "too many fields";
        return 0;
    }

    /* yajl's key stays in the body buffer, which outlives the parse */

    keys[n].data = (u_char *) s;
    keys[n].len = len;
    js->nkeys[js->depth - 1]++;

    return 1;
}


/* ARGV: user account admin now host p1 p2 p3 query body limits */

static ngx_int_t
ngx_http_swr_mop_run(ngx_http_request_t *r, ngx_http_swr_mop_t *op,
    ngx_str_t *body)
{
    u_char                    *p;
    ngx_str_t                  query, root, url, host, empty;
    ngx_uint_t                 i;
    ngx_http_swr_ctx_t        *ctx;
    ngx_http_swr_cmd_t        *cmd;
    ngx_http_swr_identity_t   *id;
    ngx_http_swr_main_conf_t  *smcf;

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);
    ctx = ngx_http_swr_get_ctx(r);
    id = ctx->identity;

    ngx_str_null(&empty);
    ngx_str_set(&root, "/");

    if (ngx_http_swr_mop_query(r, &query) != NGX_OK
        || ngx_http_swr_url(r, &root, &url) != NGX_OK)
    {
        return NGX_ERROR;
    }

    /* "http://host/" -> "host" */

    host = url;
    p = ngx_strlcasestrn(url.data, url.data + url.len, (u_char *) "://",
                         3 - 1);
    if (p) {
        host.data = p + 3;
        host.len = url.data + url.len - host.data;
    }

    if (host.len && host.data[host.len - 1] == '/') {
        host.len--;
    }

    cmd = ngx_http_swr_cmd(r->pool, 11);
    if (cmd == NULL) {
        return NGX_ERROR;
    }

    p = ngx_pnalloc(r->pool, 3 * NGX_INT_T_LEN + 2);
    if (p == NULL) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_cmd_str(cmd, &id->user) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &id->account) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, id->admin == 1 ? "1" : "0") != NGX_OK
        || ngx_http_swr_cmd_int(cmd, ngx_time()) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &host) != NGX_OK)
    {
        return NGX_ERROR;
    }

    for (i = 0; i < NGX_HTTP_SWR_MOP_PARAMS; i++) {
        if (ngx_http_swr_cmd_str(cmd, &op->param[i]) != NGX_OK) {
            return NGX_ERROR;
        }
    }

    if (ngx_http_swr_cmd_str(cmd, &query) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, body ? body : &empty) != NGX_OK
        || ngx_http_swr_cmd_add(cmd, p,
                                ngx_sprintf(p, "%i %i %i",
                                            smcf->quota_namespaces,
                                            smcf->quota_repos,
                                            smcf->quota_tags) - p)
           != NGX_OK)
    {
        return NGX_ERROR;
    }

    return ngx_http_swr_script_run(r,
                                   &ngx_http_swr_mop_scripts[op->route->script],
                                   0, cmd, ngx_http_swr_mop_reply, op);
}


/* the query's arguments, decoded, as a JSON object (the last one wins) */

static ngx_int_t
ngx_http_swr_mop_query(ngx_http_request_t *r, ngx_str_t *out)
{
    u_char               *p, *last, *end, *eq, *dst, *src;
    ngx_buf_t            *b;
    ngx_str_t             s[2];
    ngx_uint_t            i;
    ngx_http_swr_json_t  *j;

    j = ngx_http_swr_json_create(r->pool);
    if (j == NULL || ngx_http_swr_json_open(j, 0) != NGX_OK) {
        return NGX_ERROR;
    }

    p = r->args.data;
    last = p + r->args.len;

    while (p < last) {
        end = ngx_strlchr(p, last, '&');
        if (end == NULL) {
            end = last;
        }

        eq = ngx_strlchr(p, end, '=');

        s[0].data = p;
        s[0].len = (eq ? eq : end) - p;
        s[1].data = eq ? eq + 1 : end;
        s[1].len = end - s[1].data;

        if (s[0].len) {
            for (i = 0; i < 2; i++) {
                dst = ngx_pnalloc(r->pool, s[i].len + 1);
                if (dst == NULL) {
                    return NGX_ERROR;
                }

                src = s[i].data;
                s[i].data = dst;
                ngx_unescape_uri(&dst, &src, s[i].len,
                                 0);
                s[i].len = dst - s[i].data;
            }

            if (ngx_http_swr_json_str(j, &s[0]) != NGX_OK
                || ngx_http_swr_json_str(j, &s[1]) != NGX_OK)
            {
                return NGX_ERROR;
            }
        }

        p = end + 1;
    }

    if (ngx_http_swr_json_close(j, 0) != NGX_OK) {
        return NGX_ERROR;
    }

    b = ngx_http_swr_json_buf(j);
    if (b == NULL) {
        return NGX_ERROR;
    }

    out->data = b->pos;
    out->len = b->last - b->pos;

    return NGX_OK;
}


/*
 * {'ok', status, body[, content-range]} or {'err', name, detail}; the
 * body is copied out of the reply, which goes when this returns.
 */

static void
ngx_http_swr_mop_reply(ngx_http_request_t *r, void *data, redisReply *reply)
{
    ngx_int_t   status;
    ngx_str_t   range;
    ngx_buf_t  *b;

    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY
        || reply->elements < 3
        || reply->element[0]->type != REDIS_REPLY_STRING
        || reply->element[1]->type != REDIS_REPLY_STRING
        || reply->element[2]->type != REDIS_REPLY_STRING)
    {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    if (reply->element[0]->len == 3
        && ngx_strncmp(reply->element[0]->str, "err", 3) == 0)
    {
        ngx_http_finalize_request(r,
            ngx_http_swr_mop_error(r, reply->element[1],
                                   reply->element[2]));
        return;
    }

    status = ngx_atoi((u_char *) reply->element[1]->str,
                      reply->element[1]->len);

    if (status < NGX_HTTP_OK || status > 299) {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, NULL));
        return;
    }

    if (reply->elements > 3
        && reply->element[3]->type == REDIS_REPLY_STRING)
    {
        range.len = reply->element[3]->len;
        range.data = ngx_pnalloc(r->pool, range.len);
        if (range.data == NULL) {
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
            return;
        }

        ngx_memcpy(range.data, reply->element[3]->str, range.len);

        if (ngx_http_swr_add_header(r, &ngx_http_swr_mop_range, &range)
            == NULL)
        {
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
            return;
        }
    }

    if (reply->element[2]->len == 0) {
        ngx_http_finalize_request(r, ngx_http_swr_send_empty(r, status));
        return;
    }

    b = ngx_create_temp_buf(r->pool, reply->element[2]->len);
    if (b == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    b->last = ngx_cpymem(b->pos, reply->element[2]->str,
                         reply->element[2]->len);

    ngx_http_finalize_request(r,
        ngx_http_swr_send_body(r, status, &ngx_http_swr_mop_json_type, b,
                               b->last - b->pos));
}


static ngx_int_t
ngx_http_swr_mop_error(ngx_http_request_t *r, redisReply *name,
    redisReply *detail)
{
    ngx_str_t                  d;
    ngx_http_swr_mop_error_t  *e;

    for (e = ngx_http_swr_mop_errors; e->name; e++) {
        if (ngx_strlen(e->name) == name->len
            && ngx_strncmp(e->name, name->str, name->len) == 0)
        {
            break;
        }
    }

    if (e->name == NULL) {
        return ngx_http_swr_reply_error(r, NULL);
    }

    d.len = detail->len;
    d.data = ngx_pnalloc(r->pool, d.len + 1);
    if (d.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memcpy(d.data, detail->str, d.len);

    return ngx_http_swr_send_error(r, e->err, d.len ? &d : NULL);
}
