/* gp-cli-map.c: `export --map`: the printed map of a project (gp-plan-map.h), with a heatmap when asked. */
#include "gp-config.h"

#include "gp-cli.h"
#include "gp-plan-map.h"

int
gp_cli_export_map (GpProject *project, const char *path, const char *metric_name, const char *area,
                   const char *size, double bandwidth)
{
  g_autoptr(GError) error = NULL;
  GpPlanMapOptions options;

  gp_plan_map_options_init (&options);
  options.metric = metric_name;
  options.area_code = area;
  options.size = size;
  options.bandwidth = bandwidth;
  if (!gp_plan_export_map (project, &options, path, &error))
    {
      /* Problems of the project name it; the rest are the map file's. */
      const char *project_path = gp_project_get_path (project);

      return gp_cli_fail_on (g_str_has_prefix (error->message, project_path) ? project_path : path, error);
    }
  return GP_CLI_OK;
}
