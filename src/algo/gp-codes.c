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
                 guint n_taken)
{
  g_autofree char *prefix = gp_codes_prefix (area_code);
  g_autofree guint *order = gp_codes_reading_order (n, x, y, area);
  g_autoptr(GHashTable) used = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) used_codes = g_hash_table_new (g_str_hash, g_str_equal);
  char **codes = g_new0 (char *, n + 1);
  guint next = 1, width = 3;

  /* Wider sequences only when 3 digits cannot number every grid of the area. */
  for (guint64 most = (guint64) n + n_taken; most > 999 && width < 9; most /= 10)
    width++;

  for (guint i = 0; i < n_taken; i++)
    {
      guint s = sequence_of (taken[i], prefix);

      if (s > 0)
        g_hash_table_add (used, GUINT_TO_POINTER (s));
      if (taken[i] != NULL)
        g_hash_table_add (used_codes, (gpointer) taken[i]);
    }
  /* A kept code survives unless something else already holds it (then the grid is renumbered). */
  for (guint i = 0; keep != NULL && i < n; i++)
    if (keep[i] != NULL && !g_hash_table_contains (used_codes, keep[i]))
      {
        guint s = sequence_of (keep[i], prefix);

        codes[i] = g_strdup (keep[i]);
        g_hash_table_add (used_codes, codes[i]);
        if (s > 0)
          g_hash_table_add (used, GUINT_TO_POINTER (s));
      }
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
compare_guint (const void *a, const void *b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

static GBytes *
unit_set_key (const guint *units, guint n)
{
  guint *sorted = g_memdup2 (units, (gsize) n * sizeof (guint));

  qsort (sorted, n, sizeof (guint), compare_guint);
  return g_bytes_new_take (sorted, (gsize) n * sizeof (guint));
}

const char **
gp_codes_match_previous (guint n_new, const guint *const *new_units, const guint *new_n_units,
                         guint n_old, const guint *const *old_units, const guint *old_n_units,
                         const char *const *old_codes)
{
  g_autoptr(GHashTable) by_units = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                          (GDestroyNotify) g_bytes_unref, NULL);
  const char **match = g_new0 (const char *, n_new + 1);

  for (guint i = 0; i < n_old; i++)
    if (old_n_units[i] > 0 && old_codes[i] != NULL)
      g_hash_table_insert (by_units, unit_set_key (old_units[i], old_n_units[i]),
                           (gpointer) old_codes[i]);
  for (guint i = 0; i < n_new; i++)
    if (new_n_units[i] > 0)
      {
        g_autoptr(GBytes) key = unit_set_key (new_units[i], new_n_units[i]);

        match[i] = g_hash_table_lookup (by_units, key);
      }
  /* Two new grids cannot both inherit one code (only when the old grids repeated a unit set). */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < n_new; i++)
      if (match[i] != NULL && !g_hash_table_add (seen, (gpointer) match[i]))
        match[i] = NULL;
  }
  return match;
}
