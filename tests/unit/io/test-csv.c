/* test-csv.c: CSV output byte for byte (BOM, RFC 4180 quoting, CRLF, WKT) and read back with libcsv. */
#include <csv.h>
#include <math.h>
#include <string.h>

#include "gp-csv.h"
#include "gp-error.h"
#include "gp-test-util.h"

enum { FIELD_NAME, FIELD_HOUSEHOLDS, FIELD_AREA, FIELD_DAY, FIELD_LOCKED };

static GpLayer *
sample_layer (void)
{
  static const double square[] = { 0, 0, 0, 1, 1, 1, 1, 0, 0, 0 };
  static const double two[] = { 0, 0, 0, 1, 1, 0, 0, 0, 5, 5, 5, 6, 6, 5, 5, 5 };
  GpLayer *layer = gp_layer_new ("grids");
  GpFeature *f;
  GpShape *shape;

  gp_layer_add_field (layer, "名称", GP_FIELD_STRING, 80, 0);
  gp_layer_add_field (layer, "households", GP_FIELD_INTEGER, 10, 0);
  gp_layer_add_field (layer, "area, m²", GP_FIELD_REAL, 20, 3);
  gp_layer_add_field (layer, "day", GP_FIELD_DATE, 8, 0);
  gp_layer_add_field (layer, "locked", GP_FIELD_LOGICAL, 1, 0);

  shape = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, 5, 1, 1);
  memcpy (shape->xy, square, sizeof square);
  f = gp_layer_append (layer, shape, 0);
  gp_feature_set_text (layer, f, FIELD_NAME, "东胜区, 第一网格");
  f->values[FIELD_HOUSEHOLDS] = (GpValue) { .is_null = FALSE, .integer = 312 };
  f->values[FIELD_AREA] = (GpValue) { .is_null = FALSE, .real = 0.1 };
  f->values[FIELD_DAY] = (GpValue) { .is_null = FALSE, .date = { 2023, 6, 30 } };
  f->values[FIELD_LOCKED] = (GpValue) { .is_null = FALSE, .logical = TRUE };

  f = gp_layer_append (layer, NULL, 1);
  gp_feature_set_text (layer, f, FIELD_NAME, "say \"hi\"\r\nsecond line");
  f->values[FIELD_HOUSEHOLDS] = (GpValue) { .is_null = FALSE, .integer = -5 };
  f->values[FIELD_AREA] = (GpValue) { .is_null = FALSE, .real = NAN };
  f->values[FIELD_LOCKED] = (GpValue) { .is_null = FALSE, .logical = FALSE };

  shape = gp_shape_new (GP_SHAPE_POINT, GP_SHAPE_HAS_Z, 1, 0, 0);
  shape->xy[0] = -122.515048;
  shape->xy[1] = 37.708327;
  shape->z[0] = 1e-300;
  f = gp_layer_append (layer, shape, 2);
  gp_feature_set_text (layer, f, FIELD_NAME, "plain");

  shape = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, 8, 2, 2);
  memcpy (shape->xy, two, sizeof two);
  shape->part_start[1] = 4;
  shape->polygon_start[1] = 1;
  gp_layer_append (layer, shape, 3);

  shape = gp_shape_new (GP_SHAPE_LINE, GP_SHAPE_FLAGS_NONE, 3, 2, 0);
  memcpy (shape->xy, two, 6 * sizeof (double));
  shape->part_start[1] = 2;
  gp_layer_append (layer, shape, 4);

  shape = gp_shape_new (GP_SHAPE_MULTIPOINT, GP_SHAPE_FLAGS_NONE, 2, 0, 0);
  memcpy (shape->xy, two + 8, 4 * sizeof (double));
  gp_layer_append (layer, shape, 5);

  gp_layer_append (layer, gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, 0, 0, 0), 6);
  return layer;
}

static const char expected[] =
  "\xEF\xBB\xBF"
  "名称,households,\"area, m²\",day,locked,WKT\r\n"
  "\"东胜区, 第一网格\",312,0.1,2023-06-30,true,\"POLYGON ((0 0, 0 1, 1 1, 1 0, 0 0))\"\r\n"
  "\"say \"\"hi\"\"\r\nsecond line\",-5,,,false,\r\n"
  "plain,,,,,POINT Z (-122.515048 37.708327 1e-300)\r\n"
  ",,,,,\"MULTIPOLYGON (((0 0, 0 1, 1 0, 0 0)), ((5 5, 5 6, 6 5, 5 5)))\"\r\n"
  ",,,,,\"MULTILINESTRING ((0 0, 0 1), (1 0))\"\r\n"
  ",,,,,\"MULTIPOINT ((5 5), (5 6))\"\r\n"
  ",,,,,POLYGON EMPTY\r\n";

static char *
write_sample (gsize *length)
{
  g_autoptr(GpLayer) layer = sample_layer ();
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "grids.csv", NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (gp_csv_write_layer (layer, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, length, NULL));
  gp_test_rmdir (dir);
  return text;
}

static void
test_bytes (void)
{
  gsize length;
  g_autofree char *text = write_sample (&length);

  g_assert_cmpuint (length, ==, strlen (expected));
  g_assert_cmpstr (text, ==, expected);
}

typedef struct {
  GPtrArray *records;   /* of GPtrArray of char* */
  GPtrArray *current;
} Parsed;

static void
on_field (void *data, size_t len, void *user_data)
{
  Parsed *parsed = user_data;

  if (parsed->current == NULL)
    parsed->current = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (parsed->current, g_strndup (data != NULL ? data : "", len));
}

static void
on_record (int end, void *user_data)
{
  Parsed *parsed = user_data;

  g_ptr_array_add (parsed->records, g_steal_pointer (&parsed->current));
}

/* What a strict RFC 4180 reader makes of it: the same fields, whatever they contain. */
static void
test_read_back (void)
{
  gsize length;
  g_autofree char *text = write_sample (&length);
  Parsed parsed = { g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref), NULL };
  struct csv_parser parser;
  GPtrArray *row;

  g_assert_cmpint (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI), ==, 0);
  g_assert_cmpuint (csv_parse (&parser, text + 3, length - 3, on_field, on_record, &parsed), ==, length - 3);
  g_assert_cmpint (csv_fini (&parser, on_field, on_record, &parsed), ==, 0);
  csv_free (&parser);

  g_assert_cmpuint (parsed.records->len, ==, 8);
  for (guint i = 0; i < parsed.records->len; i++)
    g_assert_cmpuint (((GPtrArray *) parsed.records->pdata[i])->len, ==, 6);

  row = parsed.records->pdata[0];
  g_assert_cmpstr (row->pdata[0], ==, "名称");
  g_assert_cmpstr (row->pdata[2], ==, "area, m²");
  g_assert_cmpstr (row->pdata[5], ==, "WKT");
  row = parsed.records->pdata[1];
  g_assert_cmpstr (row->pdata[0], ==, "东胜区, 第一网格");
  g_assert_cmpstr (row->pdata[5], ==, "POLYGON ((0 0, 0 1, 1 1, 1 0, 0 0))");
  row = parsed.records->pdata[2];
  g_assert_cmpstr (row->pdata[0], ==, "say \"hi\"\r\nsecond line");
  g_assert_cmpstr (row->pdata[2], ==, "");
  g_assert_cmpstr (row->pdata[5], ==, "");
  g_ptr_array_unref (parsed.records);
}

static void
test_empty_layer_and_errors (void)
{
  g_autoptr(GpLayer) layer = gp_layer_new ("nothing");
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "empty.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "no-such-dir", "x.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gp_csv_write_layer (layer, path, &error));
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "\xEF\xBB\xBFWKT\r\n");

  g_assert_false (gp_csv_write_layer (layer, bad, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_IO);
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  gp_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/bytes", test_bytes);
  g_test_add_func ("/csv/read-back", test_read_back);
  g_test_add_func ("/csv/empty-layer-and-errors", test_empty_layer_and_errors);

  return g_test_run ();
}
