
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <yajl/yajl_parse.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_auth.h"
#include "ngx_http_swr_audit.h"
#include "ngx_http_swr_digest.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_manifest.h"
#include "ngx_http_swr_router.h"
#include "ngx_http_swr_store.h"
#include "ngx_http_swr_util.h"


/*
 * Manifests: GET, HEAD, PUT and DELETE of /v2/<name>/manifests/<ref>,
 * <ref> a tag or a digest.  Manifest bytes live in Redis next to the
 * repository's tags, so that a pull by tag is one script call.  A PUT is
 * parsed by yajl's streaming parser, every descriptor checked, and
 * written with its tag and its referrers entry by one script, which first
 * checks that every blob and manifest it references is in the repository.
 */


#define NGX_HTTP_SWR_MANIFEST_MAX  (4 * 1024 * 1024)
#define NGX_HTTP_SWR_JSON_DEPTH    16


#define NGX_HTTP_SWR_MT_DOCKER_V1                                              \
    "application/vnd.docker.distribution.manifest.v1+json"
#define NGX_HTTP_SWR_MT_DOCKER_V1_SIGNED                                       \
    "application/vnd.docker.distribution.manifest.v1+prettyjws"
#define NGX_HTTP_SWR_MT_DOCKER_V2                                              \
    "application/vnd.docker.distribution.manifest.v2+json"
#define NGX_HTTP_SWR_MT_DOCKER_LIST                                            \
    "application/vnd.docker.distribution.manifest.list.v2+json"
#define NGX_HTTP_SWR_MT_OCI_MANIFEST                                           \
    "application/vnd.oci.image.manifest.v1+json"
#define NGX_HTTP_SWR_MT_OCI_INDEX                                              \
    "application/vnd.oci.image.index.v1+json"


typedef enum {
    NGX_HTTP_SWR_TOP_NONE = 0,
    NGX_HTTP_SWR_TOP_SCHEMA,
    NGX_HTTP_SWR_TOP_MEDIA_TYPE,
    NGX_HTTP_SWR_TOP_ARTIFACT_TYPE,
    NGX_HTTP_SWR_TOP_CONFIG,
    NGX_HTTP_SWR_TOP_SUBJECT,
    NGX_HTTP_SWR_TOP_LAYERS,
    NGX_HTTP_SWR_TOP_MANIFESTS,
    NGX_HTTP_SWR_TOP_ANNOTATIONS,
    NGX_HTTP_SWR_TOP_OTHER
} ngx_http_swr_top_e;


typedef struct {
    ngx_str_t    digest;
    off_t        size;
    ngx_str_t    media_type;
    unsigned     present:1;
    unsigned     has_size:1;
} ngx_http_swr_desc_t;


typedef struct {
    ngx_pool_t            *pool;
    ngx_int_t              depth;
    u_char                 is_map[NGX_HTTP_SWR_JSON_DEPTH];
    ngx_uint_t             top;
    ngx_str_t              key;          /* the current key, any depth */
    ngx_str_t              akey;         /* an annotation's key */

    int64_t                schema;
    ngx_str_t              media_type;
    ngx_str_t              artifact_type;
    ngx_http_swr_desc_t    config;
    ngx_http_swr_desc_t    subject;
    ngx_http_swr_desc_t   *cur;
    ngx_array_t            layers;       /* ngx_http_swr_desc_t */
    ngx_array_t            manifests;    /* ngx_http_swr_desc_t */
    ngx_array_t            annotations;  /* ngx_str_t pairs */
    unsigned               has_layers:1;
    unsigned               has_manifests:1;

    const char            *error;
} ngx_http_swr_mparse_t;


typedef struct {
    ngx_str_t              body;
    ngx_str_t              digest;
    ngx_str_t              media_type;
    ngx_str_t              subject;
    ngx_str_t              tag;
} ngx_http_swr_mput_t;


static ngx_int_t ngx_http_swr_manifest_get(ngx_http_request_t *r);
static ngx_int_t ngx_http_swr_manifest_unpulled(ngx_http_request_t *r);
static void ngx_http_swr_manifest_got(ngx_http_request_t *r, void *data,
    redisReply *reply);
static ngx_uint_t ngx_http_swr_manifest_acceptable(ngx_http_request_t *r,
    ngx_str_t *type);
static ngx_int_t ngx_http_swr_manifest_put(ngx_http_request_t *r);
static void ngx_http_swr_manifest_body(ngx_http_request_t *r);
static ngx_int_t ngx_http_swr_manifest_store(ngx_http_request_t *r,
    ngx_str_t *body);
static void ngx_http_swr_manifest_stored(ngx_http_request_t *r, void *data,
    redisReply *reply);
static ngx_int_t ngx_http_swr_manifest_delete(ngx_http_request_t *r);
static void ngx_http_swr_manifest_deleted(ngx_http_request_t *r,
    void *data, redisReply *reply);
static ngx_int_t ngx_http_swr_manifest_invalid(ngx_http_request_t *r,
    const char *why);
static ngx_int_t ngx_http_swr_manifest_read_body(ngx_http_request_t *r,
    ngx_str_t *body);
static ngx_int_t ngx_http_swr_manifest_parse(ngx_http_request_t *r,
    ngx_str_t *body, ngx_http_swr_mparse_t *mp);
static const char *ngx_http_swr_manifest_check(ngx_http_swr_mparse_t *mp,
    ngx_str_t *content_type, ngx_str_t *type);
static const char *ngx_http_swr_desc_check(ngx_http_swr_desc_t *d);
static ngx_int_t ngx_http_swr_manifest_descriptor(ngx_http_request_t *r,
    ngx_http_swr_mparse_t *mp, ngx_http_swr_mput_t *mput, ngx_str_t *out);
static ngx_uint_t ngx_http_swr_is(ngx_str_t *s, const char *literal);

static ngx_uint_t ngx_http_swr_mp_in_list(ngx_http_swr_mparse_t *mp);
static int ngx_http_swr_mp_null(void *ctx);
static int ngx_http_swr_mp_bool(void *ctx, int b);
static int ngx_http_swr_mp_integer(void *ctx, long long n);
static int ngx_http_swr_mp_double(void *ctx, double d);
static int ngx_http_swr_mp_string(void *ctx, const unsigned char *s,
    size_t len);
static int ngx_http_swr_mp_start_map(void *ctx);
static int ngx_http_swr_mp_map_key(void *ctx, const unsigned char *s,
    size_t len);
static int ngx_http_swr_mp_end_map(void *ctx);
static int ngx_http_swr_mp_start_array(void *ctx);
static int ngx_http_swr_mp_end_array(void *ctx);


static yajl_callbacks  ngx_http_swr_mp_callbacks = {
    ngx_http_swr_mp_null,
    ngx_http_swr_mp_bool,
    ngx_http_swr_mp_integer,
    ngx_http_swr_mp_double,
    NULL,
    ngx_http_swr_mp_string,
    ngx_http_swr_mp_start_map,
    ngx_http_swr_mp_map_key,
    ngx_http_swr_mp_end_map,
    ngx_http_swr_mp_start_array,
    ngx_http_swr_mp_end_array
};


static ngx_str_t  ngx_http_swr_oci_subject = ngx_string("OCI-Subject");


static struct {
    const char  *name;
    ngx_uint_t   top;
} ngx_http_swr_top_keys[] = {
    { "schemaVersion", NGX_HTTP_SWR_TOP_SCHEMA },
    { "mediaType", NGX_HTTP_SWR_TOP_MEDIA_TYPE },
    { "artifactType", NGX_HTTP_SWR_TOP_ARTIFACT_TYPE },
    { "config", NGX_HTTP_SWR_TOP_CONFIG },
    { "subject", NGX_HTTP_SWR_TOP_SUBJECT },
    { "layers", NGX_HTTP_SWR_TOP_LAYERS },
    { "manifests", NGX_HTTP_SWR_TOP_MANIFESTS },
    { "annotations", NGX_HTTP_SWR_TOP_ANNOTATIONS },
    { NULL, 0 }
};


ngx_int_t
ngx_http_swr_manifest_handler(ngx_http_request_t *r)
{
    ngx_uint_t           algo;
    ngx_int_t            rc;
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);

    rc = ngx_http_swr_digest_parse(&ctx->ref, &algo);

    if (rc == NGX_ERROR) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_DIGEST_INVALID,
                                       &ctx->ref);
    }

    if (rc == NGX_DECLINED && ngx_http_swr_valid_tag(&ctx->ref) != NGX_OK) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_TAG_INVALID,
                                       &ctx->ref);
    }

    switch (r->method) {

    case NGX_HTTP_PUT:
        return ngx_http_swr_manifest_put(r);

    case NGX_HTTP_DELETE:
        return ngx_http_swr_manifest_delete(r);

    default:
        return ngx_http_swr_manifest_get(r);
    }
}


static ngx_uint_t
ngx_http_swr_is(ngx_str_t *s, const char *literal)
{
    size_t  len;

    len = ngx_strlen(literal);

    return s->len == len && ngx_strncmp(s->data, literal, len) == 0;
}


/* GET and HEAD */

static ngx_int_t
ngx_http_swr_manifest_get(ngx_http_request_t *r)
{
    ngx_uint_t           algo;
    ngx_http_swr_ctx_t  *ctx;
    ngx_http_swr_cmd_t  *cmd;

    ctx = ngx_http_swr_get_ctx(r);

    cmd = ngx_http_swr_cmd(r->pool, 8);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_TAGS, NULL)
           != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_MANIFESTS,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_BODIES,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_BLOBS,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_META,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &ctx->ref) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd,
               ngx_http_swr_digest_parse(&ctx->ref, &algo) == NGX_OK
               ? "0" : "1") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, r->method == NGX_HTTP_HEAD ? "0" : "1")
           != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_wait(r, ngx_http_swr_script_send(r,
                                  NGX_HTTP_SWR_SCRIPT_MANIFEST_GET, 5, cmd,
                                  ngx_http_swr_manifest_got, NULL));
}


static void
ngx_http_swr_manifest_got(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    u_char              *p;
    off_t                size;
    ngx_buf_t           *b;
    ngx_str_t            digest, type, detail;
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);

    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY
        || reply->elements == 0
        || reply->element[0]->type != REDIS_REPLY_STRING)
    {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    if (ngx_strncmp(reply->element[0]->str, "name", 4) == 0) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NAME_UNKNOWN,
                                    &ctx->name));
        return;
    }

    if (ngx_strncmp(reply->element[0]->str, "ok", 2) != 0
        || reply->elements < 3)
    {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_MANIFEST_UNKNOWN,
                                    &ctx->ref));
        return;
    }

    /* meta: "<size> <media type>" */

    digest.len = reply->element[1]->len;
    digest.data = ngx_pstrdup(r->pool, &(ngx_str_t) {
                                  digest.len,
                                  (u_char *) reply->element[1]->str });

    p = (u_char *) reply->element[2]->str;
    type.data = ngx_strlchr(p, p + reply->element[2]->len, ' ');

    if (digest.data == NULL || type.data == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    size = ngx_atoof(p, type.data - p);
    type.data++;
    type.len = p + reply->element[2]->len - type.data;
    type.data = ngx_pstrdup(r->pool, &type);

    if (size == NGX_ERROR || type.data == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    if (!ngx_http_swr_manifest_acceptable(r, &type)) {

        /* not a pull: the script's count taken back */

        if (r->method == NGX_HTTP_GET
            && ngx_http_swr_manifest_unpulled(r) != NGX_OK)
        {
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
            return;
        }

        detail.data = ngx_pnalloc(r->pool, type.len + 40);
        if (detail.data == NULL) {
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
            return;
        }

        detail.len = ngx_sprintf(detail.data, "stored as %V, not accepted",
                                 &type) - detail.data;

        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_MANIFEST_UNKNOWN,
                                    &detail));
        return;
    }

    if (ngx_http_swr_digest_headers(r, &digest) != NGX_OK) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    if (r->method == NGX_HTTP_HEAD || reply->elements < 4
        || reply->element[3]->type != REDIS_REPLY_STRING)
    {
        ngx_http_finalize_request(r, ngx_http_swr_send_body(r, NGX_HTTP_OK,
                                                            &type, NULL,
                                                            size));
        return;
    }

    /* the reply goes when this callback returns: copy the bytes */

    b = ngx_create_temp_buf(r->pool, reply->element[3]->len);
    if (b == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    b->last = ngx_cpymem(b->pos, reply->element[3]->str,
                         reply->element[3]->len);

    ngx_http_finalize_request(r, ngx_http_swr_send_body(r, NGX_HTTP_OK,
                                                        &type, b,
                                                        b->last - b->pos));
}


/*
 * Accept: any of the client's media types (several headers, each a
 * comma-separated list with parameters) matches the stored one, or a
 * wildcard; no Accept at all takes anything.
 */

static ngx_uint_t
ngx_http_swr_manifest_acceptable(ngx_http_request_t *r, ngx_str_t *type)
{
    u_char           *p, *last, *start, *end;
    ngx_uint_t        i, seen;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;

    seen = 0;
    part = &r->headers_in.headers.part;
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

        if (h[i].key.len != 6
            || ngx_strncasecmp(h[i].key.data, (u_char *) "Accept", 6) != 0)
        {
            continue;
        }

        p = h[i].value.data;
        last = p + h[i].value.len;

        while (p < last) {
            while (p < last && (*p == ' ' || *p == ',')) {
                p++;
            }

            start = p;

            while (p < last && *p != ',' && *p != ';') {
                p++;
            }

            end = p;

            while (end > start && end[-1] == ' ') {
                end--;
            }

            while (p < last && *p != ',') {
                p++;
            }

            if (end == start) {
                continue;
            }

            seen = 1;

            if ((size_t) (end - start) == type->len
                && ngx_strncasecmp(start, type->data, type->len) == 0)
            {
                return 1;
            }

            if (end - start == 3 && ngx_strncmp(start, "*/*", 3) == 0) {
                return 1;
            }
        }
    }

    return !seen;
}


/* PUT: read the whole manifest (at most 4 MiB), then parse and store */

static ngx_int_t
ngx_http_swr_manifest_put(ngx_http_request_t *r)
{
    ngx_int_t  rc;

    if (r->headers_in.content_length_n > NGX_HTTP_SWR_MANIFEST_MAX) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_MANIFEST_TOO_LARGE,
                                       NULL);
    }

    r->request_body_in_single_buf = 1;

    rc = ngx_http_read_client_request_body(r, ngx_http_swr_manifest_body);

    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        return rc;
    }

    return NGX_DONE;
}


static void
ngx_http_swr_manifest_body(ngx_http_request_t *r)
{
    ngx_int_t  rc;
    ngx_str_t  body;

    rc = ngx_http_swr_manifest_read_body(r, &body);

    if (rc == NGX_DECLINED) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_MANIFEST_TOO_LARGE,
                                    NULL));
        return;
    }

    if (rc != NGX_OK) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_http_swr_resume(r, ngx_http_swr_manifest_store(r, &body));
}


/* the body as one piece of memory, wherever nginx put it */

static ngx_int_t
ngx_http_swr_manifest_read_body(ngx_http_request_t *r, ngx_str_t *body)
{
    u_char       *p;
    off_t         len;
    ssize_t       n;
    ngx_chain_t  *cl;

    ngx_str_null(body);

    if (r->request_body == NULL || r->request_body->bufs == NULL) {
        return NGX_OK;
    }

    len = 0;

    for (cl = r->request_body->bufs; cl; cl = cl->next) {
        len += ngx_buf_size(cl->buf);
    }

    if (len > NGX_HTTP_SWR_MANIFEST_MAX) {
        return NGX_DECLINED;
    }

    p = ngx_pnalloc(r->pool, len + 1);
    if (p == NULL) {
        return NGX_ERROR;
    }

    body->data = p;

    for (cl = r->request_body->bufs; cl; cl = cl->next) {

        if (cl->buf->in_file) {
            n = ngx_read_file(cl->buf->file, p,
                              cl->buf->file_last - cl->buf->file_pos,
                              cl->buf->file_pos);

            if (n != cl->buf->file_last - cl->buf->file_pos) {
                return NGX_ERROR;
            }

            p += n;
            continue;
        }

        p = ngx_cpymem(p, cl->buf->pos, cl->buf->last - cl->buf->pos);
    }

    body->len = p - body->data;

    return NGX_OK;
}


/*
 * Validates the manifest and sends the store script.  Returns NGX_OK
 * when the script is on its way, NGX_DONE when the request was answered.
 */

static ngx_int_t
ngx_http_swr_manifest_store(ngx_http_request_t *r, ngx_str_t *body)
{
    u_char                    *p;
    ngx_int_t                  rc;
    ngx_uint_t                 i, algo, nblobs;
    ngx_str_t                  content_type, descriptor, meta, empty;
    const char                *why;
    ngx_http_swr_ctx_t        *ctx;
    ngx_http_swr_cmd_t        *cmd;
    ngx_http_swr_desc_t       *d;
    ngx_http_swr_mput_t       *mput;
    ngx_http_swr_mparse_t      mp;
    ngx_http_swr_identity_t   *id;
    ngx_http_swr_main_conf_t  *smcf;

    ctx = ngx_http_swr_get_ctx(r);
    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);
    id = ctx->identity;
    ngx_str_null(&empty);

    mput = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_mput_t));
    if (mput == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    mput->body = *body;

    if (body->len == 0) {
        return ngx_http_swr_manifest_invalid(r, "empty manifest");
    }

    rc = ngx_http_swr_manifest_parse(r, body, &mp);
    if (rc != NGX_OK) {
        return rc;
    }

    if (r->headers_in.content_type) {
        content_type = r->headers_in.content_type->value;

        p = ngx_strlchr(content_type.data,
                        content_type.data + content_type.len, ';');
        if (p) {
            content_type.len = p - content_type.data;
        }

    } else {
        ngx_str_null(&content_type);
    }

    why = ngx_http_swr_manifest_check(&mp, &content_type, &mput->media_type);
    if (why != NULL) {
        return ngx_http_swr_manifest_invalid(r, why);
    }

    /* the digest of the bytes, in the algorithm the reference names */

    algo = NGX_HTTP_SWR_SHA256;

    if (ngx_http_swr_digest_parse(&ctx->ref, &algo) != NGX_OK) {
        mput->tag = ctx->ref;
        algo = NGX_HTTP_SWR_SHA256;
    }

    mput->digest.data = ngx_pnalloc(r->pool, NGX_HTTP_SWR_DIGEST_MAX);
    if (mput->digest.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    mput->digest.len = ngx_http_swr_digest_of(algo, body->data, body->len,
                                              mput->digest.data);

    if (mput->tag.len == 0
        && (mput->digest.len != ctx->ref.len
            || ngx_strncmp(mput->digest.data, ctx->ref.data, ctx->ref.len)
               != 0))
    {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_DIGEST_INVALID,
                                    &ctx->ref));
        return NGX_DONE;
    }

    if (mp.subject.present) {
        mput->subject = mp.subject.digest;

        if (ngx_http_swr_manifest_descriptor(r, &mp, mput, &descriptor)
            != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

    } else {
        ngx_str_null(&descriptor);
    }

    meta.data = ngx_pnalloc(r->pool, NGX_OFF_T_LEN + 1
                                     + mput->media_type.len);
    if (meta.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    meta.len = ngx_sprintf(meta.data, "%uz %V", body->len, &mput->media_type)
               - meta.data;

    cmd = ngx_http_swr_cmd(r->pool, 24 + mp.layers.nelts
                                    + mp.manifests.nelts);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_BLOBS, NULL)
           != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_MANIFESTS,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_BODIES,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_TAGS, NULL)
           != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_TAGLIST,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_SUBJECTS,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_REFERRERS,
                                &mput->subject) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_META,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_TAGMETA,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_SIZES,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_ns_key(cmd, &ctx->name, NGX_HTTP_SWR_NS_USAGE)
           != NGX_OK
        || ngx_http_swr_cmd_ns_key(cmd, &ctx->name,
                                   NGX_HTTP_SWR_NS_DAILY_STORE) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &mput->digest) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &meta) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, body) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &mput->tag) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &mput->subject) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &descriptor) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, ngx_time()) != NGX_OK
        || ngx_http_swr_cmd_day(cmd) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, smcf->quota_tags) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, id ? &id->user : &empty) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, smcf->quota_repos) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* blobs: the config and the layers that are ours to hold */

    nblobs = 0;

    if (mp.config.present) {
        nblobs++;
    }

    d = mp.layers.elts;

    for (i = 0; i < mp.layers.nelts; i++) {
        if (ngx_strlcasestrn(d[i].media_type.data,
                             d[i].media_type.data + d[i].media_type.len,
                             (u_char *) "foreign", 7 - 1) == NULL
            && ngx_strlcasestrn(d[i].media_type.data,
                                d[i].media_type.data + d[i].media_type.len,
                                (u_char *) "nondistributable", 16 - 1)
               == NULL)
        {
            nblobs++;

        } else {
            d[i].present = 0;
        }
    }

    if (ngx_http_swr_cmd_int(cmd, nblobs) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (mp.config.present
        && ngx_http_swr_cmd_str(cmd, &mp.config.digest) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    for (i = 0; i < mp.layers.nelts; i++) {
        if (d[i].present && ngx_http_swr_cmd_str(cmd, &d[i].digest) != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    if (ngx_http_swr_cmd_int(cmd, mp.manifests.nelts) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    d = mp.manifests.elts;

    for (i = 0; i < mp.manifests.nelts; i++) {
        if (ngx_http_swr_cmd_str(cmd, &d[i].digest) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    return ngx_http_swr_script_send(r, NGX_HTTP_SWR_SCRIPT_MANIFEST_PUT,
                                    12, cmd, ngx_http_swr_manifest_stored,
                                    mput);
}


static void
ngx_http_swr_manifest_stored(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    u_char               *p;
    ngx_str_t             path, missing;
    ngx_http_swr_ctx_t   *ctx;
    ngx_http_swr_mput_t  *mput = data;

    ctx = ngx_http_swr_get_ctx(r);

    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY
        || reply->elements == 0
        || reply->element[0]->type != REDIS_REPLY_STRING)
    {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    if (reply->element[0]->len == 5
        && ngx_strncmp(reply->element[0]->str, "quota", 5) == 0)
    {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_TAG_QUOTA,
                                    &ctx->name));
        return;
    }

    if (reply->element[0]->len == 10
        && ngx_strncmp(reply->element[0]->str, "repo_quota", 10) == 0)
    {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_REPO_QUOTA,
                                    &ctx->name));
        return;
    }

    if (ngx_strncmp(reply->element[0]->str, "ok", 2) != 0) {
        missing.len = 0;

        if (reply->elements > 1
            && reply->element[1]->type == REDIS_REPLY_STRING)
        {
            missing.len = reply->element[1]->len;
            missing.data = ngx_pnalloc(r->pool, missing.len);
            if (missing.data == NULL) {
                ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
                return;
            }

            ngx_memcpy(missing.data, reply->element[1]->str, missing.len);
        }

        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_MANIFEST_BLOB_UNKNOWN,
                                    &missing));
        return;
    }

    if (reply->elements > 1
        && reply->element[1]->type == REDIS_REPLY_STRING
        && reply->element[1]->len == 3)
    {
        ngx_http_swr_audit_repo_created(r);
    }

    /*
     * the catalog entry, once the repository holds a manifest: idempotent,
     * and in another cluster slot than the script's keys
     */

    if (ngx_http_swr_store_catalog_add(r, &ctx->name) == NGX_ERROR) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    p = ngx_pnalloc(r->pool, ctx->name.len + mput->digest.len
                             + sizeof("/v2//manifests/"));
    if (p == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    path.data = p;
    path.len = ngx_sprintf(p, "/v2/%V/manifests/%V", &ctx->name,
                           &mput->digest) - p;

    if (ngx_http_swr_location(r, &path) != NGX_OK
        || ngx_http_swr_digest_header(r, &mput->digest) != NGX_OK)
    {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    if (mput->subject.len
        && ngx_http_swr_add_header(r, &ngx_http_swr_oci_subject,
                                   &mput->subject) == NULL)
    {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_http_finalize_request(r, ngx_http_swr_send_empty(r,
                                                        NGX_HTTP_CREATED));
}


/*
 * num_download of the management API, which the manifest get script
 * counted for a GET the Accept check refused: taken back, sent without
 * waiting
 */

static ngx_int_t
ngx_http_swr_manifest_unpulled(ngx_http_request_t *r)
{
    ngx_http_swr_ctx_t  *ctx;
    ngx_http_swr_cmd_t  *cmd;

    ctx = ngx_http_swr_get_ctx(r);

    cmd = ngx_http_swr_cmd(r->pool, 4);
    if (cmd == NULL) {
        return NGX_ERROR;
    }

    if (ngx_http_swr_cmd_cstr(cmd, "HINCRBY") != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_META,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "downloads") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "-1") != NGX_OK)
    {
        return NGX_ERROR;
    }

    (void) ngx_http_swr_cmd_send(r, cmd, NULL, NULL);

    return NGX_OK;
}


/* DELETE: by digest the manifest and its tags, by tag the tag alone */

static ngx_int_t
ngx_http_swr_manifest_delete(ngx_http_request_t *r)
{
    u_char              *p;
    ngx_uint_t           algo;
    ngx_str_t            prefix;
    ngx_http_swr_ctx_t  *ctx;
    ngx_http_swr_cmd_t  *cmd;

    ctx = ngx_http_swr_get_ctx(r);

    cmd = ngx_http_swr_cmd(r->pool, 14);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_digest_parse(&ctx->ref, &algo) != NGX_OK) {

        if (ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_TAGS,
                                 NULL) != NGX_OK
            || ngx_http_swr_cmd_key(cmd, &ctx->name,
                                    NGX_HTTP_SWR_REPO_TAGLIST, NULL) != NGX_OK
            || ngx_http_swr_cmd_key(cmd, &ctx->name,
                                    NGX_HTTP_SWR_REPO_MANIFESTS, NULL)
               != NGX_OK
            || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_BLOBS,
                                    NULL) != NGX_OK
            || ngx_http_swr_cmd_key(cmd, &ctx->name,
                                    NGX_HTTP_SWR_REPO_TAGMETA, NULL) != NGX_OK
            || ngx_http_swr_cmd_ns_key(cmd, &ctx->name,
                                       NGX_HTTP_SWR_NS_USAGE) != NGX_OK
            || ngx_http_swr_cmd_str(cmd, &ctx->ref) != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        return ngx_http_swr_wait(r, ngx_http_swr_script_send(r,
                                      NGX_HTTP_SWR_SCRIPT_TAG_DELETE, 6, cmd,
                                      ngx_http_swr_manifest_deleted, NULL));
    }

    p = ngx_pnalloc(r->pool, ctx->name.len + sizeof("swr:{r:}:")
                             + sizeof(NGX_HTTP_SWR_REPO_REFERRERS));
    if (p == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    prefix.data = p;
    prefix.len = ngx_sprintf(p, "swr:{r:%V}:%s", &ctx->name,
                             NGX_HTTP_SWR_REPO_REFERRERS) - p;

    if (ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_TAGS, NULL)
           != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_TAGLIST,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_MANIFESTS,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_BODIES,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_SUBJECTS,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_BLOBS,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_META,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_TAGMETA,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_SIZES,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_ns_key(cmd, &ctx->name, NGX_HTTP_SWR_NS_USAGE)
           != NGX_OK
        || ngx_http_swr_cmd_ns_key(cmd, &ctx->name,
                                   NGX_HTTP_SWR_NS_DAILY_STORE) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &ctx->ref) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &prefix) != NGX_OK
        || ngx_http_swr_cmd_day(cmd) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_wait(r, ngx_http_swr_script_send(r,
                                  NGX_HTTP_SWR_SCRIPT_MANIFEST_DELETE, 11, cmd,
                                  ngx_http_swr_manifest_deleted, NULL));
}


static void
ngx_http_swr_manifest_deleted(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);

    if (reply == NULL || reply->type != REDIS_REPLY_STRING) {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    if (ngx_strncmp(reply->str, "name", 4) == 0) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_NAME_UNKNOWN,
                                    &ctx->name));
        return;
    }

    if (ngx_strncmp(reply->str, "ok", 2) != 0) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_MANIFEST_UNKNOWN,
                                    &ctx->ref));
        return;
    }

    ngx_http_finalize_request(r, ngx_http_swr_send_empty(r,
                                                        NGX_HTTP_ACCEPTED));
}


static ngx_int_t
ngx_http_swr_manifest_invalid(ngx_http_request_t *r, const char *why)
{
    ngx_str_t  detail;

    detail.data = (u_char *) why;
    detail.len = ngx_strlen(why);

    ngx_http_finalize_request(r,
        ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_MANIFEST_INVALID,
                                &detail));

    return NGX_DONE;
}


/* parsing */

static ngx_int_t
ngx_http_swr_manifest_parse(ngx_http_request_t *r, ngx_str_t *body,
    ngx_http_swr_mparse_t *mp)
{
    yajl_handle       h;
    yajl_status       st;
    yajl_alloc_funcs  af;

    ngx_memzero(mp, sizeof(ngx_http_swr_mparse_t));

    mp->pool = r->pool;
    mp->schema = -1;

    if (ngx_array_init(&mp->layers, r->pool, 8, sizeof(ngx_http_swr_desc_t))
           != NGX_OK
        || ngx_array_init(&mp->manifests, r->pool, 4,
                          sizeof(ngx_http_swr_desc_t)) != NGX_OK
        || ngx_array_init(&mp->annotations, r->pool, 4, sizeof(ngx_str_t))
           != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_http_swr_json_alloc_funcs(&af, r->pool);

    h = yajl_alloc(&ngx_http_swr_mp_callbacks, &af, mp);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    st = yajl_parse(h, body->data, body->len);

    if (st == yajl_status_ok) {
        st = yajl_complete_parse(h);
    }

    if (st == yajl_status_client_canceled) {
        return ngx_http_swr_manifest_invalid(r, mp->error ? mp->error
                                                          : "invalid JSON");
    }

    if (st != yajl_status_ok) {
        return ngx_http_swr_manifest_invalid(r, "invalid JSON");
    }

    return NGX_OK;
}


static const char *
ngx_http_swr_desc_check(ngx_http_swr_desc_t *d)
{
    ngx_uint_t  algo;

    if (d->digest.len == 0) {
        return "a descriptor has no digest";
    }

    if (ngx_http_swr_digest_parse(&d->digest, &algo) != NGX_OK) {
        return "a descriptor has an invalid digest";
    }

    if (!d->has_size || d->size < 0) {
        return "a descriptor has no valid size";
    }

    if (d->media_type.len == 0) {
        return "a descriptor has no mediaType";
    }

    return NULL;
}


/*
 * The manifest's type and shape: a Docker schema 2 manifest or manifest
 * list, an OCI image manifest (any config media type, so artifacts too)
 * or index.  The media type is the document's own, else Content-Type,
 * else what the document's shape says.
 */

static const char *
ngx_http_swr_manifest_check(ngx_http_swr_mparse_t *mp,
    ngx_str_t *content_type, ngx_str_t *type)
{
    ngx_uint_t            i, image;
    const char           *why;
    ngx_http_swr_desc_t  *d;

    if (mp->schema != 2) {
        return "schemaVersion must be 2";
    }

    if (mp->media_type.len) {
        *type = mp->media_type;

        if ((ngx_http_swr_is(content_type, NGX_HTTP_SWR_MT_DOCKER_V2)
             || ngx_http_swr_is(content_type, NGX_HTTP_SWR_MT_DOCKER_LIST)
             || ngx_http_swr_is(content_type, NGX_HTTP_SWR_MT_OCI_MANIFEST)
             || ngx_http_swr_is(content_type, NGX_HTTP_SWR_MT_OCI_INDEX))
            && (content_type->len != type->len
                || ngx_strncmp(content_type->data, type->data, type->len)
                   != 0))
        {
            return "mediaType does not match Content-Type";
        }

    } else if (ngx_http_swr_is(content_type, NGX_HTTP_SWR_MT_DOCKER_V2)
               || ngx_http_swr_is(content_type, NGX_HTTP_SWR_MT_DOCKER_LIST)
               || ngx_http_swr_is(content_type, NGX_HTTP_SWR_MT_OCI_MANIFEST)
               || ngx_http_swr_is(content_type, NGX_HTTP_SWR_MT_OCI_INDEX))
    {
        *type = *content_type;

    } else if (mp->has_manifests) {
        ngx_str_set(type, NGX_HTTP_SWR_MT_OCI_INDEX);

    } else {
        ngx_str_set(type, NGX_HTTP_SWR_MT_OCI_MANIFEST);
    }

    if (ngx_http_swr_is(type, NGX_HTTP_SWR_MT_DOCKER_V1)
        || ngx_http_swr_is(type, NGX_HTTP_SWR_MT_DOCKER_V1_SIGNED))
    {
        return "Docker schema 1 manifests are not supported";
    }

    if (ngx_http_swr_is(type, NGX_HTTP_SWR_MT_DOCKER_V2)
        || ngx_http_swr_is(type, NGX_HTTP_SWR_MT_OCI_MANIFEST))
    {
        image = 1;

    } else if (ngx_http_swr_is(type, NGX_HTTP_SWR_MT_DOCKER_LIST)
               || ngx_http_swr_is(type, NGX_HTTP_SWR_MT_OCI_INDEX))
    {
        image = 0;

    } else {
        return "unsupported manifest mediaType";
    }

    if (image) {
        if (!mp->config.present) {
            return "an image manifest needs a config descriptor";
        }

        why = ngx_http_swr_desc_check(&mp->config);
        if (why) {
            return why;
        }

        if (!mp->has_layers
            && ngx_http_swr_is(type, NGX_HTTP_SWR_MT_DOCKER_V2))
        {
            return "a Docker image manifest needs layers";
        }

        if (mp->has_manifests) {
            return "an image manifest has no manifests";
        }

        d = mp->layers.elts;

        for (i = 0; i < mp->layers.nelts; i++) {
            why = ngx_http_swr_desc_check(&d[i]);
            if (why) {
                return why;
            }
        }

    } else {
        if (!mp->has_manifests) {
            return "an index needs manifests";
        }

        if (mp->config.present || mp->has_layers) {
            return "an index has no config or layers";
        }

        d = mp->manifests.elts;

        for (i = 0; i < mp->manifests.nelts; i++) {
            why = ngx_http_swr_desc_check(&d[i]);
            if (why) {
                return why;
            }
        }
    }

    if (mp->subject.present) {
        why = ngx_http_swr_desc_check(&mp->subject);
        if (why) {
            return why;
        }
    }

    return NULL;
}


/*
 * The descriptor of a referrer, as the referrers API lists it:
 * mediaType, digest, size, artifactType (the manifest's, else its config's
 * media type) and annotations.
 */

static ngx_int_t
ngx_http_swr_manifest_descriptor(ngx_http_request_t *r,
    ngx_http_swr_mparse_t *mp, ngx_http_swr_mput_t *mput, ngx_str_t *out)
{
    ngx_buf_t            *b;
    ngx_str_t            *a, *artifact;
    ngx_uint_t            i;
    ngx_http_swr_json_t  *j;

    j = ngx_http_swr_json_create(r->pool);
    if (j == NULL) {
        return NGX_ERROR;
    }

    artifact = mp->artifact_type.len ? &mp->artifact_type
                                     : &mp->config.media_type;

    if (ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "mediaType") != NGX_OK
        || ngx_http_swr_json_str(j, &mput->media_type) != NGX_OK
        || ngx_http_swr_json_cstr(j, "digest") != NGX_OK
        || ngx_http_swr_json_str(j, &mput->digest) != NGX_OK
        || ngx_http_swr_json_cstr(j, "size") != NGX_OK
        || ngx_http_swr_json_int(j, mput->body.len) != NGX_OK)
    {
        return NGX_ERROR;
    }

    if (artifact->len) {
        if (ngx_http_swr_json_cstr(j, "artifactType") != NGX_OK
            || ngx_http_swr_json_str(j, artifact) != NGX_OK)
        {
            return NGX_ERROR;
        }
    }

    if (mp->annotations.nelts) {
        if (ngx_http_swr_json_cstr(j, "annotations") != NGX_OK
            || ngx_http_swr_json_open(j, 0) != NGX_OK)
        {
            return NGX_ERROR;
        }

        a = mp->annotations.elts;

        for (i = 0; i + 1 < mp->annotations.nelts; i += 2) {
            if (ngx_http_swr_json_str(j, &a[i]) != NGX_OK
                || ngx_http_swr_json_str(j, &a[i + 1]) != NGX_OK)
            {
                return NGX_ERROR;
            }
        }

        if (ngx_http_swr_json_close(j, 0) != NGX_OK) {
            return NGX_ERROR;
        }
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

    /* the artifact type leads, for the referrers filter */

    {
        u_char  *p;

        p = ngx_pnalloc(r->pool, artifact->len + 1 + out->len);
        if (p == NULL) {
            return NGX_ERROR;
        }

        ngx_memcpy(p, artifact->data, artifact->len);
        p[artifact->len] = '\n';
        ngx_memcpy(p + artifact->len + 1, out->data, out->len);

        out->data = p;
        out->len += artifact->len + 1;
    }

    return NGX_OK;
}


/* yajl callbacks: a small state machine over the top-level keys */

#define ngx_http_swr_mp_fail(mp, msg)                                          \
    do { (mp)->error = (msg); return 0; } while (0)


static ngx_str_t *
ngx_http_swr_mp_dup(ngx_http_swr_mparse_t *mp, const unsigned char *s,
    size_t len, ngx_str_t *to)
{
    to->data = ngx_pnalloc(mp->pool, len ? len : 1);
    if (to->data == NULL) {
        return NULL;
    }

    ngx_memcpy(to->data, s, len);
    to->len = len;

    return to;
}


/* inside "layers" or "manifests", outside any of their descriptors */

static ngx_uint_t
ngx_http_swr_mp_in_list(ngx_http_swr_mparse_t *mp)
{
    return mp->depth == 2 && !mp->is_map[1]
           && (mp->top == NGX_HTTP_SWR_TOP_LAYERS
               || mp->top == NGX_HTTP_SWR_TOP_MANIFESTS);
}


static int
ngx_http_swr_mp_scalar(ngx_http_swr_mparse_t *mp)
{
    if (ngx_http_swr_mp_in_list(mp)) {
        ngx_http_swr_mp_fail(mp, "a descriptor must be a JSON object");
    }

    if (mp->depth == 2 && mp->top == NGX_HTTP_SWR_TOP_ANNOTATIONS) {
        ngx_http_swr_mp_fail(mp, "annotations must be strings");
    }

    if (mp->depth == 1 && mp->top != NGX_HTTP_SWR_TOP_OTHER
        && mp->top != NGX_HTTP_SWR_TOP_NONE)
    {
        ngx_http_swr_mp_fail(mp, "a field has the wrong type");
    }

    if (mp->cur && (mp->depth == 2 || mp->depth == 3)
        && mp->is_map[mp->depth - 1]
        && (ngx_http_swr_is(&mp->key, "digest")
            || ngx_http_swr_is(&mp->key, "mediaType")
            || ngx_http_swr_is(&mp->key, "size")))
    {
        ngx_http_swr_mp_fail(mp, "a descriptor field has the wrong type");
    }

    return 1;
}


static int
ngx_http_swr_mp_null(void *ctx)
{
    return ngx_http_swr_mp_scalar(ctx);
}


static int
ngx_http_swr_mp_bool(void *ctx, int b)
{
    return ngx_http_swr_mp_scalar(ctx);
}


static int
ngx_http_swr_mp_double(void *ctx, double d)
{
    return ngx_http_swr_mp_scalar(ctx);
}


static int
ngx_http_swr_mp_integer(void *ctx, long long n)
{
    ngx_http_swr_mparse_t  *mp = ctx;

    if (mp->depth == 1 && mp->top == NGX_HTTP_SWR_TOP_SCHEMA) {
        mp->schema = n;
        return 1;
    }

    if (mp->cur && mp->is_map[mp->depth - 1]
        && ngx_http_swr_is(&mp->key, "size")
        && ((mp->depth == 2 && (mp->top == NGX_HTTP_SWR_TOP_CONFIG
                                || mp->top == NGX_HTTP_SWR_TOP_SUBJECT))
            || (mp->depth == 3 && (mp->top == NGX_HTTP_SWR_TOP_LAYERS
                                   || mp->top == NGX_HTTP_SWR_TOP_MANIFESTS))))
    {
        mp->cur->size = n;
        mp->cur->has_size = 1;
        return 1;
    }

    return ngx_http_swr_mp_scalar(mp);
}


static int
ngx_http_swr_mp_string(void *ctx, const unsigned char *s, size_t len)
{
    ngx_str_t              *v;
    ngx_http_swr_mparse_t  *mp = ctx;

    if (mp->depth == 1) {
        switch (mp->top) {

        case NGX_HTTP_SWR_TOP_MEDIA_TYPE:
            return ngx_http_swr_mp_dup(mp, s, len, &mp->media_type) != NULL;

        case NGX_HTTP_SWR_TOP_ARTIFACT_TYPE:
            return ngx_http_swr_mp_dup(mp, s, len, &mp->artifact_type)
                   != NULL;

        case NGX_HTTP_SWR_TOP_OTHER:
        case NGX_HTTP_SWR_TOP_NONE:
            return 1;

        default:
            ngx_http_swr_mp_fail(mp, "a field has the wrong type");
        }
    }

    if (ngx_http_swr_mp_in_list(mp)) {
        ngx_http_swr_mp_fail(mp, "a descriptor must be a JSON object");
    }

    if (mp->depth == 2 && mp->top == NGX_HTTP_SWR_TOP_ANNOTATIONS) {
        v = ngx_array_push_n(&mp->annotations, 2);
        if (v == NULL) {
            return 0;
        }

        v[0] = mp->akey;

        return ngx_http_swr_mp_dup(mp, s, len, &v[1]) != NULL;
    }

    if (mp->cur
        && ((mp->depth == 2 && (mp->top == NGX_HTTP_SWR_TOP_CONFIG
                                || mp->top == NGX_HTTP_SWR_TOP_SUBJECT))
            || (mp->depth == 3 && (mp->top == NGX_HTTP_SWR_TOP_LAYERS
                                   || mp->top == NGX_HTTP_SWR_TOP_MANIFESTS)))
        && mp->is_map[mp->depth - 1])
    {
        if (ngx_http_swr_is(&mp->key, "digest")) {
            return ngx_http_swr_mp_dup(mp, s, len, &mp->cur->digest) != NULL;
        }

        if (ngx_http_swr_is(&mp->key, "mediaType")) {
            return ngx_http_swr_mp_dup(mp, s, len, &mp->cur->media_type)
                   != NULL;
        }

        if (ngx_http_swr_is(&mp->key, "size")) {
            ngx_http_swr_mp_fail(mp, "a descriptor size is not a number");
        }
    }

    return 1;
}


static int
ngx_http_swr_mp_start_map(void *ctx)
{
    ngx_http_swr_mparse_t  *mp = ctx;

    if (mp->depth == 0) {
        mp->is_map[0] = 1;
        mp->depth = 1;
        return 1;
    }

    if (mp->depth >= NGX_HTTP_SWR_JSON_DEPTH) {
        ngx_http_swr_mp_fail(mp, "JSON nested too deeply");
    }

    if (mp->depth == 2 && mp->top == NGX_HTTP_SWR_TOP_ANNOTATIONS) {
        ngx_http_swr_mp_fail(mp, "annotations must be strings");
    }

    if (mp->depth == 1) {
        switch (mp->top) {

        case NGX_HTTP_SWR_TOP_CONFIG:
            mp->cur = &mp->config;
            mp->cur->present = 1;
            break;

        case NGX_HTTP_SWR_TOP_SUBJECT:
            mp->cur = &mp->subject;
            mp->cur->present = 1;
            break;

        case NGX_HTTP_SWR_TOP_ANNOTATIONS:
        case NGX_HTTP_SWR_TOP_OTHER:
        case NGX_HTTP_SWR_TOP_NONE:
            break;

        default:
            ngx_http_swr_mp_fail(mp, "a field has the wrong type");
        }

    } else if (mp->depth == 2 && !mp->is_map[1]
               && (mp->top == NGX_HTTP_SWR_TOP_LAYERS
                   || mp->top == NGX_HTTP_SWR_TOP_MANIFESTS))
    {
        mp->cur = ngx_array_push(mp->top == NGX_HTTP_SWR_TOP_LAYERS
                                 ? &mp->layers : &mp->manifests);
        if (mp->cur == NULL) {
            return 0;
        }

        ngx_memzero(mp->cur, sizeof(ngx_http_swr_desc_t));
        mp->cur->present = 1;
    }

    ngx_str_null(&mp->key);

    mp->is_map[mp->depth] = 1;
    mp->depth++;

    return 1;
}


static int
ngx_http_swr_mp_map_key(void *ctx, const unsigned char *s, size_t len)
{
    ngx_str_t               key;
    ngx_uint_t              i;
    ngx_http_swr_mparse_t  *mp = ctx;

    key.data = (u_char *) s;
    key.len = len;

    if (mp->depth == 1) {
        mp->top = NGX_HTTP_SWR_TOP_OTHER;

        for (i = 0; ngx_http_swr_top_keys[i].name; i++) {
            if (ngx_http_swr_is(&key, ngx_http_swr_top_keys[i].name)) {
                mp->top = ngx_http_swr_top_keys[i].top;
                break;
            }
        }

        return 1;
    }

    if (mp->depth == 2 && mp->top == NGX_HTTP_SWR_TOP_ANNOTATIONS) {
        return ngx_http_swr_mp_dup(mp, s, len, &mp->akey) != NULL;
    }

    /* keys are looked at right away, before the parser moves on */

    return ngx_http_swr_mp_dup(mp, s, len, &mp->key) != NULL;
}


static int
ngx_http_swr_mp_end_map(void *ctx)
{
    ngx_http_swr_mparse_t  *mp = ctx;

    mp->depth--;

    if ((mp->depth == 1 && (mp->top == NGX_HTTP_SWR_TOP_CONFIG
                            || mp->top == NGX_HTTP_SWR_TOP_SUBJECT))
        || (mp->depth == 2 && (mp->top == NGX_HTTP_SWR_TOP_LAYERS
                               || mp->top == NGX_HTTP_SWR_TOP_MANIFESTS)))
    {
        mp->cur = NULL;
    }

    return 1;
}


static int
ngx_http_swr_mp_start_array(void *ctx)
{
    ngx_http_swr_mparse_t  *mp = ctx;

    if (mp->depth == 0) {
        ngx_http_swr_mp_fail(mp, "a manifest is a JSON object");
    }

    if (mp->depth >= NGX_HTTP_SWR_JSON_DEPTH) {
        ngx_http_swr_mp_fail(mp, "JSON nested too deeply");
    }

    if (ngx_http_swr_mp_in_list(mp)) {
        ngx_http_swr_mp_fail(mp, "a descriptor must be a JSON object");
    }

    if (mp->depth == 2 && mp->top == NGX_HTTP_SWR_TOP_ANNOTATIONS) {
        ngx_http_swr_mp_fail(mp, "annotations must be strings");
    }

    if (mp->depth == 1) {
        switch (mp->top) {

        case NGX_HTTP_SWR_TOP_LAYERS:
            mp->has_layers = 1;
            break;

        case NGX_HTTP_SWR_TOP_MANIFESTS:
            mp->has_manifests = 1;
            break;

        case NGX_HTTP_SWR_TOP_OTHER:
        case NGX_HTTP_SWR_TOP_NONE:
            break;

        default:
            ngx_http_swr_mp_fail(mp, "a field has the wrong type");
        }
    }

    mp->is_map[mp->depth] = 0;
    mp->depth++;

    return 1;
}


static int
ngx_http_swr_mp_end_array(void *ctx)
{
    ngx_http_swr_mparse_t  *mp = ctx;

    mp->depth--;

    return 1;
}
