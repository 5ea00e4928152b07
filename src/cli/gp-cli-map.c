/* gp-cli-map.c: `export --map`: the printed map of a project, with a heatmap when asked. */
#include "gp-config.h"

#include <glib/gi18n.h>

#include "gp-cli.h"
#include "gp-heatmap.h"
#include "gp-plan-data.h"
#include "gp-plan-values.h"
#include "gp-print.h"

int
gp_cli_export_map (GpProject *project, const char *path, const char *metric_name, const char *area,
                   const char *size, double bandwidth)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpMapData) data = NULL;
  g_autoptr(GpPlanData) plan = NULL;
  g_autoptr(GpHeatmap) heatmap = NULL;
  g_autoptr(GpDensity) density = NULL;
  g_autoptr(GpStyle) style = gp_style_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *place = NULL, *subtitle = NULL, *source = NULL, *base = NULL;
  GpPrintOptions options;

  gp_print_options_init (&options);
  if (size != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (path, -1);

      /* Checked by the caller; a PNG's WxH is in pixels. */
      gp_print_parse_size (size, g_str_has_suffix (lower, ".png"), &options);
    }
  plan = gp_plan_data_load (project, &error);
  if (plan == NULL)
    return gp_cli_fail_on (gp_project_get_path (project), error);
  data = gp_map_data_new_from_project (project, &error);
  if (data == NULL)
    return gp_cli_fail_on (gp_project_get_path (project), error);
  if (g_strcmp0 (metric_name, "density") == 0)
    density = gp_density_new_from_map (data, bandwidth);
  else if (metric_name != NULL)
    {
      g_autoptr(GHashTable) values = gp_plan_grid_values (project, metric_name, &error);
      GpHeatmapMetric metric;

      if (values == NULL || !gp_heatmap_metric_parse (metric_name, &metric))
        return gp_cli_fail_on (gp_project_get_path (project), error);
      heatmap = gp_heatmap_new (metric, values, GP_CLASSING_NATURAL, 5);
    }
  place = gp_plan_data_place_name (plan, area);
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
  options.area_code = area;
  options.density = density;
  if (!gp_print_map (data, style, heatmap, &options, path, &error))
    return gp_cli_fail_on (path, error);
  return GP_CLI_OK;
}
