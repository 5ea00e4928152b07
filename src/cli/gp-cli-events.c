/* gp-cli-events.c: `gridplan-cli events PROJECT LEDGER`: service items imported into their grids, problem rows by line. */
#include "gp-config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "gp-cli.h"
#include "gp-json.h"
#include "gp-plan-events.h"

static char *
result_json (GpEventsResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const struct { const char *name; guint value; } counts[] = {
    { "imported", r->imported }, { "updated", r->updated }, { "rejected", r->rejected }, { "flagged", r->flagged },
  };

  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      json_builder_set_member_name (b, counts[i].name);
      json_builder_add_int_value (b, counts[i].value);
    }
  json_builder_set_member_name (b, "encoding");
  json_builder_add_string_value (b, r->encoding);
  json_builder_set_member_name (b, "by_status");
  json_builder_begin_object (b);
  for (guint s = 0; s < GP_EVENT_N_STATUS; s++)
    {
      json_builder_set_member_name (b, gp_event_status_name ((GpEventStatus) s));
      json_builder_add_int_value (b, r->by_status[s]);
    }
  json_builder_end_object (b);
  gp_cli_add_row_problems (b, r->problems);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return gp_json_to_text (root, TRUE);
}

int
gp_cli_events (int argc, char **argv)
{
  g_autofree char *encoding = NULL, *sheet = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding, N_("Text encoding of a CSV ledger (GBK, UTF-8...)"), N_("ENC") },
    { "sheet", 0, 0, G_OPTION_ARG_STRING, &sheet, N_("Sheet of a workbook (default: the first)"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT.gpkg EVENTS.csv|EVENTS.xlsx"));
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GpEventsResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int status = GP_CLI_OK;

  g_option_context_set_summary (context,
    _("Import service items (服务事项): a workbook (.xlsx, .xls) or CSV with 编号/code, 事项/name,\n"
      "类型/kind, 状态/status (红/黄/绿, red/yellow/green, or 超期/办理中/已办结), 日期/date, and either\n"
      "经度/lon and 纬度/lat or 网格编码/grid. Each item goes to its grid; items already in the project\n"
      "(same code) are updated. Every problem row is reported with its line."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gp_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return gp_cli_usage (argv[0], _("expected a project file and a ledger of service items"));
  project = gp_project_open (argv[1], &error);
  if (project == NULL)
    return gp_cli_fail_on (argv[1], error);
  result = gp_plan_import_events (project, argv[2], encoding, sheet, &error);
  if (result == NULL)
    return gp_cli_fail_on (argv[2], error);
  if (json)
    {
      g_autofree char *text = result_json (result);

      g_print ("%s\n", text);
      return GP_CLI_OK;
    }
  gp_cli_warn_row_problems (argv[2], result->problems);
  g_print (_("%u new service items and %u updated in %s (%s); %u rows rejected, %u to look at\n"),
           result->imported, result->updated, argv[1], result->encoding, result->rejected, result->flagged);
  g_print (_("red %u, yellow %u, green %u\n"), result->by_status[GP_EVENT_RED], result->by_status[GP_EVENT_YELLOW],
           result->by_status[GP_EVENT_GREEN]);
  return GP_CLI_OK;
}
