/* gp-cli-split.c: `gridplan-cli split`: a units file in one go (assignment CSV, grid polygons), or the areas of a project. */
#include "gp-config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gp-cli.h"
#include "gp-layer-write.h"
#include "gp-plan-data.h"
#include "gp-plan-split.h"
#include "gp-codes.h"
#include "gp-csv.h"
#include "gp-error.h"
#include "gp-geojson.h"
#include "gp-gpkg.h"
#include "gp-output.h"
#include "gp-project-grids.h"
#include "gp-shp.h"
#include "gp-split.h"
#include "gp-text.h"

typedef struct {
  char     *weight;
  double    target;
  char     *parent;
  double    tolerance;
  gint64    seed;
  char     *mode;
  char     *assign_csv;
  char     *grids;
  char    **areas;
  char     *encoding;
  gint      threads;
  gboolean  fresh;
  gboolean  json;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->weight);
  g_free (o->parent);
  g_free (o->mode);
  g_free (o->assign_csv);
  g_free (o->grids);
  g_strfreev (o->areas);
  g_free (o->encoding);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static gboolean
parse_mode (const char *text, GpSplitMode *mode)
{
  static const struct { const char *name; GpSplitMode mode; } modes[] = {
    { "auto", GP_SPLIT_MODE_AUTO }, { "units", GP_SPLIT_MODE_UNITS },
    { "points", GP_SPLIT_MODE_POINTS }, { "geometry", GP_SPLIT_MODE_GEOMETRY },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (modes); i++)
    if (g_strcmp0 (text, modes[i].name) == 0)
      {
        *mode = modes[i].mode;
        return TRUE;
      }
  return FALSE;
}

static void
print_summary (GpSplitReport *report, guint n_units, const char *what)
{
  g_autofree char *text = gp_split_report_to_text (report);

  /* TRANSLATORS: "split 663 units into 66 grids", then the report's figures. */
  g_print (_("split %u %s into %u grids\n"), n_units, what, gp_split_report_get_n_grids (report));
  g_print ("%s", text);
}

/* What could not be met and the data's problems, one warning line each. */
static void
print_report_sentences (GpSplitReport *report)
{
  const GPtrArray *explanations = gp_split_report_get_explanations (report);
  const GPtrArray *notes = gp_split_report_get_notes (report);

  for (guint i = 0; i < explanations->len; i++)
    gp_cli_warn ("%s", (const char *) g_ptr_array_index (explanations, i));
  for (guint i = 0; i < notes->len; i++)
    gp_cli_warn ("%s", (const char *) g_ptr_array_index (notes, i));
}

/* ---------------------------------------------------------------------------------------------
 * One go: a units file
 * ------------------------------------------------------------------------------------------- */

typedef struct {
  char      *value;       /* the parent field's value as text; NULL: none */
  GArray    *features;    /* guint: indices into the layer */
} Group;

static void
group_free (Group *g)
{
  g_free (g->value);
  g_array_unref (g->features);
  g_free (g);
}

static gboolean
all_integral (const double *values, guint n)
{
  for (guint i = 0; i < n; i++)
    if (values[i] != floor (values[i]) || fabs (values[i]) > 1e15)
      return FALSE;
  return TRUE;
}

/* The grid polygons as a layer: code, area, households, units. */
static GpLayer *
grids_layer (GpLayer *source, GPtrArray *groups, GPtrArray *results, gboolean integral)
{
  GpLayer *layer = gp_layer_new ("grids");
  guint f_code, f_area, f_households, f_units;

  f_code = gp_layer_add_field (layer, "code", GP_FIELD_STRING, 40, 0);
  f_area = gp_layer_add_field (layer, "area", GP_FIELD_STRING, 80, 0);
  f_households = integral ? gp_layer_add_field (layer, "households", GP_FIELD_INTEGER, 12, 0)
                          : gp_layer_add_field (layer, "households", GP_FIELD_REAL, 19, 3);
  f_units = gp_layer_add_field (layer, "units", GP_FIELD_INTEGER, 10, 0);
  gp_layer_set_crs (layer, gp_layer_get_crs (source));
  gp_layer_set_geometry_type (layer, GP_GEOMETRY_TYPE_POLYGON);
  gp_layer_set_encoding (layer, "UTF-8");
  for (guint a = 0; a < results->len; a++)
    {
      GpSplitResult *r = g_ptr_array_index (results, a);
      Group *group = g_ptr_array_index (groups, a);

      for (guint g = 0; g < r->grids->len; g++)
        {
          GpSplitGrid *grid = g_ptr_array_index (r->grids, g);
          GpFeature *f = gp_layer_append (layer, gp_shape_copy (grid->shape), gp_layer_get_n_features (layer));

          gp_feature_set_text (layer, f, f_code, grid->code);
          if (group->value != NULL)
            gp_feature_set_text (layer, f, f_area, group->value);
          f->values[f_households].is_null = FALSE;
          if (integral)
            f->values[f_households].integer = (gint64) llround (grid->households);
          else
            f->values[f_households].real = grid->households;
          f->values[f_units].is_null = FALSE;
          f->values[f_units].integer = grid->n_units;
        }
    }
  return layer;
}

static int
split_file (const char *subcommand, const char *file, Options *o, const GpSplitOptions *split_options,
            gint64 start)
{
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  g_autoptr(GHashTable) group_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GpSplitReport) report = NULL;
  g_autoptr(GpOutput) csv = NULL;
  g_autofree double *weights = NULL;
  g_autofree GpSplitArea *areas = NULL;
  g_autofree const GpShape **shapes = NULL;
  g_autofree double *unit_weights = NULL;
  g_autofree char **unit_names = NULL;
  g_autofree double *points = NULL;
  int weight_field, parent_field = -1;
  guint n, n_null_weights = 0, offset = 0;
  gboolean point_layer;
  Group *no_parent = NULL;

  layer = gp_cli_read_layer (file, o->encoding, NULL, GP_SHP_READ_REPAIR, &error);
  if (layer == NULL)
    return gp_cli_fail_on (file, error);
  gp_cli_print_warnings (layer);
  n = gp_layer_get_n_features (layer);
  if (n == 0)
    return gp_cli_fail (file, _("there are no units to split"));

  weight_field = gp_layer_find_field (layer, o->weight);
  if (weight_field < 0)
    return gp_cli_fail (file, _("no field “%s” for the households (--weight)"), o->weight);
  if (o->parent != NULL)
    {
      parent_field = gp_layer_find_field (layer, o->parent);
      if (parent_field < 0)
        return gp_cli_fail (file, _("no field “%s” for the parent areas (--parent)"), o->parent);
    }
  switch (gp_layer_get_geometry_type (layer))
    {
    case GP_GEOMETRY_TYPE_POLYGON:
    case GP_GEOMETRY_TYPE_POLYGONZ:
    case GP_GEOMETRY_TYPE_POLYGONM:
    case GP_GEOMETRY_TYPE_MULTIPATCH:
      point_layer = FALSE;
      break;
    case GP_GEOMETRY_TYPE_POINT:
    case GP_GEOMETRY_TYPE_POINTZ:
    case GP_GEOMETRY_TYPE_POINTM:
      point_layer = TRUE;
      break;
    default:
      return gp_cli_fail (file, _("the units must be polygons (or household points), not %s"),
                          gp_geometry_type_name (gp_layer_get_geometry_type (layer)));
    }

  weights = g_new0 (double, n + 1);
  for (guint i = 0; i < n; i++)
    {
      GpFeature *f = gp_layer_get_feature (layer, i);
      const GpValue *v = &f->values[weight_field];
      double w = gp_plan_value_number (layer, f, weight_field);

      if (v->is_null)
        {
          n_null_weights++;
          w = 0.0;
        }
      else if (!isfinite (w))
        return gp_cli_fail (file, _("record %u: %s is not a number of households"), f->record, o->weight);
      else if (w < 0.0)
        return gp_cli_fail (file, _("record %u: %s is %g, but households cannot be negative"),
                            f->record, o->weight, w);
      weights[i] = w;
    }
  if (n_null_weights > 0)
    gp_cli_warn (g_dngettext (GETTEXT_PACKAGE, "%s: %u record has no %s; counted as 0 households",
                              "%s: %u records have no %s; counted as 0 households", n_null_weights),
                 file, n_null_weights, o->weight);

  /* Areas: groups of units with one parent value, in the order they first appear. */
  for (guint i = 0; i < n; i++)
    {
      GpFeature *f = gp_layer_get_feature (layer, i);
      g_autofree char *value = parent_field >= 0 ? gp_plan_value_text (layer, f, parent_field) : NULL;
      Group *group;

      if (value != NULL)
        g_strstrip (value);
      if (value != NULL && *value == '\0')
        g_clear_pointer (&value, g_free);
      group = value != NULL ? g_hash_table_lookup (group_of, value) : no_parent;
      if (group == NULL)
        {
          group = g_new0 (Group, 1);
          group->value = g_steal_pointer (&value);
          group->features = g_array_new (FALSE, FALSE, sizeof (guint));
          g_ptr_array_add (groups, group);
          if (group->value != NULL)
            g_hash_table_insert (group_of, group->value, group);
          else
            no_parent = group;
        }
      g_array_append_val (group->features, i);
    }
  if (parent_field >= 0 && no_parent != NULL)
    gp_cli_warn (g_dngettext (GETTEXT_PACKAGE, "%s: %u record has no %s; it is split as an area of its own",
                              "%s: %u records have no %s; they are split as an area of their own",
                              no_parent->features->len),
                 file, no_parent->features->len, o->parent);

  areas = g_new0 (GpSplitArea, groups->len + 1);
  shapes = g_new0 (const GpShape *, n + 1);
  unit_weights = g_new0 (double, n + 1);
  unit_names = g_new0 (char *, n + 1);
  points = g_new0 (double, 2 * (gsize) n + 1);
  for (guint a = 0; a < groups->len; a++)
    {
      Group *group = g_ptr_array_index (groups, a);
      GpSplitArea *area = &areas[a];

      area->code = group->value;
      area->households = -1.0;
      for (guint k = 0; k < group->features->len; k++)
        {
          guint i = g_array_index (group->features, guint, k);
          GpFeature *f = gp_layer_get_feature (layer, i);

          shapes[offset + k] = f->shape;
          unit_weights[offset + k] = weights[i];
          /* Units are named in the split's notes; household points never are. */
          if (!point_layer)
            unit_names[offset + k] = g_strdup_printf (_("record %u"), f->record);
          if (point_layer)
            {
              gboolean usable = f->shape != NULL && f->shape->n_points > 0;

              points[2 * (offset + k)] = usable ? f->shape->xy[0] : NAN;
              points[2 * (offset + k) + 1] = usable ? f->shape->xy[1] : NAN;
            }
        }
      if (point_layer)
        {
          area->n_points = group->features->len;
          area->points_xy = points + 2 * offset;
          area->point_households = unit_weights + offset;
        }
      else
        {
          area->n_units = group->features->len;
          area->units = shapes + offset;
          area->unit_households = unit_weights + offset;
          area->unit_names = (const char *const *) unit_names + offset;
        }
      offset += group->features->len;
    }

  /* Household points come without an area polygon: each area is the hull of its points. */
  results = gp_split_run (gp_layer_get_crs (layer), areas, groups->len, split_options, &error);
  for (guint i = 0; i < n; i++)
    g_free (unit_names[i]);
  if (results == NULL)
    return gp_cli_fail_on (file, error);

  /* Outputs: the grids first; the assignment CSV is committed only once they are written. */
  if (o->assign_csv != NULL)
    {
      FILE *out;

      csv = gp_output_new (o->assign_csv, &error);
      if (csv == NULL)
        return gp_cli_fail_on (o->assign_csv, error);
      out = gp_output_get_stream (csv);
      fputs ("unit,grid\n", out);
      offset = 0;
      for (guint a = 0; a < groups->len; a++)
        {
          Group *group = g_ptr_array_index (groups, a);
          GpSplitResult *r = g_ptr_array_index (results, a);

          for (guint k = 0; k < group->features->len; k++)
            {
              guint i = g_array_index (group->features, guint, k);
              guint g = r->grid_of_unit[k];

              /* unit = the 0-based record index in the file; grid empty when left out. */
              fprintf (out, "%u,", gp_layer_get_feature (layer, i)->record);
              if (g != G_MAXUINT)
                gp_csv_write_field (out, ((GpSplitGrid *) g_ptr_array_index (r->grids, g))->code);
              fputc ('\n', out);
            }
        }
    }
  if (o->grids != NULL)
    {
      g_autoptr(GpLayer) out = grids_layer (layer, groups, results, all_integral (weights, n));

      if (!gp_layer_write_by_name (out, o->grids, FALSE, &error))
        return gp_cli_fail_on (o->grids, error);
    }
  if (csv != NULL && !gp_output_commit (csv, &error))
    return gp_cli_fail_on (o->assign_csv, error);

  report = gp_split_report_from_results (results, split_options->target, split_options->tolerance);
  if (!o->json)
    print_report_sentences (report);
  gp_split_report_set_elapsed (report, (g_get_monotonic_time () - start) / 1e6);
  if (o->json)
    {
      g_autofree char *json = gp_split_report_to_json (report);

      g_print ("%s\n", json);
    }
  else
    print_summary (report, n, point_layer ? _("household points") : _("units"));
  return GP_CLI_OK;
}

/* ---------------------------------------------------------------------------------------------
 * A project: every village/community, or the areas named
 * ------------------------------------------------------------------------------------------- */

/* Progress on a terminal: one line redrawn in place, on stderr. */
static void
on_progress (double fraction, const char *sentence, gpointer user_data)
{
  g_printerr ("\r%3.0f%% %-60s", 100.0 * fraction, sentence);
  if (fraction >= 1.0)
    g_printerr ("\r%-66s\r", "");
}

static int
split_project (const char *path, Options *o, const GpSplitOptions *split_options, gint64 start)
{
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GpPlanSplitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GpPlanSplitOptions options;

  project = gp_project_open (path, &error);
  if (project == NULL)
    return gp_cli_fail_on (path, error);
  gp_plan_split_options_init (&options);
  options.target = split_options->target;
  options.tolerance = split_options->tolerance;
  options.seed = split_options->seed;
  options.mode = split_options->mode;
  options.n_threads = split_options->n_threads;
  options.areas = (const char *const *) o->areas;
  options.fresh = o->fresh;
  result = gp_plan_split (project, &options, isatty (fileno (stderr)) ? on_progress : NULL, NULL, NULL, &error);
  if (result == NULL)
    return gp_cli_fail_on (path, error);

  if (!o->json)
    print_report_sentences (result->report);
  gp_split_report_set_elapsed (result->report, (g_get_monotonic_time () - start) / 1e6);
  if (o->json)
    {
      g_autofree char *json = gp_split_report_to_json (result->report);

      g_print ("%s\n", json);
    }
  else
    {
      print_summary (result->report, result->n_units, _("units"));
      if (result->n_unchanged > 0)
        g_print (g_dngettext (GETTEXT_PACKAGE, "%u grid kept as it was; %u kept its code\n",
                              "%u grids kept as they were; %u kept their codes\n", result->n_unchanged),
                 result->n_unchanged, result->n_kept_code);
      g_print (g_dngettext (GETTEXT_PACKAGE, "wrote the grids of %u area into %s\n",
                            "wrote the grids of %u areas into %s\n", result->n_areas),
               result->n_areas, path);
    }
  return GP_CLI_OK;
}

int
gp_cli_split (int argc, char **argv)
{
  g_auto(Options) o = { 0 };
  char *target_text = NULL, *tolerance_text = NULL, *seed_text = NULL;
  const GOptionEntry entries[] = {
    { "weight", 0, 0, G_OPTION_ARG_STRING, &o.weight,
      N_("Field with each unit's households (splitting a units file)"), N_("FIELD") },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target_text,
      N_("Households per grid (T), e.g. 300"), N_("T") },
    { "parent", 0, 0, G_OPTION_ARG_STRING, &o.parent,
      N_("Field naming each unit's village/community; without it the whole file is one area"), N_("FIELD") },
    { "tolerance", 0, 0, G_OPTION_ARG_STRING, &tolerance_text,
      N_("Accepted deviation from T as a share (default 0.15, ±15%)"), N_("F") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_("Seed: the same seed and data give the same grids (default 0)"), N_("N") },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &o.mode,
      N_("units, points or geometry (default: chosen by the data)"), N_("MODE") },
    { "assign-csv", 0, 0, G_OPTION_ARG_FILENAME, &o.assign_csv,
      N_("Write the unit → grid assignment as CSV (unit = 0-based record index)"), N_("OUT.csv") },
    { "grids", 0, 0, G_OPTION_ARG_FILENAME, &o.grids,
      N_("Write the grid polygons (.gpkg, .shp or .geojson)"), N_("OUT") },
    { "area", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.areas,
      N_("Split only this area of the project (repeatable)"), N_("CODE") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &o.encoding,
      N_("Text encoding of a shapefile's DBF (GBK, UTF-8...)"), N_("ENC") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &o.threads,
      N_("Areas split at once (default: one per core)"), N_("N") },
    { "fresh", 0, 0, G_OPTION_ARG_NONE, &o.fresh,
      N_("Redraw every grid of a project (without it grids no change touched are kept)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, N_("Print the quality report as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("UNITS.shp|PROJECT.gpkg"));
  g_autofree char *target_owned = NULL, *tolerance_owned = NULL, *seed_owned = NULL;
  GpSplitOptions split_options;
  gint64 start = g_get_monotonic_time ();
  int status = GP_CLI_OK;
  const char *file;
  char *end = NULL;

  g_option_context_set_summary (context,
    _("Split villages and communities into grids of about T households: contiguous, compact,\n"
      "covering each area exactly.\n\n"
      "With --weight, FILE is a units file (polygons, or household points) split in one go: the\n"
      "units with one --parent value form one area (the union of their polygons; for points,\n"
      "their hull). Grid codes are the area's 12-digit code and a 3-digit number in map reading\n"
      "order (north to south, west to east); a --parent value that is not a 12-digit code is\n"
      "followed by “-” (A-001); without --parent the code is 000000000000 and the number.\n\n"
      "Without --weight, FILE is a project: every village/community (or each --area) is split and\n"
      "its grids written. Locked and exclusive grids stay; a re-split keeps every grid whose units\n"
      "and households did not change and redraws only around the changes (--fresh redraws all).\n"
      "Codes follow the ground: a grid takes the code of the earlier grid it shares most households\n"
      "with; people on a grid that went away or moved are listed, never moved silently."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gp_cli_parse (context, &argc, &argv, &status))
    return status;
  target_owned = target_text;
  tolerance_owned = tolerance_text;
  seed_owned = seed_text;
  if (argc != 2)
    return gp_cli_usage (argv[0], _("expected one units file or project"));
  file = argv[1];

  gp_split_options_init (&split_options);
  if (target_text == NULL)
    return gp_cli_usage (argv[0], _("give the households per grid with --target T"));
  split_options.target = g_ascii_strtod (target_text, &end);
  if (end == target_text || *end != '\0' || !(split_options.target > 0.0) || !isfinite (split_options.target))
    return gp_cli_usage (argv[0], _("--target must be a positive number of households"));
  if (tolerance_text != NULL)
    {
      split_options.tolerance = g_ascii_strtod (tolerance_text, &end);
      if (end == tolerance_text || *end != '\0' || !(split_options.tolerance >= 0.0)
          || !(split_options.tolerance < 1.0))
        return gp_cli_usage (argv[0], _("--tolerance must be a share from 0 to below 1, e.g. 0.15"));
    }
  if (seed_text != NULL)
    {
      guint64 seed = 0;

      if (!g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXUINT64, &seed, NULL))
        return gp_cli_usage (argv[0], _("--seed must be a whole number of 0 or more"));
      split_options.seed = seed;
    }
  if (o.mode != NULL && !parse_mode (o.mode, &split_options.mode))
    return gp_cli_usage (argv[0], _("--mode must be units, points or geometry"));
  if (o.threads < 0)
    return gp_cli_usage (argv[0], _("--threads must be 0 or more"));
  split_options.n_threads = (guint) o.threads;
  if (o.encoding != NULL && gp_text_canonical_encoding (o.encoding) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("unknown encoding “%s”"), o.encoding);
      return gp_cli_usage (argv[0], message);
    }

  if (o.weight != NULL)
    {
      if (o.areas != NULL)
        return gp_cli_usage (argv[0], _("--area is for projects; a units file uses --parent"));
      return split_file (argv[0], file, &o, &split_options, start);
    }
  if (o.parent != NULL || o.assign_csv != NULL || o.grids != NULL)
    return gp_cli_usage (argv[0], _("splitting a units file needs --weight FIELD"));
  if (!g_file_test (file, G_FILE_TEST_EXISTS))
    return gp_cli_fail (file, "%s", g_strerror (ENOENT));
  if (!gp_cli_is_geopackage (file))
    return gp_cli_usage (argv[0], _("a units file needs --weight FIELD (a project is a .gpkg)"));
  return split_project (file, &o, &split_options, start);
}
