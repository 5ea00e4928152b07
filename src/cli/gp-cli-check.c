/* gp-cli-check.c: `gridplan-cli check PROJECT`: every problem to fix before signing, with where it is; exit 3 when any. */
#include "gp-config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "gp-cli.h"
#include "gp-json.h"
#include "gp-plan-check.h"

static void
add_text_or_null (JsonBuilder *b, const char *member, const char *text)
{
  json_builder_set_member_name (b, member);
  if (text != NULL)
    json_builder_add_string_value (b, text);
  else
    json_builder_add_null_value (b);
}

static char *
result_json (const GpCheckResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "problems");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->problems->len; i++)
    {
      const GpCheckProblem *p = g_ptr_array_index (r->problems, i);

      json_builder_begin_object (b);
      add_text_or_null (b, "kind", gp_check_kind_name (p->kind));
      add_text_or_null (b, "area", p->area);
      add_text_or_null (b, "grid", p->grid);
      if (p->other != NULL)
        add_text_or_null (b, "other_grid", p->other);
      json_builder_set_member_name (b, "count");
      if (p->count >= 0)
        json_builder_add_int_value (b, p->count);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "area_m2");
      if (isfinite (p->area_m2))
        json_builder_add_double_value (b, gp_json_round (p->area_m2, 0.01));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "at");
      if (p->has_at)
        {
          json_builder_begin_array (b);
          json_builder_add_double_value (b, p->at[0]);
          json_builder_add_double_value (b, p->at[1]);
          json_builder_end_array (b);
        }
      else
        json_builder_add_null_value (b);
      add_text_or_null (b, "message", p->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "counts");
  json_builder_begin_object (b);
  for (guint k = 0; k < GP_CHECK_N; k++)
    {
      json_builder_set_member_name (b, gp_check_kind_name ((GpCheckKind) k));
      json_builder_add_int_value (b, r->counts[k]);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "people_checked");
  json_builder_add_boolean_value (b, r->people_checked);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return gp_json_to_text (root, TRUE);
}

int
gp_cli_check (int argc, char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the problems as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT.gpkg"));
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GpCheckResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int status = GP_CLI_OK;

  g_option_context_set_summary (context,
    _("Check a project before it is signed: ground of a village/community in no grid, overlapping\n"
      "grids, households in no grid, grids in pieces or reaching outside their community, grids\n"
      "above or below the target, and once a roster is imported grids without a full-time worker,\n"
      "communities short of workers, households without a party member in contact and people\n"
      "without a grid. The grids are measured as stored. Each problem is given with a point\n"
      "inside it (in the project's coordinates). Exits 3 when any problem is found."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gp_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return gp_cli_usage (argv[0], _("expected one project file"));
  project = gp_project_open (argv[1], &error);
  if (project == NULL)
    return gp_cli_fail_on (argv[1], error);
  result = gp_plan_check (project, NULL, &error);
  if (result == NULL)
    return gp_cli_fail_on (argv[1], error);
  if (json)
    {
      g_autofree char *text = result_json (result);

      g_print ("%s\n", text);
    }
  else
    {
      for (guint i = 0; i < result->problems->len; i++)
        {
          const GpCheckProblem *p = g_ptr_array_index (result->problems, i);

          if (p->has_at)
            /* TRANSLATORS: a problem's kind, its sentence, and a point inside it. */
            g_print (_("%s: %s (at %.6f, %.6f)\n"), gp_check_kind_label (p->kind), p->message, p->at[0], p->at[1]);
          else
            g_print (_("%s: %s\n"), gp_check_kind_label (p->kind), p->message);
        }
      if (!result->people_checked)
        g_print (_("No roster imported yet: workers and party members not checked.\n"));
      if (result->problems->len == 0)
        g_print (_("No problems found.\n"));
      else
        g_print (g_dngettext (GETTEXT_PACKAGE, "%u problem found.\n", "%u problems found.\n", result->problems->len),
                 result->problems->len);
    }
  return result->problems->len > 0 ? GP_CLI_CHECK : GP_CLI_OK;
}
