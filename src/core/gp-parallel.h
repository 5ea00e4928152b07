/* gp-parallel.h: a loop over items shared out to a few threads, each with its own GEOS context. */
#pragma once

#include <geos_c.h>
#include <glib.h>

G_BEGIN_DECLS

/* Works on items [LO, HI) as thread THREAD (0 ≤ THREAD < the number of threads) with CTX, that
 * thread's GEOS context; must write only to those items or to THREAD's own slots. */
typedef void (*GpRangeFunc) (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data);

/* How many threads gp_parallel_for uses for N items in chunks of CHUNK, at most MAX_THREADS. */
guint gp_parallel_threads (guint max_threads, guint n, guint chunk);
/* FUNC over items [0, N), CHUNK items at a time, on up to MAX_THREADS threads (the calling one
 * included); returns when all are done. */
void  gp_parallel_for     (guint max_threads, guint n, guint chunk, GpRangeFunc func, gpointer data);

/* Sorts the N items of SIZE bytes at BASE like qsort, in parts on up to MAX_THREADS threads
 * merged afterwards; COMPARE must order the items totally for the result to be the same
 * whatever the threads. */
void  gp_parallel_sort    (guint max_threads, void *base, gsize n, gsize size, GCompareFunc compare);

/* Builds TREE now (GEOS builds an STR tree on its first query), so that threads may then query
 * it at once: a tree is read only once built. */
void  gp_parallel_build_tree (GEOSContextHandle_t ctx, GEOSSTRtree *tree);

G_END_DECLS
