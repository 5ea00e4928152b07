/* fuzz-project: opening a project file (a GeoPackage written by us or by another GIS, or damaged)
 * on arbitrary bytes, then reading it as every command does: each layer, the people, the party
 * contacts, and the whole check. Seeds are small projects made by bench/fuzz/run.sh. */
#include "fuzz-common.h"

#include "src/plan/gp-plan-check.h"
#include "src/store/gp-project-people.h"
#include "src/store/gp-project.h"
#include "fuzz-layer.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t len)
{
  static const char *const tables[] = { "areas", "units", "households", "grids" };
  g_autofree char *path = fuzz_file ("project.gpkg", data, len);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr (GError) error = NULL;

  remove (journal);
  remove (wal);
  g_autoptr (GpProject) project = gp_project_open (path, &error);
  if (project == NULL)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autoptr (GError) layer_error = NULL;
      g_autoptr (GpLayer) layer = gp_project_load_layer (project, tables[i], &layer_error);
      if (layer != NULL)
        gp_fuzz_walk_layer (layer);
    }
  g_autoptr (GPtrArray) people = gp_project_load_people (project, NULL);
  g_autoptr (GPtrArray) contacts = gp_project_load_party_contacts (project, NULL);
  fuzz_check ((people == NULL || people->len < G_MAXINT32) && (contacts == NULL || contacts->len < G_MAXINT32),
              "impossible counts of people or contacts");
  g_autoptr (GpCheckResult) check = gp_plan_check (project, NULL, NULL);
  if (check != NULL)
    {
      /* Every problem is counted under its kind, and every count is a problem listed. */
      guint total = 0;
      for (guint k = 0; k < GP_CHECK_N; k++)
        total += check->counts[k];
      fuzz_check (total == check->problems->len, "the check's counts and its problems disagree");
    }
  return 0;
}
