
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_STORE_H_INCLUDED_
#define _NGX_HTTP_SWR_STORE_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_redis.h"


/*
 * Registry metadata in Redis: the key schema (docs/redis-schema.md), the
 * Lua scripts that change several keys at once, and a command builder.
 * This file alone knows key names.
 */

typedef enum {
    NGX_HTTP_SWR_SCRIPT_MANIFEST_PUT = 0,
    NGX_HTTP_SWR_SCRIPT_MANIFEST_GET,
    NGX_HTTP_SWR_SCRIPT_MANIFEST_DELETE,
    NGX_HTTP_SWR_SCRIPT_TAG_DELETE,
    NGX_HTTP_SWR_SCRIPT_TAGS_LIST,
    NGX_HTTP_SWR_SCRIPT_UPLOAD_CLAIM,
    NGX_HTTP_SWR_SCRIPT_UPLOAD_COMMIT,
    NGX_HTTP_SWR_SCRIPT_UPLOAD_UNLOCK,
    NGX_HTTP_SWR_SCRIPT_UPLOAD_FINISH,
    NGX_HTTP_SWR_SCRIPT_AUTHZ,
    NGX_HTTP_SWR_SCRIPT_NS_CREATE,
    NGX_HTTP_SWR_SCRIPT_NS_LIST,
    NGX_HTTP_SWR_SCRIPT_NS_DELETE,
    NGX_HTTP_SWR_SCRIPT_CATALOG,
    NGX_HTTP_SWR_SCRIPT_LAST
} ngx_http_swr_script_e;


/* a script: its number (for logs), text and SHA-1 in hex */

typedef struct {
    ngx_uint_t    id;
    ngx_str_t     text;
    u_char        sha[40];
} ngx_http_swr_script_t;


typedef struct {
    ngx_array_t   args;         /* ngx_str_t */
    ngx_pool_t   *pool;
} ngx_http_swr_cmd_t;


ngx_http_swr_cmd_t *ngx_http_swr_cmd(ngx_pool_t *pool, ngx_uint_t n);
ngx_int_t ngx_http_swr_cmd_add(ngx_http_swr_cmd_t *cmd, u_char *data,
    size_t len);
ngx_int_t ngx_http_swr_cmd_str(ngx_http_swr_cmd_t *cmd, ngx_str_t *s);
ngx_int_t ngx_http_swr_cmd_cstr(ngx_http_swr_cmd_t *cmd, const char *s);
ngx_int_t ngx_http_swr_cmd_int(ngx_http_swr_cmd_t *cmd, int64_t n);
ngx_int_t ngx_http_swr_cmd_key(ngx_http_swr_cmd_t *cmd, ngx_str_t *repo,
    const char *what, ngx_str_t *suffix);
ngx_int_t ngx_http_swr_cmd_ns_key(ngx_http_swr_cmd_t *cmd, ngx_str_t *repo,
    const char *suffix);
ngx_int_t ngx_http_swr_cmd_day(ngx_http_swr_cmd_t *cmd);

ngx_int_t ngx_http_swr_cmd_send(ngx_http_request_t *r,
    ngx_http_swr_cmd_t *cmd, ngx_http_swr_redis_handler_pt handler,
    void *data);
ngx_int_t ngx_http_swr_script_send(ngx_http_request_t *r,
    ngx_uint_t script, ngx_uint_t nkeys, ngx_http_swr_cmd_t *cmd,
    ngx_http_swr_redis_handler_pt handler, void *data);

ngx_int_t ngx_http_swr_script_run(ngx_http_request_t *r,
    ngx_http_swr_script_t *script, ngx_uint_t nkeys,
    ngx_http_swr_cmd_t *cmd, ngx_http_swr_redis_handler_pt handler,
    void *data);
void ngx_http_swr_script_set(ngx_http_swr_script_t *s, ngx_uint_t id,
    u_char *text, size_t len);

ngx_int_t ngx_http_swr_store_catalog_add(ngx_http_request_t *r,
    ngx_str_t *repo);
ngx_int_t ngx_http_swr_store_init(ngx_conf_t *cf);


/* key names shared by more than one file */

#define NGX_HTTP_SWR_KEY_REPOS        "swr:repos"
#define NGX_HTTP_SWR_KEY_UPLOAD       "swr:upload:"
#define NGX_HTTP_SWR_KEY_NAMESPACES   "swr:namespaces"
#define NGX_HTTP_SWR_KEY_NS_SEQ       "swr:ns:seq"
#define NGX_HTTP_SWR_KEY_NS           "swr:ns:"

#define NGX_HTTP_SWR_REPO_BLOBS       "blobs"
#define NGX_HTTP_SWR_REPO_MANIFESTS   "manifests"
#define NGX_HTTP_SWR_REPO_BODIES      "bodies"
#define NGX_HTTP_SWR_REPO_TAGS        "tags"
#define NGX_HTTP_SWR_REPO_TAGLIST     "taglist"
#define NGX_HTTP_SWR_REPO_SUBJECTS    "subjects"
#define NGX_HTTP_SWR_REPO_REFERRERS   "referrers:"
#define NGX_HTTP_SWR_REPO_META        "meta"
#define NGX_HTTP_SWR_REPO_TAGMETA     "tagmeta"
#define NGX_HTTP_SWR_REPO_SIZES       "sizes"

#define NGX_HTTP_SWR_NS_USAGE         ":usage"
#define NGX_HTTP_SWR_NS_DAILY_STORE   ":daily:store"
#define NGX_HTTP_SWR_NS_DAILY_DOWN    ":daily:downflow"


#endif /* _NGX_HTTP_SWR_STORE_H_INCLUDED_ */
