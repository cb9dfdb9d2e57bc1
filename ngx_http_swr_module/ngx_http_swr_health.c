
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_health.h"
#include "ngx_http_swr_json.h"
#include "ngx_http_swr_redis.h"
#include "ngx_http_swr_util.h"


/*
 * GET /_swr/health (any location with "swr_health"): 200 when this worker
 * reached Redis with a PING round trip now, 503 otherwise, with a JSON
 * document that says why.  Load balancers and "make run" poll it.  The
 * audit streams' links are reported too, as they are now; they do not
 * change the answer (requests go on without them, docs/audit.md).
 */


typedef struct {
    ngx_msec_t  started;
} ngx_http_swr_health_ctx_t;


static void ngx_http_swr_health_reply(ngx_http_request_t *r, void *data,
    redisReply *reply);
static ngx_int_t ngx_http_swr_health_respond(ngx_http_request_t *r,
    ngx_http_swr_health_ctx_t *hctx, redisReply *reply, const char *why);
static ngx_int_t ngx_http_swr_health_audit(ngx_http_request_t *r,
    ngx_http_swr_json_t *j);
static ngx_int_t ngx_http_swr_health_counts(ngx_http_swr_json_t *j,
    ngx_http_swr_redis_status_t *st);


static const char  *ngx_http_swr_health_states[] = {
    "down", "connecting", "up"
};


ngx_int_t
ngx_http_swr_health_handler(ngx_http_request_t *r)
{
    ngx_int_t                   rc;
    size_t                      argvlen[1];
    const char                 *argv[1];
    ngx_http_swr_health_ctx_t  *hctx;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    hctx = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_health_ctx_t));
    if (hctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    hctx->started = ngx_current_msec;

    argv[0] = "PING";
    argvlen[0] = 4;

    rc = ngx_http_swr_redis_send(r, ngx_http_swr_health_reply, hctx, 1, argv,
                                 argvlen);

    switch (rc) {

    case NGX_OK:

        /* notice a client that leaves while Redis is slow */

        if (!r->discard_body) {
            r->read_event_handler = ngx_http_test_reading;
        }

        r->main->count++;
        return NGX_DONE;

    case NGX_DECLINED:
    case NGX_BUSY:
        return ngx_http_swr_health_respond(r, hctx, NULL,
                                           rc == NGX_BUSY
                                           ? "too many commands in flight"
                                           : NULL);

    default:
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
}


static void
ngx_http_swr_health_reply(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_finalize_request(r, ngx_http_swr_health_respond(r, data, reply,
                                                             NULL));
}


static ngx_int_t
ngx_http_swr_health_respond(ngx_http_request_t *r,
    ngx_http_swr_health_ctx_t *hctx, redisReply *reply, const char *why)
{
    ngx_int_t                     rc;
    ngx_str_t                     s;
    ngx_uint_t                    ok;
    ngx_http_swr_json_t          *j;
    ngx_http_swr_redis_status_t   st;

    ok = (reply != NULL
          && reply->type == REDIS_REPLY_STATUS
          && reply->len == 4
          && ngx_strncmp(reply->str, "PONG", 4) == 0);

    rc = ngx_http_swr_redis_status(r, &st);

    j = ngx_http_swr_json_create(r->pool);
    if (j == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "status") != NGX_OK
        || ngx_http_swr_json_cstr(j, ok ? "ok" : "unavailable") != NGX_OK
        || ngx_http_swr_json_cstr(j, "version") != NGX_OK
        || ngx_http_swr_json_cstr(j, NGX_HTTP_SWR_VERSION) != NGX_OK
        || ngx_http_swr_json_cstr(j, "pid") != NGX_OK
        || ngx_http_swr_json_int(j, ngx_pid) != NGX_OK
        || ngx_http_swr_json_cstr(j, "redis") != NGX_OK
        || ngx_http_swr_json_open(j, 0) != NGX_OK
        || ngx_http_swr_json_cstr(j, "status") != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (rc != NGX_OK) {
        if (ngx_http_swr_json_cstr(j, "unconfigured") != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        goto done;
    }

    if (ngx_http_swr_json_cstr(j, ok ? "up"
                                  : ngx_http_swr_health_states[st.state])
        != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ok) {
        if (ngx_http_swr_json_cstr(j, "latency_ms") != NGX_OK
            || ngx_http_swr_json_int(j, ngx_current_msec - hctx->started)
               != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

    } else {
        if (why != NULL) {
            s.data = (u_char *) why;
            s.len = ngx_strlen(why);

        } else if (reply != NULL && reply->type == REDIS_REPLY_ERROR) {
            s.data = (u_char *) reply->str;
            s.len = reply->len;

        } else if (st.error.len) {
            s = st.error;

        } else {
            ngx_str_set(&s, "no reply");
        }

        if (ngx_http_swr_json_cstr(j, "error") != NGX_OK
            || ngx_http_swr_json_str(j, &s) != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    if (ngx_http_swr_health_counts(j, &st) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

done:

    if (ngx_http_swr_json_close(j, 0) != NGX_OK
        || ngx_http_swr_health_audit(r, j) != NGX_OK
        || ngx_http_swr_json_close(j, 0) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_swr_common_headers(r, NGX_HTTP_SWR_ROLE_HEALTH) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    r->headers_out.last_modified_time = -1;

    return ngx_http_swr_send_json(r, ok ? NGX_HTTP_OK
                                        : NGX_HTTP_SERVICE_UNAVAILABLE, j);
}


/*
 * "audit_redis": [{"address": ..., "status": ..., "error": ...,
 * "pending": n, "connects": n, "failures": n}, ...], one a Redis the
 * worker's audit streams use; nothing without a stream
 */

static ngx_int_t
ngx_http_swr_health_audit(ngx_http_request_t *r, ngx_http_swr_json_t *j)
{
    ngx_uint_t                    i;
    ngx_http_swr_main_conf_t     *smcf;
    ngx_http_swr_redis_link_t   **link;
    ngx_http_swr_redis_status_t   st;

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

    if (smcf->audit_links.nelts == 0) {
        return NGX_OK;
    }

    if (ngx_http_swr_json_cstr(j, "audit_redis") != NGX_OK
        || ngx_http_swr_json_open(j, 1) != NGX_OK)
    {
        return NGX_ERROR;
    }

    link = smcf->audit_links.elts;

    for (i = 0; i < smcf->audit_links.nelts; i++) {

        ngx_http_swr_redis_link_status(link[i], &st);

        if (ngx_http_swr_json_open(j, 0) != NGX_OK
            || ngx_http_swr_json_cstr(j, "address") != NGX_OK
            || ngx_http_swr_json_str(j, &st.name) != NGX_OK
            || ngx_http_swr_json_cstr(j, "status") != NGX_OK
            || ngx_http_swr_json_cstr(j, ngx_http_swr_health_states[st.state])
               != NGX_OK)
        {
            return NGX_ERROR;
        }

        if (st.state != NGX_HTTP_SWR_REDIS_UP && st.error.len
            && (ngx_http_swr_json_cstr(j, "error") != NGX_OK
                || ngx_http_swr_json_str(j, &st.error) != NGX_OK))
        {
            return NGX_ERROR;
        }

        if (ngx_http_swr_health_counts(j, &st) != NGX_OK
            || ngx_http_swr_json_close(j, 0) != NGX_OK)
        {
            return NGX_ERROR;
        }
    }

    return ngx_http_swr_json_close(j, 1);
}


/* a link's "pending", "connects" and "failures" */

static ngx_int_t
ngx_http_swr_health_counts(ngx_http_swr_json_t *j,
    ngx_http_swr_redis_status_t *st)
{
    if (ngx_http_swr_json_cstr(j, "pending") != NGX_OK
        || ngx_http_swr_json_int(j, st->pending) != NGX_OK
        || ngx_http_swr_json_cstr(j, "connects") != NGX_OK
        || ngx_http_swr_json_int(j, st->connects) != NGX_OK
        || ngx_http_swr_json_cstr(j, "failures") != NGX_OK
        || ngx_http_swr_json_int(j, st->failures) != NGX_OK)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}
