/* Tests of gp-parallel: every item once, on numbered threads, each with a GEOS context of its own. */
#include "gp-config.h"

#include <glib.h>
#include <stdlib.h>

#include "gp-geom.h"
#include "gp-parallel.h"

typedef struct {
  gint               *seen;        /* per item: how many times it was worked on */
  guint              *thread_of;   /* per item: which thread */
  GEOSContextHandle_t *ctx_of;     /* per thread: the context it was given */
  guint               n_threads;
  gint                bad;         /* a thread number out of range, or two contexts for one thread */
} Count;

static void
count_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  Count *c = data;

  if (thread >= c->n_threads || lo >= hi)
    {
      g_atomic_int_inc (&c->bad);
      return;
    }
  if (c->ctx_of[thread] == NULL)
    c->ctx_of[thread] = ctx;
  else if (c->ctx_of[thread] != ctx)
    g_atomic_int_inc (&c->bad);
  for (guint i = lo; i < hi; i++)
    {
      /* Some GEOS work with the thread's own context, as the splitter does. */
      GEOSGeometry *p = GEOSGeom_createPointFromXY_r (ctx, i, i);
      GEOSGeometry *b = GEOSBuffer_r (ctx, p, 1.0, 4);

      g_atomic_int_inc (&c->seen[i]);
      c->thread_of[i] = thread;
      GEOSGeom_destroy_r (ctx, b);
      GEOSGeom_destroy_r (ctx, p);
    }
}

static void
run_count (guint max_threads, guint n, guint chunk, guint expect_threads)
{
  Count c = { 0 };
  g_autofree gint *seen = g_new0 (gint, n + 1);
  g_autofree guint *thread_of = g_new0 (guint, n + 1);
  g_autofree GEOSContextHandle_t *ctx_of = NULL;
  g_autoptr(GHashTable) contexts = g_hash_table_new (NULL, NULL);

  c.n_threads = gp_parallel_threads (max_threads, n, chunk);
  g_assert_cmpuint (c.n_threads, ==, expect_threads);
  ctx_of = g_new0 (GEOSContextHandle_t, c.n_threads);
  c.seen = seen;
  c.thread_of = thread_of;
  c.ctx_of = ctx_of;
  gp_parallel_for (max_threads, n, chunk, count_range, &c);
  g_assert_cmpint (c.bad, ==, 0);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (seen[i], ==, 1);
  /* Within a chunk, one thread. */
  for (guint i = 0; i < n; i++)
    if (i % MAX (chunk, 1u) != 0)
      g_assert_cmpuint (thread_of[i], ==, thread_of[i - 1]);
  /* Each thread that worked had a context of its own. */
  for (guint t = 0; t < c.n_threads; t++)
    if (ctx_of[t] != NULL)
      g_assert_true (g_hash_table_add (contexts, ctx_of[t]));
}

static void
test_every_item_once (void)
{
  run_count (4, 10000, 64, 4);
  run_count (2, 1001, 100, 2);
  /* Fewer chunks than threads: no more threads than chunks. */
  run_count (8, 130, 64, 3);
  /* One thread, or one chunk: the calling thread alone. */
  run_count (1, 500, 7, 1);
  run_count (4, 50, 64, 1);
  run_count (0, 50, 0, 1);
}

static void
test_nothing (void)
{
  Count c = { 0 };

  c.n_threads = 4;
  /* No items: FUNC is never called (it would count a bad range). */
  gp_parallel_for (4, 0, 16, count_range, &c);
  g_assert_cmpint (c.bad, ==, 0);
  g_assert_cmpuint (gp_parallel_threads (4, 0, 16), ==, 1);
}

typedef struct {
  guint32 key;    /* many equal keys: the ties are ordered by id */
  guint32 id;
  double  payload;
} Item;

static int
compare_item (gconstpointer pa, gconstpointer pb)
{
  const Item *a = pa, *b = pb;

  if (a->key != b->key)
    return a->key < b->key ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}

/* The same order as qsort, on one thread or several, for sizes below and above a part. */
static void
test_sort (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  gsize sizes[] = { 0, 1, 2, 1000, 65536 * 2 + 7, 400003 };
  guint threads[] = { 1, 2, 3, 4, 8 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      gsize n = sizes[s];
      g_autofree Item *items = g_new (Item, n + 1);
      g_autofree Item *expected = NULL;

      for (gsize i = 0; i < n; i++)
        items[i] = (Item) { g_rand_int_range (rand, 0, 1000), (guint32) i, g_rand_double (rand) };
      expected = g_memdup2 (items, (n + 1) * sizeof (Item));
      if (n > 1)
        qsort (expected, n, sizeof (Item), compare_item);
      for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
        {
          g_autofree Item *sorted = g_memdup2 (items, (n + 1) * sizeof (Item));

          gp_parallel_sort (threads[t], sorted, n, sizeof (Item), compare_item);
          g_assert_cmpmem (sorted, n * sizeof (Item), expected, n * sizeof (Item));
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/parallel/every-item-once", test_every_item_once);
  g_test_add_func ("/parallel/nothing", test_nothing);
  g_test_add_func ("/parallel/sort", test_sort);
  return g_test_run ();
}
