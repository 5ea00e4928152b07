/* gp-cli-export.c: `gridplan-cli export PROJECT`: the grid assignment list, the people, the grid polygons and units to grids, personal data masked unless asked for. */
#include "gp-config.h"

#include <glib/gi18n.h>

#include "gp-cli.h"
#include "gp-heatmap.h"
#include "gp-plan-export.h"
#include "gp-print.h"
#include "gp-sheet.h"

static gboolean
ends_with_any (const char *path, const char *const *suffixes)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  for (guint i = 0; suffixes[i] != NULL; i++)
    if (g_str_has_suffix (lower, suffixes[i]))
      return TRUE;
  return FALSE;
}

int
gp_cli_export (int argc, char **argv)
{
  static const char *const layer_suffixes[] = { ".shp", ".gpkg", ".geojson", ".json", NULL };
  g_autofree char *list = NULL, *people = NULL, *grids = NULL, *equivalency = NULL, *contacts = NULL;
  g_autofree char *map = NULL, *heatmap = NULL, *area = NULL, *size = NULL, *boards = NULL, *hotline = NULL;
  GpExportOptions options;
  double bandwidth = 0.0;
  const GOptionEntry entries[] = {
    { "list", 0, 0, G_OPTION_ARG_FILENAME, &list,
      N_("The grid assignment list (.xlsx: a sheet for all and one per community; or .csv)"), N_("OUT") },
    { "people", 0, 0, G_OPTION_ARG_FILENAME, &people, N_("Every person with role and grids (.xlsx or .csv)"),
      N_("OUT") },
    { "contacts", 0, 0, G_OPTION_ARG_FILENAME, &contacts,
      N_("The party members' contacts, with the households no one is in contact with (.xlsx or .csv)"),
      N_("OUT") },
    { "grids", 0, 0, G_OPTION_ARG_FILENAME, &grids, N_("The grid polygons (.shp, .gpkg or .geojson)"), N_("OUT") },
    { "equivalency", 0, 0, G_OPTION_ARG_FILENAME, &equivalency, N_("Which grid each unit is in (.csv or .xlsx)"),
      N_("OUT") },
    { "map", 0, 0, G_OPTION_ARG_FILENAME, &map, N_("The map, one page (.png, .pdf or .svg)"), N_("OUT") },
    { "heatmap", 0, 0, G_OPTION_ARG_STRING, &heatmap,
      N_("Colour the map's grids by households, deviation, per-worker, contact-coverage or status, or draw "
         "the households' density"), N_("METRIC") },
    { "bandwidth", 0, 0, G_OPTION_ARG_DOUBLE, &bandwidth,
      N_("The density's bandwidth in metres (default: chosen from the data)"), N_("M") },
    { "area", 0, 0, G_OPTION_ARG_STRING, &area, N_("Map only this area (its code)"), N_("CODE") },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size,
      N_("The map's page: A4 or A3 (landscape), or WxH points (pixels for .png); default A4"), N_("SIZE") },
    { "notice-boards", 0, 0, G_OPTION_ARG_FILENAME, &boards,
      N_("The grids' notice boards, a PDF page per grid (of --area, else all)"), N_("OUT.pdf") },
    { "hotline", 0, 0, G_OPTION_ARG_STRING, &hotline, N_("The service hotline printed on the notice boards"),
      N_("NUMBER") },
    { "with-personal-data", 0, 0, G_OPTION_ARG_NONE, &options.personal_data,
      N_("Write phones and ID numbers in full (by default they are masked)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT.gpkg"));
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GpExport) export = NULL;
  g_autoptr(GError) error = NULL;
  int status = GP_CLI_OK;

  gp_export_options_init (&options);
  g_option_context_set_summary (context,
    _("Write the lists leadership asks for: the grid assignment list, the people with their grids,\n"
      "the party members' contacts, the grid polygons and which grid each unit is in. Phones and\n"
      "ID numbers are masked (138****5678) unless --with-personal-data is given. Each file is\n"
      "written whole or not at all."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gp_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return gp_cli_usage (argv[0], _("expected one project file"));
  if (list == NULL && people == NULL && grids == NULL && equivalency == NULL && contacts == NULL && map == NULL
      && boards == NULL)
    return gp_cli_usage (argv[0], _("nothing to export: give --list, --people, --contacts, --grids, --equivalency, "
                                    "--map or --notice-boards"));
  if (map == NULL && (heatmap != NULL || size != NULL))
    return gp_cli_usage (argv[0], _("--heatmap and --size go with --map"));
  if (bandwidth != 0.0 && (g_strcmp0 (heatmap, "density") != 0 || !(bandwidth > 0.0) || bandwidth > 1e6))
    return gp_cli_usage (argv[0], _("--bandwidth is a positive number of metres, with --heatmap density"));
  if (map == NULL && boards == NULL && area != NULL)
    return gp_cli_usage (argv[0], _("--area goes with --map or --notice-boards"));
  if (boards == NULL && hotline != NULL)
    return gp_cli_usage (argv[0], _("--hotline goes with --notice-boards"));
  if (boards != NULL && !g_str_has_suffix (boards, ".pdf") && !g_str_has_suffix (boards, ".PDF"))
    return gp_cli_usage (argv[0], _("notice boards are written as .pdf"));
  if (map != NULL && !gp_print_path_ok (map))
    return gp_cli_usage (argv[0], _("maps are written as .png, .pdf or .svg"));
  if (size != NULL)
    {
      GpPrintOptions check;

      gp_print_options_init (&check);
      if (!gp_print_parse_size (size, FALSE, &check))
        return gp_cli_usage (argv[0], _("the page size is A4, A3 or WxH (for example 1600x1000)"));
    }
  if (heatmap != NULL)
    {
      GpHeatmapMetric metric;

      if (!gp_heatmap_metric_parse (heatmap, &metric) && g_strcmp0 (heatmap, "density") != 0)
        return gp_cli_usage (argv[0], _("the heatmap is households, deviation, per-worker, contact-coverage, status or "
                                        "density"));
    }
  /* Every name checked before anything is written, so a typo leaves no files behind. */
  if ((list != NULL && !gp_sheet_path_ok (list)) || (people != NULL && !gp_sheet_path_ok (people))
      || (equivalency != NULL && !gp_sheet_path_ok (equivalency)) || (contacts != NULL && !gp_sheet_path_ok (contacts)))
    return gp_cli_usage (argv[0], _("lists are written as .xlsx or .csv"));
  if (grids != NULL && !ends_with_any (grids, layer_suffixes))
    return gp_cli_usage (argv[0], _("grids are written as .shp, .gpkg or .geojson"));
  project = gp_project_open (argv[1], &error);
  if (project == NULL)
    return gp_cli_fail_on (argv[1], error);
  /* The project is read once for every list asked for. */
  export = gp_export_load (project, &options, &error);
  if (export == NULL)
    return gp_cli_fail_on (argv[1], error);
  if (list != NULL && !gp_export_list (export, list, &error))
    return gp_cli_fail_on (list, error);
  if (people != NULL && !gp_export_people (export, people, &error))
    return gp_cli_fail_on (people, error);
  if (contacts != NULL && !gp_export_contacts (export, contacts, &error))
    return gp_cli_fail_on (contacts, error);
  if (grids != NULL && !gp_export_grids (export, grids, &error))
    return gp_cli_fail_on (grids, error);
  if (equivalency != NULL && !gp_export_equivalency (export, equivalency, &error))
    return gp_cli_fail_on (equivalency, error);
  if (map != NULL && (status = gp_cli_export_map (project, map, heatmap, area, size, bandwidth)) != GP_CLI_OK)
    return status;
  if (boards != NULL)
    {
      guint n = 0;

      if (!gp_export_boards (export, area, hotline, boards, &n, NULL, &error))
        return gp_cli_fail_on (boards, error);
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u notice board written to %s\n", "%u notice boards written to %s\n", n),
               n, boards);
    }
  if (options.personal_data)
    gp_cli_warn (_("phones and ID numbers written in full: keep these files as personal data"));
  return GP_CLI_OK;
}
