
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_audit_sink.h"
#include "ngx_http_swr_redis.h"


/*
 * Where the audit records go (docs/audit.md): the swr_audit_log file and
 * the swr_audit_redis stream.  A record arrives here whole, a JSON line
 * with its '\n'.
 *
 * The file is opened by nginx; with buffer= a worker gathers records and
 * writes them together, as access_log does.  The stream gets XADD <key>
 * MAXLEN ~ <n> * records <lines>: one record an entry, or with buffer= the
 * records a worker gathered, sent as one entry when the buffer is full,
 * flush= after the first, and when the worker exits.  No request waits
 * for a sink (the file's write() is the worker's, as access_log's is); a
 * record that neither took goes to the error log.
 */


#define NGX_HTTP_SWR_AUDIT_FLUSH  1000


struct ngx_http_swr_audit_log_s {
    ngx_str_t                    path;
    ngx_open_file_t             *file;
};


/*
 * buffer=: a worker's records, written out when it is full and flush=
 * after the first by its event's handler (the file's: the open file's
 * data, as access_log's; the stream's: in its configuration)
 */

typedef struct {
    u_char                      *start;
    u_char                      *pos;
    u_char                      *last;
    ngx_msec_t                   flush;
    ngx_event_t                  event;
} ngx_http_swr_audit_buf_t;


struct ngx_http_swr_audit_redis_s {
    ngx_str_t                    stream;     /* stream= */
    ngx_uint_t                   maxlen;     /* maxlen=, records */
    ngx_http_swr_redis_conf_t   *redis;      /* redis=, else swr_redis */
    ngx_http_swr_redis_link_t   *link;       /* per worker */

    ngx_http_swr_audit_buf_t     buf;        /* start NULL: none */
    ngx_uint_t                   records;    /* in buf */
    ngx_uint_t                   unfiled;    /* of them, not in a file */
    ngx_uint_t                   average;    /* records an entry, x16 */

    unsigned                     written:1;  /* all sent, at exit */
};


/*
 * A batch with records that are in no file, kept until Redis has
 * answered for it: if it does not take them, they go to the error log.
 */

typedef struct {
    ngx_http_swr_audit_redis_t  *ar;
    size_t                       len;
    u_char                       data[1];
} ngx_http_swr_audit_batch_t;


static ngx_int_t ngx_http_swr_audit_sink_parse(ngx_conf_t *cf,
    ngx_str_t *value, ssize_t *size, ngx_msec_t *flush);
static void ngx_http_swr_audit_file(ngx_http_swr_audit_log_t *log,
    u_char *line, size_t len, ngx_log_t *errlog);
static void ngx_http_swr_audit_file_flush(ngx_open_file_t *file,
    ngx_log_t *log);
static void ngx_http_swr_audit_file_handler(ngx_event_t *ev);
static ngx_int_t ngx_http_swr_audit_buffer(ngx_http_swr_audit_buf_t *buf,
    u_char *line, size_t len);
static void ngx_http_swr_audit_stream(ngx_http_swr_audit_redis_t *ar,
    u_char *line, size_t len, ngx_uint_t filed, ngx_log_t *log);
static void ngx_http_swr_audit_stream_flush(ngx_http_swr_audit_redis_t *ar,
    ngx_log_t *log);
static ngx_int_t ngx_http_swr_audit_stream_send(
    ngx_http_swr_audit_redis_t *ar, u_char *data, size_t len,
    ngx_uint_t records, ngx_uint_t unfiled);
static void ngx_http_swr_audit_stream_handler(ngx_event_t *ev);
static void ngx_http_swr_audit_stream_reply(ngx_http_request_t *r,
    void *data, redisReply *reply);
static void ngx_http_swr_audit_batch_reply(ngx_http_request_t *r,
    void *data, redisReply *reply);
static void ngx_http_swr_audit_refused(ngx_http_swr_audit_redis_t *ar,
    redisReply *reply);
static void ngx_http_swr_audit_lost_lines(ngx_log_t *log, u_char *data,
    u_char *last);
static void ngx_http_swr_audit_lost(ngx_log_t *log, ngx_err_t err,
    ngx_str_t *file, u_char *data, size_t len);


/* one record, a JSON line ending with '\n', to the sinks of its request */

void
ngx_http_swr_audit_sink_write(ngx_http_request_t *r,
    ngx_http_swr_audit_log_t *log, ngx_http_swr_audit_redis_t *ar,
    u_char *line, size_t len)
{
    if (ar) {
        ngx_http_swr_audit_stream(ar, line, len, log != NULL,
                                  r->connection->log);
    }

    if (log) {
        ngx_http_swr_audit_file(log, line, len, r->connection->log);
    }
}


/* one line to the file: through the worker's buffer if there is one */

static void
ngx_http_swr_audit_file(ngx_http_swr_audit_log_t *log, u_char *line,
    size_t len, ngx_log_t *errlog)
{
    ssize_t                    n;
    ngx_err_t                  err;
    ngx_open_file_t           *file;
    ngx_http_swr_audit_buf_t  *buf;

    file = log->file;
    buf = file->data;

    if (buf && ngx_http_swr_audit_buffer(buf, line, len) == NGX_OK) {
        return;
    }

    n = ngx_write_fd(file->fd, line, len);

    if (n == (ssize_t) len) {
        return;
    }

    err = (n == -1) ? ngx_errno : 0;

    ngx_http_swr_audit_lost(errlog, err, &file->name, line, len - 1);
}


/* the buffer to the file; what it cannot take goes to the error log */

static void
ngx_http_swr_audit_file_flush(ngx_open_file_t *file, ngx_log_t *log)
{
    u_char                    *p, *nl;
    size_t                     len;
    ssize_t                    n;
    ngx_err_t                  err;
    ngx_http_swr_audit_buf_t  *buf;

    buf = file->data;

    len = buf->pos - buf->start;

    if (len == 0) {
        return;
    }

    n = ngx_write_fd(file->fd, buf->start, len);

    if (n != (ssize_t) len) {

        /* each record not written whole, as the unbuffered file does */

        err = (n == -1) ? ngx_errno : 0;

        for (p = buf->start; p < buf->pos; p = nl + 1) {
            nl = ngx_strlchr(p, buf->pos, '\n');
            if (nl == NULL) {
                nl = buf->pos;
            }

            if (n > 0 && nl < buf->start + n) {
                continue;
            }

            ngx_http_swr_audit_lost(log, err, &file->name, p, nl - p);
        }
    }

    buf->pos = buf->start;

    if (buf->event.timer_set) {
        ngx_del_timer(&buf->event);
    }
}


/*
 * A line into a worker's buffer, which is written out first when it has
 * no room (so that the order stays); NGX_DECLINED: the line is longer
 * than the buffer, for the caller to write alone
 */

static ngx_int_t
ngx_http_swr_audit_buffer(ngx_http_swr_audit_buf_t *buf, u_char *line,
    size_t len)
{
    if ((size_t) (buf->last - buf->pos) < len) {
        buf->event.handler(&buf->event);

        if ((size_t) (buf->last - buf->pos) < len) {
            return NGX_DECLINED;
        }
    }

    if (buf->pos == buf->start && !buf->event.timer_set) {
        ngx_add_timer(&buf->event, buf->flush);
    }

    buf->pos = ngx_cpymem(buf->pos, line, len);

    return NGX_OK;
}


static void
ngx_http_swr_audit_file_handler(ngx_event_t *ev)
{
    ngx_http_swr_audit_file_flush(ev->data, ev->log);
}


/*
 * One line to the stream: an entry of its own, or through the worker's
 * buffer; "filed": the record is in a file too.
 */

static void
ngx_http_swr_audit_stream(ngx_http_swr_audit_redis_t *ar, u_char *line,
    size_t len, ngx_uint_t filed, ngx_log_t *log)
{
    if (ar->buf.start
        && ngx_http_swr_audit_buffer(&ar->buf, line, len) == NGX_OK)
    {
        ar->records++;

        if (!filed) {
            ar->unfiled++;
        }

        return;
    }

    if (ngx_http_swr_audit_stream_send(ar, line, len, 1, !filed) != NGX_OK
        && !filed)
    {
        ngx_http_swr_audit_lost(log, 0, NULL, line, len - 1);
    }
}


/*
 * The worker's records to the stream, one entry; when Redis cannot take
 * them and some are in no file, to the error log.
 */

static void
ngx_http_swr_audit_stream_flush(ngx_http_swr_audit_redis_t *ar,
    ngx_log_t *log)
{
    ngx_http_swr_audit_buf_t  *buf;

    buf = &ar->buf;

    if (buf->pos == buf->start) {
        return;
    }

    if (ngx_http_swr_audit_stream_send(ar, buf->start, buf->pos - buf->start,
                                       ar->records, ar->unfiled)
        != NGX_OK
        && ar->unfiled)
    {
        ngx_http_swr_audit_lost_lines(log, buf->start, buf->pos);
    }

    buf->pos = buf->start;
    ar->records = 0;
    ar->unfiled = 0;

    if (buf->event.timer_set) {
        ngx_del_timer(&buf->event);
    }
}


/*
 * XADD <stream> MAXLEN ~ <entries> * records <lines>.  maxlen= counts
 * records; Redis trims entries: maxlen divided by the records an entry
 * of this worker has held lately (a moving average, so that the small
 * entry a timer sends does not let the stream grow).  The reply is not
 * waited for.
 */

static ngx_int_t
ngx_http_swr_audit_stream_send(ngx_http_swr_audit_redis_t *ar, u_char *data,
    size_t len, ngx_uint_t records, ngx_uint_t unfiled)
{
    u_char                       entries[NGX_INT_T_LEN];
    size_t                       lens[8];
    ngx_int_t                    rc;
    ngx_uint_t                   n;
    const char                  *argv[8];
    ngx_http_swr_audit_batch_t  *batch;

    if (ar->link == NULL) {
        return NGX_DECLINED;
    }

    if (ar->average == 0) {
        ar->average = records * 16;

    } else if (records * 16 > ar->average) {
        ar->average += (records * 16 - ar->average) / 8;

    } else {
        ar->average -= (ar->average - records * 16) / 8;
    }

    n = (ar->maxlen * 16 + ar->average - 1) / ar->average;

    argv[0] = "XADD";
    lens[0] = sizeof("XADD") - 1;
    argv[1] = (const char *) ar->stream.data;
    lens[1] = ar->stream.len;
    argv[2] = "MAXLEN";
    lens[2] = sizeof("MAXLEN") - 1;
    argv[3] = "~";
    lens[3] = 1;
    argv[4] = (const char *) entries;
    lens[4] = ngx_sprintf(entries, "%ui", n) - entries;
    argv[5] = "*";
    lens[5] = 1;
    argv[6] = "records";
    lens[6] = sizeof("records") - 1;
    argv[7] = (const char *) data;
    lens[7] = len;

    if (!unfiled) {
        return ngx_http_swr_redis_send_link(ar->link,
                                            ngx_http_swr_audit_stream_reply,
                                            ar, 8, argv, lens);
    }

    /*
     * records in no file: a copy until the reply, since a command is
     * taken while the link connects, and a link that fails answers NULL
     */

    batch = ngx_alloc(offsetof(ngx_http_swr_audit_batch_t, data) + len,
                      ngx_cycle->log);
    if (batch == NULL) {
        return NGX_ERROR;
    }

    batch->ar = ar;
    batch->len = len;
    ngx_memcpy(batch->data, data, len);

    argv[7] = (const char *) batch->data;

    rc = ngx_http_swr_redis_send_link(ar->link,
                                      ngx_http_swr_audit_batch_reply,
                                      batch, 8, argv, lens);

    if (rc != NGX_OK) {
        ngx_free(batch);
    }

    return rc;
}


static void
ngx_http_swr_audit_stream_handler(ngx_event_t *ev)
{
    ngx_http_swr_audit_stream_flush(ev->data, ev->log);
}


static void
ngx_http_swr_audit_stream_reply(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    if (reply != NULL && reply->type == REDIS_REPLY_ERROR) {
        ngx_http_swr_audit_refused(data, reply);
    }
}


/*
 * The reply for a batch with records in no file: taken, or its records
 * to the error log (no reply: the link failed before Redis answered,
 * unless the worker wrote everything to the socket as it exited)
 */

static void
ngx_http_swr_audit_batch_reply(ngx_http_request_t *r, void *data,
    redisReply *reply)
{
    ngx_http_swr_audit_batch_t  *batch = data;

    if (reply != NULL && reply->type == REDIS_REPLY_ERROR) {
        ngx_http_swr_audit_refused(batch->ar, reply);
    }

    if ((reply == NULL && !batch->ar->written)
        || (reply != NULL && reply->type == REDIS_REPLY_ERROR))
    {
        ngx_http_swr_audit_lost_lines(ngx_cycle->log, batch->data,
                                      batch->data + batch->len);
    }

    ngx_free(batch);
}


static void
ngx_http_swr_audit_refused(ngx_http_swr_audit_redis_t *ar,
    redisReply *reply)
{
    ngx_log_error(NGX_LOG_ALERT, ngx_cycle->log, 0,
                  "swr audit: the stream \"%V\" refused records: %*s",
                  &ar->stream, (size_t) reply->len, reply->str);
}


/* each record (a line) of data .. last to the error log */

static void
ngx_http_swr_audit_lost_lines(ngx_log_t *log, u_char *data, u_char *last)
{
    u_char  *p, *nl;

    for (p = data; p < last; p = nl + 1) {
        nl = ngx_strlchr(p, last, '\n');
        if (nl == NULL) {
            nl = last;
        }

        ngx_http_swr_audit_lost(log, 0, NULL, p, nl - p);
    }
}


/*
 * A record no sink took, to the error log: "swr audit: "<file>" (or the
 * stream) cannot take the record: {...}", in parts ("(part 1 of 3)") when
 * it is longer than an error log line holds (NGX_MAX_ERROR_STR).
 */

static void
ngx_http_swr_audit_lost(ngx_log_t *log, ngx_err_t err, ngx_str_t *file,
    u_char *data, size_t len)
{
    size_t      part, n;
    ngx_str_t   sink;
    ngx_uint_t  i, parts;

    /* "<file>" (quoted) or the stream */

    if (file) {
        sink = *file;

    } else {
        ngx_str_set(&sink, "the stream");
    }

    part = NGX_MAX_ERROR_STR - 320 - sink.len;

    if (part < 256 || part > NGX_MAX_ERROR_STR) {
        part = 256;
    }

    parts = (len + part - 1) / part;

    if (parts <= 1) {
        ngx_log_error(NGX_LOG_ALERT, log, err,
                      "swr audit: %s%V%s cannot take the record: %*s",
                      file ? "\"" : "", &sink, file ? "\"" : "", len, data);
        return;
    }

    for (i = 0; i < parts; i++) {
        n = ngx_min(part, len - i * part);

        ngx_log_error(NGX_LOG_ALERT, log, err,
                      "swr audit: %s%V%s cannot take the record "
                      "(part %ui of %ui): %*s",
                      file ? "\"" : "", &sink, file ? "\"" : "",
                      i + 1, parts, n, data + i * part);
    }
}


/*
 * A worker's links for its streams: a connection of their own, so that a
 * request's commands never queue behind a batch of records; the streams
 * on one Redis share it.  Each link is in smcf->audit_links once.
 */

ngx_int_t
ngx_http_swr_audit_sink_init_worker(ngx_cycle_t *cycle,
    ngx_http_swr_main_conf_t *smcf)
{
    ngx_uint_t                    i, j;
    ngx_http_swr_redis_link_t   **link;
    ngx_http_swr_audit_redis_t  **ar;

    ar = smcf->audit_streams.elts;

    for (i = 0; i < smcf->audit_streams.nelts; i++) {

        /* no swr_redis, no redis=: what the stream gets goes nowhere */

        if (ar[i]->redis == NULL) {
            ar[i]->redis = smcf->redis;

            if (ar[i]->redis == NULL) {
                continue;
            }
        }

        for (j = 0; j < i; j++) {
            if (ar[j]->redis == ar[i]->redis) {
                ar[i]->link = ar[j]->link;
                break;
            }
        }

        if (ar[i]->link) {
            continue;
        }

        link = ngx_array_push(&smcf->audit_links);
        if (link == NULL) {
            return NGX_ERROR;
        }

        *link = ngx_http_swr_redis_link_create(cycle, ar[i]->redis);
        if (*link == NULL) {
            return NGX_ERROR;
        }

        ar[i]->link = *link;
    }

    return NGX_OK;
}


/*
 * A worker that exits: its stream buffers sent, and written to the
 * sockets now (the file buffers nginx flushes itself), and the links
 * closed.
 */

void
ngx_http_swr_audit_sink_exit_worker(ngx_cycle_t *cycle,
    ngx_http_swr_main_conf_t *smcf)
{
    ngx_uint_t                    i;
    ngx_http_swr_redis_link_t   **link;
    ngx_http_swr_audit_redis_t  **ar;

    ar = smcf->audit_streams.elts;

    for (i = 0; i < smcf->audit_streams.nelts; i++) {
        ngx_http_swr_audit_stream_flush(ar[i], cycle->log);
    }

    /*
     * what the sockets took reaches Redis; the replies for it come to
     * nobody (the links are closed now), and are not waited for; a link
     * several streams share is written again for each: what is left
     */

    for (i = 0; i < smcf->audit_streams.nelts; i++) {
        ar[i]->written = (ar[i]->link
                          && ngx_http_swr_redis_write_link(ar[i]->link)
                             == NGX_OK);
    }

    link = smcf->audit_links.elts;

    for (i = 0; i < smcf->audit_links.nelts; i++) {
        ngx_http_swr_redis_link_close(link[i]);
    }

    smcf->audit_links.nelts = 0;

    for (i = 0; i < smcf->audit_streams.nelts; i++) {
        ar[i]->link = NULL;
    }
}


/* configuration */


/*
 * buffer=<size> and flush=<time>, the last parameters a sink's directive
 * looks for: anything else is invalid (logged, NGX_ERROR)
 */

static ngx_int_t
ngx_http_swr_audit_sink_parse(ngx_conf_t *cf, ngx_str_t *value,
    ssize_t *size, ngx_msec_t *flush)
{
    ngx_str_t  s;

    if (ngx_strncmp(value->data, "buffer=", 7) == 0) {
        s.data = value->data + 7;
        s.len = value->len - 7;

        *size = ngx_parse_size(&s);
        if (*size <= 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid buffer size \"%V\"", &s);
            return NGX_ERROR;
        }

        return NGX_OK;
    }

    if (ngx_strncmp(value->data, "flush=", 6) == 0) {
        s.data = value->data + 6;
        s.len = value->len - 6;

        *flush = ngx_parse_time(&s, 0);
        if (*flush == (ngx_msec_t) NGX_ERROR || *flush == 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid flush time \"%V\"", &s);
            return NGX_ERROR;
        }

        return NGX_OK;
    }

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "invalid parameter \"%V\"",
                       value);

    return NGX_ERROR;
}


/* a worker's buffer of size bytes (none: 0) for a sink */

static char *
ngx_http_swr_audit_buf_init(ngx_conf_t *cf, ngx_http_swr_audit_buf_t *buf,
    ssize_t size, ngx_msec_t flush, ngx_event_handler_pt handler, void *data)
{
    if (flush && size == 0) {
        return "has flush= without buffer=";
    }

    if (size == 0) {
        return NGX_CONF_OK;
    }

    buf->start = ngx_pnalloc(cf->pool, size);
    if (buf->start == NULL) {
        return NGX_CONF_ERROR;
    }

    buf->pos = buf->start;
    buf->last = buf->start + size;
    buf->flush = flush ? flush : NGX_HTTP_SWR_AUDIT_FLUSH;

    buf->event.data = data;
    buf->event.handler = handler;
    buf->event.log = &cf->cycle->new_log;
    buf->event.cancelable = 1;

    return NGX_CONF_OK;
}


/*
 * swr_audit_log <path> [buffer=<size>] [flush=<time>] | off;
 *
 * One JSON object a line.  The file is opened by nginx itself (so "nginx
 * -s reopen" reopens it, flushing the buffer first, and a permission
 * problem shows at start-up); with buffer= the records of a worker are
 * written together, at the latest flush= (1s) after the first.
 */

char *
ngx_http_swr_audit_log_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_swr_loc_conf_t  *slcf = conf;

    char                      *rv;
    ssize_t                    size;
    ngx_str_t                 *value;
    ngx_msec_t                 flush;
    ngx_uint_t                 i;
    ngx_http_swr_audit_buf_t  *buf;
    ngx_http_swr_audit_log_t  *al;

    if (slcf->audit_log != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (value[1].len == 3 && ngx_strncmp(value[1].data, "off", 3) == 0) {
        if (cf->args->nelts > 2) {
            return "takes nothing after \"off\"";
        }

        slcf->audit_log = NULL;
        return NGX_CONF_OK;
    }

    size = 0;
    flush = 0;

    for (i = 2; i < cf->args->nelts; i++) {
        if (ngx_http_swr_audit_sink_parse(cf, &value[i], &size, &flush)
            != NGX_OK)
        {
            return NGX_CONF_ERROR;
        }
    }

    if (flush && size == 0) {
        return "has flush= without buffer=";
    }

    al = ngx_pcalloc(cf->pool, sizeof(ngx_http_swr_audit_log_t));
    if (al == NULL) {
        return NGX_CONF_ERROR;
    }

    al->path = value[1];

    al->file = ngx_conf_open_file(cf->cycle, &al->path);
    if (al->file == NULL) {
        return NGX_CONF_ERROR;
    }

    slcf->audit_log = al;

    if (size == 0) {
        return NGX_CONF_OK;
    }

    if (al->file->data) {
        buf = al->file->data;

        if ((size_t) (buf->last - buf->start) != (size_t) size) {
            return "is given another buffer size for the same file";
        }

        return NGX_CONF_OK;
    }

    buf = ngx_pcalloc(cf->pool, sizeof(ngx_http_swr_audit_buf_t));
    if (buf == NULL) {
        return NGX_CONF_ERROR;
    }

    rv = ngx_http_swr_audit_buf_init(cf, buf, size, flush,
                                     ngx_http_swr_audit_file_handler,
                                     al->file);
    if (rv != NGX_CONF_OK) {
        return rv;
    }

    al->file->data = buf;
    al->file->flush = ngx_http_swr_audit_file_flush;

    return NGX_CONF_OK;
}


/*
 * swr_audit_redis on [stream=<key>] [maxlen=<n>] [buffer=<size>]
 *                 [flush=<time>] [redis=<address> [db=<n>]
 *                 [password=<secret>] ...] | off;
 *
 * redis= puts the stream on a Redis of its own (the parameters after it
 * are swr_redis's); without it the stream is on swr_redis's.
 */

char *
ngx_http_swr_audit_redis_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_swr_loc_conf_t  *slcf = conf;

    char                         *rv;
    ssize_t                       size;
    ngx_int_t                     n, rc;
    ngx_str_t                    *value;
    ngx_msec_t                    flush;
    ngx_uint_t                    i;
    ngx_str_t                     address;
    ngx_http_swr_main_conf_t     *smcf;
    ngx_http_swr_audit_redis_t   *ar, **arp;

    if (slcf->audit_redis != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (value[1].len == 3 && ngx_strncmp(value[1].data, "off", 3) == 0
        && cf->args->nelts == 2)
    {
        slcf->audit_redis = NULL;
        return NGX_CONF_OK;
    }

    if (!(value[1].len == 2 && ngx_strncmp(value[1].data, "on", 2) == 0)) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid value \"%V\", it must be \"on\" or "
                           "\"off\"", &value[1]);
        return NGX_CONF_ERROR;
    }

    ar = ngx_pcalloc(cf->pool, sizeof(ngx_http_swr_audit_redis_t));
    if (ar == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_str_set(&ar->stream, "swr:audit");
    ar->maxlen = 1000000;

    smcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_swr_module);

    size = 0;
    flush = 0;

    for (i = 2; i < cf->args->nelts; i++) {

        if (ngx_strncmp(value[i].data, "redis=", 6) == 0) {
            if (ar->redis) {
                return "has redis= twice";
            }

            address.data = value[i].data + 6;
            address.len = value[i].len - 6;

            ar->redis = ngx_http_swr_redis_conf_create(cf, &address);
            if (ar->redis == NULL) {
                return NGX_CONF_ERROR;
            }

            continue;
        }

        if (ar->redis) {
            rc = ngx_http_swr_redis_conf_param(cf, ar->redis, &value[i]);

            if (rc == NGX_ERROR) {
                return NGX_CONF_ERROR;
            }

            if (rc == NGX_OK) {
                continue;
            }
        }

        if (ngx_strncmp(value[i].data, "stream=", 7) == 0
            && value[i].len > 7)
        {
            ar->stream.data = value[i].data + 7;
            ar->stream.len = value[i].len - 7;
            continue;
        }

        if (ngx_strncmp(value[i].data, "maxlen=", 7) == 0) {
            n = ngx_atoi(value[i].data + 7, value[i].len - 7);
            if (n <= 0) {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "invalid maxlen \"%V\"", &value[i]);
                return NGX_CONF_ERROR;
            }

            ar->maxlen = n;
            continue;
        }

        if (ngx_http_swr_audit_sink_parse(cf, &value[i], &size, &flush)
            != NGX_OK)
        {
            return NGX_CONF_ERROR;
        }
    }

    rv = ngx_http_swr_audit_buf_init(cf, &ar->buf, size, flush,
                                     ngx_http_swr_audit_stream_handler, ar);
    if (rv != NGX_CONF_OK) {
        return rv;
    }

    arp = ngx_array_push(&smcf->audit_streams);
    if (arp == NULL) {
        return NGX_CONF_ERROR;
    }

    *arp = ar;

    slcf->audit_redis = ar;

    return NGX_CONF_OK;
}
