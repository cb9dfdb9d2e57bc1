
/*
 * Copyright (C) ngx_http_swr_module authors
 */


/*
 * Asynchronous Redis on nginx's event loop.
 *
 * Each worker keeps one hiredis async context per swr_redis endpoint (a
 * "link"), made in init_process.  The context's socket is wrapped in an
 * nginx connection and driven by level-triggered read and write events;
 * hiredis pipelines the commands.  hiredis 0.14 has no timers, so the link
 * owns them: one for connect and command timeouts, one for reconnecting
 * with exponential backoff.  Callbacks carry an op record owned by the
 * link, never by a request pool; a request that goes away first marks its
 * op cancelled and a late reply is dropped.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <hiredis/hiredis.h>
#include <hiredis/async.h>
#include <hiredis/sds.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_redis.h"


#define NGX_HTTP_SWR_REDIS_BACKOFF_MIN  50
#define NGX_HTTP_SWR_REDIS_BACKOFF_MAX  2000
#define NGX_HTTP_SWR_REDIS_ERRLEN       128
#define NGX_HTTP_SWR_REDIS_DIRECT       16384    /* a large last argument */
#define NGX_HTTP_SWR_REDIS_HEAD         512


typedef struct ngx_http_swr_redis_op_s  ngx_http_swr_redis_op_t;


struct ngx_http_swr_redis_op_s {
    ngx_queue_t                     queue;
    ngx_http_swr_redis_link_t      *link;
    ngx_http_request_t             *request;
    ngx_http_cleanup_t             *cleanup;
    ngx_http_swr_redis_handler_pt   handler;
    void                           *data;
    ngx_msec_t                      deadline;
    unsigned                        cancelled:1;
};


struct ngx_http_swr_redis_link_s {
    ngx_http_swr_redis_conf_t      *conf;
    redisAsyncContext              *ac;
    ngx_connection_t               *conn;
    ngx_log_t                      *log;
    ngx_pool_t                     *pool;

    ngx_uint_t                      state;
    ngx_queue_t                     pending;    /* oldest first */
    ngx_queue_t                     free;
    ngx_uint_t                      npending;

    ngx_event_t                     timer;      /* connect, commands */
    ngx_event_t                     retry;      /* reconnect */
    ngx_msec_t                      backoff;

    ngx_uint_t                      connects;
    ngx_uint_t                      failures;
    ngx_str_t                       error;
    u_char                          errbuf[NGX_HTTP_SWR_REDIS_ERRLEN];

    unsigned                        exiting:1;
};


static void ngx_http_swr_redis_connect(ngx_http_swr_redis_link_t *link);
static void ngx_http_swr_redis_fail(ngx_http_swr_redis_link_t *link,
    const char *reason, const char *detail);
static void ngx_http_swr_redis_schedule(ngx_http_swr_redis_link_t *link);
static void ngx_http_swr_redis_retry_handler(ngx_event_t *ev);
static void ngx_http_swr_redis_timer_handler(ngx_event_t *ev);
static void ngx_http_swr_redis_arm(ngx_http_swr_redis_link_t *link);
static void ngx_http_swr_redis_read_handler(ngx_event_t *ev);
static void ngx_http_swr_redis_write_handler(ngx_event_t *ev);
static void ngx_http_swr_redis_add_read(void *privdata);
static void ngx_http_swr_redis_del_read(void *privdata);
static void ngx_http_swr_redis_add_write(void *privdata);
static void ngx_http_swr_redis_del_write(void *privdata);
static void ngx_http_swr_redis_cleanup(void *privdata);
static void ngx_http_swr_redis_connected(const redisAsyncContext *ac,
    int status);
static void ngx_http_swr_redis_disconnected(const redisAsyncContext *ac,
    int status);
static ngx_int_t ngx_http_swr_redis_command(ngx_http_swr_redis_link_t *link,
    ngx_http_request_t *r, ngx_http_swr_redis_handler_pt handler,
    void *data, int argc, const char **argv, const size_t *argvlen);
static int ngx_http_swr_redis_submit(ngx_http_swr_redis_link_t *link,
    ngx_http_swr_redis_op_t *op, int argc, const char **argv,
    const size_t *argvlen);
static void ngx_http_swr_redis_reply(redisAsyncContext *ac, void *reply,
    void *privdata);
static void ngx_http_swr_redis_cancel(void *data);
static void ngx_http_swr_redis_setup_reply(ngx_http_request_t *r,
    void *data, redisReply *reply);
static void ngx_http_swr_redis_detached_reply(ngx_http_request_t *r,
    void *data, redisReply *reply);
static char *ngx_http_swr_redis_cstr(ngx_conf_t *cf, u_char *p, size_t len);
static ngx_int_t ngx_http_swr_redis_msec(ngx_conf_t *cf, ngx_str_t *value,
    size_t skip, ngx_msec_t *ms);


/* connection set-up */


static void
ngx_http_swr_redis_connect(ngx_http_swr_redis_link_t *link)
{
    int                         argc;
    u_char                      db[NGX_INT_T_LEN];
    size_t                      argvlen[2];
    const char                 *argv[2];
    ngx_connection_t           *c;
    redisAsyncContext          *ac;
    ngx_http_swr_redis_conf_t  *rcf;

    rcf = link->conf;

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, link->log, 0,
                   "swr redis connect %V", &rcf->name);

    if (rcf->socket.len) {
        ac = redisAsyncConnectUnix((char *) rcf->socket.data);

    } else {
        ac = redisAsyncConnect((char *) rcf->host.data, rcf->port);
    }

    if (ac == NULL) {
        ngx_http_swr_redis_fail(link, "cannot allocate a context", NULL);
        ngx_http_swr_redis_schedule(link);
        return;
    }

    if (ac->err) {
        ngx_http_swr_redis_fail(link, "connect failed", ac->errstr);
        redisAsyncFree(ac);
        ngx_http_swr_redis_schedule(link);
        return;
    }

    c = ngx_get_connection(ac->c.fd, link->log);
    if (c == NULL) {
        ngx_http_swr_redis_fail(link, "no free connection", NULL);
        redisAsyncFree(ac);
        ngx_http_swr_redis_schedule(link);
        return;
    }

    c->data = link;
    c->read->handler = ngx_http_swr_redis_read_handler;
    c->write->handler = ngx_http_swr_redis_write_handler;
    c->read->log = link->log;
    c->write->log = link->log;

    link->ac = ac;
    link->conn = c;
    link->state = NGX_HTTP_SWR_REDIS_CONNECTING;

    ac->data = link;
    ac->ev.data = link;
    ac->ev.addRead = ngx_http_swr_redis_add_read;
    ac->ev.delRead = ngx_http_swr_redis_del_read;
    ac->ev.addWrite = ngx_http_swr_redis_add_write;
    ac->ev.delWrite = ngx_http_swr_redis_del_write;
    ac->ev.cleanup = ngx_http_swr_redis_cleanup;

    redisAsyncSetConnectCallback(ac, ngx_http_swr_redis_connected);
    redisAsyncSetDisconnectCallback(ac, ngx_http_swr_redis_disconnected);

    ngx_add_timer(&link->timer, rcf->connect_timeout);

    /* AUTH and SELECT go first, pipelined ahead of anything else */

    if (rcf->password.len) {
        argv[0] = "AUTH";
        argvlen[0] = 4;
        argv[1] = (const char *) rcf->password.data;
        argvlen[1] = rcf->password.len;
        argc = 2;

        if (ngx_http_swr_redis_command(link, NULL,
                                       ngx_http_swr_redis_setup_reply,
                                       link, argc, argv, argvlen)
            != NGX_OK)
        {
            redisAsyncFree(ac);
            return;
        }
    }

    if (rcf->db > 0) {
        argv[0] = "SELECT";
        argvlen[0] = 6;
        argv[1] = (const char *) db;
        argvlen[1] = ngx_sprintf(db, "%i", rcf->db) - db;
        argc = 2;

        if (ngx_http_swr_redis_command(link, NULL,
                                       ngx_http_swr_redis_setup_reply,
                                       link, argc, argv, argvlen)
            != NGX_OK)
        {
            redisAsyncFree(ac);
            return;
        }
    }
}


static void
ngx_http_swr_redis_fail(ngx_http_swr_redis_link_t *link, const char *reason,
    const char *detail)
{
    u_char      *p;
    ngx_uint_t   level;

    link->failures++;
    link->state = NGX_HTTP_SWR_REDIS_DOWN;

    /* the first failure since the link was last up is an error */

    level = link->error.len ? NGX_LOG_INFO : NGX_LOG_ERR;

    p = ngx_snprintf(link->errbuf, NGX_HTTP_SWR_REDIS_ERRLEN, "%s%s%s",
                     reason, detail ? ": " : "", detail ? detail : "");

    link->error.data = link->errbuf;
    link->error.len = p - link->errbuf;

    ngx_log_error(level, link->log, 0, "swr redis %V: %V",
                  &link->conf->name, &link->error);
}


static void
ngx_http_swr_redis_schedule(ngx_http_swr_redis_link_t *link)
{
    link->state = NGX_HTTP_SWR_REDIS_DOWN;

    if (link->exiting || link->retry.timer_set) {
        return;
    }

    if (link->backoff == 0) {
        link->backoff = NGX_HTTP_SWR_REDIS_BACKOFF_MIN;

    } else {
        link->backoff = ngx_min(link->backoff * 2,
                                NGX_HTTP_SWR_REDIS_BACKOFF_MAX);
    }

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, link->log, 0,
                   "swr redis reconnect in %M", link->backoff);

    ngx_add_timer(&link->retry, link->backoff);
}


static void
ngx_http_swr_redis_retry_handler(ngx_event_t *ev)
{
    ngx_http_swr_redis_link_t  *link = ev->data;

    if (link->exiting || link->ac != NULL) {
        return;
    }

    ngx_http_swr_redis_connect(link);
}


/* timeouts */


static void
ngx_http_swr_redis_timer_handler(ngx_event_t *ev)
{
    ngx_queue_t                *q;
    ngx_http_swr_redis_op_t    *op;
    ngx_http_swr_redis_link_t  *link = ev->data;

    if (link->ac == NULL) {
        return;
    }

    if (link->state == NGX_HTTP_SWR_REDIS_CONNECTING) {
        ngx_http_swr_redis_fail(link, "connect timed out", NULL);
        redisAsyncFree(link->ac);
        return;
    }

    if (ngx_queue_empty(&link->pending)) {
        return;
    }

    q = ngx_queue_head(&link->pending);
    op = ngx_queue_data(q, ngx_http_swr_redis_op_t, queue);

    if ((ngx_msec_int_t) (op->deadline - ngx_current_msec) > 0) {
        ngx_add_timer(&link->timer, op->deadline - ngx_current_msec);
        return;
    }

    /* every pending callback gets a NULL reply, then cleanup runs */

    ngx_http_swr_redis_fail(link, "command timed out", NULL);
    redisAsyncFree(link->ac);
}


static void
ngx_http_swr_redis_arm(ngx_http_swr_redis_link_t *link)
{
    ngx_queue_t              *q;
    ngx_http_swr_redis_op_t  *op;

    if (link->state != NGX_HTTP_SWR_REDIS_UP) {
        return;
    }

    if (ngx_queue_empty(&link->pending)) {
        if (link->timer.timer_set) {
            ngx_del_timer(&link->timer);
        }

        return;
    }

    q = ngx_queue_head(&link->pending);
    op = ngx_queue_data(q, ngx_http_swr_redis_op_t, queue);

    if ((ngx_msec_int_t) (op->deadline - ngx_current_msec) <= 0) {
        ngx_add_timer(&link->timer, 1);
        return;
    }

    ngx_add_timer(&link->timer, op->deadline - ngx_current_msec);
}


/* the event loop side: nginx events in, hiredis hooks out */


static void
ngx_http_swr_redis_read_handler(ngx_event_t *ev)
{
    ngx_connection_t           *c = ev->data;
    ngx_http_swr_redis_link_t  *link = c->data;

    if (link->ac != NULL) {
        redisAsyncHandleRead(link->ac);
    }
}


static void
ngx_http_swr_redis_write_handler(ngx_event_t *ev)
{
    ngx_connection_t           *c = ev->data;
    ngx_http_swr_redis_link_t  *link = c->data;

    if (link->ac != NULL) {
        redisAsyncHandleWrite(link->ac);
    }
}


/*
 * Level-triggered on every event method: hiredis reads at most one
 * buffer per call and drops write interest once its buffer is empty.
 * The same flag goes to every add and del, as epoll keeps one mask per fd.
 */

static void
ngx_http_swr_redis_add_read(void *privdata)
{
    ngx_http_swr_redis_link_t  *link = privdata;

    if (link->conn && !link->conn->read->active) {
        if (ngx_add_event(link->conn->read, NGX_READ_EVENT, NGX_LEVEL_EVENT)
            != NGX_OK)
        {
            ngx_log_error(NGX_LOG_ALERT, link->log, 0,
                          "swr redis cannot add read event");
        }
    }
}


static void
ngx_http_swr_redis_del_read(void *privdata)
{
    ngx_http_swr_redis_link_t  *link = privdata;

    if (link->conn && link->conn->read->active) {
        (void) ngx_del_event(link->conn->read, NGX_READ_EVENT,
                             NGX_LEVEL_EVENT);
    }
}


static void
ngx_http_swr_redis_add_write(void *privdata)
{
    ngx_http_swr_redis_link_t  *link = privdata;

    if (link->conn && !link->conn->write->active) {
        if (ngx_add_event(link->conn->write, NGX_WRITE_EVENT,
                          NGX_LEVEL_EVENT)
            != NGX_OK)
        {
            ngx_log_error(NGX_LOG_ALERT, link->log, 0,
                          "swr redis cannot add write event");
        }
    }
}


static void
ngx_http_swr_redis_del_write(void *privdata)
{
    ngx_http_swr_redis_link_t  *link = privdata;

    if (link->conn && link->conn->write->active) {
        (void) ngx_del_event(link->conn->write, NGX_WRITE_EVENT,
                             NGX_LEVEL_EVENT);
    }
}


/*
 * hiredis frees the context (and closes the fd) right after this hook, so
 * the nginx side lets go of the fd here and never closes it itself.
 */

static void
ngx_http_swr_redis_cleanup(void *privdata)
{
    ngx_connection_t           *c;
    ngx_http_swr_redis_link_t  *link = privdata;

    c = link->conn;

    if (c != NULL) {
        ngx_http_swr_redis_del_read(link);
        ngx_http_swr_redis_del_write(link);

        if (c->read->posted) {
            ngx_delete_posted_event(c->read);
        }

        if (c->write->posted) {
            ngx_delete_posted_event(c->write);
        }

        if (c->read->timer_set) {
            ngx_del_timer(c->read);
        }

        if (c->write->timer_set) {
            ngx_del_timer(c->write);
        }

        ngx_free_connection(c);
        c->fd = (ngx_socket_t) -1;
    }

    link->conn = NULL;
    link->ac = NULL;

    if (link->timer.timer_set) {
        ngx_del_timer(&link->timer);
    }

    ngx_http_swr_redis_schedule(link);
}


static void
ngx_http_swr_redis_connected(const redisAsyncContext *ac, int status)
{
    ngx_http_swr_redis_link_t  *link = ac->data;

    if (status != REDIS_OK) {
        ngx_http_swr_redis_fail(link, "connect failed", ac->errstr);
        return;
    }

    if (link->error.len) {
        ngx_log_error(NGX_LOG_NOTICE, link->log, 0,
                      "swr redis %V: connected again", &link->conf->name);
    }

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, link->log, 0,
                   "swr redis connected to %V", &link->conf->name);

    link->state = NGX_HTTP_SWR_REDIS_UP;
    link->backoff = 0;
    link->connects++;
    link->error.len = 0;

    if (link->timer.timer_set) {
        ngx_del_timer(&link->timer);
    }

    ngx_http_swr_redis_arm(link);
}


static void
ngx_http_swr_redis_disconnected(const redisAsyncContext *ac, int status)
{
    ngx_http_swr_redis_link_t  *link = ac->data;

    if (status != REDIS_OK && !link->exiting
        && link->state != NGX_HTTP_SWR_REDIS_DOWN)
    {
        ngx_http_swr_redis_fail(link, "connection lost", ac->errstr);
    }
}


/* commands */


static ngx_int_t
ngx_http_swr_redis_command(ngx_http_swr_redis_link_t *link,
    ngx_http_request_t *r, ngx_http_swr_redis_handler_pt handler, void *data,
    int argc, const char **argv, const size_t *argvlen)
{
    ngx_queue_t              *q;
    ngx_http_cleanup_t       *cln;
    ngx_http_swr_redis_op_t  *op;

    if (link->ac == NULL
        || link->state == NGX_HTTP_SWR_REDIS_DOWN
        || link->exiting)
    {
        return NGX_DECLINED;
    }

    if (link->npending >= link->conf->max_pending) {
        ngx_log_error(NGX_LOG_WARN, link->log, 0,
                      "swr redis %V: %ui commands in flight, refusing more",
                      &link->conf->name, link->npending);
        return NGX_BUSY;
    }

    cln = NULL;

    if (r != NULL) {
        cln = ngx_http_cleanup_add(r, 0);
        if (cln == NULL) {
            return NGX_ERROR;
        }
    }

    if (!ngx_queue_empty(&link->free)) {
        q = ngx_queue_head(&link->free);
        ngx_queue_remove(q);
        op = ngx_queue_data(q, ngx_http_swr_redis_op_t, queue);

    } else {
        op = ngx_palloc(link->pool, sizeof(ngx_http_swr_redis_op_t));
        if (op == NULL) {
            return NGX_ERROR;
        }
    }

    op->link = link;
    op->request = r;
    op->cleanup = cln;
    op->handler = handler;
    op->data = data;
    op->deadline = ngx_current_msec + link->conf->timeout;
    op->cancelled = 0;

    if (ngx_http_swr_redis_submit(link, op, argc, argv, argvlen)
        != REDIS_OK)
    {
        ngx_queue_insert_head(&link->free, &op->queue);
        return NGX_DECLINED;
    }

    if (cln != NULL) {
        cln->handler = ngx_http_swr_redis_cancel;
        cln->data = op;
    }

    ngx_queue_insert_tail(&link->pending, &op->queue);
    link->npending++;

    if (link->state == NGX_HTTP_SWR_REDIS_UP && !link->timer.timer_set) {
        ngx_add_timer(&link->timer, link->conf->timeout);
    }

    return NGX_OK;
}


/*
 * A command to hiredis.  One whose last argument is large (a batch of the
 * audit stream) is not copied by hiredis twice, into the command it
 * formats and then into its output buffer (for a batch of 64 KiB a new
 * mapping of 128 KiB each time, its pages faulted in anew): hiredis gets
 * the command's head, with the reply's callback, and when that head is
 * all its buffer holds, the head, the argument and its CRLF are written
 * to the socket at once.  What the socket does not take is left in
 * hiredis's buffer, after the head, for its own writes.
 */

static int
ngx_http_swr_redis_submit(ngx_http_swr_redis_link_t *link,
    ngx_http_swr_redis_op_t *op, int argc, const char **argv,
    const size_t *argvlen)
{
    int            i;
    u_char        *p, *last;
    u_char         head[NGX_HTTP_SWR_REDIS_HEAD];
    size_t         len, hlen, sent;
    ssize_t        n;
    struct iovec   iov[3];
    redisContext  *c;

    if (argc < 2 || argvlen[argc - 1] < NGX_HTTP_SWR_REDIS_DIRECT) {
        goto formatted;
    }

    len = argvlen[argc - 1];

    p = ngx_sprintf(head, "*%i\r\n", (ngx_int_t) argc);
    last = head + sizeof(head) - (NGX_SIZE_T_LEN + sizeof("$\r\n"));

    for (i = 0; i < argc - 1; i++) {
        if ((size_t) (last - p) < argvlen[i] + NGX_SIZE_T_LEN + 5) {
            goto formatted;
        }

        p = ngx_sprintf(p, "$%uz\r\n", argvlen[i]);
        p = ngx_cpymem(p, argv[i], argvlen[i]);
        *p++ = CR;
        *p++ = LF;
    }

    p = ngx_sprintf(p, "$%uz\r\n", len);
    hlen = p - head;

    if (redisAsyncFormattedCommand(link->ac, ngx_http_swr_redis_reply, op,
                                   (char *) head, hlen)
        != REDIS_OK)
    {
        return REDIS_ERR;
    }

    c = &link->ac->c;
    sent = 0;

    if (link->state == NGX_HTTP_SWR_REDIS_UP && sdslen(c->obuf) == hlen) {
        iov[0].iov_base = c->obuf;
        iov[0].iov_len = hlen;
        iov[1].iov_base = (void *) argv[argc - 1];
        iov[1].iov_len = len;
        iov[2].iov_base = "\r\n";
        iov[2].iov_len = 2;

        n = writev(c->fd, iov, 3);

        /* a socket that failed: hiredis's own write finds it out */

        sent = (n == -1) ? 0 : (size_t) n;

        if (sent < hlen) {
            sdsrange(c->obuf, sent, -1);
            sent = 0;

        } else {
            sdsclear(c->obuf);
            sent -= hlen;
        }
    }

    /* the rest, if any, after what hiredis holds */

    if (sent < len) {
        if (redisAppendFormattedCommand(c, argv[argc - 1] + sent, len - sent)
            != REDIS_OK)
        {
            goto cut;
        }

        sent = len;
    }

    if (sent < len + 2
        && redisAppendFormattedCommand(c, "\r\n" + (sent - len),
                                       len + 2 - sent)
           != REDIS_OK)
    {
        goto cut;
    }

    if (sdslen(c->obuf) == 0) {
        ngx_http_swr_redis_del_write(link);
    }

    return REDIS_OK;

cut:

    /*
     * out of memory, the command cut short: nothing more may follow it on
     * this connection.  hiredis has set c->err, so the write it asked for
     * when it took the head (still asked: only the end above drops it)
     * breaks the link, and the reply's callback gets none (the op is
     * hiredis's now: not for the caller to take back)
     */

    ngx_log_error(NGX_LOG_ALERT, link->log, 0,
                  "swr redis: no memory for a command of %uz bytes", len);

    return REDIS_OK;

formatted:

    return redisAsyncCommandArgv(link->ac, ngx_http_swr_redis_reply, op, argc,
                                 argv, argvlen);
}


static void
ngx_http_swr_redis_reply(redisAsyncContext *ac, void *reply, void *privdata)
{
    void                           *data;
    ngx_uint_t                      cancelled;
    ngx_connection_t               *c;
    ngx_http_request_t             *r;
    ngx_http_swr_redis_op_t        *op = privdata;
    ngx_http_swr_redis_link_t      *link;
    ngx_http_swr_redis_handler_pt   handler;

    link = op->link;

    ngx_queue_remove(&op->queue);
    link->npending--;

    if (op->cleanup) {
        op->cleanup->handler = NULL;
    }

    r = op->request;
    handler = op->handler;
    data = op->data;
    cancelled = op->cancelled;

    ngx_queue_insert_head(&link->free, &op->queue);

    /*
     * no reply: the context is going away; hiredis runs these callbacks
     * before it tells the disconnect, so the link says so now, and a
     * handler that looks at it sees the truth
     */

    if (reply == NULL && link->state != NGX_HTTP_SWR_REDIS_DOWN
        && !link->exiting)
    {
        ngx_http_swr_redis_fail(link, "connection lost",
                                (ac->errstr && ac->errstr[0]) ? ac->errstr
                                                               : NULL);
    }

    ngx_http_swr_redis_arm(link);

    if (cancelled) {
        ngx_log_debug0(NGX_LOG_DEBUG_HTTP, link->log, 0,
                       "swr redis reply for a finished request dropped");
        return;
    }

    if (r == NULL) {
        handler(NULL, data, reply);
        return;
    }

    c = r->connection;

    handler(r, data, reply);

    ngx_http_run_posted_requests(c);
}


static void
ngx_http_swr_redis_cancel(void *data)
{
    ngx_http_swr_redis_op_t  *op = data;

    ngx_log_debug0(NGX_LOG_DEBUG_HTTP, op->link->log, 0,
                   "swr redis op cancelled");

    op->cancelled = 1;
    op->request = NULL;
    op->cleanup = NULL;
}


static void
ngx_http_swr_redis_setup_reply(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_redis_link_t  *link = data;

    if (reply == NULL || reply->type != REDIS_REPLY_ERROR) {
        return;
    }

    ngx_http_swr_redis_fail(link, "set-up command refused", reply->str);

    if (link->ac != NULL) {
        redisAsyncFree(link->ac);
    }
}


ngx_int_t
ngx_http_swr_redis_send(ngx_http_request_t *r,
    ngx_http_swr_redis_handler_pt handler, void *data, int argc,
    const char **argv, const size_t *argvlen)
{
    ngx_http_swr_main_conf_t  *smcf;

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

    if (smcf->link == NULL) {
        return NGX_DECLINED;
    }

    return ngx_http_swr_redis_command(smcf->link, r, handler, data, argc,
                                      argv, argvlen);
}


/*
 * A command whose reply nobody waits for (an idempotent index update sent
 * along with the request's own commands): it does not hold the request.
 */

ngx_int_t
ngx_http_swr_redis_send_detached(ngx_http_request_t *r, int argc,
    const char **argv, const size_t *argvlen)
{
    ngx_http_swr_main_conf_t  *smcf;

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

    if (smcf->link == NULL) {
        return NGX_DECLINED;
    }

    return ngx_http_swr_redis_command(smcf->link, NULL,
                                      ngx_http_swr_redis_detached_reply,
                                      smcf->link, argc, argv, argvlen);
}


/*
 * A command of the worker's own, on a link of its own (the audit
 * stream's batches), of no request: handler(NULL, data, reply).
 */

ngx_int_t
ngx_http_swr_redis_send_link(ngx_http_swr_redis_link_t *link,
    ngx_http_swr_redis_handler_pt handler, void *data, int argc,
    const char **argv, const size_t *argvlen)
{
    return ngx_http_swr_redis_command(link, NULL, handler, data, argc, argv,
                                      argvlen);
}


/*
 * What hiredis holds for the link's socket, written now, not at the next
 * turn of the event loop: a worker that exits sends its last commands (a
 * non-blocking write; whatever the socket does not take then is lost).
 * NGX_OK: all of it was written.
 */

ngx_int_t
ngx_http_swr_redis_write_link(ngx_http_swr_redis_link_t *link)
{
    if (link->ac == NULL || link->state != NGX_HTTP_SWR_REDIS_UP) {
        return NGX_DECLINED;
    }

    redisAsyncHandleWrite(link->ac);

    /* a failed write frees the context (and the link forgets it) */

    if (link->ac == NULL || sdslen(link->ac->c.obuf) != 0) {
        return NGX_AGAIN;
    }

    return NGX_OK;
}


static void
ngx_http_swr_redis_detached_reply(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_redis_link_t  *link = data;

    if (reply != NULL && reply->type == REDIS_REPLY_ERROR) {
        ngx_log_error(NGX_LOG_ERR, link->log, 0,
                      "swr redis %V: %*s", &link->conf->name,
                      (size_t) reply->len, reply->str);
    }
}


ngx_int_t
ngx_http_swr_redis_status(ngx_http_request_t *r,
    ngx_http_swr_redis_status_t *st)
{
    ngx_http_swr_main_conf_t  *smcf;

    smcf = ngx_http_get_module_main_conf(r, ngx_http_swr_module);

    if (smcf->link == NULL) {
        return NGX_DECLINED;
    }

    ngx_http_swr_redis_link_status(smcf->link, st);

    return NGX_OK;
}


void
ngx_http_swr_redis_link_status(ngx_http_swr_redis_link_t *link,
    ngx_http_swr_redis_status_t *st)
{
    st->name = link->conf->name;
    st->state = link->state;
    st->pending = link->npending;
    st->connects = link->connects;
    st->failures = link->failures;
    st->error = link->error;
}


/* worker life cycle */


ngx_int_t
ngx_http_swr_redis_init_worker(ngx_cycle_t *cycle,
    ngx_http_swr_main_conf_t *smcf)
{
    if (smcf->redis == NULL) {
        return NGX_OK;
    }

    smcf->link = ngx_http_swr_redis_link_create(cycle, smcf->redis);
    if (smcf->link == NULL) {
        return NGX_ERROR;
    }

    return NGX_OK;
}


/* a link of the worker to rcf's Redis, connecting */

ngx_http_swr_redis_link_t *
ngx_http_swr_redis_link_create(ngx_cycle_t *cycle,
    ngx_http_swr_redis_conf_t *rcf)
{
    ngx_http_swr_redis_link_t  *link;

    link = ngx_pcalloc(cycle->pool, sizeof(ngx_http_swr_redis_link_t));
    if (link == NULL) {
        return NULL;
    }

    link->conf = rcf;
    link->log = cycle->log;
    link->pool = cycle->pool;
    link->state = NGX_HTTP_SWR_REDIS_DOWN;

    ngx_queue_init(&link->pending);
    ngx_queue_init(&link->free);

    link->timer.handler = ngx_http_swr_redis_timer_handler;
    link->timer.data = link;
    link->timer.log = cycle->log;

    /*
     * not cancelable: it is armed only while commands are in flight, and a
     * graceful shutdown must wait for their requests
     */

    link->retry.handler = ngx_http_swr_redis_retry_handler;
    link->retry.data = link;
    link->retry.log = cycle->log;
    link->retry.cancelable = 1;

    ngx_http_swr_redis_connect(link);

    return link;
}


void
ngx_http_swr_redis_exit_worker(ngx_http_swr_main_conf_t *smcf)
{
    if (smcf->link != NULL) {
        ngx_http_swr_redis_link_close(smcf->link);
        smcf->link = NULL;
    }
}


void
ngx_http_swr_redis_link_close(ngx_http_swr_redis_link_t *link)
{
    link->exiting = 1;

    /*
     * A worker that exits at once (single process mode, a fast shutdown)
     * may still have requests waiting: they get their NULL reply and
     * answer 503, so that they end and free what they hold.
     */

    if (link->retry.timer_set) {
        ngx_del_timer(&link->retry);
    }

    if (link->ac != NULL) {
        redisAsyncFree(link->ac);
    }

    if (link->timer.timer_set) {
        ngx_del_timer(&link->timer);
    }
}


/* configuration */


static char *
ngx_http_swr_redis_cstr(ngx_conf_t *cf, u_char *p, size_t len)
{
    char  *s;

    s = ngx_pnalloc(cf->pool, len + 1);
    if (s == NULL) {
        return NULL;
    }

    ngx_memcpy(s, p, len);
    s[len] = '\0';

    return s;
}


/*
 * swr_redis address [password=secret] [db=n] [connect_timeout=time]
 *           [timeout=time] [max_pending=n];
 *
 * address is host[:port] (resolved now, at configuration time) or
 * unix:/path/to/socket.
 */

char *
ngx_http_swr_redis_directive(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_swr_main_conf_t  *smcf = conf;

    ngx_str_t                  *value;
    ngx_uint_t                  i;
    ngx_http_swr_redis_conf_t  *rcf;

    if (smcf->redis != NULL) {
        return "is duplicate";
    }

    value = cf->args->elts;

    rcf = ngx_http_swr_redis_conf_create(cf, &value[1]);
    if (rcf == NULL) {
        return NGX_CONF_ERROR;
    }

    for (i = 2; i < cf->args->nelts; i++) {

        switch (ngx_http_swr_redis_conf_param(cf, rcf, &value[i])) {

        case NGX_OK:
            continue;

        case NGX_DECLINED:
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid parameter \"%V\"", &value[i]);
            return NGX_CONF_ERROR;

        default:
            return NGX_CONF_ERROR;
        }
    }

    smcf->redis = rcf;

    return NGX_CONF_OK;
}


/*
 * A Redis endpoint of the configuration (swr_redis, swr_audit_redis
 * redis=), with the defaults; NULL: an error, logged.
 */

ngx_http_swr_redis_conf_t *
ngx_http_swr_redis_conf_create(ngx_conf_t *cf, ngx_str_t *address)
{
    u_char                     *p;
    char                       *s;
    ngx_int_t                   n;
    ngx_url_t                   u;
    ngx_http_swr_redis_conf_t  *rcf;

    rcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_swr_redis_conf_t));
    if (rcf == NULL) {
        return NULL;
    }

    rcf->connect_timeout = 1000;
    rcf->timeout = 3000;
    rcf->max_pending = 4096;

    rcf->name = *address;

    if (address->len > 5 && ngx_strncmp(address->data, "unix:", 5) == 0) {
        s = ngx_http_swr_redis_cstr(cf, address->data + 5, address->len - 5);
        if (s == NULL) {
            return NULL;
        }

        rcf->socket.data = (u_char *) s;
        rcf->socket.len = address->len - 5;

        return rcf;
    }

    ngx_memzero(&u, sizeof(ngx_url_t));

    u.url = *address;
    u.default_port = 6379;

    if (ngx_parse_url(cf->pool, &u) != NGX_OK) {
        if (u.err) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "%s in Redis address \"%V\"", u.err, &u.url);
        }

        return NULL;
    }

    if (u.naddrs == 0 || u.uri.len) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid Redis address \"%V\"", &u.url);
        return NULL;
    }

    p = ngx_pnalloc(cf->pool, NGX_SOCKADDR_STRLEN + 1);
    if (p == NULL) {
        return NULL;
    }

    n = ngx_sock_ntop(u.addrs[0].sockaddr, u.addrs[0].socklen, p,
                      NGX_SOCKADDR_STRLEN, 0);
    p[n] = '\0';

    rcf->host.data = p;
    rcf->host.len = n;
    rcf->port = u.port;

    return rcf;
}


/*
 * One parameter of an endpoint: password=, db=, connect_timeout=,
 * timeout=, max_pending=.  NGX_DECLINED: not one of them; NGX_ERROR: a
 * bad value, logged.
 */

ngx_int_t
ngx_http_swr_redis_conf_param(ngx_conf_t *cf, ngx_http_swr_redis_conf_t *rcf,
    ngx_str_t *value)
{
    ngx_int_t  n;

    if (ngx_strncmp(value->data, "password=", 9) == 0) {
        rcf->password.data = value->data + 9;
        rcf->password.len = value->len - 9;
        return NGX_OK;
    }

    if (ngx_strncmp(value->data, "db=", 3) == 0) {
        rcf->db = ngx_atoi(value->data + 3, value->len - 3);
        if (rcf->db == NGX_ERROR) {
            goto invalid;
        }

        return NGX_OK;
    }

    if (ngx_strncmp(value->data, "connect_timeout=", 16) == 0) {
        return ngx_http_swr_redis_msec(cf, value, 16, &rcf->connect_timeout);
    }

    if (ngx_strncmp(value->data, "timeout=", 8) == 0) {
        return ngx_http_swr_redis_msec(cf, value, 8, &rcf->timeout);
    }

    if (ngx_strncmp(value->data, "max_pending=", 12) == 0) {
        n = ngx_atoi(value->data + 12, value->len - 12);
        if (n == NGX_ERROR || n == 0) {
            goto invalid;
        }

        rcf->max_pending = n;
        return NGX_OK;
    }

    return NGX_DECLINED;

invalid:

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "invalid parameter \"%V\"", value);

    return NGX_ERROR;
}


/* a time after "name=" (skip bytes), not zero; NGX_ERROR: logged */

static ngx_int_t
ngx_http_swr_redis_msec(ngx_conf_t *cf, ngx_str_t *value, size_t skip,
    ngx_msec_t *ms)
{
    ngx_str_t  v;

    v.data = value->data + skip;
    v.len = value->len - skip;

    *ms = ngx_parse_time(&v, 0);

    if (*ms == (ngx_msec_t) NGX_ERROR || *ms == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid parameter \"%V\"", value);
        return NGX_ERROR;
    }

    return NGX_OK;
}
