
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_AUTH_H_INCLUDED_
#define _NGX_HTTP_SWR_AUTH_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_store.h"


/* the levels of a grant (swr-api.md 1.8) */
#define NGX_HTTP_SWR_LEVEL_READ    1
#define NGX_HTTP_SWR_LEVEL_WRITE   3
#define NGX_HTTP_SWR_LEVEL_MANAGE  7

#define NGX_HTTP_SWR_AUTH_REPOS    8


/* what the AUTHZ script answered */

typedef struct {
    ngx_str_t    status;
    ngx_str_t    user;
    ngx_str_t    account;
    ngx_uint_t   admin;
    ngx_str_t    sk;
    ngx_str_t    name;       /* the user's and his account's, for audit */
    ngx_str_t    account_name;
    ngx_uint_t   nlevels;
    ngx_uint_t   level[NGX_HTTP_SWR_AUTH_REPOS];
    ngx_uint_t   missing;    /* bit i: level[i]'s organization is not */
} ngx_http_swr_identity_t;


ngx_int_t ngx_http_swr_auth_init(ngx_conf_t *cf);
ngx_int_t ngx_http_swr_auth_query(ngx_http_request_t *r, const char *mode,
    ngx_str_t *id, ngx_str_t *repos, ngx_uint_t n,
    ngx_http_swr_redis_handler_pt handler, void *data);
ngx_int_t ngx_http_swr_auth_identity(ngx_http_request_t *r,
    redisReply *reply, ngx_http_swr_identity_t *id);
ngx_int_t ngx_http_swr_auth_basic(ngx_http_request_t *r, ngx_str_t *ak,
    ngx_str_t *password);
ngx_int_t ngx_http_swr_auth_login_key(ngx_http_request_t *r,
    ngx_http_swr_identity_t *id, ngx_str_t *ak, ngx_str_t *password);
ngx_int_t ngx_http_swr_auth_may_mount(ngx_http_request_t *r);
ngx_int_t ngx_http_swr_auth_basic_challenge(ngx_http_request_t *r);
ngx_int_t ngx_http_swr_auth_project(ngx_http_request_t *r,
    ngx_str_t *project);
void ngx_http_swr_auth_failure(ngx_http_request_t *r, ngx_str_t *id);
ngx_int_t ngx_http_swr_auth_limited(ngx_http_request_t *r);


#endif /* _NGX_HTTP_SWR_AUTH_H_INCLUDED_ */
