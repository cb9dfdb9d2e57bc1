
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_COMMON_H_INCLUDED_
#define _NGX_HTTP_SWR_COMMON_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>


#define NGX_HTTP_SWR_VERSION  "0.1.0"


/* what a location with one of our content directives serves */

typedef enum {
    NGX_HTTP_SWR_ROLE_NONE = 0,
    NGX_HTTP_SWR_ROLE_REGISTRY,
    NGX_HTTP_SWR_ROLE_MANAGE,
    NGX_HTTP_SWR_ROLE_HEALTH,
    NGX_HTTP_SWR_ROLE_TOKEN
} ngx_http_swr_role_e;


typedef struct ngx_http_swr_redis_link_s  ngx_http_swr_redis_link_t;


typedef struct {
    ngx_str_t                    name;       /* as written, for logs */
    ngx_str_t                    host;       /* numeric address or "" */
    ngx_str_t                    socket;     /* unix socket path or "" */
    in_port_t                    port;
    ngx_str_t                    password;
    ngx_int_t                    db;
    ngx_msec_t                   connect_timeout;
    ngx_msec_t                   timeout;
    ngx_uint_t                   max_pending;
} ngx_http_swr_redis_conf_t;


/* an S3-compatible object store: Huawei OBS, Ceph RGW, AWS S3 */

typedef enum {
    NGX_HTTP_SWR_SIGN_V4 = 0,                /* AWS Signature Version 4 */
    NGX_HTTP_SWR_SIGN_OBS                    /* OBS's own "OBS AK:sig" */
} ngx_http_swr_sign_e;


typedef struct {
    ngx_str_t                    name;
    ngx_str_t                    scheme;     /* "http" or "https" */
    ngx_str_t                    endpoint;   /* host[:port] */
    ngx_str_t                    host;       /* the Host header */
    ngx_str_t                    bucket;
    ngx_str_t                    region;
    ngx_str_t                    access_key;
    ngx_str_t                    secret_key;
    ngx_uint_t                   signature;  /* ngx_http_swr_sign_e */
    ngx_flag_t                   virtual_host;
    time_t                       denied;     /* last 403 logged */
} ngx_http_swr_obs_conf_t;


/* the keys that decrypt the secret keys Redis holds */

typedef struct {
    u_char                       enc[32];
    u_char                       mac[32];
} ngx_http_swr_secret_t;


typedef struct {
    ngx_http_swr_redis_conf_t   *redis;      /* NULL: no swr_redis */
    ngx_http_swr_secret_t       *secret;     /* swr_secret_key_file */
    void                        *token_key;  /* EVP_PKEY, swr_token_key */
    ngx_str_t                    token_kid;
    ngx_str_t                    token_header;  /* the JWT header, b64 */
    ngx_str_t                    token_issuer;
    ngx_str_t                    token_service;
    time_t                       token_ttl;
    ngx_str_t                    region;     /* "region@AK" logins */
    time_t                       auth_cache;  /* swr_auth_cache */
    ngx_int_t                    login_limit_client;
    ngx_int_t                    login_limit_key;
    ngx_int_t                    quota_namespaces;  /* swr_quota */
    ngx_int_t                    quota_repos;
    ngx_int_t                    quota_tags;
    ngx_flag_t                   auto_namespace;  /* swr_auto_namespace */
    ngx_array_t                  obs;        /* ngx_http_swr_obs_conf_t */
    ngx_http_swr_redis_link_t   *link;       /* per worker */
    ngx_int_t                    request_id_index;
    ngx_array_t                  storages;   /* ngx_path_t *, local */
    ngx_uint_t                   apis;       /* registry, manage locations */
    ngx_event_t                  sweep;      /* stale uploads, worker 0 */
    ngx_array_t                  audit_streams;  /* every swr_audit_redis on */
    ngx_array_t                  audit_links;    /* a worker's, each once */
} ngx_http_swr_main_conf_t;


/* a location of ours, for errors raised before a location is chosen */

typedef struct {
    ngx_str_t                    name;
    ngx_uint_t                   role;
    ngx_uint_t                   exact;
} ngx_http_swr_location_t;


typedef struct {
    ngx_array_t                  locations;  /* ngx_http_swr_location_t */
} ngx_http_swr_srv_conf_t;


typedef enum {
    NGX_HTTP_SWR_STORAGE_LOCAL = 1,
    NGX_HTTP_SWR_STORAGE_OBS
} ngx_http_swr_storage_type_e;


typedef struct {
    ngx_http_swr_storage_type_e  type;
    ngx_path_t                  *path;       /* local */
    ngx_http_swr_obs_conf_t     *obs;        /* obs */
    ngx_str_t                    location;   /* obs: the proxy location */
    time_t                       redirect;   /* obs: 307 URLs live so long */
    off_t                        part_max;   /* obs: largest object sent */
} ngx_http_swr_storage_t;


/* the audit sinks (ngx_http_swr_audit_sink.c) */

typedef struct ngx_http_swr_audit_log_s    ngx_http_swr_audit_log_t;
typedef struct ngx_http_swr_audit_redis_s  ngx_http_swr_audit_redis_t;


typedef struct {
    /* not inherited: the directive that sets it also sets the handler */
    ngx_uint_t                   role;

    ngx_http_swr_storage_t      *storage;
    ngx_http_swr_audit_log_t    *audit_log;
    ngx_http_swr_audit_redis_t  *audit_redis;
    ngx_flag_t                   audit_reads;
    ngx_flag_t                   audit_blobs;
    ngx_flag_t                   trust_forwarded;
    ngx_flag_t                   auth;       /* swr_auth */

    ngx_http_swr_obs_conf_t     *obs_store;  /* swr_obs_object */
    ngx_http_complex_value_t    *obs_key;
} ngx_http_swr_loc_conf_t;


typedef struct {
    ngx_uint_t                   role;
    ngx_uint_t                   route;      /* ngx_http_swr_route_e */
    ngx_str_t                    name;       /* repository */
    ngx_str_t                    ref;        /* tag, digest, upload id */
    void                        *data;       /* the route's own state */
    void                        *obs;        /* signed object request */
    void                        *remote;     /* store call under way */
    void                        *auth;       /* who asks, and may he */
    void                        *identity;   /* ngx_http_swr_identity_t */
    void                        *audit;      /* ngx_http_swr_audit_t */
    ngx_str_t                    claimed;    /* an AK offered, for audit */
    ngx_http_swr_storage_t      *storage;    /* a blob GET from a store */
    off_t                        blob_size;
    ngx_uint_t                   err;        /* ngx_http_swr_err_e */
    ngx_str_t                    detail;

    ngx_msec_t                   started;
    ngx_buf_t                   *body;       /* replaces a stock page */

    unsigned                     error_sent:1;  /* our JSON error body */
    unsigned                     replace_body:1;
    unsigned                     headers_added:1;
    unsigned                     blob_proxied:1;  /* GET from the store */
    unsigned                     body_json:1;   /* body_text: checked JSON */

    ngx_str_t                    body_text;  /* ngx_http_swr_body_text's */
    off_t                        body_size;
} ngx_http_swr_ctx_t;


ngx_http_swr_ctx_t *ngx_http_swr_get_ctx(ngx_http_request_t *r);
ngx_http_swr_ctx_t *ngx_http_swr_find_ctx(ngx_http_request_t *r);
ngx_int_t ngx_http_swr_keep_ctx(ngx_http_request_t *r,
    ngx_http_swr_ctx_t *ctx);
ngx_int_t ngx_http_swr_request_id(ngx_http_request_t *r, ngx_str_t *id);


extern ngx_module_t  ngx_http_swr_module;


#endif /* _NGX_HTTP_SWR_COMMON_H_INCLUDED_ */
