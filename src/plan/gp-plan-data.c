/* gp-plan-data.c: a project's areas, units, households and grids for the planner's operations, and the report measured on what is stored. */
#include "gp-config.h"

#include "gp-plan-data.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "gp-crs.h"
#include "gp-error.h"
#include "gp-geom.h"
#include "gp-split.h"

void
gp_plan_data_free (GpPlanData *data)
{
  if (data == NULL)
    return;
  g_clear_object (&data->project);
  g_clear_object (&data->areas);
  g_clear_object (&data->units);
  g_clear_object (&data->households);
  g_clear_pointer (&data->grids, g_ptr_array_unref);
  for (guint k = 0; k < G_N_ELEMENTS (data->by_area); k++)
    g_clear_pointer (&data->by_area[k], g_hash_table_unref);
  g_free (data);
}

enum { BY_AREA_UNITS, BY_AREA_HOUSEHOLDS, BY_AREA_GRIDS };

/* Takes CODE. */
static void
by_area_add (GHashTable *table, char *code, guint index)
{
  GArray *list;

  if (code == NULL)
    return;
  list = g_hash_table_lookup (table, code);
  if (list == NULL)
    {
      list = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_insert (table, g_strdup (code), list);
    }
  g_array_append_val (list, index);
  g_free (code);
}

static const GArray *
by_area (GpPlanData *data, guint which, const char *code)
{
  if (data->by_area[which] == NULL)
    {
      for (guint k = 0; k < G_N_ELEMENTS (data->by_area); k++)
        data->by_area[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
      for (guint u = 0; u < gp_layer_get_n_features (data->units); u++)
        by_area_add (data->by_area[BY_AREA_UNITS],
                     gp_plan_value_text (data->units, gp_layer_get_feature (data->units, u), data->unit_area), u);
      for (guint k = 0; k < gp_layer_get_n_features (data->households); k++)
        by_area_add (data->by_area[BY_AREA_HOUSEHOLDS],
                     gp_plan_value_text (data->households, gp_layer_get_feature (data->households, k),
                                         data->household_area), k);
      for (guint g = 0; g < data->grids->len; g++)
        by_area_add (data->by_area[BY_AREA_GRIDS],
                     g_strdup (((GpProjectGrid *) g_ptr_array_index (data->grids, g))->area_code), g);
    }
  return code != NULL ? g_hash_table_lookup (data->by_area[which], code) : NULL;
}

const GArray *
gp_plan_data_area_units (GpPlanData *data, const char *code)
{
  return by_area (data, BY_AREA_UNITS, code);
}

const GArray *
gp_plan_data_area_households (GpPlanData *data, const char *code)
{
  return by_area (data, BY_AREA_HOUSEHOLDS, code);
}

const GArray *
gp_plan_data_area_grids (GpPlanData *data, const char *code)
{
  return by_area (data, BY_AREA_GRIDS, code);
}

GpPlanData *
gp_plan_data_load (GpProject *project, GError **error)
{
  g_autoptr(GpPlanData) data = g_new0 (GpPlanData, 1);

  data->project = g_object_ref (project);
  data->areas = gp_project_load_layer (project, "areas", error);
  if (data->areas == NULL)
    return NULL;
  data->units = gp_project_load_layer (project, "units", error);
  if (data->units == NULL)
    return NULL;
  data->households = gp_project_load_layer (project, "households", error);
  if (data->households == NULL)
    return NULL;
  data->grids = gp_project_load_grids (project, NULL, error);
  if (data->grids == NULL)
    return NULL;
  data->area_code = gp_layer_find_field (data->areas, "code");
  data->area_name = gp_layer_find_field (data->areas, "name");
  data->area_level = gp_layer_find_field (data->areas, "level");
  data->area_households = gp_layer_find_field (data->areas, "households");
  data->unit_code = gp_layer_find_field (data->units, "code");
  data->unit_name = gp_layer_find_field (data->units, "name");
  data->unit_area = gp_layer_find_field (data->units, "area_code");
  data->unit_households = gp_layer_find_field (data->units, "households");
  data->household_area = gp_layer_find_field (data->households, "area_code");
  data->household_code = gp_layer_find_field (data->households, "code");
  return g_steal_pointer (&data);
}

GpLocalFrame *
gp_plan_data_frame (GpPlanData *data)
{
  return gp_project_new_local_frame (data->project, NULL);
}

char *
gp_plan_value_text (GpLayer *layer, GpFeature *feature, int field)
{
  const GpValue *v;

  if (field < 0)
    return NULL;
  v = &feature->values[field];
  if (v->is_null)
    return NULL;
  switch (gp_layer_get_field (layer, (guint) field)->type)
    {
    case GP_FIELD_INTEGER:
      return g_strdup_printf ("%" G_GINT64_FORMAT, v->integer);
    case GP_FIELD_REAL:
      {
        char text[G_ASCII_DTOSTR_BUF_SIZE];

        /* 12.0 reads as "12": a parent field stored as a number still gives "12". */
        if (isfinite (v->real) && v->real == floor (v->real) && fabs (v->real) < 1e15)
          return g_strdup_printf ("%.0f", v->real);
        return g_strdup (g_ascii_dtostr (text, sizeof text, v->real));
      }
    case GP_FIELD_LOGICAL:
      return g_strdup (v->logical ? "true" : "false");
    case GP_FIELD_DATE:
      return g_strdup_printf ("%04u-%02u-%02u", v->date.year, v->date.month, v->date.day);
    case GP_FIELD_STRING:
    default:
      return v->text != NULL ? g_strdup (v->text) : NULL;
    }
}

double
gp_plan_value_number (GpLayer *layer, GpFeature *feature, int field)
{
  const GpValue *v;

  if (field < 0)
    return NAN;
  v = &feature->values[field];
  if (v->is_null)
    return NAN;
  switch (gp_layer_get_field (layer, (guint) field)->type)
    {
    case GP_FIELD_INTEGER:
      return (double) v->integer;
    case GP_FIELD_REAL:
      return v->real;
    case GP_FIELD_STRING:
      {
        g_autofree char *text = v->text != NULL ? g_strstrip (g_strdup (v->text)) : NULL;
        char *end = NULL;
        double x;

        if (text == NULL || *text == '\0')
          return NAN;
        x = g_ascii_strtod (text, &end);
        return end != NULL && *end == '\0' ? x : NAN;
      }
    case GP_FIELD_LOGICAL:
    case GP_FIELD_DATE:
    default:
      return NAN;
    }
}

/* Levels as the import writes them ("village") or as source files give them. */
static gboolean
is_village_level (const char *level)
{
  static const char *const words[] = {
    "village", "community", "村", "社区", "嘎查", "居委会", "村委会", "居民委员会", "村民委员会",
  };

  if (level == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_ascii_strcasecmp (level, words[i]) == 0)
      return TRUE;
  return FALSE;
}

GArray *
gp_plan_data_grid_areas (GpPlanData *data)
{
  guint n = gp_layer_get_n_features (data->areas);
  GArray *chosen = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GHashTable) parents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int parent_field = gp_layer_find_field (data->areas, "parent_code");
  gboolean any_level = FALSE;

  for (guint i = 0; i < n; i++)
    {
      GpFeature *f = gp_layer_get_feature (data->areas, i);
      g_autofree char *level = gp_plan_value_text (data->areas, f, data->area_level);
      char *parent = gp_plan_value_text (data->areas, f, parent_field);

      if (level != NULL)
        any_level = TRUE;
      if (is_village_level (level))
        {
          int index = (int) i;
          g_array_append_val (chosen, index);
        }
      if (parent != NULL)
        g_hash_table_add (parents, parent);
    }
  if (any_level && chosen->len > 0)
    return chosen;
  g_array_set_size (chosen, 0);
  for (guint i = 0; i < n; i++)
    {
      GpFeature *f = gp_layer_get_feature (data->areas, i);
      g_autofree char *code = gp_plan_value_text (data->areas, f, data->area_code);

      if (code != NULL && !g_hash_table_contains (parents, code))
        {
          int index = (int) i;
          g_array_append_val (chosen, index);
        }
    }
  return chosen;
}

GArray *
gp_plan_data_measured_areas (GpPlanData *data)
{
  GArray *areas = gp_plan_data_grid_areas (data);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < gp_layer_get_n_features (data->areas); i++)
    {
      char *code = gp_plan_value_text (data->areas, gp_layer_get_feature (data->areas, i), data->area_code);

      if (code != NULL && !g_hash_table_contains (index, code))
        g_hash_table_insert (index, code, GUINT_TO_POINTER (i + 1));
      else
        g_free (code);
    }
  for (guint i = 0; i < areas->len; i++)
    g_hash_table_add (seen, GINT_TO_POINTER (g_array_index (areas, int, i) + 1));
  for (guint g = 0; g < data->grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (data->grids, g);
      guint found = grid->area_code != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (index, grid->area_code)) : 0;
      int a = (int) found - 1;

      if (found > 0 && g_hash_table_add (seen, GINT_TO_POINTER (a + 1)))
        g_array_append_val (areas, a);
    }
  return areas;
}

char *
gp_plan_data_place_name (GpPlanData *data, const char *area_code)
{
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) names = g_string_new (NULL);
  int parent_field = gp_layer_find_field (data->areas, "parent_code");
  guint n = gp_layer_get_n_features (data->areas);

  if (area_code != NULL)
    {
      int a = gp_plan_data_find_area (data, area_code);

      return a >= 0 ? gp_plan_value_text (data->areas, gp_layer_get_feature (data->areas, (guint) a),
                                          data->area_name) : NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      char *code = gp_plan_value_text (data->areas, gp_layer_get_feature (data->areas, i), data->area_code);

      if (code != NULL)
        g_hash_table_add (codes, code);
    }
  for (guint i = 0; i < n; i++)
    {
      GpFeature *f = gp_layer_get_feature (data->areas, i);
      g_autofree char *parent = gp_plan_value_text (data->areas, f, parent_field);
      g_autofree char *name = gp_plan_value_text (data->areas, f, data->area_name);

      if (name != NULL && (parent == NULL || !g_hash_table_contains (codes, parent)))
        /* TRANSLATORS: between place names in a title: 锡尼街道、白泥井镇 */
        g_string_append_printf (names, "%s%s", names->len > 0 ? _("、") : "", name);
    }
  return names->len > 0 ? g_string_free (g_steal_pointer (&names), FALSE) : NULL;
}

int
gp_plan_data_find_area (GpPlanData *data, const char *code)
{
  for (guint i = 0; i < gp_layer_get_n_features (data->areas); i++)
    {
      g_autofree char *own = gp_plan_value_text (data->areas, gp_layer_get_feature (data->areas, i),
                                                data->area_code);

      if (g_strcmp0 (own, code) == 0)
        return (int) i;
    }
  return -1;
}

/* ---- measuring what is stored ---- */

/* Polygons as the splitter sees them (gp_split_to_local); points as they are. */
static GEOSGeometry *
local_geom (GEOSContextHandle_t ctx, GpLocalFrame *frame, double densify, const GpShape *shape,
            GError **error)
{
  g_autoptr(GpShape) copy = NULL;

  if (shape == NULL || gp_shape_is_empty (shape))
    return NULL;
  if (shape->kind == GP_SHAPE_POLYGON)
    return gp_split_to_local (ctx, frame, shape, densify, error);
  copy = gp_shape_copy (shape);
  if (!gp_local_frame_forward (frame, copy->xy, copy->n_points, error))
    return NULL;
  return gp_geom_from_shape (ctx, copy, error);
}

/* Appends a point inside G (the point itself for points) with households W. */
static void
add_point (GEOSContextHandle_t ctx, const GEOSGeometry *g, double w, GArray *xy, GArray *weights)
{
  GEOSGeometry *p = g != NULL ? GEOSPointOnSurface_r (ctx, g) : NULL;
  double x = NAN, y = NAN;

  if (p != NULL && GEOSisEmpty_r (ctx, p) == 0)
    {
      GEOSGeomGetX_r (ctx, p, &x);
      GEOSGeomGetY_r (ctx, p, &y);
    }
  if (p != NULL)
    GEOSGeom_destroy_r (ctx, p);
  g_array_append_val (xy, x);
  g_array_append_val (xy, y);
  g_array_append_val (weights, w);
}

/* What the last split of the area could not meet, and the data's problems, as it kept them. */
static void
add_split_notes (GpPlanData *data, const char *code, GpSplitReport *report)
{
  g_autofree char *text = gp_project_get_split_notes (data->project, code);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  object = json_node_get_object (json_parser_get_root (parser));
  for (guint k = 0; k < 2; k++)
    {
      const char *member = k == 0 ? "explanations" : "notes";
      JsonArray *list = json_object_has_member (object, member) ? json_object_get_array_member (object, member) : NULL;

      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          const char *sentence = json_array_get_string_element (list, i);

          if (sentence == NULL)
            continue;
          if (k == 0)
            gp_split_report_add_explanation (report, sentence);
          else
            gp_split_report_add_note (report, sentence);
        }
    }
}

static gboolean
measure_area (GpPlanData *data, GEOSContextHandle_t ctx, GpLocalFrame *frame, double densify, int a,
              GpSplitReport *report, GError **error)
{
  GpFeature *area = gp_layer_get_feature (data->areas, (guint) a);
  g_autofree char *code = gp_plan_value_text (data->areas, area, data->area_code);
  g_autoptr(GPtrArray) grids = g_ptr_array_new ();
  g_autoptr(GArray) sized = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_autoptr(GArray) n_units = g_array_new (FALSE, FALSE, sizeof (gint));
  g_autoptr(GArray) grid_households = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) largest = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  g_autoptr(GHashTable) unit_households = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) weights = g_array_new (FALSE, FALSE, sizeof (double));
  GEOSGeometry *parent = NULL;
  GpSplitMeasureInput in = { 0 };
  GpSplitReportPart *part;
  const GArray *area_units = gp_plan_data_area_units (data, code);
  const GArray *area_households = gp_plan_data_area_households (data, code);
  const GArray *area_grids = gp_plan_data_area_grids (data, code);
  gboolean ok = FALSE;

  parent = area->shape != NULL ? local_geom (ctx, frame, densify, area->shape, error) : NULL;
  if (area->shape != NULL && parent == NULL)
    goto out;
  /* The households of each unit of the area, to find the oversize grids by their largest unit. */
  for (guint i = 0; area_units != NULL && i < area_units->len; i++)
    {
      GpFeature *f = gp_layer_get_feature (data->units, g_array_index (area_units, guint, i));
      char *unit_code = gp_plan_value_text (data->units, f, data->unit_code);
      double w = gp_plan_value_number (data->units, f, data->unit_households);

      if (unit_code != NULL)
        g_hash_table_insert (unit_households, unit_code, g_memdup2 (&w, sizeof w));
    }
  for (guint i = 0; area_grids != NULL && i < area_grids->len; i++)
    {
      GpProjectGrid *grid = g_ptr_array_index (data->grids, g_array_index (area_grids, guint, i));
      GEOSGeometry *geom;
      gboolean basic = !grid->exclusive;
      gint count = (gint) grid->unit_codes->len;
      double h = (double) grid->households;

      geom = grid->shape != NULL ? local_geom (ctx, frame, densify, grid->shape, error) : NULL;
      if (grid->shape != NULL && geom == NULL)
        goto out;
      g_ptr_array_add (grids, geom);
      g_array_append_val (sized, basic);
      g_array_append_val (n_units, count);
      g_array_append_val (grid_households, h);
      g_ptr_array_add (codes, grid->code);
      {
        double most = 0.0;

        for (guint i = 0; i < grid->unit_codes->len; i++)
          {
            const double *w = g_hash_table_lookup (unit_households, g_ptr_array_index (grid->unit_codes, i));

            if (w != NULL && isfinite (*w))
              most = MAX (most, *w);
          }
        g_array_append_val (largest, most);
      }
    }

  /* Households where they are: units (a point inside each), else household points. */
  for (guint i = 0; area_units != NULL && i < area_units->len; i++)
    {
      GpFeature *f = gp_layer_get_feature (data->units, g_array_index (area_units, guint, i));
      double w = gp_plan_value_number (data->units, f, data->unit_households);
      GEOSGeometry *g;

      if (!(w > 0.0))
        continue;
      g = f->shape != NULL ? local_geom (ctx, frame, densify, f->shape, NULL) : NULL;
      add_point (ctx, g, w, xy, weights);
      if (g != NULL)
        GEOSGeom_destroy_r (ctx, g);
    }
  if (weights->len == 0)
    for (guint i = 0; area_households != NULL && i < area_households->len; i++)
      {
        GpFeature *f = gp_layer_get_feature (data->households, g_array_index (area_households, guint, i));
        GEOSGeometry *g;

        g = f->shape != NULL ? local_geom (ctx, frame, densify, f->shape, NULL) : NULL;
        add_point (ctx, g, 1.0, xy, weights);
        if (g != NULL)
          GEOSGeom_destroy_r (ctx, g);
      }

  in.parent = parent;
  in.n_grids = grids->len;
  in.grids = (const GEOSGeometry *const *) grids->pdata;
  in.sized = (const gboolean *) sized->data;
  in.n_units = (const gint *) n_units->data;
  in.n_points = weights->len;
  in.points_xy = (const double *) xy->data;
  in.point_households = (const double *) weights->data;
  in.grid_households = (const double *) grid_households->data;
  in.largest_unit = (const double *) largest->data;
  in.area_code = code;
  in.codes = (const char *const *) codes->pdata;
  {
    double target = NAN, tolerance = 0.15;

    gp_project_get_split_target (data->project, &target, &tolerance);
    part = gp_split_report_measure (ctx, &in, target, tolerance, error);
  }
  if (part == NULL)
    goto out;
  gp_split_report_add_part (report, part);
  add_split_notes (data, code, report);
  ok = TRUE;

out:
  for (guint g = 0; g < grids->len; g++)
    if (g_ptr_array_index (grids, g) != NULL)
      GEOSGeom_destroy_r (ctx, g_ptr_array_index (grids, g));
  if (parent != NULL)
    GEOSGeom_destroy_r (ctx, parent);
  if (!ok && error != NULL && *error != NULL && code != NULL)
    g_prefix_error (error, "%s: ", code);
  return ok;
}

gboolean
gp_plan_data_measure (GpPlanData *data, GArray *areas, GpSplitReport *report, GError **error)
{
  g_autoptr(GpLocalFrame) frame = NULL;
  GEOSContextHandle_t ctx = gp_geos ();
  double bbox[4], densify;

  if (!gp_layer_get_bbox (data->areas, bbox) && !gp_layer_get_bbox (data->units, bbox))
    return TRUE;
  frame = gp_local_frame_new (gp_project_get_crs (data->project), bbox, error);
  if (frame == NULL)
    return FALSE;
  densify = gp_split_densify_length (gp_project_get_crs (data->project), bbox);
  for (guint i = 0; i < areas->len; i++)
    if (!measure_area (data, ctx, frame, densify, g_array_index (areas, int, i), report, error))
      return FALSE;
  return TRUE;
}

/* Code → name of every feature of LAYER (both owned). */
static GHashTable *
names_by_code (GpLayer *layer, int code_field, int name_field)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < gp_layer_get_n_features (layer); i++)
    {
      GpFeature *f = gp_layer_get_feature (layer, i);
      char *code = gp_plan_value_text (layer, f, code_field);

      if (code != NULL)
        g_hash_table_replace (names, code, gp_plan_value_text (layer, f, name_field));
    }
  return names;
}

GHashTable *
gp_plan_data_area_names (GpPlanData *data)
{
  g_return_val_if_fail (data != NULL, NULL);
  return names_by_code (data->areas, data->area_code, data->area_name);
}

GHashTable *
gp_plan_area_names (GpProject *project, GError **error)
{
  g_autoptr(GpLayer) areas = NULL;

  g_return_val_if_fail (GP_IS_PROJECT (project), NULL);
  /* The areas alone: a list of names need not read the units and grids. */
  if ((areas = gp_project_load_layer (project, "areas", error)) == NULL)
    return NULL;
  return names_by_code (areas, gp_layer_find_field (areas, "code"), gp_layer_find_field (areas, "name"));
}
