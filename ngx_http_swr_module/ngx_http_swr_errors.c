
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_errors.h"
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_util.h"


#define ngx_http_swr_err(st, code, msg, swr_st, swr_code, swr_msg)           \
    { st, ngx_string(code), ngx_string(msg),                                  \
      swr_st, ngx_string(swr_code), ngx_string(swr_msg) }


static ngx_int_t ngx_http_swr_error_header_filter(ngx_http_request_t *r);
static ngx_int_t ngx_http_swr_error_body_filter(ngx_http_request_t *r,
    ngx_chain_t *in);
static ngx_uint_t ngx_http_swr_error_role(ngx_http_request_t *r);
static ngx_http_swr_json_t *ngx_http_swr_error_gateway(ngx_http_request_t *r,
    ngx_http_swr_json_t *j, const ngx_http_swr_error_t *e,
    ngx_str_t *detail);
static ngx_http_swr_json_t *ngx_http_swr_error_body(ngx_http_request_t *r,
    ngx_uint_t role, ngx_uint_t err, ngx_str_t *detail);


/*
 * The one error table.  OCI codes and messages follow the distribution
 * specification; SWR codes follow the module policy in swr-api.md 1.5.2.
 * 5030001 is ours (SVCSTG.SWR + status + serial): the catalogue has no
 * code for "temporarily unavailable".
 */

static ngx_http_swr_error_t  ngx_http_swr_errors[] = {

    ngx_http_swr_err(200, "", "", 200, "", ""),

    ngx_http_swr_err(404, "BLOB_UNKNOWN", "blob unknown to registry",
                     404, "SVCSTG.SWR.4041051", "Image layer not found"),

    ngx_http_swr_err(400, "BLOB_UPLOAD_INVALID", "blob upload invalid",
                     400, "SVCSTG.SWR.4000014", "Invalid blob upload"),

    ngx_http_swr_err(404, "BLOB_UPLOAD_UNKNOWN",
                     "blob upload unknown to registry",
                     404, "SVCSTG.SWR.4040043", "Upload session not found"),

    ngx_http_swr_err(400, "DIGEST_INVALID",
                     "provided digest did not match uploaded content",
                     400, "SVCSTG.SWR.4000013", "Invalid digest"),

    ngx_http_swr_err(400, "MANIFEST_BLOB_UNKNOWN",
                     "manifest references a manifest or blob unknown to "
                     "registry",
                     400, "SVCSTG.SWR.4000028", "Invalid image format"),

    ngx_http_swr_err(400, "MANIFEST_INVALID", "manifest invalid",
                     400, "SVCSTG.SWR.4000028", "Invalid image format"),

    ngx_http_swr_err(404, "MANIFEST_UNKNOWN", "manifest unknown to registry",
                     404, "SVCSTG.SWR.4041060", "Manifest file not found"),

    ngx_http_swr_err(400, "NAME_INVALID", "invalid repository name",
                     400, "SVCSTG.SWR.4001029", "Invalid image name"),

    ngx_http_swr_err(404, "NAME_UNKNOWN",
                     "repository name not known to registry",
                     404, "SVCSTG.SWR.4040113", "Image not found"),

    ngx_http_swr_err(400, "SIZE_INVALID",
                     "provided length did not match content length",
                     400, "SVCSTG.SWR.4000014", "Invalid size"),

    ngx_http_swr_err(401, "UNAUTHORIZED", "authentication required",
                     401, "SVCSTG.S2I.4019000",
                     "No user token or AK/SK credentials in the request"),

    ngx_http_swr_err(403, "DENIED",
                     "requested access to the resource is denied",
                     403, "SVCSTG.SWR.4030170", "Insufficient permissions"),

    ngx_http_swr_err(405, "UNSUPPORTED", "the operation is unsupported",
                     404, "SVCSTG.SWR.4040083", "Requested URL not found"),

    ngx_http_swr_err(429, "TOOMANYREQUESTS", "too many requests",
                     403, "SVCSTG.SWR.4031042", "Too many requests"),

    ngx_http_swr_err(416, "BLOB_UPLOAD_INVALID",
                     "requested range not satisfiable",
                     416, "SVCSTG.SWR.4000014",
                     "Requested range not satisfiable"),

    ngx_http_swr_err(400, "TAG_INVALID", "manifest tag did not match URI",
                     400, "SVCSTG.SWR.4009021", "Invalid image tag"),

    ngx_http_swr_err(413, "MANIFEST_INVALID", "manifest too large",
                     413, "SVCSTG.SWR.4131001", "Request body is too large"),

    ngx_http_swr_err(400, "PAGINATION_NUMBER_INVALID",
                     "invalid number of results requested",
                     400, "SVCSTG.SWR.4000056", "Invalid page size"),

    ngx_http_swr_err(400, "UNKNOWN", "bad request",
                     400, "SVCSTG.SWR.4000014", "Invalid API parameters"),

    ngx_http_swr_err(404, "NOT_FOUND", "no such endpoint",
                     404, "SVCSTG.SWR.4040083", "Requested URL not found"),

    ngx_http_swr_err(405, "UNSUPPORTED", "method not allowed",
                     404, "SVCSTG.SWR.4040083", "Requested URL not found"),

    ngx_http_swr_err(408, "UNKNOWN", "request timed out",
                     408, "SVCSTG.SWR.4000014", "Request timed out"),

    ngx_http_swr_err(413, "SIZE_INVALID", "request body too large",
                     413, "SVCSTG.SWR.4131001", "Request body is too large"),

    ngx_http_swr_err(414, "UNKNOWN", "request URI too long",
                     414, "SVCSTG.SWR.4000014", "Request URI too long"),

    ngx_http_swr_err(500, "UNKNOWN", "unknown error",
                     500, "SVCSTG.SWR.5000007", "Internal error"),

    ngx_http_swr_err(502, "UNAVAILABLE", "bad gateway",
                     502, "SVCSTG.SWR.5000007", "Bad gateway"),

    ngx_http_swr_err(503, "UNAVAILABLE", "service unavailable",
                     503, "SVCSTG.SWR.5030001",
                     "Service temporarily unavailable"),

    ngx_http_swr_err(504, "UNAVAILABLE", "gateway timeout",
                     504, "SVCSTG.SWR.5000007", "Gateway timeout"),

    ngx_http_swr_err(401, "UNAUTHORIZED", "authentication required",
                     401, "APIGW.0301",
                     "Incorrect IAM authentication information"),

    ngx_http_swr_err(401, "UNAUTHORIZED", "authentication required",
                     401, "SVCSTG.SWR.4010000",
                     "The token is invalid or expired"),

    ngx_http_swr_err(400, "UNKNOWN", "invalid request body",
                     400, "SVCSTG.SWR.4001018", "Invalid request body type"),

    ngx_http_swr_err(400, "UNKNOWN", "a mandatory parameter is missing",
                     400, "SVCSTG.SWR.4001014",
                     "A mandatory parameter is missing"),

    ngx_http_swr_err(400, "NAME_INVALID", "invalid organization name",
                     400, "SVCSTG.SWR.4001028", "Invalid organization name"),

    ngx_http_swr_err(400, "UNKNOWN", "invalid filter",
                     400, "SVCSTG.SWR.4001035",
                     "Invalid filtering criteria"),

    ngx_http_swr_err(404, "NAME_UNKNOWN", "organization not found",
                     404, "SVCSTG.SWR.4040058", "Organization not found"),

    ngx_http_swr_err(406, "UNKNOWN", "organization is not empty",
                     406, "SVCSTG.SWR.4060074",
                     "The organization still holds images"),

    ngx_http_swr_err(409, "UNKNOWN", "organization exists",
                     409, "SVCSTG.SWR.4090060",
                     "Organization already exists"),

    ngx_http_swr_err(400, "UNKNOWN", "is_public must be a boolean",
                     400, "SVCSTG.SWR.4001009", "Invalid is_public"),

    ngx_http_swr_err(400, "UNKNOWN", "invalid organization permission",
                     400, "SVCSTG.SWR.4001065",
                     "Invalid organization permission"),

    ngx_http_swr_err(400, "UNKNOWN", "invalid image permission",
                     400, "SVCSTG.SWR.4001066", "Invalid image permission"),

    ngx_http_swr_err(400, "UNKNOWN", "user not found",
                     400, "SVCSTG.SWR.4001067", "User not found"),

    ngx_http_swr_err(400, "UNKNOWN", "permit must be read",
                     400, "SVCSTG.SWR.4001091", "Invalid permit"),

    ngx_http_swr_err(400, "UNKNOWN", "sharing record not found",
                     400, "SVCSTG.SWR.4001090", "Sharing record not found"),

    ngx_http_swr_err(400, "UNKNOWN", "account not found",
                     400, "SVCSTG.SWR.4000014", "Account not found"),

    ngx_http_swr_err(400, "DENIED", "organization quota exhausted",
                     400, "SVCSTG.SWR.4000097",
                     "Organization quota exhausted"),

    ngx_http_swr_err(400, "DENIED", "repository quota exhausted",
                     400, "SVCSTG.SWR.4000098", "Image quota exhausted"),

    ngx_http_swr_err(400, "DENIED", "tag quota exhausted",
                     400, "SVCSTG.SWR.4000099", "Image tag quota exhausted"),

    ngx_http_swr_err(404, "MANIFEST_UNKNOWN", "tag not found",
                     404, "SVCSTG.SWR.4040115", "Image tag not found"),

    ngx_http_swr_err(404, "UNKNOWN", "organization permission not found",
                     404, "SVCSTG.SWR.4040078",
                     "Organization permission not found"),

    ngx_http_swr_err(404, "UNKNOWN", "image permission not found",
                     404, "SVCSTG.SWR.4040091", "Image permission not found"),

    ngx_http_swr_err(409, "UNKNOWN", "repository exists",
                     409, "SVCSTG.SWR.4090006", "Image already exists"),

    ngx_http_swr_err(409, "UNKNOWN", "tag exists",
                     409, "SVCSTG.SWR.4090006", "Image tag already exists"),

    ngx_http_swr_err(409, "UNKNOWN", "organization permission exists",
                     409, "SVCSTG.SWR.4090076",
                     "Organization permission already exists"),

    ngx_http_swr_err(409, "UNKNOWN", "image permission exists",
                     409, "SVCSTG.SWR.4090089",
                     "Image permission already exists"),

    ngx_http_swr_err(409, "UNKNOWN", "already shared",
                     409, "SVCSTG.SWR.4090089",
                     "The image is already shared with this account"),

    ngx_http_swr_err(413, "UNKNOWN", "description too long",
                     413, "SVCSTG.SWR.4131012", "Description too long"),

    ngx_http_swr_err(404, "NAME_UNKNOWN",
                     "organization does not exist: create it first",
                     404, "SVCSTG.SWR.4040058", "Organization not found")
};


static ngx_http_output_header_filter_pt  ngx_http_next_header_filter;
static ngx_http_output_body_filter_pt    ngx_http_next_body_filter;


const ngx_http_swr_error_t *
ngx_http_swr_error_get(ngx_uint_t err)
{
    if (err >= NGX_HTTP_SWR_ERR_LAST) {
        err = NGX_HTTP_SWR_ERR_INTERNAL;
    }

    return &ngx_http_swr_errors[err];
}


ngx_uint_t
ngx_http_swr_error_by_status(ngx_uint_t status)
{
    switch (status) {

    case NGX_HTTP_UNAUTHORIZED:
        return NGX_HTTP_SWR_ERR_UNAUTHORIZED;

    case NGX_HTTP_FORBIDDEN:
        return NGX_HTTP_SWR_ERR_DENIED;

    case NGX_HTTP_NOT_FOUND:
        return NGX_HTTP_SWR_ERR_NOT_FOUND;

    case NGX_HTTP_NOT_ALLOWED:
        return NGX_HTTP_SWR_ERR_METHOD_NOT_ALLOWED;

    case NGX_HTTP_REQUEST_TIME_OUT:
        return NGX_HTTP_SWR_ERR_REQUEST_TIMEOUT;

    case NGX_HTTP_REQUEST_ENTITY_TOO_LARGE:
        return NGX_HTTP_SWR_ERR_TOO_LARGE;

    case NGX_HTTP_REQUEST_URI_TOO_LARGE:
        return NGX_HTTP_SWR_ERR_URI_TOO_LONG;

    case NGX_HTTP_RANGE_NOT_SATISFIABLE:
        return NGX_HTTP_SWR_ERR_RANGE_INVALID;

    case 429:
        return NGX_HTTP_SWR_ERR_TOOMANYREQUESTS;

    case NGX_HTTP_BAD_GATEWAY:
        return NGX_HTTP_SWR_ERR_BAD_GATEWAY;

    case NGX_HTTP_SERVICE_UNAVAILABLE:
        return NGX_HTTP_SWR_ERR_UNAVAILABLE;

    case NGX_HTTP_GATEWAY_TIME_OUT:
        return NGX_HTTP_SWR_ERR_GATEWAY_TIMEOUT;
    }

    return (status >= NGX_HTTP_INTERNAL_SERVER_ERROR)
           ? NGX_HTTP_SWR_ERR_INTERNAL : NGX_HTTP_SWR_ERR_BAD_REQUEST;
}


/*
 * OCI:  {"errors":[{"code":..,"message":..,"detail":..}]}
 * SWR:  {"errors":[{"errorCode":..,"errorMessage":..,"detail":..}],
 *        "error_code":..,"error_msg":..,
 *        "details":[{"error_code":..,"error_msg":..}]}
 */

static ngx_http_swr_json_t *
ngx_http_swr_error_body(ngx_http_request_t *r, ngx_uint_t role,
    ngx_uint_t err, ngx_str_t *detail)
{
    ngx_str_t                    empty = ngx_null_string;
    ngx_http_swr_json_t         *j;
    const ngx_http_swr_error_t  *e;

    e = ngx_http_swr_error_get(err);

    if (detail == NULL) {
        detail = &empty;
    }

    j = ngx_http_swr_json_create(r->pool);
    if (j == NULL) {
        return NULL;
    }

    if (role == NGX_HTTP_SWR_ROLE_MANAGE
        && err == NGX_HTTP_SWR_ERR_SIGNATURE)
    {
        return ngx_http_swr_error_gateway(r, j, e, detail);
    }

    if (role != NGX_HTTP_SWR_ROLE_MANAGE) {

        if (ngx_http_swr_json_open(j, 0) != NGX_OK
            || ngx_http_swr_json_cstr(j, "errors") != NGX_OK
            || ngx_http_swr_json_open(j, 1) != NGX_OK
            || ngx_http_swr_json_open(j, 0) != NGX_OK
            || ngx_http_swr_json_cstr(j, "code") != NGX_OK
            || ngx_http_swr_json_str(j, (ngx_str_t *) &e->code) != NGX_OK
            || ngx_http_swr_json_cstr(j, "message") != NGX_OK
            || ngx_http_swr_json_str(j, (ngx_str_t *) &e->message) != NGX_OK
            || ngx_http_swr_json_cstr(j, "detail") != NGX_OK
            || (detail->len
                ? ngx_http_swr_json_str(j, detail)
                : ngx_http_swr_json_null(j)) != NGX_OK
            || ngx_http_swr_json_close(j, 0) != NGX_OK
            || ngx_http_swr_json_close(j, 1) != NGX_OK
            || ngx_http_swr_json_close(j, 0) != NGX_OK)
        {
            return NULL;
        }

        return j;
    }

    if (ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "errors") != NGX_OK
        || ngx_http_swr_json_open(j, 1) != NGX_OK
        || ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "errorCode") != NGX_OK
        || ngx_http_swr_json_str(j, (ngx_str_t *) &e->swr_code) != NGX_OK
        || ngx_http_swr_json_cstr(j, "errorMessage") != NGX_OK
        || ngx_http_swr_json_str(j, (ngx_str_t *) &e->swr_message) != NGX_OK
        || ngx_http_swr_json_cstr(j, "detail") != NGX_OK
        || ngx_http_swr_json_str(j, detail) != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK
        || ngx_http_swr_json_close(j, 1) != NGX_OK
        || ngx_http_swr_json_cstr(j, "error_code") != NGX_OK
        || ngx_http_swr_json_str(j, (ngx_str_t *) &e->swr_code) != NGX_OK
        || ngx_http_swr_json_cstr(j, "error_msg") != NGX_OK
        || ngx_http_swr_json_str(j, (ngx_str_t *) &e->swr_message) != NGX_OK
        || ngx_http_swr_json_cstr(j, "details") != NGX_OK
        || ngx_http_swr_json_open(j, 1) != NGX_OK
        || ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "error_code") != NGX_OK
        || ngx_http_swr_json_str(j, (ngx_str_t *) &e->swr_code) != NGX_OK
        || ngx_http_swr_json_cstr(j, "error_msg") != NGX_OK
        || ngx_http_swr_json_str(j, detail) != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK
        || ngx_http_swr_json_close(j, 1) != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK)
    {
        return NULL;
    }

    return j;
}


ngx_int_t
ngx_http_swr_send_error(ngx_http_request_t *r, ngx_uint_t err,
    ngx_str_t *detail)
{
    ngx_uint_t                   role, status, level;
    ngx_http_swr_ctx_t          *ctx;
    ngx_http_swr_json_t         *j;
    ngx_http_swr_loc_conf_t     *slcf;
    const ngx_http_swr_error_t  *e;

    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);
    role = slcf->role;

    e = ngx_http_swr_error_get(err);
    status = (role == NGX_HTTP_SWR_ROLE_MANAGE) ? e->swr_status : e->status;

    level = (status >= NGX_HTTP_INTERNAL_SERVER_ERROR) ? NGX_LOG_ERR
                                                       : NGX_LOG_INFO;

    ngx_log_error(level, r->connection->log, 0,
                  "swr error %ui %V: %V",
                  status,
                  (role == NGX_HTTP_SWR_ROLE_MANAGE) ? &e->swr_code : &e->code,
                  (detail && detail->len) ? detail : &e->message);

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->err = err;
    ctx->error_sent = 1;

    if (detail) {
        ctx->detail = *detail;
    }

    j = ngx_http_swr_error_body(r, role, err, detail);
    if (j == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_common_headers(r, role) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_swr_send_json(r, status, j);
}


/*
 * The role of the location that answers: the chosen location's, or, when
 * nginx failed the request before choosing one (a bad header, say), that
 * of the longest of our locations whose name the URI starts with.
 */

/*
 * What Huawei's API gateway answers when an AK/SK signature fails, before
 * SWR: {"error_msg": "...: <why>", "error_code": "APIGW.0301",
 * "request_id": "..."}
 */

static ngx_http_swr_json_t *
ngx_http_swr_error_gateway(ngx_http_request_t *r, ngx_http_swr_json_t *j,
    const ngx_http_swr_error_t *e, ngx_str_t *detail)
{
    ngx_str_t  msg, id;

    msg.len = e->swr_message.len + 2 + detail->len;
    msg.data = ngx_pnalloc(r->pool, msg.len);
    if (msg.data == NULL) {
        return NULL;
    }

    ngx_sprintf(msg.data, "%V: %V", &e->swr_message, detail);

    if (ngx_http_swr_request_id(r, &id) != NGX_OK
        || ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "error_msg") != NGX_OK
        || ngx_http_swr_json_str(j, &msg) != NGX_OK
        || ngx_http_swr_json_cstr(j, "error_code") != NGX_OK
        || ngx_http_swr_json_str(j, (ngx_str_t *) &e->swr_code) != NGX_OK
        || ngx_http_swr_json_cstr(j, "request_id") != NGX_OK
        || ngx_http_swr_json_str(j, &id) != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK)
    {
        return NULL;
    }

    return j;
}


static ngx_uint_t
ngx_http_swr_error_role(ngx_http_request_t *r)
{
    size_t                      best;
    ngx_uint_t                  i, role;
    ngx_http_swr_ctx_t         *ctx;
    ngx_http_swr_location_t    *loc;
    ngx_http_swr_srv_conf_t    *sscf;
    ngx_http_swr_loc_conf_t    *slcf;
    ngx_http_core_srv_conf_t   *cscf;

    slcf = ngx_http_get_module_loc_conf(r, ngx_http_swr_module);

    if (slcf->role == NGX_HTTP_SWR_ROLE_TOKEN) {
        return NGX_HTTP_SWR_ROLE_REGISTRY;
    }

    if (slcf->role != NGX_HTTP_SWR_ROLE_NONE) {
        return slcf->role;
    }

    /* a blob handed to the object store's proxy location */

    ctx = ngx_http_swr_find_ctx(r);

    if (ctx && ctx->blob_proxied) {
        return ctx->role;
    }

    cscf = ngx_http_get_module_srv_conf(r, ngx_http_core_module);

    if (r->loc_conf != cscf->ctx->loc_conf || r->uri.len == 0) {
        return NGX_HTTP_SWR_ROLE_NONE;
    }

    sscf = ngx_http_get_module_srv_conf(r, ngx_http_swr_module);

    loc = sscf->locations.elts;
    role = NGX_HTTP_SWR_ROLE_NONE;
    best = 0;

    for (i = 0; i < sscf->locations.nelts; i++) {

        if (loc[i].name.len < best
            || loc[i].name.len > r->uri.len
            || (loc[i].exact && loc[i].name.len != r->uri.len)
            || ngx_strncmp(r->uri.data, loc[i].name.data, loc[i].name.len)
               != 0)
        {
            continue;
        }

        best = loc[i].name.len;
        role = loc[i].role;
    }

    return role;
}


/*
 * nginx answers some requests itself (413 while reading a body, 400 for a
 * bad header, 500 when something fails before our handler, a "return" or
 * "deny" in the location).  In a location of ours such a response keeps its
 * status but gets our JSON body in place of the stock HTML page.
 */

static ngx_int_t
ngx_http_swr_error_header_filter(ngx_http_request_t *r)
{
    ngx_buf_t            *b;
    ngx_uint_t            err, role;
    ngx_http_swr_ctx_t   *ctx;
    ngx_http_swr_json_t  *j;

    if (r != r->main
        || r->headers_out.status < NGX_HTTP_BAD_REQUEST
        || r->headers_out.status == NGX_HTTP_CLOSE)
    {
        return ngx_http_next_header_filter(r);
    }

    role = ngx_http_swr_error_role(r);

    if (role != NGX_HTTP_SWR_ROLE_REGISTRY
        && role != NGX_HTTP_SWR_ROLE_MANAGE)
    {
        return ngx_http_next_header_filter(r);
    }

    ctx = ngx_http_swr_find_ctx(r);

    if (ctx && ctx->error_sent) {
        return ngx_http_next_header_filter(r);
    }

    ctx = ngx_http_swr_get_ctx(r);
    if (ctx == NULL) {
        return NGX_ERROR;
    }

    err = ctx->err ? ctx->err
                   : ngx_http_swr_error_by_status(r->headers_out.status);

    j = ngx_http_swr_error_body(r, role, err,
                                ctx->detail.len ? &ctx->detail : NULL);
    if (j == NULL) {
        return NGX_ERROR;
    }

    b = ngx_http_swr_json_buf(j);
    if (b == NULL) {
        return NGX_ERROR;
    }

    b->last_buf = 1;

    ctx->err = err;
    ctx->error_sent = 1;
    ctx->replace_body = 1;
    ctx->body = b;

    if (ngx_http_swr_common_headers(r, role) != NGX_OK) {
        return NGX_ERROR;
    }

    ngx_str_set(&r->headers_out.content_type,
                "application/json; charset=utf-8");
    r->headers_out.content_type_len = r->headers_out.content_type.len;
    r->headers_out.content_type_lowcase = NULL;
    r->headers_out.charset.len = 0;

    ngx_http_clear_content_length(r);
    r->headers_out.content_length_n = b->last - b->pos;

    ngx_http_clear_accept_ranges(r);
    ngx_http_clear_last_modified(r);
    ngx_http_clear_etag(r);

    return ngx_http_next_header_filter(r);
}


static ngx_int_t
ngx_http_swr_error_body_filter(ngx_http_request_t *r, ngx_chain_t *in)
{
    ngx_uint_t           last;
    ngx_chain_t         *cl, out;
    ngx_http_swr_ctx_t  *ctx;

    ctx = ngx_http_swr_find_ctx(r);

    if (ctx == NULL || !ctx->replace_body || r != r->main) {
        return ngx_http_next_body_filter(r, in);
    }

    /* swallow nginx's page, then send ours in its place */

    last = 0;

    for (cl = in; cl; cl = cl->next) {
        cl->buf->pos = cl->buf->last;
        cl->buf->file_pos = cl->buf->file_last;

        if (cl->buf->last_buf) {
            last = 1;
        }
    }

    if (!last) {
        return NGX_OK;
    }

    ctx->replace_body = 0;

    out.buf = ctx->body;
    out.next = NULL;

    return ngx_http_next_body_filter(r, &out);
}


ngx_int_t
ngx_http_swr_errors_init(ngx_conf_t *cf)
{
    ngx_http_next_header_filter = ngx_http_top_header_filter;
    ngx_http_top_header_filter = ngx_http_swr_error_header_filter;

    ngx_http_next_body_filter = ngx_http_top_body_filter;
    ngx_http_top_body_filter = ngx_http_swr_error_body_filter;

    return NGX_OK;
}
