/* gp-spatial-index.c: a packed Hilbert R-tree, built once and queried every frame.
 *
 * The layout follows the well-known "flatbush" scheme: leaves sorted along a Hilbert curve,
 * then each level of NODE_SIZE-wide nodes stored after the one below it, so the whole tree is
 * two flat arrays and a query is a short loop with an explicit stack. */
#include "gp-config.h"

#include <math.h>

#include "gp-spatial-index.h"

#define NODE_SIZE 16

struct _GpSpatialIndex
{
  guint n_items;
  guint n_nodes;          /* leaves + inner nodes */
  guint n_levels;
  guint *level_end;       /* level l occupies [level_end[l-1], level_end[l]) of boxes */
  double *boxes;          /* 4 * n_nodes */
  guint *ids;             /* leaf: the item; inner node: the position of its first child */
};

typedef struct {
  guint32 hilbert;
  guint item;
} SortKey;

/* Distance along the Hilbert curve of a 65536 x 65536 grid (the classic xy2d). */
static guint32
hilbert_xy2d (guint32 x, guint32 y)
{
  const guint32 n = 1u << 16;
  guint64 d = 0;

  for (guint32 s = n / 2; s > 0; s /= 2)
    {
      guint32 rx = (x & s) > 0;
      guint32 ry = (y & s) > 0;

      d += (guint64) s * s * ((3 * rx) ^ ry);
      if (ry == 0)
        {
          guint32 t;

          if (rx == 1)
            {
              x = n - 1 - x;
              y = n - 1 - y;
            }
          t = x;
          x = y;
          y = t;
        }
    }
  return (guint32) d;
}

static int
compare_keys (gconstpointer a, gconstpointer b)
{
  const SortKey *ka = a, *kb = b;

  if (ka->hilbert != kb->hilbert)
    return ka->hilbert < kb->hilbert ? -1 : 1;
  /* Equal keys keep record order so the result does not depend on the sort's stability. */
  return ka->item < kb->item ? -1 : ka->item > kb->item;
}

static gboolean
box_is_valid (const double *b)
{
  return !isnan (b[0]) && !isnan (b[1]) && !isnan (b[2]) && !isnan (b[3]);
}

GpSpatialIndex *
gp_spatial_index_new (const double *bboxes, guint n)
{
  GpSpatialIndex *index = g_new0 (GpSpatialIndex, 1);
  g_autofree SortKey *keys = NULL;
  double ext[4] = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  guint n_valid = 0;
  guint count, pos;
  GArray *ends;

  g_return_val_if_fail (bboxes != NULL || n == 0, index);

  for (guint i = 0; i < n; i++)
    {
      const double *b = bboxes + 4 * (gsize) i;

      if (!box_is_valid (b))
        continue;
      n_valid++;
      ext[0] = MIN (ext[0], b[0]);
      ext[1] = MIN (ext[1], b[1]);
      ext[2] = MAX (ext[2], b[2]);
      ext[3] = MAX (ext[3], b[3]);
    }

  keys = g_new (SortKey, MAX (n_valid, 1));
  pos = 0;
  for (guint i = 0; i < n; i++)
    {
      const double *b = bboxes + 4 * (gsize) i;
      double w = ext[2] - ext[0], h = ext[3] - ext[1];
      double cx, cy;

      if (!box_is_valid (b))
        continue;
      cx = w > 0 ? ((b[0] + b[2]) / 2 - ext[0]) / w : 0.5;
      cy = h > 0 ? ((b[1] + b[3]) / 2 - ext[1]) / h : 0.5;
      keys[pos].hilbert = hilbert_xy2d ((guint32) CLAMP (cx * 65535.0, 0.0, 65535.0),
                                        (guint32) CLAMP (cy * 65535.0, 0.0, 65535.0));
      keys[pos].item = i;
      pos++;
    }
  qsort (keys, n_valid, sizeof *keys, compare_keys);

  /* Count nodes level by level up to a single root. */
  ends = g_array_new (FALSE, FALSE, sizeof (guint));
  count = n_valid;
  pos = n_valid;
  g_array_append_val (ends, pos);
  while (count > 1)
    {
      count = (count + NODE_SIZE - 1) / NODE_SIZE;
      pos += count;
      g_array_append_val (ends, pos);
    }
  index->n_items = n_valid;
  index->n_nodes = pos;
  index->n_levels = ends->len;
  index->level_end = (guint *) g_array_free (ends, FALSE);
  index->boxes = g_new (double, 4 * (gsize) MAX (pos, 1));
  index->ids = g_new (guint, MAX (pos, 1));

  for (guint i = 0; i < n_valid; i++)
    {
      memcpy (index->boxes + 4 * (gsize) i, bboxes + 4 * (gsize) keys[i].item, 4 * sizeof (double));
      index->ids[i] = keys[i].item;
    }

  /* Each inner node covers up to NODE_SIZE consecutive nodes of the level below. */
  for (guint l = 1; l < index->n_levels; l++)
    {
      guint child = l == 1 ? 0 : index->level_end[l - 2];
      guint child_end = index->level_end[l - 1];
      guint node = child_end;

      for (; child < child_end; child += NODE_SIZE, node++)
        {
          double *nb = index->boxes + 4 * (gsize) node;
          guint last = MIN (child + NODE_SIZE, child_end);

          nb[0] = nb[1] = G_MAXDOUBLE;
          nb[2] = nb[3] = -G_MAXDOUBLE;
          for (guint c = child; c < last; c++)
            {
              const double *cb = index->boxes + 4 * (gsize) c;

              nb[0] = MIN (nb[0], cb[0]);
              nb[1] = MIN (nb[1], cb[1]);
              nb[2] = MAX (nb[2], cb[2]);
              nb[3] = MAX (nb[3], cb[3]);
            }
          index->ids[node] = child;
        }
    }
  return index;
}

void
gp_spatial_index_free (GpSpatialIndex *index)
{
  if (index == NULL)
    return;
  g_free (index->level_end);
  g_free (index->boxes);
  g_free (index->ids);
  g_free (index);
}

guint
gp_spatial_index_get_size (const GpSpatialIndex *index)
{
  g_return_val_if_fail (index != NULL, 0);
  return index->n_items;
}

guint
gp_spatial_index_query (const GpSpatialIndex *index, const double bbox[4], GArray *hits)
{
  /* Depth is at most log16(2^32) = 8 levels, each pushing up to NODE_SIZE children. */
  guint stack[8 * NODE_SIZE + NODE_SIZE];
  guint n_stack = 0;
  guint found = 0;

  g_return_val_if_fail (index != NULL, 0);
  g_return_val_if_fail (bbox != NULL, 0);
  g_return_val_if_fail (hits != NULL, 0);

  if (index->n_items == 0)
    return 0;

  stack[n_stack++] = index->n_nodes - 1;
  while (n_stack > 0)
    {
      guint node = stack[--n_stack];
      const double *b = index->boxes + 4 * (gsize) node;

      if (b[2] < bbox[0] || b[3] < bbox[1] || b[0] > bbox[2] || b[1] > bbox[3])
        continue;
      if (node < index->n_items)
        {
          g_array_append_val (hits, index->ids[node]);
          found++;
          continue;
        }

      /* Find the level holding this node to know where its children end. */
      {
        guint level = 1;
        guint first = index->ids[node];
        guint end;

        while (node >= index->level_end[level])
          level++;
        end = MIN (first + NODE_SIZE, index->level_end[level - 1]);
        /* Push in reverse so children pop in Hilbert order. */
        for (guint c = end; c > first; c--)
          stack[n_stack++] = c - 1;
      }
    }
  return found;
}
