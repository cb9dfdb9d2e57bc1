
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_swr_common.h"
#include "ngx_http_swr_obs_upload.h"
#include "ngx_http_swr_remote.h"
#include "ngx_http_swr_sign.h"


/*
 * Uploads on an object store.  Any node takes any chunk, so nothing of an
 * upload stays on a node between chunks: each chunk is staged in the
 * bucket as an object of its own (_uploads/<id>/<kind><start>-<end>) and
 * recorded in Redis with the upload.  Chunks below the store's least part
 * (5 MiB) are "segments": once they and the next chunk reach 5 MiB, or 32
 * of them are waiting, they are fetched back into the chunk's temporary
 * file before the chunk is read after them, and the file is staged as one
 * object.  A file holds at most part_size bytes (1 GiB by default): a
 * larger chunk fills several, each staged on its own.  Every call sends
 * one whole file, which nginx's upstream can send again from its start on
 * a fresh keepalive connection.  So every staged object but the last
 * segments is a "piece" of at least 5 MiB and at most part_size.
 *
 * The last chunk completes the blob at its content-addressed key, after
 * its digest matched: one PUT when there is no piece and one file, else a
 * multipart upload whose parts are the pieces (copied inside the store)
 * and the files of the last request (segments and the last chunk, sent).
 * The blob's object appears whole when the multipart upload completes,
 * never in part.
 */


typedef enum {
    NGX_HTTP_SWR_OBS_STEP_FETCH = 1,
    NGX_HTTP_SWR_OBS_STEP_STAGE,
    NGX_HTTP_SWR_OBS_STEP_PUT,
    NGX_HTTP_SWR_OBS_STEP_INIT,
    NGX_HTTP_SWR_OBS_STEP_COPY,
    NGX_HTTP_SWR_OBS_STEP_PART,
    NGX_HTTP_SWR_OBS_STEP_COMPLETE,
    NGX_HTTP_SWR_OBS_STEP_ABORT,
    NGX_HTTP_SWR_OBS_STEP_CLEAN
} ngx_http_swr_obs_step_e;


static ngx_int_t ngx_http_swr_obs_upload_parse(ngx_http_swr_obs_staged_t *st,
    ngx_str_t *entry);
static ngx_http_swr_remote_t *ngx_http_swr_obs_upload_call(
    ngx_http_swr_obs_upload_t *ou, ngx_uint_t step, const char *method,
    ngx_str_t *key, ngx_str_t *query, ngx_chain_t *body, off_t length);
static ngx_int_t ngx_http_swr_obs_upload_send(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou);
static void ngx_http_swr_obs_upload_done(ngx_http_request_t *r,
    ngx_http_swr_remote_t *rm);
static ngx_int_t ngx_http_swr_obs_upload_next(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou);
static ngx_int_t ngx_http_swr_obs_upload_fetch(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou);
static ngx_int_t ngx_http_swr_obs_upload_stage(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou);
static ngx_int_t ngx_http_swr_obs_upload_assemble(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou);
static ngx_int_t ngx_http_swr_obs_upload_copy(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou);
static ngx_int_t ngx_http_swr_obs_upload_part(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou);
static ngx_int_t ngx_http_swr_obs_upload_complete(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou);
static ngx_int_t ngx_http_swr_obs_upload_delete(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou);
static ngx_int_t ngx_http_swr_obs_upload_fail(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou);
static ngx_int_t ngx_http_swr_obs_upload_body(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_uint_t i, ngx_chain_t **body);
static ngx_http_swr_obs_file_t *ngx_http_swr_obs_upload_file(
    ngx_http_request_t *r, ngx_http_swr_obs_upload_t *ou);
static ngx_int_t ngx_http_swr_obs_upload_key(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_http_swr_obs_staged_t *st,
    ngx_str_t *key);
static ngx_int_t ngx_http_swr_obs_upload_query(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_uint_t part, ngx_str_t *query);
static ngx_int_t ngx_http_swr_obs_upload_xml(ngx_str_t *xml,
    const char *tag, ngx_str_t *value);


/* the staged objects Redis lists: "<p|s>:<start>:<end>" each */

ngx_int_t
ngx_http_swr_obs_upload_staged(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_str_t *entries, ngx_uint_t n)
{
    ngx_uint_t                  i;
    ngx_http_swr_obs_staged_t  *st;

    if (ngx_array_init(&ou->staged, r->pool, n ? n : 1,
                       sizeof(ngx_http_swr_obs_staged_t))
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    for (i = 0; i < n; i++) {
        st = ngx_array_push(&ou->staged);
        if (st == NULL) {
            return NGX_ERROR;
        }

        if (ngx_http_swr_obs_upload_parse(st, &entries[i]) != NGX_OK) {
            ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                          "swr upload %V: bad staged entry \"%V\"",
                          &ou->id, &entries[i]);
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/* "<p|s>:<start>:<end>", as Redis keeps a staged object */

ngx_int_t
ngx_http_swr_obs_upload_entry(ngx_pool_t *pool, ngx_http_swr_obs_staged_t *st,
    ngx_str_t *entry)
{
    entry->data = ngx_pnalloc(pool, 2 * NGX_OFF_T_LEN + 4);
    if (entry->data == NULL) {
        return NGX_ERROR;
    }

    entry->len = ngx_sprintf(entry->data, "%c:%O:%O", st->piece ? 'p' : 's',
                             st->start, st->end)
                 - entry->data;

    return NGX_OK;
}


static ngx_int_t
ngx_http_swr_obs_upload_parse(ngx_http_swr_obs_staged_t *st, ngx_str_t *entry)
{
    u_char  *p, *colon, *last;

    p = entry->data;
    last = p + entry->len;

    if (entry->len < 5 || (p[0] != 'p' && p[0] != 's') || p[1] != ':') {
        return NGX_ERROR;
    }

    st->piece = (p[0] == 'p');
    p += 2;

    colon = ngx_strlchr(p, last, ':');
    if (colon == NULL) {
        return NGX_ERROR;
    }

    st->start = ngx_atoof(p, colon - p);
    st->end = ngx_atoof(colon + 1, last - colon - 1);

    if (st->start == NGX_ERROR || st->end == NGX_ERROR
        || st->end < st->start)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}


/* the request's first file, for the segments merged and the chunk */

ngx_int_t
ngx_http_swr_obs_upload_open(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou)
{
    ou->part_max = ou->storage->part_max;

    if (ngx_array_init(&ou->files, r->pool, 2,
                       sizeof(ngx_http_swr_obs_file_t *))
        != NGX_OK
        || ngx_array_init(&ou->added, r->pool, 2,
                          sizeof(ngx_http_swr_obs_staged_t))
           != NGX_OK)
    {
        return NGX_ERROR;
    }

    return ngx_http_swr_obs_upload_file(r, ou) ? NGX_OK : NGX_ERROR;
}


static ngx_http_swr_obs_file_t *
ngx_http_swr_obs_upload_file(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou)
{
    ngx_http_swr_obs_file_t  *f, **fp;

    f = ngx_pcalloc(r->pool, sizeof(ngx_http_swr_obs_file_t));
    if (f == NULL) {
        return NULL;
    }

    if (ngx_http_swr_remote_temp_file(r, &f->file) != NGX_OK) {
        return NULL;
    }

    fp = ngx_array_push(&ou->files);
    if (fp == NULL) {
        return NULL;
    }

    *fp = f;

    return f;
}


/* the chunk's bytes, from the request body filter: a new file when full */

ngx_int_t
ngx_http_swr_obs_upload_write(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, u_char *data, size_t size)
{
    off_t                     room;
    size_t                    n;
    ngx_http_swr_obs_file_t  *f, **files;

    files = ou->files.elts;
    f = files[ou->files.nelts - 1];

    while (size) {
        room = ou->part_max - f->size;

        if (room == 0) {
            f = ngx_http_swr_obs_upload_file(r, ou);
            if (f == NULL) {
                return NGX_ERROR;
            }

            room = ou->part_max;
        }

        n = ((off_t) size < room) ? size : (size_t) room;

        if (ngx_write_file(&f->file, data, n, f->size) != (ssize_t) n) {
            return NGX_ERROR;
        }

        f->size += n;
        data += n;
        size -= n;
    }

    return NGX_OK;
}


/*
 * Before a chunk is read: the segments it will be staged with are fetched
 * into its file, which then receives the chunk after them.  length is the
 * chunk's, -1 if unknown; the last chunk takes every segment.  NGX_OK:
 * fetches are under way, ou->handler follows; NGX_DONE: nothing to fetch.
 */

ngx_int_t
ngx_http_swr_obs_upload_prepare(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, off_t length, ngx_uint_t last)
{
    off_t                       pending;
    ngx_uint_t                  n, first, merge;
    ngx_http_swr_obs_staged_t  *st;

    st = ou->staged.elts;
    n = ou->staged.nelts;

    first = n;
    pending = 0;

    while (first > 0 && !st[first - 1].piece) {
        first--;
        pending += st[first].end - st[first].start;
    }

    merge = (first < n
             && (last || length < 0
                 || pending + length >= NGX_HTTP_SWR_OBS_PART_MIN
                 || n - first >= NGX_HTTP_SWR_OBS_SEGMENTS));

    ou->merged_size = 0;
    ou->replaced = merge ? n - first : 0;

    if (!merge) {
        return NGX_DONE;
    }

    ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "swr upload %V: fetching %ui segments, %O bytes",
                   &ou->id, n - first, pending);

    ou->index = first;
    ou->last = n;

    return ngx_http_swr_obs_upload_fetch(r, ou);
}


/*
 * A chunk that is not the last, with the segments it merged before it in
 * its file: staged as a segment or a piece.  NGX_OK: the call is under
 * way, ou->handler follows; NGX_DONE: nothing to store (an empty chunk).
 */

ngx_int_t
ngx_http_swr_obs_upload_chunk(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou)
{
    off_t                       start;
    ngx_uint_t                  i;
    ngx_http_swr_obs_file_t   **files;
    ngx_http_swr_obs_staged_t  *st, *added;

    if (ou->merged_size + ou->size == 0) {
        return NGX_DONE;
    }

    st = ou->staged.elts;
    files = ou->files.elts;

    start = ou->replaced ? st[ou->staged.nelts - ou->replaced].start
                         : ou->start;

    for (i = 0; i < ou->files.nelts; i++) {
        added = ngx_array_push(&ou->added);
        if (added == NULL) {
            return NGX_ERROR;
        }

        added->start = start;
        added->end = start + files[i]->size;
        added->piece = (files[i]->size >= NGX_HTTP_SWR_OBS_PART_MIN);

        start = added->end;
    }

    ngx_log_debug4(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "swr upload %V: staging %ui objects up to %O, "
                   "merging %ui", &ou->id, ou->files.nelts, start,
                   ou->replaced);

    ou->file = 0;

    return ngx_http_swr_obs_upload_stage(r, ou);
}


/*
 * The last chunk is in, after every segment, and the digest matched: the
 * blob is made at its key.  NGX_OK: calls are under way, ou->handler
 * follows.
 */

ngx_int_t
ngx_http_swr_obs_upload_finish(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou)
{
    if (ngx_http_swr_remote_blob_key(r->pool, &ou->digest, &ou->key)
        != NGX_OK
        || ngx_array_init(&ou->etags, r->pool, ou->staged.nelts + 1,
                          sizeof(ngx_str_t))
           != NGX_OK)
    {
        return NGX_ERROR;
    }

    /* the parts to copy: the pieces, staged [0, last) */

    ou->last = ou->staged.nelts - ou->replaced;

    return ngx_http_swr_obs_upload_assemble(r, ou);
}


/* deletes staged [first, last); failures are logged, not returned */

ngx_int_t
ngx_http_swr_obs_upload_clean(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_uint_t first, ngx_uint_t last)
{
    if (first >= last) {
        return NGX_DONE;
    }

    ou->index = first;
    ou->last = last;

    return ngx_http_swr_obs_upload_delete(r, ou);
}


/* the next call, to be completed by the caller and sent */

static ngx_http_swr_remote_t *
ngx_http_swr_obs_upload_call(ngx_http_swr_obs_upload_t *ou, ngx_uint_t step,
    const char *method, ngx_str_t *key, ngx_str_t *query, ngx_chain_t *body,
    off_t length)
{
    ngx_http_swr_remote_t  *rm;

    rm = &ou->rm;

    ngx_memzero(rm, sizeof(ngx_http_swr_remote_t));

    rm->call.method.data = (u_char *) method;
    rm->call.method.len = ngx_strlen(method);
    rm->call.key = *key;

    if (query) {
        rm->call.query = *query;
    }

    rm->body = body;
    rm->length = length;
    rm->handler = ngx_http_swr_obs_upload_done;
    rm->data = ou;

    ou->step = step;

    return rm;
}


static ngx_int_t
ngx_http_swr_obs_upload_send(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou)
{
    return ngx_http_swr_remote_call(r, ou->storage, &ou->rm) == NGX_OK
           ? NGX_OK : NGX_ERROR;
}


static void
ngx_http_swr_obs_upload_done(ngx_http_request_t *r, ngx_http_swr_remote_t *rm)
{
    ngx_int_t                   rc;
    ngx_http_swr_obs_upload_t  *ou;

    ou = rm->data;

    rc = ngx_http_swr_obs_upload_next(r, ou);

    if (rc == NGX_OK) {
        return;
    }

    ou->handler(r, ou, rc == NGX_DONE ? NGX_OK : rc);
}


/*
 * One call is done: the next one.  NGX_OK: it is under way; NGX_DONE:
 * all done; NGX_DECLINED: the store failed (ou->failed); NGX_ERROR.
 */

static ngx_int_t
ngx_http_swr_obs_upload_next(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou)
{
    ngx_str_t                 *etag;
    ngx_uint_t                 status;
    ngx_http_swr_remote_t     *rm;
    ngx_http_swr_obs_file_t  **files;

    rm = &ou->rm;
    status = rm->status;

    switch (ou->step) {

    case NGX_HTTP_SWR_OBS_STEP_FETCH:

        if (status != NGX_HTTP_OK) {
            return ngx_http_swr_obs_upload_fail(r, ou);
        }

        ou->merged_size = rm->offset;

        if (++ou->index < ou->last) {
            return ngx_http_swr_obs_upload_fetch(r, ou);
        }

        files = ou->files.elts;
        files[0]->size = ou->merged_size;

        return NGX_DONE;

    case NGX_HTTP_SWR_OBS_STEP_STAGE:

        if (status != NGX_HTTP_OK) {
            return ngx_http_swr_obs_upload_fail(r, ou);
        }

        if (++ou->file < ou->added.nelts) {
            return ngx_http_swr_obs_upload_stage(r, ou);
        }

        return NGX_DONE;

    case NGX_HTTP_SWR_OBS_STEP_PUT:

        if (status != NGX_HTTP_OK) {
            return ngx_http_swr_obs_upload_fail(r, ou);
        }

        return NGX_DONE;

    case NGX_HTTP_SWR_OBS_STEP_INIT:

        if (status != NGX_HTTP_OK
            || ngx_http_swr_obs_upload_xml(&rm->response, "UploadId",
                                           &ou->multipart)
               != NGX_OK)
        {
            return ngx_http_swr_obs_upload_fail(r, ou);
        }

        ou->multipart.data = ngx_pstrdup(r->pool, &ou->multipart);
        if (ou->multipart.data == NULL) {
            return NGX_ERROR;
        }

        ou->index = 0;
        ou->file = 0;

        return ou->last ? ngx_http_swr_obs_upload_copy(r, ou)
                        : ngx_http_swr_obs_upload_part(r, ou);

    case NGX_HTTP_SWR_OBS_STEP_COPY:

        etag = ngx_array_push(&ou->etags);
        if (etag == NULL) {
            return NGX_ERROR;
        }

        if (status != NGX_HTTP_OK
            || ngx_http_swr_obs_upload_xml(&rm->response, "ETag", etag)
               != NGX_OK)
        {
            return ngx_http_swr_obs_upload_fail(r, ou);
        }

        etag->data = ngx_pstrdup(r->pool, etag);
        if (etag->data == NULL) {
            return NGX_ERROR;
        }

        if (++ou->index < ou->last) {
            return ngx_http_swr_obs_upload_copy(r, ou);
        }

        files = ou->files.elts;

        if (files[0]->size > 0) {
            return ngx_http_swr_obs_upload_part(r, ou);
        }

        return ngx_http_swr_obs_upload_complete(r, ou);

    case NGX_HTTP_SWR_OBS_STEP_PART:

        if (status != NGX_HTTP_OK || rm->etag.len == 0) {
            return ngx_http_swr_obs_upload_fail(r, ou);
        }

        etag = ngx_array_push(&ou->etags);
        if (etag == NULL) {
            return NGX_ERROR;
        }

        *etag = rm->etag;

        if (++ou->file < ou->files.nelts) {
            return ngx_http_swr_obs_upload_part(r, ou);
        }

        return ngx_http_swr_obs_upload_complete(r, ou);

    case NGX_HTTP_SWR_OBS_STEP_COMPLETE:

        /* an error may come with 200 once the answer started */

        if (status != NGX_HTTP_OK
            || ngx_strlcasestrn(rm->response.data,
                                rm->response.data + rm->response.len,
                                (u_char *) "<Error>", 7 - 1)
               != NULL)
        {
            return ngx_http_swr_obs_upload_fail(r, ou);
        }

        return NGX_DONE;

    case NGX_HTTP_SWR_OBS_STEP_ABORT:
        return NGX_DECLINED;

    default: /* NGX_HTTP_SWR_OBS_STEP_CLEAN */

        if (status != NGX_HTTP_NO_CONTENT && status != NGX_HTTP_OK
            && status != NGX_HTTP_NOT_FOUND)
        {
            ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                          "swr upload %V: staged object \"%V\" not deleted "
                          "(%ui), left to swr-gc", &ou->id, &rm->call.key,
                          status);
        }

        if (++ou->index < ou->last) {
            return ngx_http_swr_obs_upload_delete(r, ou);
        }

        return NGX_DONE;
    }
}


/* staged[index] is appended to the chunk's file */

static ngx_int_t
ngx_http_swr_obs_upload_fetch(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou)
{
    ngx_str_t                   key;
    ngx_http_swr_remote_t      *rm;
    ngx_http_swr_obs_file_t   **files;
    ngx_http_swr_obs_staged_t  *st;

    st = ou->staged.elts;

    if (ngx_http_swr_obs_upload_key(r, ou, &st[ou->index], &key) != NGX_OK) {
        return NGX_ERROR;
    }

    rm = ngx_http_swr_obs_upload_call(ou, NGX_HTTP_SWR_OBS_STEP_FETCH, "GET",
                                      &key, NULL, NULL, -1);
    files = ou->files.elts;

    rm->capture = &files[0]->file;
    rm->offset = ou->merged_size;

    return ngx_http_swr_obs_upload_send(r, ou);
}


/* the merged segments and the chunk, staged as one object */

static ngx_int_t
ngx_http_swr_obs_upload_stage(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou)
{
    ngx_str_t                   key;
    ngx_chain_t                *body;
    ngx_http_swr_obs_file_t   **files;
    ngx_http_swr_obs_staged_t  *added;

    files = ou->files.elts;
    added = ou->added.elts;

    if (ngx_http_swr_obs_upload_body(r, ou, ou->file, &body) != NGX_OK
        || ngx_http_swr_obs_upload_key(r, ou, &added[ou->file], &key)
           != NGX_OK)
    {
        return NGX_ERROR;
    }

    (void) ngx_http_swr_obs_upload_call(ou, NGX_HTTP_SWR_OBS_STEP_STAGE,
                                        "PUT", &key, NULL, body,
                                        files[ou->file]->size);

    return ngx_http_swr_obs_upload_send(r, ou);
}


/* the blob at its key: one PUT, or a multipart upload of the pieces */

static ngx_int_t
ngx_http_swr_obs_upload_assemble(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou)
{
    ngx_str_t                  query;
    ngx_chain_t               *body;
    ngx_http_swr_remote_t     *rm;
    ngx_http_swr_obs_file_t  **files;

    files = ou->files.elts;

    if (ou->last == 0 && ou->files.nelts == 1) {
        if (ngx_http_swr_obs_upload_body(r, ou, 0, &body) != NGX_OK) {
            return NGX_ERROR;
        }

        (void) ngx_http_swr_obs_upload_call(ou, NGX_HTTP_SWR_OBS_STEP_PUT,
                                            "PUT", &ou->key, NULL, body,
                                            files[0]->size);

        return ngx_http_swr_obs_upload_send(r, ou);
    }

    ngx_str_set(&query, "uploads");

    rm = ngx_http_swr_obs_upload_call(ou, NGX_HTTP_SWR_OBS_STEP_INIT, "POST",
                                      &ou->key, &query, NULL, 0);
    rm->in_memory = 1;

    return ngx_http_swr_obs_upload_send(r, ou);
}


/* part index + 1 is the piece staged[index], copied inside the store */

static ngx_int_t
ngx_http_swr_obs_upload_copy(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou)
{
    ngx_str_t                   query, source;
    ngx_http_swr_remote_t      *rm;
    ngx_http_swr_obs_staged_t  *st;

    st = ou->staged.elts;

    if (ngx_http_swr_obs_upload_query(r, ou, ou->index + 1, &query)
        != NGX_OK
        || ngx_http_swr_obs_upload_key(r, ou, &st[ou->index], &source)
           != NGX_OK)
    {
        return NGX_ERROR;
    }

    rm = ngx_http_swr_obs_upload_call(ou, NGX_HTTP_SWR_OBS_STEP_COPY, "PUT",
                                      &ou->key, &query, NULL, 0);
    rm->call.copy_source = source;
    rm->in_memory = 1;

    return ngx_http_swr_obs_upload_send(r, ou);
}


/* the last part: the segments and the last chunk, sent */

static ngx_int_t
ngx_http_swr_obs_upload_part(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou)
{
    ngx_str_t                  query;
    ngx_chain_t               *body;
    ngx_http_swr_obs_file_t  **files;

    files = ou->files.elts;

    if (ngx_http_swr_obs_upload_body(r, ou, ou->file, &body) != NGX_OK
        || ngx_http_swr_obs_upload_query(r, ou, ou->last + 1 + ou->file,
                                         &query)
           != NGX_OK)
    {
        return NGX_ERROR;
    }

    (void) ngx_http_swr_obs_upload_call(ou, NGX_HTTP_SWR_OBS_STEP_PART, "PUT",
                                        &ou->key, &query, body,
                                        files[ou->file]->size);

    return ngx_http_swr_obs_upload_send(r, ou);
}


static ngx_int_t
ngx_http_swr_obs_upload_complete(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou)
{
    u_char                 *p;
    size_t                  len;
    ngx_str_t               query, *etag;
    ngx_buf_t              *b;
    ngx_uint_t              i;
    ngx_chain_t            *cl;
    ngx_http_swr_remote_t  *rm;

    etag = ou->etags.elts;

    len = sizeof("<CompleteMultipartUpload></CompleteMultipartUpload>");

    for (i = 0; i < ou->etags.nelts; i++) {
        len += sizeof("<Part><PartNumber></PartNumber><ETag></ETag></Part>")
               + NGX_INT_T_LEN + etag[i].len;
    }

    b = ngx_create_temp_buf(r->pool, len);
    if (b == NULL) {
        return NGX_ERROR;
    }

    p = ngx_cpymem(b->last, "<CompleteMultipartUpload>",
                   sizeof("<CompleteMultipartUpload>") - 1);

    for (i = 0; i < ou->etags.nelts; i++) {
        p = ngx_sprintf(p, "<Part><PartNumber>%ui</PartNumber>"
                        "<ETag>%V</ETag></Part>", i + 1, &etag[i]);
    }

    p = ngx_cpymem(p, "</CompleteMultipartUpload>",
                   sizeof("</CompleteMultipartUpload>") - 1);

    b->last = p;

    cl = ngx_alloc_chain_link(r->pool);
    if (cl == NULL) {
        return NGX_ERROR;
    }

    cl->buf = b;
    cl->next = NULL;

    if (ngx_http_swr_obs_upload_query(r, ou, 0, &query) != NGX_OK) {
        return NGX_ERROR;
    }

    rm = ngx_http_swr_obs_upload_call(ou, NGX_HTTP_SWR_OBS_STEP_COMPLETE,
                                      "POST", &ou->key, &query, cl,
                                      b->last - b->pos);
    rm->in_memory = 1;

    return ngx_http_swr_obs_upload_send(r, ou);
}


static ngx_int_t
ngx_http_swr_obs_upload_delete(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou)
{
    ngx_str_t                   key;
    ngx_http_swr_obs_staged_t  *st;

    st = ou->staged.elts;

    if (ngx_http_swr_obs_upload_key(r, ou, &st[ou->index], &key) != NGX_OK) {
        return NGX_ERROR;
    }

    (void) ngx_http_swr_obs_upload_call(ou, NGX_HTTP_SWR_OBS_STEP_CLEAN,
                                        "DELETE", &key, NULL, NULL, -1);

    return ngx_http_swr_obs_upload_send(r, ou);
}


/* a call failed: a multipart upload begun is aborted first */

static ngx_int_t
ngx_http_swr_obs_upload_fail(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou)
{
    ngx_str_t  query;

    ou->failed = ou->rm;

    if (ou->failed.status == NGX_HTTP_OK) {
        ou->failed.status = NGX_HTTP_BAD_GATEWAY;
    }

    if (ou->multipart.len == 0) {
        return NGX_DECLINED;
    }

    if (ngx_http_swr_obs_upload_query(r, ou, 0, &query) != NGX_OK) {
        return NGX_DECLINED;
    }

    (void) ngx_http_swr_obs_upload_call(ou, NGX_HTTP_SWR_OBS_STEP_ABORT,
                                        "DELETE", &ou->key, &query, NULL, -1);

    ngx_str_null(&ou->multipart);

    return ngx_http_swr_obs_upload_send(r, ou) == NGX_OK ? NGX_OK
                                                          : NGX_DECLINED;
}


/* file i, whole; NULL if empty */

static ngx_int_t
ngx_http_swr_obs_upload_body(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_uint_t i, ngx_chain_t **body)
{
    ngx_http_swr_obs_file_t  **files;

    files = ou->files.elts;

    if (files[i]->size == 0) {
        *body = NULL;
        return NGX_OK;
    }

    *body = ngx_http_swr_remote_file_chain(r, NULL, &files[i]->file,
                                           files[i]->size);

    return *body ? NGX_OK : NGX_ERROR;
}


static ngx_int_t
ngx_http_swr_obs_upload_key(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_http_swr_obs_staged_t *st,
    ngx_str_t *key)
{
    key->data = ngx_pnalloc(r->pool, sizeof("_uploads//p-") + ou->id.len
                                     + 2 * NGX_OFF_T_LEN);
    if (key->data == NULL) {
        return NGX_ERROR;
    }

    key->len = ngx_sprintf(key->data, "_uploads/%V/%c%O-%O", &ou->id,
                           st->piece ? 'p' : 's', st->start, st->end)
               - key->data;

    return NGX_OK;
}


/* "partNumber=<n>&uploadId=<id>", or "uploadId=<id>" with n 0 */

static ngx_int_t
ngx_http_swr_obs_upload_query(ngx_http_request_t *r,
    ngx_http_swr_obs_upload_t *ou, ngx_uint_t part, ngx_str_t *query)
{
    u_char  *p;

    query->data = ngx_pnalloc(r->pool, sizeof("partNumber=&uploadId=")
                                       + NGX_INT_T_LEN
                                       + 3 * ou->multipart.len);
    if (query->data == NULL) {
        return NGX_ERROR;
    }

    p = query->data;

    if (part) {
        p = ngx_sprintf(p, "partNumber=%ui&", part);
    }

    p = ngx_cpymem(p, "uploadId=", 9);
    p += ngx_http_swr_s3_escape(p, ou->multipart.data, ou->multipart.len, 0);

    query->len = p - query->data;

    return NGX_OK;
}


/* the text of the first <tag> of a small XML answer */

static ngx_int_t
ngx_http_swr_obs_upload_xml(ngx_str_t *xml, const char *tag,
    ngx_str_t *value)
{
    u_char  *p, *start, *last;
    size_t   len;
    u_char   open[32], close[32];

    len = ngx_strlen(tag);

    if (len + 3 > sizeof(open) || xml->len == 0) {
        return NGX_ERROR;
    }

    ngx_sprintf(open, "<%s>", tag);
    ngx_sprintf(close, "</%s>", tag);

    last = xml->data + xml->len;

    p = ngx_strlcasestrn(xml->data, last, open, len + 2 - 1);
    if (p == NULL) {
        return NGX_ERROR;
    }

    start = p + len + 2;

    p = ngx_strlcasestrn(start, last, close, len + 3 - 1);
    if (p == NULL || p == start) {
        return NGX_ERROR;
    }

    value->data = start;
    value->len = p - start;

    return NGX_OK;
}
