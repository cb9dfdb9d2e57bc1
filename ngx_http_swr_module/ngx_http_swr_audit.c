
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
#include "ngx_http_swr_auth.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_mop.h"
#include "ngx_http_swr_router.h"
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
 * timings) and writes it, once: to the swr_audit_log file (buffered, as
 * access_log) and to the swr_audit_redis stream (XADD, bounded), sent
 * without waiting.  A record the file could not take goes to the error
 * log.  Secrets never enter a record: no header is copied, request
 * bodies of the management API hold none, the temporary login's "auth"
 * values are masked.
 */


#define NGX_HTTP_SWR_AUDIT_CAPTURE   65536
#define NGX_HTTP_SWR_AUDIT_BUFFER    65536


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

    ngx_str_t                    body;      /* the request's, read once */

    unsigned                     body_read:1;
    unsigned                     written:1;
    unsigned                     repo_created:1;
    unsigned                     truncated:1;
} ngx_http_swr_audit_t;


/* the file's buffer, per worker (the open file's data), as access_log's */

typedef struct {
    u_char                      *start;
    u_char                      *pos;
    u_char                      *last;
    ngx_event_t                 *event;
    ngx_msec_t                   flush;
} ngx_http_swr_audit_buf_t;


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
static ngx_int_t ngx_http_swr_audit_record(ngx_http_request_t *r,
    ngx_http_swr_ctx_t *ctx, ngx_http_swr_audit_t *a,
    ngx_http_swr_json_t *j);
static ngx_int_t ngx_http_swr_audit_user(ngx_http_request_t *r,
    ngx_http_swr_ctx_t *ctx, ngx_http_swr_json_t *j);
static void ngx_http_swr_audit_offered(ngx_http_request_t *r,
    ngx_str_t *ak);
static ngx_int_t ngx_http_swr_audit_request(ngx_http_request_t *r,
    ngx_http_swr_ctx_t *ctx, ngx_http_swr_audit_t *a, ngx_str_t *out);
static ngx_int_t ngx_http_swr_audit_response(ngx_http_request_t *r,
    ngx_http_swr_audit_t *a, ngx_str_t *out);
static void ngx_http_swr_audit_digest(ngx_http_request_t *r,
    ngx_http_swr_audit_t *a);
static ngx_int_t ngx_http_swr_audit_header_out(ngx_http_request_t *r,
    const char *name, ngx_str_t *value);
static off_t ngx_http_swr_audit_length(ngx_http_request_t *r,
    ngx_http_swr_audit_t *a);
static void ngx_http_swr_audit_compact(ngx_pool_t *pool, ngx_str_t *json);
static ngx_int_t ngx_http_swr_audit_body(ngx_http_request_t *r,
    ngx_http_swr_audit_t *a, ngx_str_t *body);
static ngx_int_t ngx_http_swr_audit_field(ngx_pool_t *pool, ngx_str_t *json,
    const char *field, ngx_str_t *value);
static void ngx_http_swr_audit_names(ngx_http_request_t *r,
    ngx_http_swr_audit_t *a);
static ngx_int_t ngx_http_swr_audit_join(ngx_pool_t *pool, ngx_str_t *out,
    ngx_str_t *a, u_char sep, ngx_str_t *b);
static void ngx_http_swr_audit_mask(ngx_str_t *s);
static void ngx_http_swr_audit_file(ngx_http_request_t *r,
    ngx_http_swr_audit_log_t *log, ngx_str_t *line);
static void ngx_http_swr_audit_flush(ngx_open_file_t *file, ngx_log_t *log);
static void ngx_http_swr_audit_lost(ngx_log_t *log, ngx_err_t err,
    ngx_str_t *file, u_char *data, size_t len);
static void ngx_http_swr_audit_flush_handler(ngx_event_t *ev);
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


/*
 * swr_audit_log <path> [buffer=<size>] [flush=<time>] | off;
 *
 * One JSON object a line.  The file is opened by nginx itself (so "nginx
 * -s reopen" reopens it, flushing the buffer first, and a permission
 * problem shows at start-up); with buffer= the records of a worker are
 * written together, at the latest flush= (1s) after the first.
 */

char *
ngx_http_swr_audit_log_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_swr_loc_conf_t  *slcf = conf;

    ssize_t                    size;
    ngx_str_t                 *value, s;
    ngx_msec_t                 flush;
    ngx_uint_t                 i;
    ngx_http_swr_audit_buf_t  *buf;
    ngx_http_swr_audit_log_t  *al;

    if (slcf->audit_log != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (value[1].len == 3 && ngx_strncmp(value[1].data, "off", 3) == 0) {
        if (cf->args->nelts > 2) {
            return "takes nothing after \"off\"";
        }

        slcf->audit_log = NULL;
        return NGX_CONF_OK;
    }

    size = 0;
    flush = 0;

    for (i = 2; i < cf->args->nelts; i++) {

        if (ngx_strncmp(value[i].data, "buffer=", 7) == 0) {
            s.data = value[i].data + 7;
            s.len = value[i].len - 7;

            size = ngx_parse_size(&s);
            if (size <= 0) {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "invalid buffer size \"%V\"", &s);
                return NGX_CONF_ERROR;
            }

            continue;
        }

        if (ngx_strncmp(value[i].data, "flush=", 6) == 0) {
            s.data = value[i].data + 6;
            s.len = value[i].len - 6;

            flush = ngx_parse_time(&s, 0);
            if (flush == (ngx_msec_t) NGX_ERROR || flush == 0) {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "invalid flush time \"%V\"", &s);
                return NGX_CONF_ERROR;
            }

            continue;
        }

        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid parameter \"%V\"", &value[i]);
        return NGX_CONF_ERROR;
    }

    if (flush && size == 0) {
        return "has flush= without buffer=";
    }

    al = ngx_pcalloc(cf->pool, sizeof(ngx_http_swr_audit_log_t));
    if (al == NULL) {
        return NGX_CONF_ERROR;
    }

    al->path = value[1];

    al->file = ngx_conf_open_file(cf->cycle, &al->path);
    if (al->file == NULL) {
        return NGX_CONF_ERROR;
    }

    slcf->audit_log = al;

    if (size == 0) {
        return NGX_CONF_OK;
    }

    if (al->file->data) {
        buf = al->file->data;

        if ((size_t) (buf->last - buf->start) != (size_t) size) {
            return "is given another buffer size for the same file";
        }

        return NGX_CONF_OK;
    }

    buf = ngx_pcalloc(cf->pool, sizeof(ngx_http_swr_audit_buf_t));
    if (buf == NULL) {
        return NGX_CONF_ERROR;
    }

    buf->start = ngx_pnalloc(cf->pool, size);
    if (buf->start == NULL) {
        return NGX_CONF_ERROR;
    }

    buf->pos = buf->start;
    buf->last = buf->start + size;

    buf->event = ngx_pcalloc(cf->pool, sizeof(ngx_event_t));
    if (buf->event == NULL) {
        return NGX_CONF_ERROR;
    }

    buf->event->data = al->file;
    buf->event->handler = ngx_http_swr_audit_flush_handler;
    buf->event->log = &cf->cycle->new_log;
    buf->event->cancelable = 1;
    buf->flush = flush ? flush : 1000;

    al->file->data = buf;
    al->file->flush = ngx_http_swr_audit_flush;

    return NGX_CONF_OK;
}


/* swr_audit_redis on [stream=<key>] [maxlen=<n>] | off; */

char *
ngx_http_swr_audit_redis_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_swr_loc_conf_t  *slcf = conf;

    ngx_int_t                    n;
    ngx_str_t                   *value;
    ngx_uint_t                   i;
    ngx_http_swr_audit_redis_t  *ar;

    if (slcf->audit_redis != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (value[1].len == 3 && ngx_strncmp(value[1].data, "off", 3) == 0
        && cf->args->nelts == 2)
    {
        slcf->audit_redis = NULL;
        return NGX_CONF_OK;
    }

    if (!(value[1].len == 2 && ngx_strncmp(value[1].data, "on", 2) == 0)) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid value \"%V\", it must be \"on\" or "
                           "\"off\"", &value[1]);
        return NGX_CONF_ERROR;
    }

    ar = ngx_pcalloc(cf->pool, sizeof(ngx_http_swr_audit_redis_t));
    if (ar == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_str_set(&ar->stream, "swr:audit");
    ar->maxlen = 1000000;

    for (i = 2; i < cf->args->nelts; i++) {

        if (ngx_strncmp(value[i].data, "stream=", 7) == 0
            && value[i].len > 7)
        {
            ar->stream.data = value[i].data + 7;
            ar->stream.len = value[i].len - 7;
            continue;
        }

        if (ngx_strncmp(value[i].data, "maxlen=", 7) == 0) {
            n = ngx_atoi(value[i].data + 7, value[i].len - 7);
            if (n <= 0) {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "invalid maxlen \"%V\"", &value[i]);
                return NGX_CONF_ERROR;
            }

            ar->maxlen = n;
            continue;
        }

        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid parameter \"%V\"", &value[i]);
        return NGX_CONF_ERROR;
    }

    slcf->audit_redis = ar;

    return NGX_CONF_OK;
}


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

        (void) ngx_http_swr_audit_header_out(r, "Docker-Upload-UUID",
                                             &a->id);
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
    ngx_buf_t            *b;
    ngx_str_t             line;
    ngx_http_swr_cmd_t   *cmd;
    ngx_http_swr_json_t  *j;

    j = ngx_http_swr_json_create(r->pool);
    if (j == NULL) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_audit_record(r, ctx, a, j) != NGX_OK) {
        ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                      "swr audit: no record could be made for %V %V",
                      &r->method_name, &r->uri);
        return NGX_ERROR;
    }

    b = ngx_http_swr_json_buf(j);
    if (b == NULL) {
        return NGX_ERROR;
    }

    line.data = b->pos;
    line.len = b->last - b->pos;

    if (a->redis) {
        cmd = ngx_http_swr_cmd(r->pool, 8);

        if (cmd == NULL
            || ngx_http_swr_cmd_cstr(cmd, "XADD") != NGX_OK
            || ngx_http_swr_cmd_str(cmd, &a->redis->stream) != NGX_OK
            || ngx_http_swr_cmd_cstr(cmd, "MAXLEN") != NGX_OK
            || ngx_http_swr_cmd_cstr(cmd, "~") != NGX_OK
            || ngx_http_swr_cmd_int(cmd, a->redis->maxlen) != NGX_OK
            || ngx_http_swr_cmd_cstr(cmd, "*") != NGX_OK
            || ngx_http_swr_cmd_cstr(cmd, "record") != NGX_OK
            || ngx_http_swr_cmd_str(cmd, &line) != NGX_OK
            || ngx_http_swr_cmd_send(r, cmd, NULL, NULL) != NGX_OK)
        {
            if (a->log == NULL) {
                ngx_http_swr_audit_lost(r->connection->log, 0, NULL,
                                        line.data, line.len);
            }
        }
    }

    if (a->log) {
        ngx_http_swr_audit_file(r, a->log, &line);
    }

    return NGX_OK;
}


/* the record, fields in the order of audit-records.md 2 */

static ngx_int_t
ngx_http_swr_audit_record(ngx_http_request_t *r, ngx_http_swr_ctx_t *ctx,
    ngx_http_swr_audit_t *a, ngx_http_swr_json_t *j)
{
    u_char                     *p, uuid[16], hex[36];
    int64_t                     now;
    ngx_int_t                   status;
    ngx_str_t                   request, response, project, request_id,
                                empty, trace_id, s;
    ngx_time_t                 *tp;
    ngx_table_elt_t            *h;
    ngx_http_swr_identity_t    *id;
    ngx_http_swr_main_conf_t   *smcf;
    const ngx_http_swr_error_t *e;

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);
    id = ctx->identity;

    ngx_str_null(&empty);

    status = r->err_status ? r->err_status : r->headers_out.status;

    /* the client went away before an answer (not after one) */

    if (status == 0 || (r->connection->error && !r->header_sent)) {
        status = NGX_HTTP_CLIENT_CLOSED_REQUEST;
    }

    if (ngx_http_swr_audit_request(r, ctx, a, &request) != NGX_OK
        || ngx_http_swr_audit_response(r, a, &response) != NGX_OK)
    {
        return NGX_ERROR;
    }

    project = smcf->region;

    h = ngx_http_swr_find_header(r, "X-Project-Id");
    if (a->role == NGX_HTTP_SWR_ROLE_MANAGE && h && h->value.len) {
        project = h->value;
    }

    if (ngx_http_swr_request_id(r, &request_id) != NGX_OK) {
        ngx_str_null(&request_id);
    }

    if (RAND_bytes(uuid, sizeof(uuid)) != 1) {
        return NGX_ERROR;
    }

    uuid[6] = (uuid[6] & 0x0f) | 0x40;
    uuid[8] = (uuid[8] & 0x3f) | 0x80;

    p = ngx_hex_dump(hex, uuid, 4);
    *p++ = '-';
    p = ngx_hex_dump(p, uuid + 4, 2);
    *p++ = '-';
    p = ngx_hex_dump(p, uuid + 6, 2);
    *p++ = '-';
    p = ngx_hex_dump(p, uuid + 8, 2);
    *p++ = '-';
    p = ngx_hex_dump(p, uuid + 10, 6);

    trace_id.data = hex;
    trace_id.len = p - hex;

    tp = ngx_timeofday();
    now = (int64_t) tp->sec * 1000 + tp->msec;

    if (ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "time") != NGX_OK
        || ngx_http_swr_json_int(j, a->time) != NGX_OK
        || ngx_http_swr_json_cstr(j, "user") != NGX_OK
        || ngx_http_swr_audit_user(r, ctx, j) != NGX_OK
        || ngx_http_swr_json_cstr(j, "request") != NGX_OK
        || ngx_http_swr_json_str(j, &request) != NGX_OK
        || ngx_http_swr_json_cstr(j, "response") != NGX_OK
        || ngx_http_swr_json_str(j, &response) != NGX_OK
        || ngx_http_swr_json_cstr(j, "service_type") != NGX_OK
        || ngx_http_swr_json_cstr(j, "SWR") != NGX_OK
        || ngx_http_swr_json_cstr(j, "event_type") != NGX_OK
        || ngx_http_swr_json_cstr(j, "system") != NGX_OK
        || ngx_http_swr_json_cstr(j, "project_id") != NGX_OK
        || ngx_http_swr_json_str(j, &project) != NGX_OK
        || ngx_http_swr_json_cstr(j, "resource_type") != NGX_OK
        || ngx_http_swr_json_cstr(j, a->type) != NGX_OK
        || ngx_http_swr_json_cstr(j, "read_only") != NGX_OK
        || ngx_http_swr_json_bool(j, a->read_only) != NGX_OK
        || ngx_http_swr_json_cstr(j, "tracker_name") != NGX_OK
        || ngx_http_swr_json_cstr(j, "system") != NGX_OK
        || ngx_http_swr_json_cstr(j, "operation_id") != NGX_OK
        || ngx_http_swr_json_cstr(j, a->operation) != NGX_OK
        || ngx_http_swr_json_cstr(j, "resource_name") != NGX_OK
        || ngx_http_swr_json_str(j, &a->name) != NGX_OK
        || ngx_http_swr_json_cstr(j, "resource_id") != NGX_OK
        || ngx_http_swr_json_str(j, &a->id) != NGX_OK
        || ngx_http_swr_json_cstr(j, "source_ip") != NGX_OK
        || ngx_http_swr_json_str(j, &r->connection->addr_text) != NGX_OK
        || ngx_http_swr_json_cstr(j, "domain_id") != NGX_OK
        || ngx_http_swr_json_str(j, id ? &id->account : &empty) != NGX_OK
        || ngx_http_swr_json_cstr(j, "trace_name") != NGX_OK
        || ngx_http_swr_json_cstr(j, a->trace) != NGX_OK
        || ngx_http_swr_json_cstr(j, "trace_rating") != NGX_OK
        || ngx_http_swr_json_cstr(j, status < 400 ? "normal" : "warning")
           != NGX_OK
        || ngx_http_swr_json_cstr(j, "trace_type") != NGX_OK
        || ngx_http_swr_json_cstr(j, "ApiCall") != NGX_OK
        || ngx_http_swr_json_cstr(j, "api_version") != NGX_OK
        || ngx_http_swr_json_cstr(j, "v2") != NGX_OK)
    {
        return NGX_ERROR;
    }

    /*
     * message: the error code of a failure; none when the client left
     * before an answer (499): no error code was answered
     */

    if (status >= 400 && status != NGX_HTTP_CLIENT_CLOSED_REQUEST) {
        e = ngx_http_swr_error_get(ctx->err ? ctx->err
                                   : ngx_http_swr_error_by_status(status));

        s = (a->role == NGX_HTTP_SWR_ROLE_MANAGE) ? e->swr_code : e->code;

        if (s.len
            && (ngx_http_swr_json_cstr(j, "message") != NGX_OK
                || ngx_http_swr_json_str(j, &s) != NGX_OK))
        {
            return NGX_ERROR;
        }
    }

    h = r->headers_in.user_agent;

    if (ngx_http_swr_json_cstr(j, "record_time") != NGX_OK
        || ngx_http_swr_json_int(j, now) != NGX_OK
        || ngx_http_swr_json_cstr(j, "trace_id") != NGX_OK
        || ngx_http_swr_json_str(j, &trace_id) != NGX_OK
        || ngx_http_swr_json_cstr(j, "code") != NGX_OK
        || ngx_http_swr_json_str(j, &(ngx_str_t) {
               ngx_sprintf(hex, "%i", status) - hex, hex }) != NGX_OK
        || ngx_http_swr_json_cstr(j, "request_id") != NGX_OK
        || ngx_http_swr_json_str(j, &request_id) != NGX_OK
        || ngx_http_swr_json_cstr(j, "user_agent") != NGX_OK
        || ngx_http_swr_json_str(j, h ? &h->value : &empty) != NGX_OK
        || ngx_http_swr_json_cstr(j, "content_length") != NGX_OK
        || ngx_http_swr_json_int(j, ngx_http_swr_audit_length(r, a))
           != NGX_OK
        || ngx_http_swr_json_cstr(j, "total_time") != NGX_OK
        || ngx_http_swr_json_int(j, ngx_current_msec - ctx->started)
           != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}


/*
 * user (2.1): who the request authenticated as; nobody yet (refused,
 * or no credentials): Anonymous, with the AK it offered if one.
 */

static ngx_int_t
ngx_http_swr_audit_user(ngx_http_request_t *r, ngx_http_swr_ctx_t *ctx,
    ngx_http_swr_json_t *j)
{
    u_char                   *p;
    ngx_str_t                 urn, ak;
    ngx_http_swr_identity_t  *id;

    id = ctx->identity;

    if (id == NULL || id->user.len == 0) {

        /* refused before authentication looked: the AK offered still */

        ak = ctx->claimed;

        if (ak.len == 0) {
            ngx_http_swr_audit_offered(r, &ak);
        }

        if (ngx_http_swr_json_open(j, 0) != NGX_OK
            || ngx_http_swr_json_cstr(j, "type") != NGX_OK
            || ngx_http_swr_json_cstr(j, "Anonymous") != NGX_OK
            || ngx_http_swr_json_cstr(j, "name") != NGX_OK
            || ngx_http_swr_json_cstr(j, "anonymous") != NGX_OK
            || (ak.len
                && (ngx_http_swr_json_cstr(j, "access_key_id") != NGX_OK
                    || ngx_http_swr_json_str(j, &ak) != NGX_OK))
            || ngx_http_swr_json_close(j, 0) != NGX_OK)
        {
            return NGX_ERROR;
        }

        return NGX_OK;
    }

    urn.len = sizeof("iam:::user:") - 1 + id->account.len + id->name.len;
    urn.data = ngx_pnalloc(r->pool, urn.len);
    if (urn.data == NULL) {
        return NGX_ERROR;
    }

    p = ngx_sprintf(urn.data, "iam::%V:user:%V", &id->account, &id->name);
    urn.len = p - urn.data;

    if (ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "id") != NGX_OK
        || ngx_http_swr_json_str(j, &id->user) != NGX_OK
        || ngx_http_swr_json_cstr(j, "name") != NGX_OK
        || ngx_http_swr_json_str(j, &id->name) != NGX_OK
        || ngx_http_swr_json_cstr(j, "user_name") != NGX_OK
        || ngx_http_swr_json_str(j, &id->name) != NGX_OK
        || ngx_http_swr_json_cstr(j, "domain") != NGX_OK
        || ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "id") != NGX_OK
        || ngx_http_swr_json_str(j, &id->account) != NGX_OK
        || ngx_http_swr_json_cstr(j, "name") != NGX_OK
        || ngx_http_swr_json_str(j, &id->account_name) != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "account_id") != NGX_OK
        || ngx_http_swr_json_str(j, &id->account) != NGX_OK
        || (ctx->claimed.len
            && (ngx_http_swr_json_cstr(j, "access_key_id") != NGX_OK
                || ngx_http_swr_json_str(j, &ctx->claimed) != NGX_OK))
        || ngx_http_swr_json_cstr(j, "principal_urn") != NGX_OK
        || ngx_http_swr_json_str(j, &urn) != NGX_OK
        || ngx_http_swr_json_cstr(j, "principal_id") != NGX_OK
        || ngx_http_swr_json_str(j, &id->user) != NGX_OK
        || ngx_http_swr_json_cstr(j, "principal_is_root_user") != NGX_OK
        || ngx_http_swr_json_cstr(j, "false") != NGX_OK
        || ngx_http_swr_json_cstr(j, "type") != NGX_OK
        || ngx_http_swr_json_cstr(j, "User") != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}


/*
 * The AK a request offered that authentication never looked at (refused
 * before, e.g. for its name): the user of a Basic login after its '@'
 * ("<region>@<AK>"), or an AK/SK signature's Access=; never anything
 * else of the header.
 */

static void
ngx_http_swr_audit_offered(ngx_http_request_t *r, ngx_str_t *ak)
{
    u_char     *p, *last, *at;
    ngx_str_t   v;

    ngx_str_null(ak);

    if (r->headers_in.authorization == NULL) {
        return;
    }

    v = r->headers_in.authorization->value;

    if (v.len > sizeof("SDK-HMAC-SHA256 ") - 1
        && ngx_strncasecmp(v.data, (u_char *) "SDK-HMAC-SHA256 ",
                           sizeof("SDK-HMAC-SHA256 ") - 1) == 0)
    {
        last = v.data + v.len;

        p = ngx_strlcasestrn(v.data, last, (u_char *) "Access=",
                             sizeof("Access=") - 1 - 1);
        if (p == NULL) {
            return;
        }

        p += sizeof("Access=") - 1;

        for (at = p; at < last && *at != ',' && *at != ' '; at++) {
            /* void */
        }

        if (at - p > 0 && at - p <= 128) {
            ak->data = p;
            ak->len = at - p;
        }

        return;
    }

    if (ngx_http_auth_basic_user(r) != NGX_OK) {
        return;
    }

    p = r->headers_in.user.data;
    last = p + r->headers_in.user.len;

    at = ngx_strlchr(p, last, '@');
    if (at == NULL) {
        return;
    }

    while (ngx_strlchr(at + 1, last, '@')) {
        at = ngx_strlchr(at + 1, last, '@');
    }

    if (last - at - 1 > 0 && last - at - 1 <= 128) {
        ak->data = at + 1;
        ak->len = last - at - 1;
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
    ngx_str_t         arg, range;
    ngx_table_elt_t  *h;

    ngx_str_null(out);

    if (a->role == NGX_HTTP_SWR_ROLE_MANAGE) {
        if (ngx_http_swr_audit_body(r, a, out) != NGX_OK) {
            return NGX_ERROR;
        }

        ngx_http_swr_audit_compact(r->pool, out);

        return NGX_OK;
    }

    if (a->route == NGX_HTTP_SWR_ROUTE_MANIFEST && r->method == NGX_HTTP_PUT)
    {
        len = sizeof("{\"tag\":\"\",\"digest\":\"\",\"mediaType\":\"\","
                     "\"size\":}") + a->ref.len + a->digest.len
              + NGX_OFF_T_LEN;

        h = r->headers_in.content_type;

        p = ngx_pnalloc(r->pool, len + (h ? h->value.len : 0));
        if (p == NULL) {
            return NGX_ERROR;
        }

        out->data = p;
        out->len = ngx_sprintf(p, "{\"tag\":\"%V\",\"digest\":\"%V\","
                               "\"mediaType\":\"%V\",\"size\":%O}",
                               ngx_strlchr(a->ref.data,
                                           a->ref.data + a->ref.len, ':')
                               ? &(ngx_str_t) ngx_null_string : &a->ref,
                               &a->digest, h ? &h->value
                                             : &(ngx_str_t) ngx_null_string,
                               ngx_http_swr_audit_length(r, a))
                   - p;
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

        p = ngx_pnalloc(r->pool, sizeof("{\"upload_uuid\":\"\","
                                        "\"digest\":\"\",\"range\":\"\"}")
                                 + a->ref.len + arg.len + range.len);
        if (p == NULL) {
            return NGX_ERROR;
        }

        out->data = p;
        out->len = ngx_sprintf(p, "{\"upload_uuid\":\"%V\",\"digest\":\"%V\","
                               "\"range\":\"%V\"}",
                               a->route == NGX_HTTP_SWR_ROUTE_UPLOAD
                               ? &a->ref : &(ngx_str_t) ngx_null_string,
                               &arg, &range)
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
    u_char  *p;

    ngx_str_null(out);

    if (a->response && a->response->last > a->response->pos) {
        out->data = a->response->pos;
        out->len = a->response->last - a->response->pos;

        if (a->truncated) {
            p = ngx_pnalloc(r->pool, out->len + sizeof("...(truncated)"));
            if (p == NULL) {
                return NGX_ERROR;
            }

            out->len = ngx_sprintf(p, "%V...(truncated)", out) - p;
            out->data = p;
        }

        ngx_http_swr_audit_mask(out);

        return NGX_OK;
    }

    if (a->route == NGX_HTTP_SWR_ROUTE_MANIFEST && r->method == NGX_HTTP_PUT
        && a->digest.len)
    {
        p = ngx_pnalloc(r->pool, sizeof("{\"Docker-Content-Digest\":\"\"}")
                                 + a->digest.len);
        if (p == NULL) {
            return NGX_ERROR;
        }

        out->data = p;
        out->len = ngx_sprintf(p, "{\"Docker-Content-Digest\":\"%V\"}",
                               &a->digest) - p;
    }

    return NGX_OK;
}


/* the digest a manifest was stored as: the answer's header says */

static void
ngx_http_swr_audit_digest(ngx_http_request_t *r, ngx_http_swr_audit_t *a)
{
    ngx_str_t  v;

    if (ngx_http_swr_audit_header_out(r, "Docker-Content-Digest", &v)
        == NGX_OK)
    {
        a->digest = v;
        a->id = v;
        return;
    }

    /* not stored: the reference, if it is a digest */

    if (ngx_strlchr(a->id.data, a->id.data + a->id.len, ':')) {
        a->digest = a->id;
    }
}


/* the value of a response header (the first of that name) */

static ngx_int_t
ngx_http_swr_audit_header_out(ngx_http_request_t *r, const char *name,
    ngx_str_t *value)
{
    size_t            len;
    ngx_uint_t        i;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;

    len = ngx_strlen(name);

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

        if (h[i].hash
            && h[i].key.len == len
            && ngx_strncasecmp(h[i].key.data, (u_char *) name, len) == 0)
        {
            *value = h[i].value;
            return NGX_OK;
        }
    }

    return NGX_DECLINED;
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
 * 3.6): the whitespace between tokens dropped, in place; anything else
 * (not JSON, cut at 64 KiB) as received.
 */

static void
ngx_http_swr_audit_compact(ngx_pool_t *pool, ngx_str_t *json)
{
    u_char            *p, *q, *last;
    ngx_uint_t         in;
    yajl_status        st;
    yajl_handle        h;
    yajl_alloc_funcs   af;

    if (json->len == 0) {
        return;
    }

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

    in = 0;
    last = json->data + json->len;

    for (p = json->data, q = json->data; p < last; p++) {

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

    json->len = q - json->data;
}


/* the request body, from memory or its file, 64 KiB at most */

static ngx_int_t
ngx_http_swr_audit_body(ngx_http_request_t *r, ngx_http_swr_audit_t *a,
    ngx_str_t *body)
{
    off_t   size;
    u_char  *p;

    if (a->body_read) {
        *body = a->body;
        return NGX_OK;
    }

    if (ngx_http_swr_body_text(r, NGX_HTTP_SWR_AUDIT_CAPTURE, body, &size)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    if (size > NGX_HTTP_SWR_AUDIT_CAPTURE) {
        p = ngx_pnalloc(r->pool, body->len + sizeof("...(truncated)"));
        if (p == NULL) {
            return NGX_ERROR;
        }

        body->len = ngx_sprintf(p, "%V...(truncated)", body) - p;
        body->data = p;
    }

    a->body = *body;
    a->body_read = 1;

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


/* one line to the file: through the worker's buffer if there is one */

static void
ngx_http_swr_audit_file(ngx_http_request_t *r, ngx_http_swr_audit_log_t *log,
    ngx_str_t *line)
{
    u_char                    *p;
    ssize_t                    n;
    ngx_err_t                  err;
    ngx_open_file_t           *file;
    ngx_http_swr_audit_buf_t  *buf;

    file = log->file;
    buf = file->data;
    err = 0;

    if (buf && (size_t) (buf->last - buf->pos) < line->len + 1) {
        ngx_http_swr_audit_flush(file, r->connection->log);
    }

    if (buf && (size_t) (buf->last - buf->pos) >= line->len + 1) {

        if (buf->pos == buf->start && !buf->event->timer_set) {
            ngx_add_timer(buf->event, buf->flush);
        }

        buf->pos = ngx_cpymem(buf->pos, line->data, line->len);
        *buf->pos++ = '\n';

        return;
    }

    p = ngx_pnalloc(r->pool, line->len + 1);
    if (p == NULL) {
        goto failed;
    }

    ngx_memcpy(p, line->data, line->len);
    p[line->len] = '\n';

    n = ngx_write_fd(file->fd, p, line->len + 1);

    if (n == (ssize_t) line->len + 1) {
        return;
    }

    err = (n == -1) ? ngx_errno : 0;

failed:

    ngx_http_swr_audit_lost(r->connection->log, err, &file->name,
                            line->data, line->len);
}


/* the buffer to the file; what it cannot take goes to the error log */

static void
ngx_http_swr_audit_flush(ngx_open_file_t *file, ngx_log_t *log)
{
    u_char                    *p, *nl;
    size_t                     len;
    ssize_t                    n;
    ngx_err_t                  err;
    ngx_http_swr_audit_buf_t  *buf;

    buf = file->data;

    len = buf->pos - buf->start;

    if (len == 0) {
        return;
    }

    n = ngx_write_fd(file->fd, buf->start, len);

    if (n != (ssize_t) len) {

        /* each record not written whole, as the unbuffered file does */

        err = (n == -1) ? ngx_errno : 0;

        for (p = buf->start; p < buf->pos; p = nl + 1) {
            nl = ngx_strlchr(p, buf->pos, '\n');
            if (nl == NULL) {
                nl = buf->pos;
            }

            if (n > 0 && nl < buf->start + n) {
                continue;
            }

            ngx_http_swr_audit_lost(log, err, &file->name, p, nl - p);
        }
    }

    buf->pos = buf->start;

    if (buf->event && buf->event->timer_set) {
        ngx_del_timer(buf->event);
    }
}


/*
 * A record no sink took, to the error log: "swr audit: "<file>" (or the
 * stream) cannot take the record: {...}", in parts ("(part 1 of 3)") when
 * it is longer than an error log line holds (NGX_MAX_ERROR_STR).
 */

static void
ngx_http_swr_audit_lost(ngx_log_t *log, ngx_err_t err, ngx_str_t *file,
    u_char *data, size_t len)
{
    size_t      part, n;
    ngx_uint_t  i, parts;

    part = NGX_MAX_ERROR_STR - 320 - (file ? file->len : 0);

    if (part < 256 || part > NGX_MAX_ERROR_STR) {
        part = 256;
    }

    parts = (len + part - 1) / part;

    if (parts <= 1) {
        if (file) {
            ngx_log_error(NGX_LOG_ALERT, log, err,
                          "swr audit: \"%V\" cannot take the record: %*s",
                          file, len, data);

        } else {
            ngx_log_error(NGX_LOG_ALERT, log, err,
                          "swr audit: the stream cannot take the record: %*s",
                          len, data);
        }

        return;
    }

    for (i = 0; i < parts; i++) {
        n = ngx_min(part, len - i * part);

        if (file) {
            ngx_log_error(NGX_LOG_ALERT, log, err,
                          "swr audit: \"%V\" cannot take the record "
                          "(part %ui of %ui): %*s",
                          file, i + 1, parts, n, data + i * part);

        } else {
            ngx_log_error(NGX_LOG_ALERT, log, err,
                          "swr audit: the stream cannot take the record "
                          "(part %ui of %ui): %*s",
                          i + 1, parts, n, data + i * part);
        }
    }
}


static void
ngx_http_swr_audit_flush_handler(ngx_event_t *ev)
{
    ngx_http_swr_audit_flush(ev->data, ev->log);
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
            a->response = ngx_create_temp_buf(r->pool,
                                              NGX_HTTP_SWR_AUDIT_CAPTURE);
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
