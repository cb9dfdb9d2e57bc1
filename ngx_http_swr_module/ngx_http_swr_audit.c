
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <openssl/rand.h>
#include <yajl/yajl_parse.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_audit.h"
#include "ngx_http_swr_audit_sink.h"
#include "ngx_http_swr_auth.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_mop.h"
#include "ngx_http_swr_router.h"
#include "ngx_http_swr_sdk.h"
#include "ngx_http_swr_store.h"
#include "ngx_http_swr_util.h"


/*
 * The audit trail (docs/audit.md, the record of audit-records.md): one
 * CTS trace record for every mutating request of the registry and the
 * management API, whatever its outcome.
 *
 * The ACCESS phase handler runs before authentication: it classifies the
 * request (trace name, resource) and puts the record, with what is known
 * then, in the request context.  So a request refused by authentication
 * (401, 403, 429), failed later, or given up by its client still has one.
 * The LOG phase completes it (status, rating, identity, response,
 * timings), writes it as one JSON line (directly, no generator: it is
 * made for every mutating request) and hands it, once, to the sinks
 * (ngx_http_swr_audit_sink.c).  Secrets never enter a record: no header
 * is copied, request bodies of the management API hold none, the
 * temporary login's "auth" values are masked.
 */


#define NGX_HTTP_SWR_AUDIT_CAPTURE   65536

/* a record's room for all but its strings (at most 880 bytes) */
#define NGX_HTTP_SWR_AUDIT_FIXED     1024

/* a byte's 1 and its high bit, in every byte of a word */
#define NGX_HTTP_SWR_AUDIT_ONES      0x0101010101010101ULL
#define NGX_HTTP_SWR_AUDIT_HIGH      0x8080808080808080ULL

#define ngx_http_swr_audit_lit(p, s)                                         \
    ngx_cpymem(p, s, sizeof(s) - 1)


typedef enum {
    NGX_HTTP_SWR_AUDIT_NAME_NONE = 0,
    NGX_HTTP_SWR_AUDIT_NAME_NS,        /* {ns} */
    NGX_HTTP_SWR_AUDIT_NAME_REPO,      /* {ns}/{repo} */
    NGX_HTTP_SWR_AUDIT_NAME_TAG,       /* {ns}/{repo}:{tag} */
    NGX_HTTP_SWR_AUDIT_NAME_DOMAIN,    /* {access_domain} */
    NGX_HTTP_SWR_AUDIT_NAME_BODY_NS,   /* the body's "namespace" */
    NGX_HTTP_SWR_AUDIT_NAME_BODY_REPO, /* {ns}/ the body's "repository" */
    NGX_HTTP_SWR_AUDIT_NAME_BODY_TAG,  /* {ns}/{repo}: "destination_tag" */
    NGX_HTTP_SWR_AUDIT_NAME_BODY_DOMAIN,  /* the body's "access_domain" */
    NGX_HTTP_SWR_AUDIT_NAME_SECRET     /* projectname (or the region) */
} ngx_http_swr_audit_name_e;


typedef struct {
    ngx_uint_t                   method;
    const char                  *path;      /* as ngx_http_swr_mop_match */
    const char                  *trace;
    const char                  *type;
    const char                  *operation;
    ngx_uint_t                   name;      /* ngx_http_swr_audit_name_e */
    ngx_uint_t                   read_only;
} ngx_http_swr_audit_op_t;


typedef struct {
    const char                  *trace;
    const char                  *type;
    const char                  *operation;
    ngx_str_t                    name;
    ngx_str_t                    id;
    ngx_str_t                    digest;    /* a manifest PUT's */
    ngx_str_t                    ref;       /* the registry path's */
    ngx_str_t                    params[NGX_HTTP_SWR_MOP_PARAMS];
    ngx_uint_t                   kind;      /* ngx_http_swr_audit_name_e */
    ngx_uint_t                   read_only;
    ngx_uint_t                   role;
    ngx_uint_t                   route;

    int64_t                      time;      /* ms, the request's start */
    off_t                        length;    /* Content-Length, as sent */
    ngx_buf_t                   *response;  /* what the body filter kept */

    ngx_http_swr_audit_log_t    *log;
    ngx_http_swr_audit_redis_t  *redis;

    unsigned                     written:1;
    unsigned                     repo_created:1;
    unsigned                     truncated:1;
} ngx_http_swr_audit_t;


/* what a record says besides the ACCESS phase's findings */

typedef struct {
    ngx_http_swr_identity_t     *id;
    ngx_str_t                   *source;
    ngx_str_t                    request;
    ngx_str_t                    response;
    ngx_str_t                    project;
    ngx_str_t                    request_id;
    ngx_str_t                    ak;
    ngx_str_t                    message;
    ngx_str_t                    user_agent;
    ngx_int_t                    status;
    int64_t                      now;
    off_t                        length;
    ngx_msec_int_t               total;
    u_char                       trace_id[36];
} ngx_http_swr_audit_vals_t;


typedef struct {
    const char                  *field;
    ngx_str_t                    value;
    ngx_uint_t                   depth;
    unsigned                     next:1;
    unsigned                     found:1;
} ngx_http_swr_audit_field_t;


static ngx_int_t ngx_http_swr_audit_access(ngx_http_request_t *r);
static ngx_int_t ngx_http_swr_audit_classify(ngx_http_request_t *r,
    ngx_http_swr_loc_conf_t *slcf, ngx_http_swr_audit_t *a);
static ngx_int_t ngx_http_swr_audit_registry(ngx_http_request_t *r,
    ngx_http_swr_loc_conf_t *slcf, ngx_http_swr_audit_t *a);
static ngx_int_t ngx_http_swr_audit_manage(ngx_http_request_t *r,
    ngx_http_swr_loc_conf_t *slcf, ngx_http_swr_audit_t *a);
static ngx_int_t ngx_http_swr_audit_log_phase(ngx_http_request_t *r);
static ngx_int_t ngx_http_swr_audit_write(ngx_http_request_t *r,
    ngx_http_swr_ctx_t *ctx, ngx_http_swr_audit_t *a);
static ngx_int_t ngx_http_swr_audit_values(ngx_http_request_t *r,
    ngx_http_swr_ctx_t *ctx, ngx_http_swr_audit_t *a,
    ngx_http_swr_audit_vals_t *v);
static u_char *ngx_http_swr_audit_random(size_t n);
static size_t ngx_http_swr_audit_size(ngx_http_swr_audit_t *a,
    ngx_http_swr_audit_vals_t *v);
static size_t ngx_http_swr_audit_escaped(ngx_str_t *s);
static u_char *ngx_http_swr_audit_record(u_char *p, ngx_http_swr_audit_t *a,
    ngx_http_swr_audit_vals_t *v);
static u_char *ngx_http_swr_audit_number(u_char *p, int64_t n);
static u_char *ngx_http_swr_audit_string(u_char *p, ngx_str_t *s);
static u_char *ngx_http_swr_audit_escape(u_char *p, ngx_str_t *s);
static void ngx_http_swr_audit_offered(ngx_http_request_t *r,
    ngx_str_t *ak);
static ngx_int_t ngx_http_swr_audit_request(ngx_http_request_t *r,
    ngx_http_swr_ctx_t *ctx, ngx_http_swr_audit_t *a, ngx_str_t *out);
static ngx_int_t ngx_http_swr_audit_response(ngx_http_request_t *r,
    ngx_http_swr_audit_t *a, ngx_str_t *out);
static void ngx_http_swr_audit_digest(ngx_http_request_t *r,
    ngx_http_swr_audit_t *a);
static off_t ngx_http_swr_audit_length(ngx_http_request_t *r,
    ngx_http_swr_audit_t *a);
static void ngx_http_swr_audit_compact(ngx_pool_t *pool, ngx_str_t *json,
    ngx_uint_t checked);
static ngx_int_t ngx_http_swr_audit_body(ngx_http_request_t *r,
    ngx_http_swr_audit_t *a, ngx_str_t *body);
static ngx_int_t ngx_http_swr_audit_truncated(ngx_pool_t *pool,
    ngx_str_t *s);
static ngx_int_t ngx_http_swr_audit_text(ngx_pool_t *pool, ngx_str_t *s);
static ngx_int_t ngx_http_swr_audit_field(ngx_pool_t *pool, ngx_str_t *json,
    const char *field, ngx_str_t *value);
static void ngx_http_swr_audit_names(ngx_http_request_t *r,
    ngx_http_swr_audit_t *a);
static ngx_int_t ngx_http_swr_audit_join(ngx_pool_t *pool, ngx_str_t *out,
    ngx_str_t *a, u_char sep, ngx_str_t *b);
static void ngx_http_swr_audit_mask(ngx_str_t *s);
static ngx_int_t ngx_http_swr_audit_body_filter(ngx_http_request_t *r,
    ngx_chain_t *in);

static int ngx_http_swr_audit_field_string(void *ctx,
    const unsigned char *s, size_t len);
static int ngx_http_swr_audit_field_key(void *ctx, const unsigned char *s,
    size_t len);
static int ngx_http_swr_audit_field_open(void *ctx);
static int ngx_http_swr_audit_field_close(void *ctx);
static int ngx_http_swr_audit_field_other(void *ctx);
static int ngx_http_swr_audit_field_bool(void *ctx, int b);
static int ngx_http_swr_audit_field_number(void *ctx, const char *s,
    size_t len);


static ngx_http_output_body_filter_pt  ngx_http_next_body_filter;


/* in a JSON string, 1: a byte written as it is */

static u_char  ngx_http_swr_audit_plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* '"' */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,   /* '\\' */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
    /* 0x80 and above: 0 */
};


/*
 * The management API's operations (audit-records.md 4.1 and 4.3);
 * reads only with swr_audit_reads on.
 */

static ngx_http_swr_audit_op_t  ngx_http_swr_audit_ops[] = {

    { NGX_HTTP_POST, "namespaces", "CreateUserNamespace", "usernamespace",
      "swr:namespace:createNamespace", NGX_HTTP_SWR_AUDIT_NAME_BODY_NS, 0 },
    { NGX_HTTP_DELETE, "namespaces/*", "DeleteUserNamesapce",
      "usernamespace", "swr:namespace:deleteNamespace",
      NGX_HTTP_SWR_AUDIT_NAME_NS, 0 },
    { NGX_HTTP_POST, "namespaces/*/access", "CreateUserNamespaceAuth",
      "usernamespaceauth", "swr:namespace:createNamespaceAuth",
      NGX_HTTP_SWR_AUDIT_NAME_NS, 0 },
    { NGX_HTTP_PATCH, "namespaces/*/access", "UpdateUserNamespaceAuth",
      "usernamespaceauth", "swr:namespace:updateNamespaceAuth",
      NGX_HTTP_SWR_AUDIT_NAME_NS, 0 },
    { NGX_HTTP_DELETE, "namespaces/*/access", "DeleteUserNamespaceAuth",
      "usernamespaceauth", "swr:namespace:deleteNamespaceAuth",
      NGX_HTTP_SWR_AUDIT_NAME_NS, 0 },
    { NGX_HTTP_POST, "namespaces/*/repos", "CreateImageRepository",
      "imagerepository", "swr:repo:createRepo",
      NGX_HTTP_SWR_AUDIT_NAME_BODY_REPO, 0 },
    { NGX_HTTP_PATCH, "namespaces/*/repos/$", "UpdateImageRepository",
      "imagerepository", "swr:repo:updateRepo", NGX_HTTP_SWR_AUDIT_NAME_REPO,
      0 },
    { NGX_HTTP_DELETE, "namespaces/*/repos/$", "DeleteImageRepository",
      "imagerepository", "swr:repo:deleteRepo", NGX_HTTP_SWR_AUDIT_NAME_REPO,
      0 },
    { NGX_HTTP_POST, "namespaces/*/repos/$/tags", "CreateImageTag",
      "imagetag", "swr:repo:createRepoTag", NGX_HTTP_SWR_AUDIT_NAME_BODY_TAG,
      0 },
    { NGX_HTTP_DELETE, "namespaces/*/repos/$/tags/*", "DeleteImageTag",
      "imagetag", "swr:repo:deleteRepoTag", NGX_HTTP_SWR_AUDIT_NAME_TAG, 0 },
    { NGX_HTTP_POST, "namespaces/*/repos/$/access",
      "CreateUserRepositoryAuth", "userrepositoryauth",
      "swr:repo:createUserRepositoryAuth", NGX_HTTP_SWR_AUDIT_NAME_REPO, 0 },
    { NGX_HTTP_PATCH, "namespaces/*/repos/$/access",
      "UpdateUserRepositoryAuth", "userrepositoryauth",
      "swr:repo:updateUserRepositoryAuth", NGX_HTTP_SWR_AUDIT_NAME_REPO, 0 },
    { NGX_HTTP_DELETE, "namespaces/*/repos/$/access",
      "DeleteUserRepositoryAuth", "userrepositoryauth",
      "swr:repo:deleteUserRepositoryAuth", NGX_HTTP_SWR_AUDIT_NAME_REPO, 0 },
    { NGX_HTTP_POST, "namespaces/*/repositories/$/access-domains",
      "CreateImageRepositoryAccessDomain", "imagerepositoryaccessdomain",
      "swr:repo:createRepoDomains", NGX_HTTP_SWR_AUDIT_NAME_BODY_DOMAIN, 0 },
    { NGX_HTTP_PATCH, "namespaces/*/repositories/$/access-domains/*",
      "UpdateImageRepositoryAccessDomain", "imagerepositoryaccessdomain",
      "swr:repo:updateRepoDomains", NGX_HTTP_SWR_AUDIT_NAME_DOMAIN, 0 },
    { NGX_HTTP_DELETE, "namespaces/*/repositories/$/access-domains/*",
      "DeleteImageRepositoryAccessDomain", "imagerepositoryaccessdomain",
      "swr:repo:deleteRepoDomains", NGX_HTTP_SWR_AUDIT_NAME_DOMAIN, 0 },
    { NGX_HTTP_POST, "utils/secret", "CreateDockerConfig", "dockerlogincmd",
      "swr::createLoginSecret", NGX_HTTP_SWR_AUDIT_NAME_SECRET, 0 },

    { NGX_HTTP_GET, "namespaces", "ListUserNamespaces", "usernamespace",
      "swr:namespace:listNamespaces", NGX_HTTP_SWR_AUDIT_NAME_NONE, 1 },
    { NGX_HTTP_GET, "namespaces/*", "ShowUserNamespace", "usernamespace",
      "swr:namespace:getNamespace", NGX_HTTP_SWR_AUDIT_NAME_NS, 1 },
    { NGX_HTTP_GET, "namespaces/*/access", "ShowUserNamespaceAuth",
      "usernamespaceauth", "swr:namespace:getNamespaceAccess",
      NGX_HTTP_SWR_AUDIT_NAME_NS, 1 },
    { NGX_HTTP_GET, "repos", "ListImageRepositories", "imagerepository",
      "swr:repo:listReposDetails", NGX_HTTP_SWR_AUDIT_NAME_NONE, 1 },
    { NGX_HTTP_GET, "namespaces/*/repos/$", "ShowImageRepository",
      "imagerepository", "swr:repo:getRepository",
      NGX_HTTP_SWR_AUDIT_NAME_REPO, 1 },
    { NGX_HTTP_GET, "namespaces/*/repos/$/tags", "ListImageTags",
      "imagetag", "swr:repo:listRepositoryTags",
      NGX_HTTP_SWR_AUDIT_NAME_REPO, 1 },
    { NGX_HTTP_GET, "namespaces/*/repos/$/access", "ShowUserRepositoryAuth",
      "userrepositoryauth", "swr:repo:getUserRepositoryAuth",
      NGX_HTTP_SWR_AUDIT_NAME_REPO, 1 },
    { NGX_HTTP_GET, "shared-repositories", "ListSharedReposDetails",
      "userrepositoryauth", "swr:repo:listSharedReposDetails",
      NGX_HTTP_SWR_AUDIT_NAME_NONE, 1 },
    { NGX_HTTP_GET, "namespaces/*/repositories/$/access-domains",
      "ListImageRepositoryAccessDomain", "imagerepositoryaccessdomain",
      "swr:repo:listRepoDomains", NGX_HTTP_SWR_AUDIT_NAME_REPO, 1 },
    { NGX_HTTP_GET, "namespaces/*/repositories/$/access-domains/*",
      "ShowImageRepositoryAccessDomain", "imagerepositoryaccessdomain",
      "swr:repo:getAccessDomain", NGX_HTTP_SWR_AUDIT_NAME_DOMAIN, 1 },
    { NGX_HTTP_GET, "projects/*/quotas", "ListQuotas", "quota",
      "swr::listQuotas", NGX_HTTP_SWR_AUDIT_NAME_NONE, 1 },
    { NGX_HTTP_GET, "overview", "GetDomainOverview", "overview",
      "swr::showDomainOverview", NGX_HTTP_SWR_AUDIT_NAME_NONE, 1 },
    { NGX_HTTP_GET, "reports/*/*", "GetDomainResourceReports", "overview",
      "swr::showDomainResourceReports", NGX_HTTP_SWR_AUDIT_NAME_NONE, 1 },

    { 0, NULL, NULL, NULL, NULL, 0, 0 }
};


static yajl_callbacks  ngx_http_swr_audit_field_callbacks = {
    ngx_http_swr_audit_field_other,
    ngx_http_swr_audit_field_bool,
    NULL,
    NULL,
    ngx_http_swr_audit_field_number,
    ngx_http_swr_audit_field_string,
    ngx_http_swr_audit_field_open,
    ngx_http_swr_audit_field_key,
    ngx_http_swr_audit_field_close,
    ngx_http_swr_audit_field_open,
    ngx_http_swr_audit_field_close
};



ngx_int_t
ngx_http_swr_audit_init(ngx_conf_t *cf)
{
    ngx_http_handler_pt        *h;
    ngx_http_core_main_conf_t  *cmcf;

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_ACCESS_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_swr_audit_access;

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_LOG_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_swr_audit_log_phase;

    ngx_http_next_body_filter = ngx_http_top_body_filter;
    ngx_http_top_body_filter = ngx_http_swr_audit_body_filter;

    return NGX_OK;
}


/* a push made its repository: CreateImageRepository before the manifest */

void
ngx_http_swr_audit_repo_created(ngx_http_request_t *r)
{
    ngx_http_swr_ctx_t    *ctx;
    ngx_http_swr_audit_t  *a;

    ctx = ngx_http_swr_find_ctx(r);

    if (ctx && ctx->audit) {
        a = ctx->audit;
        a->repo_created = 1;
    }
}


/* ACCESS: classify, and the record in the context */

static ngx_int_t
ngx_http_swr_audit_access(ngx_http_request_t *r)
{
    ngx_time_t               *tp;
    ngx_http_swr_ctx_t       *ctx;
    ngx_http_swr_audit_t     *a;
    ngx_http_swr_loc_conf_t  *slcf;

    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);

    if (r != r->main
        || (slcf->audit_log == NULL && slcf->audit_redis == NULL)
        || (slcf->role != NGX_HTTP_SWR_ROLE_REGISTRY
            && slcf->role != NGX_HTTP_SWR_ROLE_MANAGE))
    {
        return NGX_DECLINED;
    }

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ctx->audit) {
        return NGX_DECLINED;
    }

    a = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_audit_t));
    if (a == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_audit_classify(r, slcf, a) != NGX_OK) {
        return NGX_DECLINED;
    }

    tp = ngx_timeofday();

    a->time = (int64_t) tp->sec * 1000 + tp->msec;

    /*
     * what the client announced: reading or discarding the body later
     * counts content_length_n down
     */

    a->length = r->headers_in.content_length_n;
    a->log = slcf->audit_log;
    a->redis = slcf->audit_redis;
    a->role = slcf->role;

    ctx->audit = a;

    return NGX_DECLINED;
}


/* NGX_DECLINED: nothing to record */

static ngx_int_t
ngx_http_swr_audit_classify(ngx_http_request_t *r,
    ngx_http_swr_loc_conf_t *slcf, ngx_http_swr_audit_t *a)
{
    if (slcf->role == NGX_HTTP_SWR_ROLE_REGISTRY) {
        return ngx_http_swr_audit_registry(r, slcf, a);
    }

    return ngx_http_swr_audit_manage(r, slcf, a);
}


/* the registry's steps (audit-records.md 4.2) */

static ngx_int_t
ngx_http_swr_audit_registry(ngx_http_request_t *r,
    ngx_http_swr_loc_conf_t *slcf, ngx_http_swr_audit_t *a)
{
    ngx_int_t             rc;
    ngx_uint_t            blob;
    ngx_str_t             arg;
    ngx_http_swr_route_t  rt;

    /* NGX_ABORT: a known route with an invalid name, refused (and kept) */

    rc = ngx_http_swr_route(&r->uri, &rt);

    if (rc != NGX_OK && rc != NGX_ABORT) {
        return NGX_DECLINED;
    }

    a->route = rt.route;
    a->name = rt.name;
    a->ref = rt.ref;
    blob = 1;

    switch (rt.route) {

    case NGX_HTTP_SWR_ROUTE_UPLOAD_START:
        if (r->method != NGX_HTTP_POST) {
            return NGX_DECLINED;
        }

        a->trace = "CreateBlob";

        if ((ngx_http_swr_arg(r, "digest", &arg) == NGX_OK
             || ngx_http_swr_arg(r, "mount", &arg) == NGX_OK)
            && arg.len)
        {
            a->id = arg;
        }

        break;

    case NGX_HTTP_SWR_ROUTE_UPLOAD:
        a->id = rt.ref;

        if (r->method == NGX_HTTP_PATCH) {
            a->trace = "UpdateImageLayerChunk";

        } else if (r->method == NGX_HTTP_PUT) {
            a->trace = "UpdateImageLayer";

            if (ngx_http_swr_arg(r, "digest", &arg) == NGX_OK && arg.len) {
                a->id = arg;
            }

        } else if (r->method == NGX_HTTP_DELETE) {
            a->trace = "CancelImageLayerUpload";

        } else {
            return NGX_DECLINED;
        }

        break;

    case NGX_HTTP_SWR_ROUTE_BLOB:
        a->id = rt.ref;

        if (r->method == NGX_HTTP_DELETE) {
            a->trace = "DeleteBlob";
            a->operation = "swr:repo:deleteBlob";

        } else if (r->method == NGX_HTTP_GET && slcf->audit_reads) {
            a->trace = "DownloadImageLayer";
            a->operation = "swr:repo:download";
            a->read_only = 1;

        } else {
            return NGX_DECLINED;
        }

        break;

    case NGX_HTTP_SWR_ROUTE_MANIFEST:
        blob = 0;

        if (ngx_http_swr_audit_join(r->pool, &a->name, &rt.name,
                                    ngx_strlchr(rt.ref.data,
                                                rt.ref.data + rt.ref.len,
                                                ':') ? '@' : ':',
                                    &rt.ref)
            != NGX_OK)
        {
            return NGX_DECLINED;
        }

        a->id = rt.ref;

        if (r->method == NGX_HTTP_PUT) {
            a->trace = "UploadManifest";
            a->type = "manifest";
            a->operation = "swr:repo:upload";

        } else if (r->method == NGX_HTTP_DELETE) {
            a->trace = "DeleteImageTag";
            a->type = "imagetag";
            a->operation = "swr:repo:deleteRepoTag";

        } else {
            return NGX_DECLINED;
        }

        break;

    default:
        return NGX_DECLINED;
    }

    if (blob) {
        if (!slcf->audit_blobs) {
            return NGX_DECLINED;
        }

        a->type = "blob";

        if (a->operation == NULL) {
            a->operation = "swr:repo:upload";
        }
    }

    return NGX_OK;
}


/* the management API's operations, by method and path */

static ngx_int_t
ngx_http_swr_audit_manage(ngx_http_request_t *r,
    ngx_http_swr_loc_conf_t *slcf, ngx_http_swr_audit_t *a)
{
    ngx_str_t                 path;
    ngx_http_swr_audit_op_t  *op;

    if (r->uri.len <= sizeof("/v2/manage/") - 1
        || ngx_strncmp(r->uri.data, "/v2/manage/",
                       sizeof("/v2/manage/") - 1) != 0)
    {
        return NGX_DECLINED;
    }

    path.data = r->uri.data + sizeof("/v2/manage/") - 1;
    path.len = r->uri.len - (sizeof("/v2/manage/") - 1);

    for (op = ngx_http_swr_audit_ops; op->path; op++) {
        if (op->method != r->method
            || (op->read_only && !slcf->audit_reads))
        {
            continue;
        }

        if (ngx_http_swr_mop_match(r, &path, op->path, a->params) == NGX_OK)
        {
            break;
        }
    }

    if (op->path == NULL) {
        return NGX_DECLINED;
    }

    a->trace = op->trace;
    a->type = op->type;
    a->operation = op->operation;
    a->kind = op->name;
    a->read_only = op->read_only;

    return NGX_OK;
}


/* LOG: complete and write, once */

static ngx_int_t
ngx_http_swr_audit_log_phase(ngx_http_request_t *r)
{
    ngx_table_elt_t       *h;
    ngx_http_swr_ctx_t    *ctx;
    ngx_http_swr_audit_t  *a, created;

    ctx = ngx_http_swr_find_ctx(r);

    if (ctx == NULL || ctx->audit == NULL) {
        return NGX_OK;
    }

    a = ctx->audit;

    if (a->written) {
        return NGX_OK;
    }

    a->written = 1;

    if (a->role == NGX_HTTP_SWR_ROLE_MANAGE) {
        ngx_http_swr_audit_names(r, a);

    } else if (a->route == NGX_HTTP_SWR_ROUTE_MANIFEST
               && r->method == NGX_HTTP_PUT)
    {
        ngx_http_swr_audit_digest(r, a);

    } else if (a->route == NGX_HTTP_SWR_ROUTE_UPLOAD_START
               && a->id.len == 0)
    {
        /* an upload started: its id, as answered */

        h = ngx_http_swr_find_in(&r->headers_out.headers,
                                 (u_char *) "Docker-Upload-UUID",
                                 sizeof("Docker-Upload-UUID") - 1);
        if (h) {
            a->id = h->value;
        }
    }

    /* a push that made its repository: that first (4.2, 5) */

    if (a->repo_created) {
        created = *a;
        created.trace = "CreateImageRepository";
        created.type = "imagerepository";
        created.operation = "swr:repo:createRepo";
        created.name = ctx->name;
        created.id = ctx->name;
        created.response = NULL;
        created.route = NGX_HTTP_SWR_ROUTE_NONE;

        (void) ngx_http_swr_audit_write(r, ctx, &created);
    }

    (void) ngx_http_swr_audit_write(r, ctx, a);

    return NGX_OK;
}


static ngx_int_t
ngx_http_swr_audit_write(ngx_http_request_t *r, ngx_http_swr_ctx_t *ctx,
    ngx_http_swr_audit_t *a)
{
    u_char                     *line, *last;
    size_t                      size;
    ngx_http_swr_audit_vals_t   v;

#if !(NGX_DEBUG_PALLOC)
    static u_char               scratch[8192];
#endif

    if (ngx_http_swr_audit_values(r, ctx, a, &v) != NGX_OK) {
        goto failed;
    }

    /*
     * written in the worker's scratch memory, which the sinks copy from,
     * or, when the most it can take is more, in the request's pool.  With
     * NGX_DEBUG_PALLOC (the sanitizer build: each pool allocation a malloc
     * of its own) always in the pool, in exactly that, so that a record
     * longer than its bound, which nothing else checks, is found
     */

    size = ngx_http_swr_audit_size(a, &v);

#if (NGX_DEBUG_PALLOC)
    line = NULL;
#else
    line = (size <= sizeof(scratch)) ? scratch : NULL;
#endif

    if (line == NULL) {
        line = ngx_pnalloc(r->pool, size);
        if (line == NULL) {
            goto failed;
        }
    }

    last = ngx_http_swr_audit_record(line, a, &v);

    ngx_http_swr_audit_sink_write(r, a->log, a->redis, line, last - line);

    return NGX_OK;

failed:

    ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                  "swr audit: no record could be made for %V %V",
                  &r->method_name, &r->uri);

    return NGX_ERROR;
}


/* what a record says, other than what the ACCESS phase found */

static ngx_int_t
ngx_http_swr_audit_values(ngx_http_request_t *r, ngx_http_swr_ctx_t *ctx,
    ngx_http_swr_audit_t *a, ngx_http_swr_audit_vals_t *v)
{
    u_char                      *p, *uuid;
    ngx_time_t                  *tp;
    ngx_table_elt_t             *h;
    ngx_http_swr_main_conf_t    *smcf;
    const ngx_http_swr_error_t  *e;

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

    v->id = ctx->identity;
    v->source = &r->connection->addr_text;

    v->status = r->err_status ? r->err_status : r->headers_out.status;

    /* the client went away before an answer (not after one) */

    if (v->status == 0 || (r->connection->error && !r->header_sent)) {
        v->status = NGX_HTTP_CLIENT_CLOSED_REQUEST;
    }

    if (ngx_http_swr_audit_request(r, ctx, a, &v->request) != NGX_OK
        || ngx_http_swr_audit_response(r, a, &v->response) != NGX_OK)
    {
        return NGX_ERROR;
    }

    v->project = smcf->region;

    if (a->role == NGX_HTTP_SWR_ROLE_MANAGE) {
        h = ngx_http_swr_find_header(r, "X-Project-Id");
        if (h && h->value.len) {
            v->project = h->value;
        }
    }

    /* $request_id, as every answer's X-Request-Id has it */

    if (ngx_http_swr_request_id(r, &v->request_id) != NGX_OK) {
        ngx_str_null(&v->request_id);
    }

    /* the AK: as authenticated, or offered by who was refused before */

    v->ak = ctx->claimed;

    if ((v->id == NULL || v->id->user.len == 0) && v->ak.len == 0) {
        ngx_http_swr_audit_offered(r, &v->ak);
    }

    /*
     * message: the error code of a failure; none when the client left
     * before an answer (499): no error code was answered
     */

    ngx_str_null(&v->message);

    if (v->status >= 400 && v->status != NGX_HTTP_CLIENT_CLOSED_REQUEST) {
        e = ngx_http_swr_error_get(ctx->err ? ctx->err
                                   : ngx_http_swr_error_by_status(v->status));

        v->message = (a->role == NGX_HTTP_SWR_ROLE_MANAGE) ? e->swr_code
                                                            : e->code;
    }

    h = r->headers_in.user_agent;

    if (h) {
        v->user_agent = h->value;

    } else {
        ngx_str_null(&v->user_agent);
    }

    /* trace_id: a UUID v4 */

    uuid = ngx_http_swr_audit_random(16);
    if (uuid == NULL) {
        return NGX_ERROR;
    }

    uuid[6] = (uuid[6] & 0x0f) | 0x40;
    uuid[8] = (uuid[8] & 0x3f) | 0x80;

    p = ngx_hex_dump(v->trace_id, uuid, 4);
    *p++ = '-';
    p = ngx_hex_dump(p, uuid + 4, 2);
    *p++ = '-';
    p = ngx_hex_dump(p, uuid + 6, 2);
    *p++ = '-';
    p = ngx_hex_dump(p, uuid + 8, 2);
    *p++ = '-';
    (void) ngx_hex_dump(p, uuid + 10, 6);

    tp = ngx_timeofday();
    v->now = (int64_t) tp->sec * 1000 + tp->msec;

    v->length = ngx_http_swr_audit_length(r, a);
    v->total = ngx_current_msec - ctx->started;

    return NGX_OK;
}


/*
 * n random bytes (16 at most) from the worker's store, which OpenSSL's
 * generator fills 4 KiB at a time
 */

static u_char *
ngx_http_swr_audit_random(size_t n)
{
    static u_char      store[4096];
    static ngx_uint_t  used = sizeof(store);

    if (used + n > sizeof(store)) {
        if (RAND_bytes(store, sizeof(store)) != 1) {
            return NULL;
        }

        used = 0;
    }

    used += n;

    return store + used - n;
}


/*
 * The most a record can take: its fixed text (the fields' names, the
 * constants, the numbers, the trace_id: at most 880 bytes, the room kept
 * for it is NGX_HTTP_SWR_AUDIT_FIXED), the ACCESS phase's names, and its
 * strings escaped, so that the record is written with no check
 */

static size_t
ngx_http_swr_audit_size(ngx_http_swr_audit_t *a, ngx_http_swr_audit_vals_t *v)
{
    size_t                    n;
    ngx_http_swr_identity_t  *id;

    n = v->project.len + v->request_id.len + v->ak.len + v->message.len
        + v->source->len + a->name.len + a->id.len;

    id = v->id;

    if (id) {
        n += 2 * id->user.len + 3 * id->name.len + 4 * id->account.len
             + id->account_name.len;
    }

    return NGX_HTTP_SWR_AUDIT_FIXED + 6 * n
           + ngx_http_swr_audit_escaped(&v->request)
           + ngx_http_swr_audit_escaped(&v->response)
           + ngx_http_swr_audit_escaped(&v->user_agent)
           + ngx_strlen(a->type) + ngx_strlen(a->operation)
           + ngx_strlen(a->trace);
}


/*
 * The most a string takes escaped: six bytes a byte (a control character
 * written as \u00XX); a long one (a body, a header) exactly, as
 * ngx_escape_json() counts what it adds (its rules are the escape's; a
 * byte outside ASCII stays one byte, as is or '?')
 */

static size_t
ngx_http_swr_audit_escaped(ngx_str_t *s)
{
    if (s->len <= 1024) {
        return 6 * s->len;
    }

    return s->len + ngx_escape_json(NULL, s->data, s->len);
}


/*
 * the record, fields in the order of audit-records.md 2, one line, at p
 * with room for ngx_http_swr_audit_size(); its end
 */

static u_char *
ngx_http_swr_audit_record(u_char *p, ngx_http_swr_audit_t *a,
    ngx_http_swr_audit_vals_t *v)
{
    ngx_http_swr_identity_t  *id;

    id = v->id;

    p = ngx_http_swr_audit_lit(p, "{\"time\":");
    p = ngx_http_swr_audit_number(p, a->time);

    /*
     * user (2.1): who the request authenticated as; nobody (refused, or
     * no credentials): Anonymous, with the AK it offered if one
     */

    if (id == NULL || id->user.len == 0) {
        p = ngx_http_swr_audit_lit(p, ",\"user\":{\"type\":\"Anonymous\","
                                      "\"name\":\"anonymous\"");

    } else {
        p = ngx_http_swr_audit_lit(p, ",\"user\":{\"id\":");
        p = ngx_http_swr_audit_string(p, &id->user);
        p = ngx_http_swr_audit_lit(p, ",\"name\":");
        p = ngx_http_swr_audit_string(p, &id->name);
        p = ngx_http_swr_audit_lit(p, ",\"user_name\":");
        p = ngx_http_swr_audit_string(p, &id->name);
        p = ngx_http_swr_audit_lit(p, ",\"domain\":{\"id\":");
        p = ngx_http_swr_audit_string(p, &id->account);
        p = ngx_http_swr_audit_lit(p, ",\"name\":");
        p = ngx_http_swr_audit_string(p, &id->account_name);
        p = ngx_http_swr_audit_lit(p, "},\"account_id\":");
        p = ngx_http_swr_audit_string(p, &id->account);
    }

    if (v->ak.len) {
        p = ngx_http_swr_audit_lit(p, ",\"access_key_id\":");
        p = ngx_http_swr_audit_string(p, &v->ak);
    }

    if (id && id->user.len) {
        p = ngx_http_swr_audit_lit(p, ",\"principal_urn\":\"iam::");
        p = ngx_http_swr_audit_escape(p, &id->account);
        p = ngx_http_swr_audit_lit(p, ":user:");
        p = ngx_http_swr_audit_escape(p, &id->name);
        p = ngx_http_swr_audit_lit(p, "\",\"principal_id\":");
        p = ngx_http_swr_audit_string(p, &id->user);
        p = ngx_http_swr_audit_lit(p, ",\"principal_is_root_user\":\"false\","
                                      "\"type\":\"User\"");
    }

    p = ngx_http_swr_audit_lit(p, "},\"request\":");
    p = ngx_http_swr_audit_string(p, &v->request);
    p = ngx_http_swr_audit_lit(p, ",\"response\":");
    p = ngx_http_swr_audit_string(p, &v->response);
    p = ngx_http_swr_audit_lit(p, ",\"service_type\":\"SWR\","
                                  "\"event_type\":\"system\","
                                  "\"project_id\":");
    p = ngx_http_swr_audit_string(p, &v->project);
    p = ngx_http_swr_audit_lit(p, ",\"resource_type\":\"");
    p = ngx_cpymem(p, a->type, ngx_strlen(a->type));
    p = ngx_http_swr_audit_lit(p, "\",\"read_only\":");

    if (a->read_only) {
        p = ngx_http_swr_audit_lit(p, "true");

    } else {
        p = ngx_http_swr_audit_lit(p, "false");
    }

    p = ngx_http_swr_audit_lit(p, ",\"tracker_name\":\"system\","
                                  "\"operation_id\":\"");
    p = ngx_cpymem(p, a->operation, ngx_strlen(a->operation));
    p = ngx_http_swr_audit_lit(p, "\",\"resource_name\":");
    p = ngx_http_swr_audit_string(p, &a->name);
    p = ngx_http_swr_audit_lit(p, ",\"resource_id\":");
    p = ngx_http_swr_audit_string(p, &a->id);
    p = ngx_http_swr_audit_lit(p, ",\"source_ip\":");
    p = ngx_http_swr_audit_string(p, v->source);
    p = ngx_http_swr_audit_lit(p, ",\"domain_id\":");

    if (id) {
        p = ngx_http_swr_audit_string(p, &id->account);

    } else {
        p = ngx_http_swr_audit_lit(p, "\"\"");
    }

    p = ngx_http_swr_audit_lit(p, ",\"trace_name\":\"");
    p = ngx_cpymem(p, a->trace, ngx_strlen(a->trace));

    if (v->status < 400) {
        p = ngx_http_swr_audit_lit(p, "\",\"trace_rating\":\"normal\"");

    } else {
        p = ngx_http_swr_audit_lit(p, "\",\"trace_rating\":\"warning\"");
    }

    p = ngx_http_swr_audit_lit(p, ",\"trace_type\":\"ApiCall\","
                                  "\"api_version\":\"v2\"");

    if (v->message.len) {
        p = ngx_http_swr_audit_lit(p, ",\"message\":");
        p = ngx_http_swr_audit_string(p, &v->message);
    }

    p = ngx_http_swr_audit_lit(p, ",\"record_time\":");
    p = ngx_http_swr_audit_number(p, v->now);
    p = ngx_http_swr_audit_lit(p, ",\"trace_id\":\"");
    p = ngx_cpymem(p, v->trace_id, sizeof(v->trace_id));
    p = ngx_http_swr_audit_lit(p, "\",\"code\":\"");
    p = ngx_http_swr_audit_number(p, v->status);
    p = ngx_http_swr_audit_lit(p, "\",\"request_id\":");
    p = ngx_http_swr_audit_string(p, &v->request_id);
    p = ngx_http_swr_audit_lit(p, ",\"user_agent\":");
    p = ngx_http_swr_audit_string(p, &v->user_agent);
    p = ngx_http_swr_audit_lit(p, ",\"content_length\":");
    p = ngx_http_swr_audit_number(p, v->length);
    p = ngx_http_swr_audit_lit(p, ",\"total_time\":");
    p = ngx_http_swr_audit_number(p, v->total);

    return ngx_http_swr_audit_lit(p, "}\n");
}


/* a decimal integer (the record's are made for every request: no format) */

static u_char *
ngx_http_swr_audit_number(u_char *p, int64_t n)
{
    u_char    *q, buf[NGX_INT64_LEN];
    uint64_t   u;

    if (n < 0) {
        *p++ = '-';
        u = - (uint64_t) n;

    } else {
        u = n;
    }

    q = buf + sizeof(buf);

    do {
        *--q = (u_char) ('0' + u % 10);
        u /= 10;
    } while (u);

    return ngx_cpymem(p, q, buf + sizeof(buf) - q);
}


/* a JSON string */

static u_char *
ngx_http_swr_audit_string(u_char *p, ngx_str_t *s)
{
    *p++ = '"';
    p = ngx_http_swr_audit_escape(p, s);
    *p++ = '"';

    return p;
}


/*
 * A JSON string's text, as yajl writes it: '"', '\' and the control
 * characters escaped (\b \f \n \r \t, the others \u00XX).  Text that is
 * not UTF-8 (a raw header) has every byte outside ASCII as '?'.  One
 * pass: runs of plain characters are copied whole.
 */

static u_char *
ngx_http_swr_audit_escape(u_char *out, ngx_str_t *s)
{
    u_char      c, *p, *q, *last, *run;
    uint32_t    u;
    uint64_t    w;
    ngx_uint_t  ascii;

    static u_char  hex[] = "0123456789ABCDEF";

    last = s->data + s->len;
    ascii = 0;

again:

    p = s->data;
    q = out;

    for ( ;; ) {

        /*
         * eight bytes at a time, copied as they are, while none of them
         * is a control character, '"', '\\' or outside ASCII: a byte
         * below 0x20 borrows in w - 0x20..., one of 0x22 or 0x5c is zero
         * in w ^ 0x22... or w ^ 0x5c... and borrows; with none of those,
         * no high bit is set but by a byte outside ASCII, itself one
         */

        while (last - p >= 8) {
            ngx_memcpy(&w, p, 8);

            if (((w - 0x20 * NGX_HTTP_SWR_AUDIT_ONES) | w
                 | ((w ^ 0x22 * NGX_HTTP_SWR_AUDIT_ONES)
                    - NGX_HTTP_SWR_AUDIT_ONES)
                 | ((w ^ 0x5c * NGX_HTTP_SWR_AUDIT_ONES)
                    - NGX_HTTP_SWR_AUDIT_ONES))
                & NGX_HTTP_SWR_AUDIT_HIGH)
            {
                break;
            }

            ngx_memcpy(q, &w, 8);
            p += 8;
            q += 8;
        }

        while (p < last && ngx_http_swr_audit_plain[*p]) {
            *q++ = *p++;
        }

        if (p == last) {
            break;
        }

        c = *p;

        if (c >= 0x80) {
            if (ascii) {
                *q++ = '?';
                p++;
                continue;
            }

            run = p;
            u = ngx_utf8_decode(&p, last - p);

            if (u > 0x10ffff) {
                ascii = 1;
                goto again;
            }

            q = ngx_cpymem(q, run, p - run);
            continue;
        }

        p++;
        *q++ = '\\';

        switch (c) {

        case '"':
        case '\\':
            *q++ = c;
            break;

        case '\b':
            *q++ = 'b';
            break;

        case '\f':
            *q++ = 'f';
            break;

        case '\n':
            *q++ = 'n';
            break;

        case '\r':
            *q++ = 'r';
            break;

        case '\t':
            *q++ = 't';
            break;

        default:
            *q++ = 'u';
            *q++ = '0';
            *q++ = '0';
            *q++ = hex[c >> 4];
            *q++ = hex[c & 0x0f];
        }
    }

    return q;
}


/*
 * The AK a request offered that authentication never looked at (refused
 * before, e.g. for its name), as authentication reads it: the AK of a
 * Basic "<region>@<AK>" login or of an AK/SK signature; never anything
 * else of the header.
 */

static void
ngx_http_swr_audit_offered(ngx_http_request_t *r, ngx_str_t *ak)
{
    ngx_str_t  password;

    ngx_str_null(ak);

    if (r->headers_in.authorization == NULL) {
        return;
    }

    if (ngx_http_swr_sdk_access(&r->headers_in.authorization->value, ak)
        == NGX_OK)
    {
        return;
    }

    if (ngx_http_swr_auth_basic(r, ak, &password) != NGX_OK) {
        ngx_str_null(ak);
    }
}


/*
 * request (3.6): the management API's body, compact as received (64 KiB
 * at most); summaries for the registry, never blob or manifest bytes.
 */

static ngx_int_t
ngx_http_swr_audit_request(ngx_http_request_t *r, ngx_http_swr_ctx_t *ctx,
    ngx_http_swr_audit_t *a, ngx_str_t *out)
{
    u_char           *p;
    size_t            len;
    ngx_str_t         arg, range, type, tag, digest, uuid;
    ngx_table_elt_t  *h;

    ngx_str_null(out);

    if (a->role == NGX_HTTP_SWR_ROLE_MANAGE) {
        if (ngx_http_swr_audit_body(r, a, out) != NGX_OK) {
            return NGX_ERROR;
        }

        ngx_http_swr_audit_compact(r->pool, out, ctx->body_json);

        return NGX_OK;
    }

    if (a->route == NGX_HTTP_SWR_ROUTE_MANIFEST && r->method == NGX_HTTP_PUT)
    {
        h = r->headers_in.content_type;
        type = h ? h->value : (ngx_str_t) ngx_null_string;

        /* the references as the client wrote them, refused ones too */

        tag = ngx_strlchr(a->ref.data, a->ref.data + a->ref.len, ':')
              ? (ngx_str_t) ngx_null_string : a->ref;
        digest = a->digest;

        if (ngx_http_swr_audit_text(r->pool, &type) != NGX_OK
            || ngx_http_swr_audit_text(r->pool, &tag) != NGX_OK
            || ngx_http_swr_audit_text(r->pool, &digest) != NGX_OK)
        {
            return NGX_ERROR;
        }

        len = sizeof("{\"tag\":\"\",\"digest\":\"\",\"mediaType\":\"\","
                     "\"size\":}") + tag.len + digest.len + type.len
              + NGX_OFF_T_LEN;

        p = ngx_pnalloc(r->pool, len);
        if (p == NULL) {
            return NGX_ERROR;
        }

        /* written for every push: no format */

        out->data = p;

        p = ngx_http_swr_audit_lit(p, "{\"tag\":\"");
        p = ngx_cpymem(p, tag.data, tag.len);
        p = ngx_http_swr_audit_lit(p, "\",\"digest\":\"");
        p = ngx_cpymem(p, digest.data, digest.len);
        p = ngx_http_swr_audit_lit(p, "\",\"mediaType\":\"");
        p = ngx_cpymem(p, type.data, type.len);
        p = ngx_http_swr_audit_lit(p, "\",\"size\":");
        p = ngx_http_swr_audit_number(p, ngx_http_swr_audit_length(r, a));
        *p++ = '}';

        out->len = p - out->data;

        return NGX_OK;
    }

    if (a->route == NGX_HTTP_SWR_ROUTE_UPLOAD
        || a->route == NGX_HTTP_SWR_ROUTE_UPLOAD_START)
    {
        if (ngx_http_swr_arg(r, "digest", &arg) != NGX_OK) {
            ngx_str_null(&arg);
        }

        h = ngx_http_swr_find_header(r, "Content-Range");
        range = h ? h->value : (ngx_str_t) ngx_null_string;

        uuid = (a->route == NGX_HTTP_SWR_ROUTE_UPLOAD)
               ? a->ref : (ngx_str_t) ngx_null_string;

        if (ngx_http_swr_audit_text(r->pool, &arg) != NGX_OK
            || ngx_http_swr_audit_text(r->pool, &range) != NGX_OK
            || ngx_http_swr_audit_text(r->pool, &uuid) != NGX_OK)
        {
            return NGX_ERROR;
        }

        p = ngx_pnalloc(r->pool, sizeof("{\"upload_uuid\":\"\","
                                        "\"digest\":\"\",\"range\":\"\"}")
                                 + uuid.len + arg.len + range.len);
        if (p == NULL) {
            return NGX_ERROR;
        }

        out->data = p;
        out->len = ngx_sprintf(p, "{\"upload_uuid\":\"%V\",\"digest\":\"%V\","
                               "\"range\":\"%V\"}",
                               &uuid, &arg, &range)
                   - p;
    }

    return NGX_OK;
}


/*
 * response (3.6): what the body filter kept (management answers, every
 * error body), masked; a manifest PUT's digest.
 */

static ngx_int_t
ngx_http_swr_audit_response(ngx_http_request_t *r, ngx_http_swr_audit_t *a,
    ngx_str_t *out)
{
    u_char     *p;
    ngx_str_t   digest;

    ngx_str_null(out);

    if (a->response && a->response->last > a->response->pos) {
        out->data = a->response->pos;
        out->len = a->response->last - a->response->pos;

        if (a->truncated
            && ngx_http_swr_audit_truncated(r->pool, out) != NGX_OK)
        {
            return NGX_ERROR;
        }

        ngx_http_swr_audit_mask(out);

        return NGX_OK;
    }

    if (a->route == NGX_HTTP_SWR_ROUTE_MANIFEST && r->method == NGX_HTTP_PUT
        && a->digest.len)
    {
        /* the answer's, or the reference the client wrote */

        digest = a->digest;

        if (ngx_http_swr_audit_text(r->pool, &digest) != NGX_OK) {
            return NGX_ERROR;
        }

        p = ngx_pnalloc(r->pool, sizeof("{\"Docker-Content-Digest\":\"\"}")
                                 + digest.len);
        if (p == NULL) {
            return NGX_ERROR;
        }

        out->data = p;

        p = ngx_http_swr_audit_lit(p, "{\"Docker-Content-Digest\":\"");
        p = ngx_cpymem(p, digest.data, digest.len);
        p = ngx_http_swr_audit_lit(p, "\"}");

        out->len = p - out->data;
    }

    return NGX_OK;
}


/* the digest a manifest was stored as: the answer's header says */

static void
ngx_http_swr_audit_digest(ngx_http_request_t *r, ngx_http_swr_audit_t *a)
{
    ngx_table_elt_t  *h;

    h = ngx_http_swr_find_in(&r->headers_out.headers,
                             (u_char *) "Docker-Content-Digest",
                             sizeof("Docker-Content-Digest") - 1);
    if (h) {
        a->digest = h->value;
        a->id = h->value;
        return;
    }

    /* not stored: the reference, if it is a digest */

    if (ngx_strlchr(a->id.data, a->id.data + a->id.len, ':')) {
        a->digest = a->id;
    }
}


/*
 * content_length: what the client announced (kept by the ACCESS phase:
 * reading or discarding a body counts content_length_n down), or what a
 * chunked body came to
 */

static off_t
ngx_http_swr_audit_length(ngx_http_request_t *r, ngx_http_swr_audit_t *a)
{
    off_t  n;

    n = r->headers_in.content_length_n;

    if (a->length > n) {
        n = a->length;
    }

    return n > 0 ? n : 0;
}


/*
 * A management body that is JSON, written compact (audit-records.md
 * 3.6): the whitespace between tokens dropped, into a copy; anything else
 * (not JSON, cut at 64 KiB) as received.  A body the management
 * dispatcher checked (ngx_http_swr_mop) is not parsed again.
 */

static void
ngx_http_swr_audit_compact(ngx_pool_t *pool, ngx_str_t *json,
    ngx_uint_t checked)
{
    u_char            *p, *q, *last, *out;
    ngx_uint_t         in;
    yajl_status        st;
    yajl_handle        h;
    yajl_alloc_funcs   af;

    if (json->len == 0) {
        return;
    }

    if (!checked) {
        ngx_http_swr_json_alloc_funcs(&af, pool);

        h = yajl_alloc(NULL, &af, NULL);
        if (h == NULL) {
            return;
        }

        st = yajl_parse(h, json->data, json->len);

        if (st == yajl_status_ok) {
            st = yajl_complete_parse(h);
        }

        yajl_free(h);

        if (st != yajl_status_ok) {
            return;
        }
    }

    /* into a copy: the body's text is the request's, shared */

    out = ngx_pnalloc(pool, json->len);
    if (out == NULL) {
        return;
    }

    in = 0;
    last = json->data + json->len;

    for (p = json->data, q = out; p < last; p++) {

        if (in) {
            if (*p == '\\' && p + 1 < last) {
                *q++ = *p++;

            } else if (*p == '"') {
                in = 0;
            }

            *q++ = *p;
            continue;
        }

        switch (*p) {

        case ' ':
        case '\t':
        case '\r':
        case '\n':
            continue;

        case '"':
            in = 1;
            /* fall through */

        default:
            *q++ = *p;
        }
    }

    json->data = out;
    json->len = q - out;
}


/* the request body, from memory or its file, 64 KiB at most */

static ngx_int_t
ngx_http_swr_audit_body(ngx_http_request_t *r, ngx_http_swr_audit_t *a,
    ngx_str_t *body)
{
    off_t  size;

    if (ngx_http_swr_body_text(r, NGX_HTTP_SWR_AUDIT_CAPTURE, body, &size)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    if (size > NGX_HTTP_SWR_AUDIT_CAPTURE) {
        return ngx_http_swr_audit_truncated(r->pool, body);
    }

    return NGX_OK;
}


/*
 * A client's text (a header, an argument) for a registry summary, which
 * is JSON text itself: '"', '\\' and control characters escaped, into a
 * copy when there are any (the record escapes the summary as a whole)
 */

static ngx_int_t
ngx_http_swr_audit_text(ngx_pool_t *pool, ngx_str_t *s)
{
    u_char     *p;
    uintptr_t   n;

    n = ngx_escape_json(NULL, s->data, s->len);

    if (n == 0) {
        return NGX_OK;
    }

    p = ngx_pnalloc(pool, s->len + n);
    if (p == NULL) {
        return NGX_ERROR;
    }

    s->len = (u_char *) ngx_escape_json(p, s->data, s->len) - p;
    s->data = p;

    return NGX_OK;
}


/* a text cut at 64 KiB, so marked (audit-records.md 3.6): into a copy */

static ngx_int_t
ngx_http_swr_audit_truncated(ngx_pool_t *pool, ngx_str_t *s)
{
    u_char  *p;

    p = ngx_pnalloc(pool, s->len + sizeof("...(truncated)") - 1);
    if (p == NULL) {
        return NGX_ERROR;
    }

    s->len = ngx_sprintf(p, "%V...(truncated)", s) - p;
    s->data = p;

    return NGX_OK;
}


/* names that only the body has (CreateNamespace, CreateRepo, ...) */

static void
ngx_http_swr_audit_names(ngx_http_request_t *r, ngx_http_swr_audit_t *a)
{
    ngx_str_t                  body, v, *ps;
    ngx_http_swr_ctx_t        *ctx;
    ngx_http_swr_identity_t   *id;
    ngx_http_swr_main_conf_t  *smcf;

    ps = a->params;

    switch (a->kind) {

    case NGX_HTTP_SWR_AUDIT_NAME_NS:
        a->name = ps[0];
        a->id = ps[0];
        return;

    case NGX_HTTP_SWR_AUDIT_NAME_REPO:
        (void) ngx_http_swr_audit_join(r->pool, &a->name, &ps[0], '/',
                                       &ps[1]);
        a->id = a->name;
        return;

    case NGX_HTTP_SWR_AUDIT_NAME_TAG:
        if (ngx_http_swr_audit_join(r->pool, &v, &ps[0], '/', &ps[1])
            == NGX_OK)
        {
            (void) ngx_http_swr_audit_join(r->pool, &a->name, &v, ':',
                                           &ps[2]);
        }

        a->id = a->name;
        return;

    case NGX_HTTP_SWR_AUDIT_NAME_DOMAIN:
        a->name = ps[2];

        if (ngx_http_swr_audit_join(r->pool, &v, &ps[0], '/', &ps[1])
            == NGX_OK)
        {
            (void) ngx_http_swr_audit_join(r->pool, &a->id, &v, '/',
                                           &ps[2]);
        }

        return;

    case NGX_HTTP_SWR_AUDIT_NAME_SECRET:
        smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

        if (ngx_http_swr_arg(r, "projectname", &a->name) != NGX_OK
            || a->name.len == 0)
        {
            a->name = smcf->region;
        }

        ctx = ngx_http_swr_find_ctx(r);
        id = ctx ? ctx->identity : NULL;

        if (id) {
            a->id = id->user;
        }

        return;

    case NGX_HTTP_SWR_AUDIT_NAME_NONE:
        return;
    }

    /* from the body */

    if (ngx_http_swr_audit_body(r, a, &body) != NGX_OK || body.len == 0) {
        return;
    }

    switch (a->kind) {

    case NGX_HTTP_SWR_AUDIT_NAME_BODY_NS:
        if (ngx_http_swr_audit_field(r->pool, &body, "namespace", &v)
            == NGX_OK)
        {
            a->name = v;
            a->id = v;
        }

        return;

    case NGX_HTTP_SWR_AUDIT_NAME_BODY_REPO:
        if (ngx_http_swr_audit_field(r->pool, &body, "repository", &v)
            == NGX_OK
            && ngx_http_swr_audit_join(r->pool, &a->name, &ps[0], '/', &v)
               == NGX_OK)
        {
            a->id = a->name;
        }

        return;

    case NGX_HTTP_SWR_AUDIT_NAME_BODY_TAG:
        if (ngx_http_swr_audit_field(r->pool, &body, "destination_tag", &v)
            == NGX_OK
            && ngx_http_swr_audit_join(r->pool, &body, &ps[0], '/', &ps[1])
               == NGX_OK
            && ngx_http_swr_audit_join(r->pool, &a->name, &body, ':', &v)
               == NGX_OK)
        {
            a->id = a->name;
        }

        return;

    default: /* NGX_HTTP_SWR_AUDIT_NAME_BODY_DOMAIN */
        if (ngx_http_swr_audit_field(r->pool, &body, "access_domain", &v)
            == NGX_OK)
        {
            a->name = v;

            if (ngx_http_swr_audit_join(r->pool, &body, &ps[0], '/', &ps[1])
                == NGX_OK)
            {
                (void) ngx_http_swr_audit_join(r->pool, &a->id, &body, '/',
                                               &v);
            }
        }

        return;
    }
}


/* out = a <sep> b */

static ngx_int_t
ngx_http_swr_audit_join(ngx_pool_t *pool, ngx_str_t *out, ngx_str_t *a,
    u_char sep, ngx_str_t *b)
{
    u_char  *p;

    p = ngx_pnalloc(pool, a->len + 1 + b->len);
    if (p == NULL) {
        return NGX_ERROR;
    }

    out->data = p;
    p = ngx_cpymem(p, a->data, a->len);
    *p++ = sep;
    p = ngx_cpymem(p, b->data, b->len);
    out->len = p - out->data;

    return NGX_OK;
}


/* the string value of a top-level field of a JSON object */

static ngx_int_t
ngx_http_swr_audit_field(ngx_pool_t *pool, ngx_str_t *json,
    const char *field, ngx_str_t *value)
{
    yajl_handle                  h;
    yajl_alloc_funcs             af;
    ngx_http_swr_audit_field_t   f;

    ngx_memzero(&f, sizeof(ngx_http_swr_audit_field_t));
    f.field = field;

    ngx_http_swr_json_alloc_funcs(&af, pool);

    h = yajl_alloc(&ngx_http_swr_audit_field_callbacks, &af, &f);
    if (h == NULL) {
        return NGX_ERROR;
    }

    (void) yajl_parse(h, json->data, json->len);
    yajl_free(h);

    if (!f.found) {
        return NGX_DECLINED;
    }

    value->data = ngx_pstrdup(pool, &f.value);
    if (value->data == NULL) {
        return NGX_ERROR;
    }

    value->len = f.value.len;

    return NGX_OK;
}


static int
ngx_http_swr_audit_field_string(void *ctx, const unsigned char *s,
    size_t len)
{
    ngx_http_swr_audit_field_t  *f = ctx;

    if (f->next && f->depth == 1) {
        f->value.data = (u_char *) s;
        f->value.len = len;
        f->found = 1;
        return 0;
    }

    f->next = 0;

    return 1;
}


static int
ngx_http_swr_audit_field_key(void *ctx, const unsigned char *s, size_t len)
{
    ngx_http_swr_audit_field_t  *f = ctx;

    f->next = (f->depth == 1 && ngx_strlen(f->field) == len
               && ngx_strncmp(f->field, s, len) == 0);

    return 1;
}


static int
ngx_http_swr_audit_field_open(void *ctx)
{
    ngx_http_swr_audit_field_t  *f = ctx;

    f->depth++;
    f->next = 0;

    return 1;
}


static int
ngx_http_swr_audit_field_close(void *ctx)
{
    ngx_http_swr_audit_field_t  *f = ctx;

    f->depth--;

    return 1;
}


static int
ngx_http_swr_audit_field_other(void *ctx)
{
    ngx_http_swr_audit_field_t  *f = ctx;

    f->next = 0;

    return 1;
}


static int
ngx_http_swr_audit_field_bool(void *ctx, int b)
{
    return ngx_http_swr_audit_field_other(ctx);
}


static int
ngx_http_swr_audit_field_number(void *ctx, const char *s, size_t len)
{
    return ngx_http_swr_audit_field_other(ctx);
}


/* the temporary login's credentials: "auth":"<...>" -> "******" */

static void
ngx_http_swr_audit_mask(ngx_str_t *s)
{
    u_char  *p, *last, *q;

    p = s->data;
    last = p + s->len;

    for ( ;; ) {
        p = ngx_strlcasestrn(p, last, (u_char *) "\"auth\":\"", 8 - 1);
        if (p == NULL) {
            return;
        }

        p += 8;

        for (q = p; q < last && *q != '"'; q++) {
            if (*q == '\\' && q + 1 < last) {
                q++;
            }
        }

        /* the same length: 6 stars, the rest of the value dropped */

        if (q - p >= 6) {
            ngx_memset(p, '*', 6);
            ngx_memmove(p + 6, q, last - q);
            s->len -= (q - p) - 6;
            last = s->data + s->len;

        } else {
            ngx_memset(p, '*', q - p);
        }
    }
}

/*
 * What the response says, for the record: the management API's answers
 * and every error body, 64 KiB at most; never a blob's or a manifest's
 * bytes.
 */

static ngx_int_t
ngx_http_swr_audit_body_filter(ngx_http_request_t *r, ngx_chain_t *in)
{
    size_t                 n;
    ngx_buf_t             *b;
    ngx_chain_t           *cl;
    ngx_http_swr_ctx_t    *ctx;
    ngx_http_swr_audit_t  *a;

    ctx = (r == r->main) ? ngx_http_get_module_ctx(r, ngx_http_swr_module)
                         : NULL;

    if (ctx == NULL || ctx->audit == NULL) {
        return ngx_http_next_body_filter(r, in);
    }

    a = ctx->audit;

    if (a->read_only
        || (a->role != NGX_HTTP_SWR_ROLE_MANAGE
            && r->headers_out.status < 400))
    {
        return ngx_http_next_body_filter(r, in);
    }

    for (cl = in; cl; cl = cl->next) {
        b = cl->buf;

        if (b->in_file || !ngx_buf_in_memory(b) || b->last == b->pos) {
            continue;
        }

        if (a->response == NULL) {

            /* the answer's length when it is known, 64 KiB at most */

            n = NGX_HTTP_SWR_AUDIT_CAPTURE;

            if (r->headers_out.content_length_n > 0
                && r->headers_out.content_length_n < (off_t) n)
            {
                n = (size_t) r->headers_out.content_length_n;
            }

            a->response = ngx_create_temp_buf(r->pool, n);
            if (a->response == NULL) {
                break;
            }
        }

        n = ngx_min((size_t) (b->last - b->pos),
                    (size_t) (a->response->end - a->response->last));

        if (n < (size_t) (b->last - b->pos)) {
            a->truncated = 1;
        }

        a->response->last = ngx_cpymem(a->response->last, b->pos, n);
    }

    return ngx_http_next_body_filter(r, in);
}
