/* fuzz-roster: the roster readers (CSV in any encoding, .xlsx through libzip + libxml2, .xls
 * through FreeXL) and the roster's checks, on arbitrary bytes. The first byte picks the format
 * (0: CSV, 1: .xlsx, 2: .xls, by its value modulo 3); the rest is the file. Each input is imported
 * into a fresh copy of the project named by GRIDPLAN_FUZZ_PROJECT (the demo district split, made
 * by bench/fuzz/run.sh), so every row meets the real checks: communities, ID numbers, homes. */
#include "fuzz-common.h"

#include <stdlib.h>
#include <string.h>

#include "src/plan/gp-plan-roster.h"
#include "src/store/gp-project.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t len);

static GBytes *seed_project;

static void
load_seed_project (void)
{
  const char *path = g_getenv ("GRIDPLAN_FUZZ_PROJECT");
  g_autoptr (GError) error = NULL;
  g_autoptr (GMappedFile) file = NULL;

  if (path == NULL)
    {
      fprintf (stderr, "fuzz-roster: set GRIDPLAN_FUZZ_PROJECT to a project file (bench/fuzz/run.sh does)\n");
      exit (2);
    }
  file = g_mapped_file_new (path, FALSE, &error);
  if (file == NULL)
    {
      fprintf (stderr, "fuzz-roster: %s\n", error->message);
      exit (2);
    }
  seed_project = g_mapped_file_get_bytes (file);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t len)
{
  static const char *const names[] = { "roster.csv", "roster.xlsx", "roster.xls" };

  if (len < 1)
    return 0;
  if (seed_project == NULL)
    load_seed_project ();

  g_autofree char *roster = fuzz_file (names[data[0] % 3], data + 1, len - 1);
  gsize project_len = 0;
  const guint8 *project_data = g_bytes_get_data (seed_project, &project_len);
  g_autofree char *project_path = fuzz_file ("project.gpkg", project_data, project_len);
  g_autoptr (GError) error = NULL;
  g_autoptr (GpProject) project = gp_project_open (project_path, &error);

  if (project == NULL)
    {
      fprintf (stderr, "fuzz-roster: the seed project does not open: %s\n", error->message);
      abort ();
    }
  g_autoptr (GpRosterResult) result = gp_plan_import_roster (project, roster, NULL, NULL, &error);
  if (result != NULL)
    {
      /* What was written must read back. */
      g_autoptr (GError) load_error = NULL;
      g_autoptr (GPtrArray) people = gp_project_load_people (project, &load_error);
      if (people == NULL)
        {
          fprintf (stderr, "fuzz-roster: the people written do not load: %s\n", load_error->message);
          abort ();
        }
    }
  return 0;
}
