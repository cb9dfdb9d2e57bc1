
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#ifndef _NGX_HTTP_SWR_ERRORS_H_INCLUDED_
#define _NGX_HTTP_SWR_ERRORS_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>


/*
 * Every error the module can answer with.  One table (errors.c) maps each
 * to its HTTP status, its OCI distribution code and message, and its SWR
 * error_code and error_msg; the envelope is chosen by the location's role.
 */

typedef enum {
    NGX_HTTP_SWR_ERR_NONE = 0,

    /* the OCI distribution specification's codes */
    NGX_HTTP_SWR_ERR_BLOB_UNKNOWN,
    NGX_HTTP_SWR_ERR_BLOB_UPLOAD_INVALID,
    NGX_HTTP_SWR_ERR_BLOB_UPLOAD_UNKNOWN,
    NGX_HTTP_SWR_ERR_DIGEST_INVALID,
    NGX_HTTP_SWR_ERR_MANIFEST_BLOB_UNKNOWN,
    NGX_HTTP_SWR_ERR_MANIFEST_INVALID,
    NGX_HTTP_SWR_ERR_MANIFEST_UNKNOWN,
    NGX_HTTP_SWR_ERR_NAME_INVALID,
    NGX_HTTP_SWR_ERR_NAME_UNKNOWN,
    NGX_HTTP_SWR_ERR_SIZE_INVALID,
    NGX_HTTP_SWR_ERR_UNAUTHORIZED,
    NGX_HTTP_SWR_ERR_DENIED,
    NGX_HTTP_SWR_ERR_UNSUPPORTED,
    NGX_HTTP_SWR_ERR_TOOMANYREQUESTS,
    NGX_HTTP_SWR_ERR_RANGE_INVALID,
    NGX_HTTP_SWR_ERR_TAG_INVALID,
    NGX_HTTP_SWR_ERR_MANIFEST_TOO_LARGE,
    NGX_HTTP_SWR_ERR_PAGINATION_INVALID,

    /* generic, also used for responses nginx itself generates */
    NGX_HTTP_SWR_ERR_BAD_REQUEST,
    NGX_HTTP_SWR_ERR_NOT_FOUND,
    NGX_HTTP_SWR_ERR_METHOD_NOT_ALLOWED,
    NGX_HTTP_SWR_ERR_REQUEST_TIMEOUT,
    NGX_HTTP_SWR_ERR_TOO_LARGE,
    NGX_HTTP_SWR_ERR_URI_TOO_LONG,
    NGX_HTTP_SWR_ERR_INTERNAL,
    NGX_HTTP_SWR_ERR_BAD_GATEWAY,
    NGX_HTTP_SWR_ERR_UNAVAILABLE,
    NGX_HTTP_SWR_ERR_GATEWAY_TIMEOUT,

    /* authentication of the management API */
    NGX_HTTP_SWR_ERR_SIGNATURE,          /* the API gateway's own body */
    NGX_HTTP_SWR_ERR_TOKEN_INVALID,

    /* management operations (swr-api.md 1.5.2) */
    NGX_HTTP_SWR_ERR_BODY_INVALID,
    NGX_HTTP_SWR_ERR_PARAM_MISSING,
    NGX_HTTP_SWR_ERR_NS_INVALID,
    NGX_HTTP_SWR_ERR_FILTER_INVALID,
    NGX_HTTP_SWR_ERR_NS_UNKNOWN,
    NGX_HTTP_SWR_ERR_NS_NOT_EMPTY,
    NGX_HTTP_SWR_ERR_NS_EXISTS,
    NGX_HTTP_SWR_ERR_PUBLIC_INVALID,
    NGX_HTTP_SWR_ERR_NS_AUTH_INVALID,
    NGX_HTTP_SWR_ERR_REPO_AUTH_INVALID,
    NGX_HTTP_SWR_ERR_USER_UNKNOWN,
    NGX_HTTP_SWR_ERR_PERMIT_INVALID,
    NGX_HTTP_SWR_ERR_SHARE_UNKNOWN,
    NGX_HTTP_SWR_ERR_ACCOUNT_UNKNOWN,
    NGX_HTTP_SWR_ERR_NS_QUOTA,
    NGX_HTTP_SWR_ERR_REPO_QUOTA,
    NGX_HTTP_SWR_ERR_TAG_QUOTA,
    NGX_HTTP_SWR_ERR_TAG_UNKNOWN,
    NGX_HTTP_SWR_ERR_NS_GRANT_UNKNOWN,
    NGX_HTTP_SWR_ERR_REPO_GRANT_UNKNOWN,
    NGX_HTTP_SWR_ERR_REPO_EXISTS,
    NGX_HTTP_SWR_ERR_TAG_EXISTS,
    NGX_HTTP_SWR_ERR_NS_GRANT_EXISTS,
    NGX_HTTP_SWR_ERR_REPO_GRANT_EXISTS,
    NGX_HTTP_SWR_ERR_SHARE_EXISTS,
    NGX_HTTP_SWR_ERR_DESCRIPTION_TOO_LONG,
    NGX_HTTP_SWR_ERR_NS_MISSING,

    NGX_HTTP_SWR_ERR_LAST
} ngx_http_swr_err_e;


typedef struct {
    ngx_uint_t   status;
    ngx_str_t    code;          /* OCI "errors[].code" */
    ngx_str_t    message;       /* OCI "errors[].message" */
    ngx_uint_t   swr_status;
    ngx_str_t    swr_code;      /* SWR "error_code" */
    ngx_str_t    swr_message;   /* SWR "error_msg" */
} ngx_http_swr_error_t;


const ngx_http_swr_error_t *ngx_http_swr_error_get(ngx_uint_t err);
ngx_uint_t ngx_http_swr_error_by_status(ngx_uint_t status);
ngx_int_t ngx_http_swr_send_error(ngx_http_request_t *r, ngx_uint_t err,
    ngx_str_t *detail);
ngx_int_t ngx_http_swr_errors_init(ngx_conf_t *cf);


#endif /* _NGX_HTTP_SWR_ERRORS_H_INCLUDED_ */
