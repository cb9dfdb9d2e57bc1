
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <openssl/rand.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_auth.h"
#include "ngx_http_swr_digest.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_local.h"
#include "ngx_http_swr_obs_upload.h"
#include "ngx_http_swr_remote.h"
#include "ngx_http_swr_router.h"
#include "ngx_http_swr_store.h"
#include "ngx_http_swr_upload.h"
#include "ngx_http_swr_util.h"


/*
 * Blob uploads: POST starts one (or uploads a whole blob with ?digest=,
 * or mounts one from another repository), PATCH appends a chunk, PUT
 * appends the last one and completes it, GET tells the offset, DELETE
 * cancels.
 *
 * The state of an upload is in Redis (swr:upload:{<id>}: repository,
 * offset, hash state) and on storage (the bytes so far), never in a
 * worker: any worker, or any node sharing the storage, takes the next
 * chunk.  A chunk is claimed first (its start must be the offset, and a
 * lock keeps concurrent chunks out), streamed to storage through a request
 * body filter that hashes as it writes, then committed.  The hash state
 * travels with the upload, so completing needs no re-read; a blob becomes
 * visible only once its digest matched.
 */


#define NGX_HTTP_SWR_UPLOAD_TTL   86400       /* s an idle upload lives */
#define NGX_HTTP_SWR_UPLOAD_LOCK  "3600000"   /* ms one chunk may take */


typedef enum {
    NGX_HTTP_SWR_UPLOAD_CHUNK = 1,
    NGX_HTTP_SWR_UPLOAD_FINISH,
    NGX_HTTP_SWR_UPLOAD_WHOLE
} ngx_http_swr_upload_kind_e;


typedef struct {
    ngx_uint_t            kind;
    ngx_str_t             id;
    ngx_str_t             token;       /* the lock's owner */
    ngx_str_t             digest;      /* what the client says it is */
    ngx_uint_t            algo;
    ngx_str_t             computed;
    ngx_file_t            file;
    off_t                 base;        /* where the chunk goes in file */
    off_t                 start;       /* offset before this chunk */
    off_t                 written;     /* bytes of this chunk */
    off_t                 range_start;
    off_t                 range_end;
    ngx_http_swr_hash_t   hash;
    ngx_http_swr_obs_upload_t  *ou;    /* on an object store */
    unsigned              active:1;    /* the body filter writes */
    unsigned              locked:1;    /* the cleanup unlocks */
    unsigned              scratch:1;   /* the cleanup removes the file */
    unsigned              rejected:1;  /* the digest did not match */
} ngx_http_swr_upload_t;


static ngx_int_t ngx_http_swr_upload_start(ngx_http_request_t *r,
    ngx_http_swr_upload_t *u);
static ngx_int_t ngx_http_swr_upload_new(ngx_http_request_t *r,
    ngx_http_swr_upload_t *u);
static void ngx_http_swr_upload_created(ngx_http_request_t *r, void *data,
    redisReply *reply);
static ngx_int_t ngx_http_swr_upload_whole(ngx_http_request_t *r,
    ngx_http_swr_upload_t *u);
static void ngx_http_swr_upload_mount_found(ngx_http_request_t *r,
    void *data, redisReply *reply);
static void ngx_http_swr_upload_linked(ngx_http_request_t *r, void *data,
    redisReply *reply);
static ngx_int_t ngx_http_swr_upload_claim(ngx_http_request_t *r,
    ngx_http_swr_upload_t *u);
static void ngx_http_swr_upload_claimed(ngx_http_request_t *r, void *data,
    redisReply *reply);
static ngx_int_t ngx_http_swr_upload_read(ngx_http_request_t *r,
    ngx_http_swr_upload_t *u);
static void ngx_http_swr_upload_body_done(ngx_http_request_t *r);
static ngx_int_t ngx_http_swr_upload_commit(ngx_http_request_t *r,
    ngx_http_swr_upload_t *u);
static ngx_int_t ngx_http_swr_upload_store(ngx_http_request_t *r,
    ngx_http_swr_upload_t *u);
static void ngx_http_swr_upload_stored(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_int_t rc);
static void ngx_http_swr_upload_prepared(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_int_t rc);
static void ngx_http_swr_upload_cleaned(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_int_t rc);
static ngx_int_t ngx_http_swr_upload_linking(ngx_http_request_t *r,
    ngx_http_swr_upload_t *u);
static ngx_int_t ngx_http_swr_upload_staged(ngx_http_request_t *r,
    ngx_http_swr_upload_t *u, redisReply *reply, ngx_uint_t claim);
static void ngx_http_swr_upload_listed(ngx_http_request_t *r, void *data,
    redisReply *reply);
static void ngx_http_swr_upload_committed(ngx_http_request_t *r,
    void *data, redisReply *reply);
static ngx_int_t ngx_http_swr_upload_finish(ngx_http_request_t *r,
    ngx_http_swr_upload_t *u);
static void ngx_http_swr_upload_finished(ngx_http_request_t *r, void *data,
    redisReply *reply);
static ngx_int_t ngx_http_swr_upload_link(ngx_http_request_t *r,
    ngx_http_swr_upload_t *u, off_t size);
static ngx_int_t ngx_http_swr_upload_status(ngx_http_request_t *r,
    ngx_http_swr_upload_t *u);
static void ngx_http_swr_upload_status_reply(ngx_http_request_t *r,
    void *data, redisReply *reply);
static void ngx_http_swr_upload_cancelled(ngx_http_request_t *r,
    void *data, redisReply *reply);
static ngx_int_t ngx_http_swr_upload_forget(ngx_http_request_t *r,
    ngx_http_swr_upload_t *u, ngx_http_swr_redis_handler_pt handler);
static void ngx_http_swr_upload_unlock(void *data);
static ngx_int_t ngx_http_swr_upload_headers(ngx_http_request_t *r,
    ngx_http_swr_upload_t *u, off_t offset);
static ngx_int_t ngx_http_swr_upload_answer(ngx_http_request_t *r,
    ngx_http_swr_upload_t *u, off_t offset, ngx_uint_t status);
static ngx_int_t ngx_http_swr_upload_created_blob(ngx_http_request_t *r,
    ngx_str_t *digest);
static ngx_int_t ngx_http_swr_upload_range(ngx_http_request_t *r,
    ngx_http_swr_upload_t *u);
static ngx_int_t ngx_http_swr_upload_id(ngx_http_request_t *r,
    ngx_str_t *id);
static ngx_int_t ngx_http_swr_upload_key(ngx_http_swr_cmd_t *cmd,
    ngx_str_t *id, ngx_uint_t which);
static ngx_int_t ngx_http_swr_upload_body_filter(ngx_http_request_t *r,
    ngx_chain_t *in);


static ngx_http_request_body_filter_pt  ngx_http_next_request_body_filter;


ngx_int_t
ngx_http_swr_upload_handler(ngx_http_request_t *r)
{
    ngx_str_t                 arg;
    ngx_http_swr_ctx_t       *ctx;
    ngx_http_swr_upload_t    *u;
    ngx_http_swr_loc_conf_t  *slcf;

    ctx = ngx_http_swr_get_ctx(r);
    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);

    if (slcf->storage == NULL) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "swr_registry location without swr_storage");
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_INTERNAL, NULL);
    }

    u = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_upload_t));
    if (u == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->data = u;

    u->range_start = -1;
    u->range_end = -1;

    if (ngx_http_swr_request_id(r, &u->token) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ctx->route == NGX_HTTP_SWR_ROUTE_UPLOAD_START) {
        return ngx_http_swr_upload_start(r, u);
    }

    u->id = ctx->ref;

    if (ngx_http_swr_valid_uuid(&u->id) != NGX_OK) {
        return ngx_http_swr_send_error(r,
                                       NGX_HTTP_SWR_ERR_BLOB_UPLOAD_UNKNOWN,
                                       &u->id);
    }

    switch (r->method) {

    case NGX_HTTP_GET:
        return ngx_http_swr_upload_status(r, u);

    case NGX_HTTP_DELETE:
        return ngx_http_swr_upload_status(r, u);

    case NGX_HTTP_PATCH:
        u->kind = NGX_HTTP_SWR_UPLOAD_CHUNK;
        break;

    default: /* PUT */

        if (ngx_http_swr_arg(r, "digest", &arg) != NGX_OK) {
            ngx_str_set(&arg, "the digest parameter is required");
            return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_DIGEST_INVALID,
                                           &arg);
        }

        if (ngx_http_swr_digest_parse(&arg, &u->algo) != NGX_OK) {
            return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_DIGEST_INVALID,
                                           &arg);
        }

        u->digest = arg;
        u->kind = NGX_HTTP_SWR_UPLOAD_FINISH;
        break;
    }

    if (ngx_http_swr_upload_range(r, u) != NGX_OK) {
        return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_RANGE_INVALID,
                                       NULL);
    }

    return ngx_http_swr_wait(r, ngx_http_swr_upload_claim(r, u));
}


/* POST /v2/<name>/blobs/uploads/ */

static ngx_int_t
ngx_http_swr_upload_start(ngx_http_request_t *r, ngx_http_swr_upload_t *u)
{
    ngx_uint_t           algo;
    ngx_str_t            digest, from;
    ngx_http_swr_cmd_t  *cmd;

    if (ngx_http_swr_arg(r, "digest", &digest) == NGX_OK) {
        if (ngx_http_swr_digest_parse(&digest, &u->algo) != NGX_OK) {
            return ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_DIGEST_INVALID,
                                           &digest);
        }

        u->digest = digest;
        u->kind = NGX_HTTP_SWR_UPLOAD_WHOLE;

        return ngx_http_swr_upload_whole(r, u);
    }

    if (ngx_http_swr_arg(r, "mount", &digest) == NGX_OK
        && ngx_http_swr_arg(r, "from", &from) == NGX_OK
        && ngx_http_swr_digest_parse(&digest, &algo) == NGX_OK
        && ngx_http_swr_valid_name(&from) == NGX_OK
        && ngx_http_swr_auth_may_mount(r) == NGX_OK)
    {
        /* cross-repository mount: link the blob if "from" has it */

        u->digest = digest;

        cmd = ngx_http_swr_cmd(r->pool, 3);
        if (cmd == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (ngx_http_swr_cmd_cstr(cmd, "HGET") != NGX_OK
            || ngx_http_swr_cmd_key(cmd, &from, NGX_HTTP_SWR_REPO_BLOBS, NULL)
               != NGX_OK
            || ngx_http_swr_cmd_str(cmd, &digest) != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "swr mount %V from \"%V\"", &digest, &from);

        return ngx_http_swr_wait(r, ngx_http_swr_cmd_send(r, cmd,
                                      ngx_http_swr_upload_mount_found, u));
    }

    return ngx_http_swr_wait(r, ngx_http_swr_upload_new(r, u));
}


/* a new upload session: an empty file and its state in Redis */

static ngx_int_t
ngx_http_swr_upload_new(ngx_http_request_t *r, ngx_http_swr_upload_t *u)
{
    ngx_int_t                 rc;
    ngx_http_swr_ctx_t       *ctx;
    ngx_http_swr_cmd_t       *cmd;
    ngx_http_swr_loc_conf_t  *slcf;

    ctx = ngx_http_swr_get_ctx(r);
    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);

    if (ngx_http_swr_upload_id(r, &u->id) != NGX_OK
        || (slcf->storage->type == NGX_HTTP_SWR_STORAGE_LOCAL
            && ngx_http_swr_local_upload_create(r, slcf->storage, &u->id)
               != NGX_OK))
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_http_swr_hash_init(&u->hash);

    cmd = ngx_http_swr_cmd(r->pool, 10);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_cmd_cstr(cmd, "HSET") != NGX_OK
        || ngx_http_swr_upload_key(cmd, &u->id, 0) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "repo") != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &ctx->name) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "offset") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "0") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "state") != NGX_OK
        || ngx_http_swr_cmd_add(cmd, (u_char *) &u->hash,
                                sizeof(ngx_http_swr_hash_t)) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "created") != NGX_OK
        || ngx_http_swr_cmd_int(cmd, ngx_time()) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_swr_cmd_send(r, cmd, NULL, NULL);
    if (rc != NGX_OK) {
        return rc;
    }

    /* EXPIRE answers 1 only if the HSET before it made the key */

    cmd = ngx_http_swr_cmd(r->pool, 3);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_cmd_cstr(cmd, "EXPIRE") != NGX_OK
        || ngx_http_swr_upload_key(cmd, &u->id, 0) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, NGX_HTTP_SWR_UPLOAD_TTL) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_cmd_send(r, cmd, ngx_http_swr_upload_created, u);
}


static void
ngx_http_swr_upload_created(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_upload_t  *u = data;

    if (reply == NULL || reply->type != REDIS_REPLY_INTEGER
        || reply->integer != 1)
    {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    ngx_http_finalize_request(r, ngx_http_swr_upload_answer(r, u, 0,
                                                            NGX_HTTP_ACCEPTED));
}


/* POST ?digest=: the whole blob in one request, no session */

static ngx_int_t
ngx_http_swr_upload_whole(ngx_http_request_t *r, ngx_http_swr_upload_t *u)
{
    ngx_int_t                 rc;
    ngx_http_cleanup_t       *cln;
    ngx_http_swr_loc_conf_t  *slcf;

    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);

    if (ngx_http_swr_upload_id(r, &u->id) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_http_swr_hash_init(&u->hash);

    if (slcf->storage->type == NGX_HTTP_SWR_STORAGE_OBS) {
        u->ou = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_obs_upload_t));
        if (u->ou == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        u->ou->storage = slcf->storage;
        u->ou->id = u->id;

        if (ngx_http_swr_obs_upload_staged(r, u->ou, NULL, 0) != NGX_OK
            || ngx_http_swr_obs_upload_open(r, u->ou) != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        return ngx_http_swr_upload_read(r, u);
    }

    if (ngx_http_swr_local_upload_create(r, slcf->storage, &u->id)
        != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* the file is scratch until it becomes the blob */

    cln = ngx_http_cleanup_add(r, 0);
    if (cln == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    cln->handler = ngx_http_swr_upload_unlock;
    cln->data = r;
    u->scratch = 1;

    rc = ngx_http_swr_local_upload_open(r, slcf->storage, &u->id, 0,
                                        &u->file);
    if (rc != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_upload_read(r, u);
}


static void
ngx_http_swr_upload_mount_found(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    off_t                   size;
    ngx_http_swr_upload_t  *u = data;

    if (reply == NULL || reply->type == REDIS_REPLY_ERROR) {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    if (reply->type != REDIS_REPLY_STRING) {

        /* not mountable: a new upload session, as the spec says */

        ngx_str_null(&u->digest);
        ngx_http_swr_resume(r, ngx_http_swr_upload_new(r, u));
        return;
    }

    size = ngx_atoof((u_char *) reply->str, reply->len);
    if (size == NGX_ERROR) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_http_swr_resume(r, ngx_http_swr_upload_link(r, u, size));
}


/* link a verified blob to the repository: 201 when done */

static ngx_int_t
ngx_http_swr_upload_link(ngx_http_request_t *r, ngx_http_swr_upload_t *u,
    off_t size)
{
    ngx_int_t            rc;
    ngx_http_swr_ctx_t  *ctx;
    ngx_http_swr_cmd_t  *cmd;

    ctx = ngx_http_swr_get_ctx(r);

    rc = ngx_http_swr_store_catalog_add(r, &ctx->name);
    if (rc != NGX_OK) {
        return rc == NGX_ERROR ? NGX_HTTP_INTERNAL_SERVER_ERROR : rc;
    }

    cmd = ngx_http_swr_cmd(r->pool, 4);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_cmd_cstr(cmd, "HSET") != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_BLOBS,
                                NULL) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &u->digest) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, size) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_cmd_send(r, cmd, ngx_http_swr_upload_linked, u);
}


static void
ngx_http_swr_upload_linked(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_upload_t  *u = data;

    if (reply == NULL || reply->type != REDIS_REPLY_INTEGER) {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    ngx_http_finalize_request(r, ngx_http_swr_upload_created_blob(r,
                                                                &u->digest));
}


/* PATCH and PUT: take the upload for this chunk */

static ngx_int_t
ngx_http_swr_upload_claim(ngx_http_request_t *r, ngx_http_swr_upload_t *u)
{
    ngx_http_swr_ctx_t  *ctx;
    ngx_http_swr_cmd_t  *cmd;

    ctx = ngx_http_swr_get_ctx(r);

    cmd = ngx_http_swr_cmd(r->pool, 7);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_upload_key(cmd, &u->id, 0) != NGX_OK
        || ngx_http_swr_upload_key(cmd, &u->id, 1) != NGX_OK
        || ngx_http_swr_upload_key(cmd, &u->id, 2) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &ctx->name) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, u->range_start) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &u->token) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, NGX_HTTP_SWR_UPLOAD_LOCK) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_script_send(r, NGX_HTTP_SWR_SCRIPT_UPLOAD_CLAIM, 3,
                                    cmd, ngx_http_swr_upload_claimed, u);
}


static void
ngx_http_swr_upload_claimed(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    off_t                     offset;
    ngx_int_t                 rc;
    redisReply               *st;
    ngx_http_cleanup_t       *cln;
    ngx_http_swr_upload_t    *u = data;
    ngx_http_swr_loc_conf_t  *slcf;

    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);

    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY
        || reply->elements == 0
        || reply->element[0]->type != REDIS_REPLY_STRING)
    {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    st = reply->element[0];

    if (ngx_strncmp(st->str, "unknown", 7) == 0) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_BLOB_UPLOAD_UNKNOWN,
                                    &u->id));
        return;
    }

    if (reply->elements < 2 || reply->element[1]->type != REDIS_REPLY_STRING)
    {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    offset = ngx_atoof((u_char *) reply->element[1]->str,
                       reply->element[1]->len);
    if (offset == NGX_ERROR) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    if (ngx_strncmp(st->str, "ok", 2) != 0) {

        /* "range": the chunk does not start at the offset; "busy" */

        rc = ngx_http_swr_upload_headers(r, u, offset);
        if (rc != NGX_OK) {
            ngx_http_finalize_request(r, rc);
            return;
        }

        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_RANGE_INVALID,
                                    NULL));
        return;
    }

    u->locked = 1;
    u->start = offset;

    cln = ngx_http_cleanup_add(r, 0);
    if (cln == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    cln->handler = ngx_http_swr_upload_unlock;
    cln->data = r;

    if (reply->elements < 3
        || reply->element[2]->type != REDIS_REPLY_STRING
        || ngx_http_swr_hash_restore(&u->hash,
                                     (u_char *) reply->element[2]->str,
                                     reply->element[2]->len)
           != NGX_OK)
    {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "swr upload %V has no usable hash state", &u->id);
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_BLOB_UPLOAD_INVALID,
                                    &u->id));
        return;
    }

    if (slcf->storage->type == NGX_HTTP_SWR_STORAGE_OBS) {
        rc = ngx_http_swr_upload_staged(r, u, reply, 1);

        if (rc == NGX_DECLINED) {
            rc = ngx_http_swr_send_error(r,
                                         NGX_HTTP_SWR_ERR_BLOB_UPLOAD_INVALID,
                                         &u->id);
        }

        if (rc == NGX_OK) {

            /* the segments to stage with the chunk go first in its file */

            u->ou->handler = ngx_http_swr_upload_prepared;

            rc = ngx_http_swr_obs_upload_prepare(r, u->ou,
                                     r->headers_in.content_length_n,
                                     u->kind == NGX_HTTP_SWR_UPLOAD_FINISH);
            if (rc == NGX_OK) {
                return;
            }

            rc = (rc == NGX_DONE) ? ngx_http_swr_upload_read(r, u)
                                  : NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        ngx_http_finalize_request(r, rc == NGX_DONE ? NGX_DONE : rc);
        return;
    }

    u->base = offset;

    rc = ngx_http_swr_local_upload_open(r, slcf->storage, &u->id, offset,
                                        &u->file);
    if (rc != NGX_OK) {
        ngx_http_finalize_request(r, rc == NGX_DECLINED
            ? ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_BLOB_UPLOAD_UNKNOWN,
                                      &u->id)
            : NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    rc = ngx_http_swr_upload_read(r, u);

    ngx_http_finalize_request(r, rc == NGX_DONE ? NGX_DONE : rc);
}


/*
 * Reads the body through the body filter below.  Returns what a content
 * handler returns: NGX_DONE while reading, or a status.
 */

static ngx_int_t
ngx_http_swr_upload_read(ngx_http_request_t *r, ngx_http_swr_upload_t *u)
{
    ngx_int_t  rc;

    u->active = 1;
    u->written = 0;

    r->request_body_in_file_only = 0;
    r->request_body_in_single_buf = 0;

    rc = ngx_http_read_client_request_body(r, ngx_http_swr_upload_body_done);

    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        return rc;
    }

    return NGX_DONE;
}


/* the whole chunk is on storage */

static void
ngx_http_swr_upload_body_done(ngx_http_request_t *r)
{
    ngx_int_t               rc;
    ngx_http_swr_ctx_t     *ctx;
    ngx_http_swr_upload_t  *u;

    ctx = ngx_http_swr_get_ctx(r);
    u = ctx->data;

    u->active = 0;

    ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "swr upload %V: %O bytes at %O", &u->id, u->written,
                   u->start);

    if (u->range_end >= 0 && u->written != u->range_end - u->range_start + 1)
    {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_RANGE_INVALID,
                                    NULL));
        return;
    }

    switch (u->kind) {

    case NGX_HTTP_SWR_UPLOAD_CHUNK:
        rc = u->ou ? ngx_http_swr_upload_store(r, u)
                   : ngx_http_swr_upload_commit(r, u);
        break;

    default:
        rc = ngx_http_swr_upload_finish(r, u);
        break;
    }

    ngx_http_swr_resume(r, rc);
}


static ngx_int_t
ngx_http_swr_upload_commit(ngx_http_request_t *r, ngx_http_swr_upload_t *u)
{
    ngx_str_t                   entry;
    ngx_uint_t                  i;
    ngx_http_swr_cmd_t         *cmd;
    ngx_http_swr_obs_staged_t  *added;

    cmd = ngx_http_swr_cmd(r->pool, 10);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_upload_key(cmd, &u->id, 0) != NGX_OK
        || ngx_http_swr_upload_key(cmd, &u->id, 1) != NGX_OK
        || ngx_http_swr_upload_key(cmd, &u->id, 2) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &u->token) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, u->start) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, u->start + u->written) != NGX_OK
        || ngx_http_swr_cmd_add(cmd, (u_char *) &u->hash,
                                sizeof(ngx_http_swr_hash_t)) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, NGX_HTTP_SWR_UPLOAD_TTL) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* on a store: how many staged it merged, the objects staged for it */

    if (u->ou && u->ou->added.nelts) {
        if (ngx_http_swr_cmd_int(cmd, u->ou->replaced) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        added = u->ou->added.elts;

        for (i = 0; i < u->ou->added.nelts; i++) {
            if (ngx_http_swr_obs_upload_entry(r->pool, &added[i], &entry)
                != NGX_OK
                || ngx_http_swr_cmd_str(cmd, &entry) != NGX_OK)
            {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }
        }
    }

    return ngx_http_swr_script_send(r, NGX_HTTP_SWR_SCRIPT_UPLOAD_COMMIT, 3,
                                    cmd, ngx_http_swr_upload_committed, u);
}


static void
ngx_http_swr_upload_committed(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_int_t               rc;
    ngx_http_swr_upload_t  *u = data;

    if (reply == NULL || reply->type != REDIS_REPLY_STRING) {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    u->locked = 0;

    if (ngx_strncmp(reply->str, "ok", 2) != 0) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_BLOB_UPLOAD_UNKNOWN,
                                    &u->id));
        return;
    }

    /* the segments a staged chunk merged are not needed any more */

    if (u->ou && u->ou->replaced) {
        u->ou->handler = ngx_http_swr_upload_cleaned;

        rc = ngx_http_swr_obs_upload_clean(r, u->ou,
                                           u->ou->staged.nelts
                                           - u->ou->replaced,
                                           u->ou->staged.nelts);
        if (rc == NGX_OK) {
            return;
        }
    }

    ngx_http_finalize_request(r,
        ngx_http_swr_upload_answer(r, u, u->start + u->written,
                                   NGX_HTTP_ACCEPTED));
}


/*
 * The last chunk is in: compare digests, move the bytes into place, link
 * the blob.  A mismatch drops the upload: its bytes are not the blob.
 */

static ngx_int_t
ngx_http_swr_upload_finish(ngx_http_request_t *r, ngx_http_swr_upload_t *u)
{
    ngx_http_swr_loc_conf_t  *slcf;

    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);

    u->computed.data = ngx_pnalloc(r->pool, NGX_HTTP_SWR_DIGEST_MAX);
    if (u->computed.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    u->computed.len = ngx_http_swr_hash_final(&u->hash, u->algo,
                                              u->computed.data);

    if (u->computed.len != u->digest.len
        || ngx_strncmp(u->computed.data, u->digest.data, u->digest.len) != 0)
    {
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "swr upload %V is %V, not %V",
                      &u->id, &u->computed, &u->digest);

        if (u->ou == NULL) {
            (void) ngx_http_swr_local_upload_remove(r, slcf->storage,
                                                    &u->id);
        }

        if (u->kind == NGX_HTTP_SWR_UPLOAD_FINISH) {
            (void) ngx_http_swr_upload_forget(r, u, NULL);
            u->locked = 0;

            /* on a store, what the upload staged goes too, then the 400 */

            if (u->ou && u->ou->staged.nelts) {
                u->rejected = 1;
                u->ou->handler = ngx_http_swr_upload_cleaned;

                if (ngx_http_swr_obs_upload_clean(r, u->ou, 0,
                                                  u->ou->staged.nelts)
                    == NGX_OK)
                {
                    return NGX_OK;
                }
            }
        }

        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_DIGEST_INVALID,
                                    &u->digest));
        return NGX_DONE;
    }

    if (u->ou) {
        u->ou->start = u->start;
        u->ou->size = u->written;
        u->ou->digest = u->digest;
        u->ou->handler = ngx_http_swr_upload_stored;

        return ngx_http_swr_obs_upload_finish(r, u->ou) == NGX_OK
               ? NGX_OK : NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_local_upload_commit(r, slcf->storage, &u->id,
                                         &u->digest)
        != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    u->scratch = 0;

    return ngx_http_swr_upload_linking(r, u);
}


/* the blob is in place: the repository links it, the upload is gone */

static ngx_int_t
ngx_http_swr_upload_linking(ngx_http_request_t *r, ngx_http_swr_upload_t *u)
{
    ngx_int_t            rc;
    ngx_http_swr_ctx_t  *ctx;
    ngx_http_swr_cmd_t  *cmd;

    ctx = ngx_http_swr_get_ctx(r);

    if (u->kind == NGX_HTTP_SWR_UPLOAD_WHOLE) {
        return ngx_http_swr_upload_link(r, u, u->written);
    }

    rc = ngx_http_swr_store_catalog_add(r, &ctx->name);
    if (rc != NGX_OK) {
        return rc == NGX_ERROR ? NGX_HTTP_INTERNAL_SERVER_ERROR : rc;
    }

    cmd = ngx_http_swr_cmd(r->pool, 7);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_upload_key(cmd, &u->id, 0) != NGX_OK
        || ngx_http_swr_upload_key(cmd, &u->id, 1) != NGX_OK
        || ngx_http_swr_cmd_key(cmd, &ctx->name, NGX_HTTP_SWR_REPO_BLOBS,
                                NULL) != NGX_OK
        || ngx_http_swr_upload_key(cmd, &u->id, 2) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &u->token) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &u->digest) != NGX_OK
        || ngx_http_swr_cmd_int(cmd, u->start + u->written) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_script_send(r, NGX_HTTP_SWR_SCRIPT_UPLOAD_FINISH, 4,
                                    cmd, ngx_http_swr_upload_finished, u);
}


/* a chunk on an object store: staged first, recorded in Redis after */

static ngx_int_t
ngx_http_swr_upload_store(ngx_http_request_t *r, ngx_http_swr_upload_t *u)
{
    ngx_int_t  rc;

    u->ou->start = u->start;
    u->ou->size = u->written;
    u->ou->handler = ngx_http_swr_upload_stored;

    rc = ngx_http_swr_obs_upload_chunk(r, u->ou);

    if (rc == NGX_DONE) {
        return ngx_http_swr_upload_commit(r, u);
    }

    return rc == NGX_OK ? NGX_OK : NGX_HTTP_INTERNAL_SERVER_ERROR;
}


/*
 * The store has the chunk (or the blob).  A failure leaves the upload as
 * it was, its lock released by the cleanup: the client may retry.
 */

static void
ngx_http_swr_upload_stored(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_int_t rc)
{
    ngx_http_swr_ctx_t       *ctx;
    ngx_http_swr_upload_t    *u;
    ngx_http_swr_loc_conf_t  *slcf;

    ctx = ngx_http_swr_get_ctx(r);
    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);
    u = ctx->data;

    if (rc == NGX_DECLINED) {
        ngx_http_finalize_request(r,
            ngx_http_swr_remote_failed(r, slcf->storage, &ou->failed));
        return;
    }

    if (rc != NGX_OK) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_http_swr_resume(r, u->kind == NGX_HTTP_SWR_UPLOAD_CHUNK
                           ? ngx_http_swr_upload_commit(r, u)
                           : ngx_http_swr_upload_linking(r, u));
}


/* the segments are in the chunk's file: the chunk follows them */

static void
ngx_http_swr_upload_prepared(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_int_t rc)
{
    ngx_http_swr_ctx_t       *ctx;
    ngx_http_swr_upload_t    *u;
    ngx_http_swr_loc_conf_t  *slcf;

    ctx = ngx_http_swr_get_ctx(r);
    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);
    u = ctx->data;

    if (rc == NGX_DECLINED) {
        ngx_http_finalize_request(r,
            ngx_http_swr_remote_failed(r, slcf->storage, &ou->failed));
        return;
    }

    if (rc != NGX_OK) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    rc = ngx_http_swr_upload_read(r, u);

    ngx_http_finalize_request(r, rc == NGX_DONE ? NGX_DONE : rc);
}


/* staged objects deleted (or left to swr-gc): the client's answer */

static void
ngx_http_swr_upload_cleaned(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_int_t rc)
{
    ngx_http_swr_ctx_t     *ctx;
    ngx_http_swr_upload_t  *u;

    ctx = ngx_http_swr_get_ctx(r);
    u = ctx->data;

    if (r->method == NGX_HTTP_DELETE) {
        ngx_http_finalize_request(r, ngx_http_swr_send_empty(r,
                                                     NGX_HTTP_NO_CONTENT));
        return;
    }

    if (u->rejected) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_DIGEST_INVALID,
                                    &u->digest));
        return;
    }

    if (u->kind == NGX_HTTP_SWR_UPLOAD_CHUNK) {
        ngx_http_finalize_request(r,
            ngx_http_swr_upload_answer(r, u, u->start + u->written,
                                       NGX_HTTP_ACCEPTED));
        return;
    }

    ngx_http_finalize_request(r, ngx_http_swr_upload_created_blob(r,
                                                                &u->digest));
}


/* the objects a store holds for this upload, as the claim listed them */

static ngx_int_t
ngx_http_swr_upload_staged(ngx_http_request_t *r, ngx_http_swr_upload_t *u,
    redisReply *reply, ngx_uint_t claim)
{
    ngx_str_t                 *entries;
    ngx_uint_t                 i, n;
    redisReply                *list;
    ngx_http_swr_loc_conf_t   *slcf;

    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);

    if (claim) {
        list = (reply->elements > 3) ? reply->element[3] : NULL;

    } else {
        list = reply;
    }

    n = (list && list->type == REDIS_REPLY_ARRAY) ? list->elements : 0;

    entries = ngx_palloc(r->pool, (n ? n : 1) * sizeof(ngx_str_t));
    if (entries == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    for (i = 0; i < n; i++) {
        if (list->element[i]->type != REDIS_REPLY_STRING) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        entries[i].data = (u_char *) list->element[i]->str;
        entries[i].len = list->element[i]->len;
    }

    u->ou = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_obs_upload_t));
    if (u->ou == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    u->ou->storage = slcf->storage;
    u->ou->id = u->id;

    if (ngx_http_swr_obs_upload_staged(r, u->ou, entries, n) != NGX_OK) {
        return NGX_DECLINED;
    }

    return ngx_http_swr_obs_upload_open(r, u->ou) == NGX_OK
           ? NGX_OK : NGX_HTTP_INTERNAL_SERVER_ERROR;
}


static void
ngx_http_swr_upload_finished(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_upload_t  *u = data;

    if (reply == NULL || reply->type != REDIS_REPLY_STRING) {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    u->locked = 0;

    if (ngx_strncmp(reply->str, "ok", 2) != 0) {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_BLOB_UPLOAD_UNKNOWN,
                                    &u->id));
        return;
    }

    /* the staged objects are in the blob now */

    if (u->ou && u->ou->staged.nelts) {
        u->ou->handler = ngx_http_swr_upload_cleaned;

        if (ngx_http_swr_obs_upload_clean(r, u->ou, 0, u->ou->staged.nelts)
            == NGX_OK)
        {
            return;
        }
    }

    ngx_http_finalize_request(r, ngx_http_swr_upload_created_blob(r,
                                                                &u->digest));
}


/* GET (status) and DELETE (cancel) of an upload: both look it up first */

static ngx_int_t
ngx_http_swr_upload_status(ngx_http_request_t *r, ngx_http_swr_upload_t *u)
{
    ngx_int_t                 rc;
    ngx_http_swr_cmd_t       *cmd;
    ngx_http_swr_loc_conf_t  *slcf;

    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);

    /* a cancel on a store: first what it staged, to delete it too */

    if (r->method == NGX_HTTP_DELETE
        && slcf->storage->type == NGX_HTTP_SWR_STORAGE_OBS)
    {
        cmd = ngx_http_swr_cmd(r->pool, 4);
        if (cmd == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (ngx_http_swr_cmd_cstr(cmd, "LRANGE") != NGX_OK
            || ngx_http_swr_upload_key(cmd, &u->id, 2) != NGX_OK
            || ngx_http_swr_cmd_cstr(cmd, "0") != NGX_OK
            || ngx_http_swr_cmd_cstr(cmd, "-1") != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        rc = ngx_http_swr_cmd_send(r, cmd, ngx_http_swr_upload_listed, u);
        if (rc != NGX_OK) {
            return ngx_http_swr_store_failed(r, rc);
        }
    }

    cmd = ngx_http_swr_cmd(r->pool, 4);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_cmd_cstr(cmd, "HMGET") != NGX_OK
        || ngx_http_swr_upload_key(cmd, &u->id, 0) != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "repo") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "offset") != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_wait(r, ngx_http_swr_cmd_send(r, cmd,
                                  ngx_http_swr_upload_status_reply, u));
}


static void
ngx_http_swr_upload_status_reply(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    off_t                     offset;
    ngx_http_swr_ctx_t       *ctx;
    ngx_http_swr_upload_t    *u = data;
    ngx_http_swr_loc_conf_t  *slcf;

    ctx = ngx_http_swr_get_ctx(r);
    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);

    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY
        || reply->elements != 2)
    {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    if (reply->element[0]->type != REDIS_REPLY_STRING
        || reply->element[1]->type != REDIS_REPLY_STRING
        || reply->element[0]->len != ctx->name.len
        || ngx_strncmp(reply->element[0]->str, ctx->name.data,
                       ctx->name.len) != 0)
    {
        ngx_http_finalize_request(r,
            ngx_http_swr_send_error(r, NGX_HTTP_SWR_ERR_BLOB_UPLOAD_UNKNOWN,
                                    &u->id));
        return;
    }

    if (r->method == NGX_HTTP_DELETE) {

        /* on a store, what was staged goes after the upload's keys */

        if (slcf->storage->type == NGX_HTTP_SWR_STORAGE_LOCAL) {
            (void) ngx_http_swr_local_upload_remove(r, slcf->storage,
                                                    &u->id);
        }

        ngx_http_swr_resume(r, ngx_http_swr_upload_forget(r, u,
                                             ngx_http_swr_upload_cancelled));
        return;
    }

    offset = ngx_atoof((u_char *) reply->element[1]->str,
                       reply->element[1]->len);

    ngx_http_finalize_request(r,
        ngx_http_swr_upload_answer(r, u, offset == NGX_ERROR ? 0 : offset,
                                   NGX_HTTP_NO_CONTENT));
}


/* the staged objects of an upload being cancelled; the reply after it
 * (the upload itself) says whether it goes on */

static void
ngx_http_swr_upload_listed(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_upload_t  *u = data;

    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY
        || reply->elements == 0)
    {
        return;
    }

    if (ngx_http_swr_upload_staged(r, u, reply, 0) != NGX_OK) {
        u->ou = NULL;
    }
}


static void
ngx_http_swr_upload_cancelled(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_upload_t  *u = data;

    if (reply == NULL || reply->type != REDIS_REPLY_INTEGER) {
        ngx_http_finalize_request(r, ngx_http_swr_reply_error(r, reply));
        return;
    }

    if (u->ou && u->ou->staged.nelts) {
        u->ou->handler = ngx_http_swr_upload_cleaned;

        if (ngx_http_swr_obs_upload_clean(r, u->ou, 0, u->ou->staged.nelts)
            == NGX_OK)
        {
            return;
        }
    }

    ngx_http_finalize_request(r, ngx_http_swr_send_empty(r,
                                                     NGX_HTTP_NO_CONTENT));
}


/* drops the upload's keys; handler NULL: nobody waits for it */

static ngx_int_t
ngx_http_swr_upload_forget(ngx_http_request_t *r, ngx_http_swr_upload_t *u,
    ngx_http_swr_redis_handler_pt handler)
{
    ngx_http_swr_cmd_t  *cmd;

    cmd = ngx_http_swr_cmd(r->pool, 4);
    if (cmd == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_cmd_cstr(cmd, "DEL") != NGX_OK
        || ngx_http_swr_upload_key(cmd, &u->id, 0) != NGX_OK
        || ngx_http_swr_upload_key(cmd, &u->id, 1) != NGX_OK
        || ngx_http_swr_upload_key(cmd, &u->id, 2) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_cmd_send(r, cmd, handler, u);
}


/*
 * A request that took the lock and ends without committing (the client
 * went away mid-chunk, a write failed) lets the next chunk in; a
 * monolithic upload that did not complete leaves no file behind.
 */

static void
ngx_http_swr_upload_unlock(void *data)
{
    ngx_http_request_t  *r = data;

    ngx_http_swr_ctx_t       *ctx;
    ngx_http_swr_cmd_t       *cmd;
    ngx_http_swr_upload_t    *u;
    ngx_http_swr_loc_conf_t  *slcf;

    ctx = ngx_http_get_module_ctx(r, ngx_http_swr_module);
    if (ctx == NULL || ctx->data == NULL) {
        return;
    }

    u = ctx->data;

    if (u->scratch) {
        u->scratch = 0;
        u->active = 0;

        slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);
        (void) ngx_http_swr_local_upload_remove(r, slcf->storage, &u->id);
    }

    if (!u->locked) {
        return;
    }

    u->locked = 0;
    u->active = 0;

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "swr upload %V unlocked by cleanup", &u->id);

    cmd = ngx_http_swr_cmd(r->pool, 4);
    if (cmd == NULL) {
        return;
    }

    if (ngx_http_swr_cmd_cstr(cmd, "EVAL") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd,
               "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
               "  redis.call('DEL', KEYS[1])\n"
               "end\n"
               "return 'ok'\n") != NGX_OK
        || ngx_http_swr_cmd_cstr(cmd, "1") != NGX_OK
        || ngx_http_swr_upload_key(cmd, &u->id, 1) != NGX_OK
        || ngx_http_swr_cmd_str(cmd, &u->token) != NGX_OK)
    {
        return;
    }

    (void) ngx_http_swr_cmd_send(r, cmd, NULL, NULL);
}


static ngx_int_t
ngx_http_swr_upload_headers(ngx_http_request_t *r, ngx_http_swr_upload_t *u,
    off_t offset)
{
    u_char              *p;
    ngx_str_t            name, value, path;
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);

    p = ngx_pnalloc(r->pool, ctx->name.len + u->id.len
                             + sizeof("/v2//blobs/uploads/"));
    if (p == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    path.data = p;
    path.len = ngx_sprintf(p, "/v2/%V/blobs/uploads/%V", &ctx->name, &u->id)
               - p;

    if (ngx_http_swr_location(r, &path) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_pnalloc(r->pool, NGX_OFF_T_LEN + 2);
    if (p == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    value.data = p;
    value.len = ngx_sprintf(p, "0-%O", offset > 0 ? offset - 1 : 0) - p;

    ngx_str_set(&name, "Range");

    if (ngx_http_swr_add_header(r, &name, &value) == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_str_set(&name, "Docker-Upload-UUID");

    if (ngx_http_swr_add_header(r, &name, &u->id) == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return NGX_OK;
}


/* 202 or 204 with the upload's Location, Range and id */

static ngx_int_t
ngx_http_swr_upload_answer(ngx_http_request_t *r, ngx_http_swr_upload_t *u,
    off_t offset, ngx_uint_t status)
{
    ngx_int_t  rc;

    rc = ngx_http_swr_upload_headers(r, u, offset);
    if (rc != NGX_OK) {
        return rc;
    }

    return ngx_http_swr_send_empty(r, status);
}


static ngx_int_t
ngx_http_swr_upload_created_blob(ngx_http_request_t *r, ngx_str_t *digest)
{
    u_char              *p;
    ngx_str_t            path;
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_get_ctx(r);

    p = ngx_pnalloc(r->pool, ctx->name.len + digest->len
                             + sizeof("/v2//blobs/"));
    if (p == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    path.data = p;
    path.len = ngx_sprintf(p, "/v2/%V/blobs/%V", &ctx->name, digest) - p;

    if (ngx_http_swr_location(r, &path) != NGX_OK
        || ngx_http_swr_digest_header(r, digest) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_send_empty(r, NGX_HTTP_CREATED);
}


/* Content-Range: [bytes ]<start>-<end>, inclusive */

static ngx_int_t
ngx_http_swr_upload_range(ngx_http_request_t *r, ngx_http_swr_upload_t *u)
{
    u_char           *p, *dash, *last;
    ngx_table_elt_t  *h;

    h = ngx_http_swr_find_header(r, "Content-Range");
    if (h == NULL) {
        return NGX_OK;
    }

    p = h->value.data;
    last = p + h->value.len;

    if (last - p > 6 && ngx_strncasecmp(p, (u_char *) "bytes ", 6) == 0) {
        p += 6;
    }

    dash = ngx_strlchr(p, last, '-');
    if (dash == NULL) {
        return NGX_ERROR;
    }

    u->range_start = ngx_atoof(p, dash - p);
    u->range_end = ngx_atoof(dash + 1, last - dash - 1);

    if (u->range_start == NGX_ERROR || u->range_end == NGX_ERROR
        || u->range_end < u->range_start)
    {
        return NGX_ERROR;
    }

    if (r->headers_in.content_length_n >= 0
        && r->headers_in.content_length_n
           != u->range_end - u->range_start + 1)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}


/* a random (version 4) UUID */

static ngx_int_t
ngx_http_swr_upload_id(ngx_http_request_t *r, ngx_str_t *id)
{
    u_char  *p, b[16], hex[32];

    if (RAND_bytes(b, sizeof(b)) != 1) {
        ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                      "RAND_bytes() failed");
        return NGX_ERROR;
    }

    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;

    ngx_hex_dump(hex, b, sizeof(b));

    p = ngx_pnalloc(r->pool, 36);
    if (p == NULL) {
        return NGX_ERROR;
    }

    id->data = p;

    p = ngx_cpymem(p, hex, 8);
    *p++ = '-';
    p = ngx_cpymem(p, hex + 8, 4);
    *p++ = '-';
    p = ngx_cpymem(p, hex + 12, 4);
    *p++ = '-';
    p = ngx_cpymem(p, hex + 16, 4);
    *p++ = '-';
    p = ngx_cpymem(p, hex + 20, 12);

    id->len = p - id->data;

    return NGX_OK;
}


/* swr:upload:{<id>}, its lock and its staged objects, in one slot */

static ngx_int_t
ngx_http_swr_upload_key(ngx_http_swr_cmd_t *cmd, ngx_str_t *id,
    ngx_uint_t which)
{
    u_char  *p, *last;

    static char  *suffix[] = { "", ":lock", ":staged" };

    p = ngx_pnalloc(cmd->pool, sizeof(NGX_HTTP_SWR_KEY_UPLOAD "{}:staged")
                               + id->len);
    if (p == NULL) {
        return NGX_ERROR;
    }

    last = ngx_sprintf(p, NGX_HTTP_SWR_KEY_UPLOAD "{%V}%s", id,
                       suffix[which]);

    return ngx_http_swr_cmd_add(cmd, p, last - p);
}


/*
 * The request body filter: a chunk goes to storage and into the hash as
 * it arrives, buffer by buffer, and is never held whole in memory.  Only
 * the end-of-body mark is passed on, so nginx keeps nothing either.
 */

static ngx_int_t
ngx_http_swr_upload_body_filter(ngx_http_request_t *r, ngx_chain_t *in)
{
    size_t                  size;
    ssize_t                 n;
    ngx_buf_t              *b;
    ngx_uint_t              last;
    ngx_chain_t            *cl, *out;
    ngx_http_swr_ctx_t     *ctx;
    ngx_http_swr_upload_t  *u;

    ctx = ngx_http_get_module_ctx(r, ngx_http_swr_module);

    if (ctx == NULL
        || (ctx->route != NGX_HTTP_SWR_ROUTE_UPLOAD
            && ctx->route != NGX_HTTP_SWR_ROUTE_UPLOAD_START)
        || ctx->data == NULL
        || !((ngx_http_swr_upload_t *) ctx->data)->active)
    {
        return ngx_http_next_request_body_filter(r, in);
    }

    u = ctx->data;
    last = 0;

    for (cl = in; cl; cl = cl->next) {
        b = cl->buf;
        size = b->last - b->pos;

        if (size) {
            if (u->ou) {
                n = (ngx_http_swr_obs_upload_write(r, u->ou, b->pos, size)
                     == NGX_OK) ? (ssize_t) size : NGX_ERROR;

            } else {
                n = ngx_write_file(&u->file, b->pos, size,
                                   u->base + u->written);
            }

            if (n != (ssize_t) size) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            ngx_http_swr_hash_update(&u->hash, b->pos, size);

            u->written += size;
            b->pos = b->last;
        }

        if (b->last_buf) {
            last = 1;
        }
    }

    if (!last) {
        return ngx_http_next_request_body_filter(r, NULL);
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b->last_buf = 1;

    out = ngx_alloc_chain_link(r->pool);
    if (out == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    out->buf = b;
    out->next = NULL;

    return ngx_http_next_request_body_filter(r, out);
}


ngx_int_t
ngx_http_swr_upload_init(ngx_conf_t *cf)
{
    ngx_http_next_request_body_filter = ngx_http_top_request_body_filter;
    ngx_http_top_request_body_filter = ngx_http_swr_upload_body_filter;

    return NGX_OK;
}
