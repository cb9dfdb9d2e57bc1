
/*
 * Copyright (C) ngx_http_swr_module authors
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <yajl/yajl_gen.h>

#include "ngx_http_swr_json.h"


/*
 * yajl draws all its memory from an nginx pool: every block carries its
 * size in front so that realloc can copy it; free releases only what the
 * pool can release (large blocks), the rest goes with the pool.
 */

typedef struct {
    size_t  size;
    size_t  pad;        /* keeps what follows 16-byte aligned */
} ngx_http_swr_json_block_t;


static void *ngx_http_swr_json_malloc(void *ctx, size_t size);
static void *ngx_http_swr_json_realloc(void *ctx, void *p, size_t size);
static void ngx_http_swr_json_free(void *ctx, void *p);
static ngx_int_t ngx_http_swr_json_status(yajl_gen_status st);


static void *
ngx_http_swr_json_malloc(void *ctx, size_t size)
{
    ngx_pool_t                 *pool = ctx;
    ngx_http_swr_json_block_t  *blk;

    blk = ngx_palloc(pool, sizeof(ngx_http_swr_json_block_t) + size);
    if (blk == NULL) {
        return NULL;
    }

    blk->size = size;

    return blk + 1;
}


static void *
ngx_http_swr_json_realloc(void *ctx, void *p, size_t size)
{
    void                       *n;
    ngx_http_swr_json_block_t  *blk;

    if (p == NULL) {
        return ngx_http_swr_json_malloc(ctx, size);
    }

    blk = (ngx_http_swr_json_block_t *) p - 1;

    if (size <= blk->size) {
        return p;
    }

    n = ngx_http_swr_json_malloc(ctx, size);
    if (n == NULL) {
        return NULL;
    }

    ngx_memcpy(n, p, blk->size);
    ngx_http_swr_json_free(ctx, p);

    return n;
}


static void
ngx_http_swr_json_free(void *ctx, void *p)
{
    if (p != NULL) {
        (void) ngx_pfree(ctx, (ngx_http_swr_json_block_t *) p - 1);
    }
}


void
ngx_http_swr_json_alloc_funcs(yajl_alloc_funcs *af, ngx_pool_t *pool)
{
    af->malloc = ngx_http_swr_json_malloc;
    af->realloc = ngx_http_swr_json_realloc;
    af->free = ngx_http_swr_json_free;
    af->ctx = pool;
}


ngx_http_swr_json_t *
ngx_http_swr_json_create(ngx_pool_t *pool)
{
    yajl_alloc_funcs      af;
    ngx_http_swr_json_t  *j;

    j = ngx_palloc(pool, sizeof(ngx_http_swr_json_t));
    if (j == NULL) {
        return NULL;
    }

    ngx_http_swr_json_alloc_funcs(&af, pool);

    j->pool = pool;
    j->gen = yajl_gen_alloc(&af);
    if (j->gen == NULL) {
        return NULL;
    }

    yajl_gen_config(j->gen, yajl_gen_validate_utf8, 1);

    return j;
}


static ngx_int_t
ngx_http_swr_json_status(yajl_gen_status st)
{
    return (st == yajl_gen_status_ok) ? NGX_OK : NGX_ERROR;
}


ngx_int_t
ngx_http_swr_json_str(ngx_http_swr_json_t *j, ngx_str_t *s)
{
    size_t            i;
    u_char           *p;
    yajl_gen_status   st;

    st = yajl_gen_string(j->gen, s->data, s->len);

    if (st != yajl_gen_invalid_string) {
        return ngx_http_swr_json_status(st);
    }

    /*
     * not UTF-8 (a raw path or header echoed back): replace every byte
     * outside ASCII so that the document stays valid JSON
     */

    p = ngx_pnalloc(j->pool, s->len);
    if (p == NULL) {
        return NGX_ERROR;
    }

    for (i = 0; i < s->len; i++) {
        p[i] = (s->data[i] < 0x80) ? s->data[i] : '?';
    }

    return ngx_http_swr_json_status(yajl_gen_string(j->gen, p, s->len));
}


ngx_int_t
ngx_http_swr_json_cstr(ngx_http_swr_json_t *j, const char *s)
{
    return ngx_http_swr_json_status(
               yajl_gen_string(j->gen, (const u_char *) s, ngx_strlen(s)));
}


ngx_int_t
ngx_http_swr_json_int(ngx_http_swr_json_t *j, int64_t n)
{
    return ngx_http_swr_json_status(yajl_gen_integer(j->gen, n));
}


ngx_int_t
ngx_http_swr_json_bool(ngx_http_swr_json_t *j, ngx_uint_t b)
{
    return ngx_http_swr_json_status(yajl_gen_bool(j->gen, b ? 1 : 0));
}


ngx_int_t
ngx_http_swr_json_null(ngx_http_swr_json_t *j)
{
    return ngx_http_swr_json_status(yajl_gen_null(j->gen));
}


ngx_int_t
ngx_http_swr_json_open(ngx_http_swr_json_t *j, ngx_uint_t array)
{
    return ngx_http_swr_json_status(array ? yajl_gen_array_open(j->gen)
                                          : yajl_gen_map_open(j->gen));
}


ngx_int_t
ngx_http_swr_json_close(ngx_http_swr_json_t *j, ngx_uint_t array)
{
    return ngx_http_swr_json_status(array ? yajl_gen_array_close(j->gen)
                                          : yajl_gen_map_close(j->gen));
}


ngx_buf_t *
ngx_http_swr_json_buf(ngx_http_swr_json_t *j)
{
    size_t          len;
    ngx_buf_t      *b;
    const u_char   *out;

    if (yajl_gen_get_buf(j->gen, &out, &len) != yajl_gen_status_ok) {
        return NULL;
    }

    b = ngx_calloc_buf(j->pool);
    if (b == NULL) {
        return NULL;
    }

    /* the bytes live in pool memory that yajl got from us */

    b->pos = (u_char *) out;
    b->last = (u_char *) out + len;
    b->memory = 1;

    return b;
}
