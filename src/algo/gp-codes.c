/* gp-codes.c: grid codes: area code + sequence in reading order, stable across re-splits. */
#include "gp-codes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static gboolean
is_digits (const char *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

char *
gp_codes_prefix (const char *area_code)
{
  if (area_code == NULL || *area_code == '\0')
    return g_strdup ("000000000000");
  if (strlen (area_code) == 12 && is_digits (area_code))
    return g_strdup (area_code);
  return g_strconcat (area_code, "-", NULL);
}

typedef struct {
  const double *x, *y;
} OrderData;

/* North first, then west first, then by index. */
static int
compare_north_west (gconstpointer pa, gconstpointer pb, gpointer user_data)
{
  const OrderData *d = user_data;
  guint a = *(const guint *) pa, b = *(const guint *) pb;

  if (d->y[a] != d->y[b])
    return d->y[a] > d->y[b] ? -1 : 1;
  if (d->x[a] != d->x[b])
    return d->x[a] < d->x[b] ? -1 : 1;
  return a < b ? -1 : a > b;
}

/* West first, then north first, then by index. */
static int
compare_west_north (gconstpointer pa, gconstpointer pb, gpointer user_data)
{
  const OrderData *d = user_data;
  guint a = *(const guint *) pa, b = *(const guint *) pb;

  if (d->x[a] != d->x[b])
    return d->x[a] < d->x[b] ? -1 : 1;
  if (d->y[a] != d->y[b])
    return d->y[a] > d->y[b] ? -1 : 1;
  return a < b ? -1 : a > b;
}

guint *
gp_codes_reading_order (guint n, const double *x, const double *y, const double *area)
{
  OrderData d = { x, y };
  guint *order = g_new (guint, n + 1);
  double total = 0.0, band;

  for (guint i = 0; i < n; i++)
    {
      order[i] = i;
      if (area != NULL && isfinite (area[i]) && area[i] > 0.0)
        total += area[i];
    }
  if (n == 0)
    return order;
  band = 0.75 * sqrt (total / n);
  if (!(band > 0.0))
    {
      /* No areas: a band of the mean spacing of the centroids over the box they span. */
      double minx = x[0], maxx = x[0], miny = y[0], maxy = y[0];

      for (guint i = 1; i < n; i++)
        {
          minx = MIN (minx, x[i]);
          maxx = MAX (maxx, x[i]);
          miny = MIN (miny, y[i]);
          maxy = MAX (maxy, y[i]);
        }
      band = 0.75 * sqrt ((maxx - minx) * (maxy - miny) / n);
      if (!(band > 0.0))
        band = 0.75 * MAX (maxx - minx, maxy - miny) / n;
    }

  g_qsort_with_data (order, n, sizeof (guint), compare_north_west, &d);
  for (guint start = 0; start < n;)
    {
      double top = y[order[start]];
      guint end = start + 1;

      while (end < n && y[order[end]] > top - band)
        end++;
      g_qsort_with_data (order + start, end - start, sizeof (guint), compare_west_north, &d);
      start = end;
    }
  return order;
}

/* The sequence number of CODE under PREFIX, or 0 when it is not PREFIX + digits. */
static guint
sequence_of (const char *code, const char *prefix)
{
  const char *rest;
  guint64 value;

  if (code == NULL || !g_str_has_prefix (code, prefix))
    return 0;
  rest = code + strlen (prefix);
  if (!is_digits (rest) || strlen (rest) > 9)
    return 0;
  value = g_ascii_strtoull (rest, NULL, 10);
  return (guint) value;
}

char **
gp_codes_assign (const char *area_code, guint n, const double *x, const double *y,
                 const double *area, const char *const *keep, const char *const *taken,
                 guint n_taken, const char *const *retired, guint n_retired)
{
  g_autofree char *prefix = gp_codes_prefix (area_code);
  g_autofree guint *order = gp_codes_reading_order (n, x, y, area);
  g_autoptr(GHashTable) used = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) used_codes = g_hash_table_new (g_str_hash, g_str_equal);
  char **codes = g_new0 (char *, n + 1);
  guint next = 1, width = 3;

  /* Wider sequences only when 3 digits cannot number every grid of the area. */
  for (guint64 most = (guint64) n + n_taken + n_retired; most > 999 && width < 9; most /= 10)
    width++;

  for (guint i = 0; i < n_taken; i++)
    {
      guint s = sequence_of (taken[i], prefix);

      if (s > 0)
        g_hash_table_add (used, GUINT_TO_POINTER (s));
      if (taken[i] != NULL)
        g_hash_table_add (used_codes, (gpointer) taken[i]);
    }
  /* Codes of grids that are gone: never given again, and new grids are numbered after them. */
  for (guint i = 0; i < n_retired; i++)
    {
      guint s = sequence_of (retired[i], prefix);

      if (s > 0)
        {
          g_hash_table_add (used, GUINT_TO_POINTER (s));
          next = MAX (next, s + 1);
        }
      if (retired[i] != NULL)
        g_hash_table_add (used_codes, (gpointer) retired[i]);
    }
  /* A kept code survives unless something else already holds it, or it is of another width
   * than the area's codes now need (then the grid is renumbered: one area, one width). */
  for (guint i = 0; keep != NULL && i < n; i++)
    if (keep[i] != NULL && !g_hash_table_contains (used_codes, keep[i])
        && strlen (keep[i]) == strlen (prefix) + width)
      {
        guint s = sequence_of (keep[i], prefix);

        codes[i] = g_strdup (keep[i]);
        g_hash_table_add (used_codes, codes[i]);
        if (s > 0)
          g_hash_table_add (used, GUINT_TO_POINTER (s));
        if (s > 0 && n_retired > 0)
          next = MAX (next, s + 1);
      }
  for (guint i = 0; i < n_taken && n_retired > 0; i++)
    next = MAX (next, sequence_of (taken[i], prefix) + 1);
  for (guint j = 0; j < n; j++)
    {
      guint i = order[j];

      if (codes[i] != NULL)
        continue;
      for (;;)
        {
          char *code;

          while (g_hash_table_contains (used, GUINT_TO_POINTER (next)))
            next++;
          code = g_strdup_printf ("%s%0*u", prefix, (int) width, next++);
          /* A taken code written with another width could still collide: skip it. */
          if (!g_hash_table_contains (used_codes, code))
            {
              codes[i] = code;
              g_hash_table_add (used_codes, code);
              break;
            }
          g_free (code);
        }
    }
  return codes;
}

static int
compare_share (const void *pa, const void *pb)
{
  const GpCodesShare *a = pa, *b = pb;

  if (a->shared != b->shared)
    return a->shared > b->shared ? -1 : 1;
  if (a->new_grid != b->new_grid)
    return a->new_grid < b->new_grid ? -1 : 1;
  return a->old_grid < b->old_grid ? -1 : a->old_grid > b->old_grid;
}

const char **
gp_codes_inherit (guint n_new, const double *new_weight, guint n_old, const char *const *old_codes,
                  const GpCodesShare *shares, guint n_shares)
{
  const char **match = g_new0 (const char *, n_new + 1);
  g_autofree GpCodesShare *sorted = g_memdup2 (shares, (gsize) n_shares * sizeof (GpCodesShare));
  g_autofree gboolean *old_used = g_new0 (gboolean, n_old + 1);

  /* Largest shares first: each pair is the best left for both its grids. */
  if (n_shares > 1)
    qsort (sorted, n_shares, sizeof (GpCodesShare), compare_share);
  for (guint i = 0; i < n_shares; i++)
    {
      const GpCodesShare *s = &sorted[i];

      if (s->new_grid >= n_new || s->old_grid >= n_old || match[s->new_grid] != NULL || old_used[s->old_grid]
          || old_codes[s->old_grid] == NULL || !(s->shared > 0.0) || s->shared < 0.5 * new_weight[s->new_grid])
        continue;
      match[s->new_grid] = old_codes[s->old_grid];
      old_used[s->old_grid] = TRUE;
    }
  return match;
}
