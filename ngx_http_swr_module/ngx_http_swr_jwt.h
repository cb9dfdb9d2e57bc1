
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_JWT_H_INCLUDED_
#define _NGX_HTTP_SWR_JWT_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"


#define NGX_HTTP_SWR_ACTION_PULL    0x01
#define NGX_HTTP_SWR_ACTION_PUSH    0x02
#define NGX_HTTP_SWR_ACTION_DELETE  0x04


/* one "access" entry of a registry token: a repository and its actions */

typedef struct {
    ngx_str_t    name;
    ngx_uint_t   actions;
} ngx_http_swr_jwt_access_t;


typedef struct {
    ngx_str_t    iss;
    ngx_str_t    sub;
    ngx_str_t    aud;
    ngx_str_t    account;      /* "acct", "name", "acct_name": who, for */
    ngx_str_t    name;         /* the audit trail */
    ngx_str_t    account_name;
    time_t       exp;
    time_t       nbf;
    ngx_array_t  access;       /* ngx_http_swr_jwt_access_t */
} ngx_http_swr_jwt_claims_t;


char *ngx_http_swr_token_key(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
ngx_int_t ngx_http_swr_jwt_sign(ngx_pool_t *pool,
    ngx_http_swr_main_conf_t *smcf, ngx_str_t *claims, ngx_str_t *token);
ngx_int_t ngx_http_swr_jwt_verify(ngx_pool_t *pool,
    ngx_http_swr_main_conf_t *smcf, ngx_str_t *token,
    ngx_http_swr_jwt_claims_t *claims);
ngx_uint_t ngx_http_swr_jwt_action(u_char *s, size_t len);


#endif /* _NGX_HTTP_SWR_JWT_H_INCLUDED_ */
