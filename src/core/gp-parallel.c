/* gp-parallel.c: a loop over items shared out to a few threads.
 *
 * Threads take chunks from a shared counter, so uneven items (a grid of 3 units beside one of
 * 300) still finish together. GEOS contexts are per thread (gp_geos); geometries made with one
 * may be read or freed with another, since they all come from GEOS's one default factory.
 * Objects that build indexes lazily (prepared geometries, STR trees before their first query)
 * must not be shared between threads: prepare them per thread, or query a tree once first. */
#include "gp-config.h"

#include "gp-parallel.h"

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
