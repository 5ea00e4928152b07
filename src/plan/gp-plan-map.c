/* gp-plan-map.c: a project's printed map, for the CLI and the window alike. */
#include "gp-config.h"

#include "gp-plan-map.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gp-error.h"
#include "gp-heatmap.h"
#include "gp-plan-data.h"
#include "gp-plan-values.h"
#include "gp-print.h"

void
gp_plan_map_options_init (GpPlanMapOptions *options)
{
  memset (options, 0, sizeof *options);
}

/* Errors about the project name it, as every other message about a file does. */
static gboolean
fail_on_project (GpProject *project, GError **error)
{
  const char *path = gp_project_get_path (project);

  if (error != NULL && *error != NULL && !g_str_has_prefix ((*error)->message, path))
    g_prefix_error (error, "%s: ", path);
  return FALSE;
}

gboolean
gp_plan_export_map (GpProject *project, const GpPlanMapOptions *o, const char *path, GError **error)
{
  g_autoptr(GpMapData) data = NULL;
  g_autoptr(GpPlanData) plan = NULL;
  g_autoptr(GpHeatmap) heatmap = NULL;
  g_autoptr(GpDensity) density = NULL;
  g_autoptr(GpStyle) style = gp_style_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *place = NULL, *subtitle = NULL, *source = NULL, *base = NULL;
  GpPrintOptions options;

  g_return_val_if_fail (GP_IS_PROJECT (project) && o != NULL && path != NULL, FALSE);
  gp_print_options_init (&options);
  if (o->size != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (path, -1);

      /* A PNG's WxH is in pixels. */
      if (!gp_print_parse_size (o->size, g_str_has_suffix (lower, ".png"), &options))
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("%s: the size is A4, A3 or WxH, not “%s”"), path,
                       o->size);
          return FALSE;
        }
    }
  plan = gp_plan_data_load (project, error);
  if (plan == NULL)
    return fail_on_project (project, error);
  data = gp_map_data_new_from_project (project, error);
  if (data == NULL)
    return fail_on_project (project, error);
  if (g_strcmp0 (o->metric, "density") == 0)
    density = gp_density_new_from_map (data, o->bandwidth);
  else if (o->metric != NULL)
    {
      g_autoptr(GHashTable) values = gp_plan_grid_values (project, o->metric, error);
      GpHeatmapMetric metric;

      if (values == NULL || !gp_heatmap_metric_parse (o->metric, &metric))
        return fail_on_project (project, error);
      heatmap = gp_heatmap_new (metric, values, GP_CLASSING_NATURAL, 5);
    }
  place = gp_plan_data_place_name (plan, o->area_code);
  base = g_path_get_basename (gp_project_get_path (project));
  /* TRANSLATORS: a map's subtitle: what it shows, and the day it was drawn. */
  subtitle = g_strdup_printf (_("%s · %s"), heatmap != NULL ? gp_heatmap_metric_title (gp_heatmap_get_metric (heatmap))
                                            : density != NULL ? _("Household density")
                                                              : C_("map subtitle", "Grids"), date);
  /* TRANSLATORS: the source note at the foot of a printed map. */
  source = g_strdup_printf (_("Source: %s. Drawn with GridPlan on %s."), base, date);
  options.title = place != NULL ? place : base;
  options.subtitle = subtitle;
  options.source = source;
  options.area_code = o->area_code;
  options.density = density;
  return gp_print_map (data, style, heatmap, &options, path, error);
}
