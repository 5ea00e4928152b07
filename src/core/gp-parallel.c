/* gp-parallel.c: a loop over items shared out to a few threads.
 *
 * Threads take chunks from a shared counter, so uneven items (a grid of 3 units beside one of
 * 300) still finish together. GEOS contexts are per thread (gp_geos); geometries made with one
 * may be read or freed with another, since they all come from GEOS's one default factory.
 * Objects that build indexes lazily (prepared geometries, STR trees before their first query)
 * must not be shared between threads: prepare them per thread, or query a tree once first. */
#include "gp-config.h"

#include "gp-parallel.h"

#include <stdlib.h>
#include <string.h>

#include "gp-geom.h"

typedef struct {
  GpRangeFunc func;
  gpointer    data;
  guint       n, chunk;
  gint        next;      /* the first item no thread has taken (atomic) */
  gint        threads;   /* threads started so far, numbering them (atomic) */
} Shared;

static gpointer
worker (gpointer data)
{
  Shared *shared = data;
  GEOSContextHandle_t ctx = gp_geos ();
  guint thread = (guint) g_atomic_int_add (&shared->threads, 1);
  guint lo;

  while ((lo = (guint) g_atomic_int_add (&shared->next, (gint) shared->chunk)) < shared->n)
    shared->func (ctx, thread, lo, MIN (lo + shared->chunk, shared->n), shared->data);
  return NULL;
}

guint
gp_parallel_threads (guint max_threads, guint n, guint chunk)
{
  chunk = MAX (chunk, 1u);
  return CLAMP ((n + chunk - 1) / chunk, 1u, MAX (max_threads, 1u));
}

void
gp_parallel_for (guint max_threads, guint n, guint chunk, GpRangeFunc func, gpointer data)
{
  Shared shared = { func, data, n, MAX (chunk, 1u), 0, 0 };
  guint n_threads = gp_parallel_threads (max_threads, n, chunk);
  g_autofree GThread **threads = NULL;

  if (n == 0)
    return;
  if (n_threads == 1)
    {
      func (gp_geos (), 0, 0, n, data);
      return;
    }
  /* The counter of items cannot pass G_MAXINT. */
  g_return_if_fail (n <= (guint) G_MAXINT - shared.chunk);
  threads = g_new0 (GThread *, n_threads);
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("gridplan-work", worker, &shared);
  worker (&shared);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
}

static void
ignore_item (void *item, void *user_data)
{
}

void
gp_parallel_build_tree (GEOSContextHandle_t ctx, GEOSSTRtree *tree)
{
  GEOSGeometry *nowhere = GEOSGeom_createPointFromXY_r (ctx, 0.0, 0.0);

  if (nowhere == NULL)
    return;
  GEOSSTRtree_query_r (ctx, tree, nowhere, ignore_item, NULL);
  GEOSGeom_destroy_r (ctx, nowhere);
}

/* Fewer items than this per thread are sorted on one: starting threads would cost more. */
#define SORT_MIN_PART 65536

typedef struct {
  guint8      *from, *to;
  gsize        size;
  const gsize *bounds;    /* per run + 1: where it starts */
  guint        width;     /* runs merged two by two are WIDTH runs long */
  guint        n_runs;
  GCompareFunc compare;
} SortJob;

static void
sort_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  SortJob *sj = data;

  for (guint r = lo; r < hi; r++)
    qsort (sj->from + sj->bounds[r] * sj->size, sj->bounds[r + 1] - sj->bounds[r], sj->size, sj->compare);
}

/* Merges runs [2k·width, (2k+1)·width) and [(2k+1)·width, (2k+2)·width) into TO, for pairs [LO, HI). */
static void
merge_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  SortJob *sj = data;

  for (guint k = lo; k < hi; k++)
    {
      gsize a = sj->bounds[MIN (2 * k * sj->width, sj->n_runs)];
      gsize mid = sj->bounds[MIN ((2 * k + 1) * sj->width, sj->n_runs)];
      gsize end = sj->bounds[MIN ((2 * k + 2) * sj->width, sj->n_runs)];
      gsize i = a, j = mid, out = a;

      /* The left run's item first among equals: as stable as each run's own sort. */
      while (i < mid && j < end)
        {
          gsize take = sj->compare (sj->from + j * sj->size, sj->from + i * sj->size) < 0 ? j++ : i++;

          memcpy (sj->to + out++ * sj->size, sj->from + take * sj->size, sj->size);
        }
      memcpy (sj->to + out * sj->size, sj->from + i * sj->size, (mid - i) * sj->size);
      out += mid - i;
      memcpy (sj->to + out * sj->size, sj->from + j * sj->size, (end - j) * sj->size);
    }
}

void
gp_parallel_sort (guint max_threads, void *base, gsize n, gsize size, GCompareFunc compare)
{
  guint n_runs = (guint) MIN ((gsize) MAX (max_threads, 1u), MAX (n / SORT_MIN_PART, (gsize) 1));
  g_autofree gsize *bounds = NULL;
  g_autofree guint8 *scratch = NULL;
  SortJob sj = { base, NULL, size, NULL, 1, n_runs, compare };

  if (n_runs <= 1 || n > G_MAXSIZE / size)
    {
      if (n > 1)
        qsort (base, n, size, compare);
      return;
    }
  bounds = g_new (gsize, n_runs + 1);
  for (guint r = 0; r <= n_runs; r++)
    bounds[r] = n * r / n_runs;
  sj.bounds = bounds;
  gp_parallel_for (n_runs, n_runs, 1, sort_range, &sj);
  scratch = g_malloc (n * size);
  sj.to = scratch;
  for (sj.width = 1; sj.width < n_runs; sj.width *= 2)
    {
      guint pairs = (n_runs + 2 * sj.width - 1) / (2 * sj.width);
      guint8 *t;

      gp_parallel_for (n_runs, pairs, 1, merge_range, &sj);
      t = sj.from;
      sj.from = sj.to;
      sj.to = t;
    }
  if (sj.from != base)
    memcpy (base, sj.from, n * size);
}
