/* gp-cli-people.c: `gridplan-cli people PROJECT ROSTER.csv`: a roster imported, every problem row reported by its line. */
#include "gp-config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "gp-cli.h"
#include "gp-json.h"
#include "gp-plan-roster.h"

static char *
result_json (GpRosterResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "imported");
  json_builder_add_int_value (b, r->imported);
  json_builder_set_member_name (b, "updated");
  json_builder_add_int_value (b, r->updated);
  json_builder_set_member_name (b, "rejected");
  json_builder_add_int_value (b, r->rejected);
  json_builder_set_member_name (b, "flagged");
  json_builder_add_int_value (b, r->flagged);
  json_builder_set_member_name (b, "encoding");
  json_builder_add_string_value (b, r->encoding);
  json_builder_set_member_name (b, "by_role");
  json_builder_begin_object (b);
  for (guint k = 0; k < GP_ROLE_N; k++)
    {
      json_builder_set_member_name (b, gp_role_name ((GpRole) k));
      json_builder_add_int_value (b, r->by_role[k]);
    }
  json_builder_end_object (b);
  gp_cli_add_row_problems (b, r->problems);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return gp_json_to_text (root, TRUE);
}

void
gp_cli_add_row_problems (JsonBuilder *b, GArray *problems)
{
  json_builder_set_member_name (b, "problems");
  json_builder_begin_array (b);
  for (guint i = 0; i < problems->len; i++)
    {
      const GpRosterProblem *p = &g_array_index (problems, GpRosterProblem, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "row");
      json_builder_add_int_value (b, p->row);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, p->reason);
      json_builder_set_member_name (b, "rejected");
      json_builder_add_boolean_value (b, p->rejected);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

void
gp_cli_warn_row_problems (const char *file, GArray *problems)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const GpRosterProblem *p = &g_array_index (problems, GpRosterProblem, i);

      /* TRANSLATORS: "花名册.csv: line 12: rejected: invalid ID number ..." */
      gp_cli_warn (p->rejected ? _("%s: line %u: rejected: %s") : _("%s: line %u: %s"), file, p->row, p->reason);
    }
}

static void
print_text (GpRosterResult *r, const char *roster, const char *project)
{
  gp_cli_warn_row_problems (roster, r->problems);
  g_print (_("%u new people and %u updated in %s (%s); %u rows rejected, %u imported without a bad field\n"),
           r->imported, r->updated, project, r->encoding, r->rejected, r->flagged);
  g_print (_("full-time workers %u, part-time workers %u, party members %u, building heads %u, unit heads %u, "
             "instructors %u, community workers %u\n"),
           r->by_role[GP_ROLE_FULLTIME], r->by_role[GP_ROLE_PARTTIME], r->by_role[GP_ROLE_PARTY],
           r->by_role[GP_ROLE_BUILDING_HEAD], r->by_role[GP_ROLE_UNIT_HEAD], r->by_role[GP_ROLE_INSTRUCTOR],
           r->by_role[GP_ROLE_COMMUNITY_WORKER]);
}

int
gp_cli_people (int argc, char **argv)
{
  g_autofree char *encoding = NULL, *rejects = NULL, *sheet = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding, N_("Text encoding of a CSV roster (GBK, UTF-8...)"), N_("ENC") },
    { "sheet", 0, 0, G_OPTION_ARG_STRING, &sheet, N_("Sheet of an .xlsx roster (default: the first)"), N_("NAME") },
    { "rejects", 0, 0, G_OPTION_ARG_FILENAME, &rejects, N_("Write the problem rows with their reasons as CSV"),
      N_("OUT.csv") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT.gpkg ROSTER.csv|ROSTER.xlsx"));
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GpRosterResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int status = GP_CLI_OK;

  g_option_context_set_summary (context,
    _("Import a roster of grid workers and party members: an Excel/WPS workbook (.xlsx, --sheet or the\n"
      "first), or CSV in UTF-8 or GBK as Excel and WPS save it. Headers in Chinese or English, in any\n"
      "order, below a title row if need be: 姓名/name (required), 角色/身份/role, 手机/电话/phone,\n"
      "身份证号/id_number, 工作单位/org, 所属社区/社区代码/community, 经度/lon and 纬度/lat, 部门/department,\n"
      "联系户数/capacity. Rows with no name, an unknown role, an invalid or repeated ID number or an\n"
      "unknown community are rejected; a phone that is not a phone or a home far away is left out and\n"
      "the row flagged; every problem is reported with its line. People already in the project (same\n"
      "ID number, else same name and phone) are updated, keeping their assignments."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gp_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return gp_cli_usage (argv[0], _("expected a project file and a roster"));
  project = gp_project_open (argv[1], &error);
  if (project == NULL)
    return gp_cli_fail_on (argv[1], error);
  result = gp_plan_import_roster (project, argv[2], encoding, sheet, &error);
  if (result == NULL)
    return gp_cli_fail_on (argv[2], error);
  if (rejects != NULL && !gp_roster_write_rejects (result, rejects, &error))
    return gp_cli_fail_on (rejects, error);
  if (json)
    {
      g_autofree char *text = result_json (result);

      g_print ("%s\n", text);
    }
  else
    print_text (result, argv[2], argv[1]);
  return GP_CLI_OK;
}
