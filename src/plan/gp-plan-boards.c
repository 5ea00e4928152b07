/* gp-plan-boards.c: 四至, what lies beyond each side of a grid: the grids and villages/communities sharing a stretch of its edge, by the direction from its centre to that stretch. */
#include "gp-config.h"

#include "gp-plan-boards.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "gp-geom.h"
#include "gp-plan-data.h"
#include "gp-project-grids.h"
#include "gp-split.h"

/* A shared stretch of edge shorter than this is a corner, not a side (metres). */
#define MIN_SHARED_M 1.0
/* Edges this close are one edge: neighbouring villages' outlines are drawn apart by rounding,
 * and grids' edges follow them (metres). */
#define EDGE_TOLERANCE_M 1.0
/* Names per side at most; more are counted. */
#define MAX_PER_SIDE 3

typedef struct {
  const char   *code;
  const char   *name;
  const char   *area_code;  /* a grid's village/community; NULL for an area */
  GEOSGeometry *geom;       /* its outline */
  GEOSGeometry *near;       /* its outline widened by EDGE_TOLERANCE_M */
  double        x, y;       /* centroid */
  gboolean      is_area;
} Piece;

static void
piece_clear (gpointer p)
{
  Piece *piece = p;

  if (piece->geom != NULL)
    GEOSGeom_destroy_r (gp_geos (), piece->geom);
  if (piece->near != NULL)
    GEOSGeom_destroy_r (gp_geos (), piece->near);
}

typedef struct {
  GArray     *pieces;
  guint       self;
  GPtrArray  *found;    /* of Piece*, those sharing an edge with self */
} Query;

static void
query_visit (void *item, void *user_data)
{
  Query *q = user_data;
  guint i = GPOINTER_TO_UINT (item) - 1;

  if (i != q->self)
    g_ptr_array_add (q->found, &g_array_index (q->pieces, Piece, i));
}

static int
compare_found (gconstpointer a, gconstpointer b)
{
  const Piece *x = *(Piece *const *) a, *y = *(Piece *const *) b;

  if (x->is_area != y->is_area)
    return x->is_area ? 1 : -1;
  return g_strcmp0 (x->code, y->code);
}

/* Appends NAME to SIDE's list, counting beyond the first few. */
static void
add_name (GString *side, guint *count, const char *name)
{
  if (++*count <= MAX_PER_SIDE)
    g_string_append_printf (side, "%s%s", side->len > 0 ? _("、") : "", name);
}

static char **
sides_of (GEOSContextHandle_t ctx, GEOSSTRtree *tree, GArray *pieces, guint self)
{
  const Piece *me = &g_array_index (pieces, Piece, self);
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  GString *side[GP_N_SIDES];
  guint count[GP_N_SIDES] = { 0 };
  char **out = g_new0 (char *, GP_N_SIDES + 1);
  /* Per side, the villages/communities whose grids are named there already. */
  g_autoptr(GHashTable) named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Query q = { pieces, self, found };

  for (int s = 0; s < GP_N_SIDES; s++)
    side[s] = g_string_new (NULL);
  GEOSSTRtree_query_r (ctx, tree, me->near, query_visit, &q);
  g_ptr_array_sort (found, compare_found);
  for (guint k = 0; k < found->len; k++)
    {
      const Piece *other = g_ptr_array_index (found, k);
      GEOSGeometry *shared;
      double length = 0.0, cx, cy;

      /* Its own village/community is not a neighbour. */
      if (other->is_area && g_strcmp0 (other->code, me->area_code) == 0)
        continue;
      shared = other->near != NULL ? GEOSIntersection_r (ctx, me->geom, other->near) : NULL;
      if (shared != NULL && GEOSLength_r (ctx, shared, &length) && length >= MIN_SHARED_M)
        {
          GEOSGeometry *c = GEOSGetCentroid_r (ctx, shared);

          if (c != NULL && GEOSGeomGetX_r (ctx, c, &cx) && GEOSGeomGetY_r (ctx, c, &cy))
            {
              GpSide s = gp_board_side_of (cx - me->x, cy - me->y);
              g_autofree char *key = g_strdup_printf ("%d:%s", s, other->is_area ? other->code : other->area_code);

              /* A neighbouring village is named only where none of its grids is. */
              if (!other->is_area || !g_hash_table_contains (named, key))
                add_name (side[s], &count[s], other->name);
              if (!other->is_area && other->area_code != NULL)
                g_hash_table_add (named, g_steal_pointer (&key));
            }
          if (c != NULL)
            GEOSGeom_destroy_r (ctx, c);
        }
      if (shared != NULL)
        GEOSGeom_destroy_r (ctx, shared);
    }
  for (int s = 0; s < GP_N_SIDES; s++)
    {
      if (count[s] > MAX_PER_SIDE)
        /* TRANSLATORS: after the first names of a side's neighbours: "and 2 more". */
        g_string_append_printf (side[s], _(" and %u more"), count[s] - MAX_PER_SIDE);
      out[s] = g_string_free (side[s], FALSE);
    }
  return out;
}

/* The outline of a polygon (its boundary) in the local frame, so that neighbours' shared edges
 * come out as lines to measure. */
static GEOSGeometry *
outline_of (GEOSContextHandle_t ctx, GpLocalFrame *frame, double densify, const GpShape *shape, double *x,
            double *y)
{
  GEOSGeometry *poly = shape != NULL ? gp_split_to_local (ctx, frame, shape, densify, NULL) : NULL;
  GEOSGeometry *line = NULL, *c;

  *x = *y = NAN;
  if (poly == NULL)
    return NULL;
  c = GEOSGetCentroid_r (ctx, poly);
  if (c != NULL)
    {
      GEOSGeomGetX_r (ctx, c, x);
      GEOSGeomGetY_r (ctx, c, y);
      GEOSGeom_destroy_r (ctx, c);
    }
  line = GEOSBoundary_r (ctx, poly);
  GEOSGeom_destroy_r (ctx, poly);
  return line;
}

GHashTable *
gp_plan_grid_sides (GpProject *project, GError **error)
{
  GEOSContextHandle_t ctx = gp_geos ();
  g_autoptr(GpPlanData) data = gp_plan_data_load (project, error);
  g_autoptr(GpLocalFrame) frame = NULL;
  g_autoptr(GArray) pieces = g_array_new (FALSE, TRUE, sizeof (Piece));
  g_autoptr(GArray) levels = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GHashTable *sides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  GEOSSTRtree *tree;
  double bbox[4], densify;
  guint n_grids;

  g_array_set_clear_func (pieces, piece_clear);
  if (data == NULL)
    return (g_hash_table_unref (sides), NULL);
  frame = gp_plan_data_frame (data);
  if (frame == NULL || !gp_layer_get_bbox (data->areas, bbox))
    return sides;
  densify = gp_split_densify_length (gp_project_get_crs (project), bbox);
  for (guint g = 0; g < data->grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (data->grids, g);
      Piece p = { grid->code, grid->name != NULL ? grid->name : grid->code, grid->area_code, NULL, NULL, 0, 0,
                  FALSE };

      p.geom = outline_of (ctx, frame, densify, grid->shape, &p.x, &p.y);
      if (p.geom != NULL)
        {
          p.near = GEOSBuffer_r (ctx, p.geom, EDGE_TOLERANCE_M, 2);
          g_array_append_val (pieces, p);
        }
    }
  n_grids = pieces->len;
  /* The villages/communities grids are drawn in, as neighbours beyond a community's edge. */
  levels = gp_plan_data_grid_areas (data);
  for (guint i = 0; i < levels->len; i++)
    {
      GpFeature *f = gp_layer_get_feature (data->areas, (guint) g_array_index (levels, int, i));
      char *code = gp_plan_value_text (data->areas, f, data->area_code);
      char *name = gp_plan_value_text (data->areas, f, data->area_name);
      Piece p = { code, name != NULL ? name : code, NULL, NULL, NULL, 0, 0, TRUE };

      g_ptr_array_add (names, code);
      if (name != NULL)
        g_ptr_array_add (names, name);
      p.geom = outline_of (ctx, frame, densify, f->shape, &p.x, &p.y);
      if (p.geom != NULL)
        {
          p.near = GEOSBuffer_r (ctx, p.geom, EDGE_TOLERANCE_M, 2);
          g_array_append_val (pieces, p);
        }
    }
  tree = GEOSSTRtree_create_r (ctx, 10);
  for (guint i = 0; i < pieces->len; i++)
    GEOSSTRtree_insert_r (ctx, tree, g_array_index (pieces, Piece, i).near, GUINT_TO_POINTER (i + 1));
  for (guint i = 0; i < n_grids; i++)
    g_hash_table_insert (sides, g_strdup (g_array_index (pieces, Piece, i).code), sides_of (ctx, tree, pieces, i));
  GEOSSTRtree_destroy_r (ctx, tree);
  return sides;
}
