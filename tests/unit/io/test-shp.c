/* test-shp.c: shapefiles generated here: every encoding path, every kind of broken file, ring
 * assembly, every shape type, and writing that reads back the same (or leaves nothing). */
#include <math.h>
#include <shapefil.h>
#include <stdio.h>
#include <string.h>

#include "gp-error.h"
#include "gp-shp.h"
#include "gp-text.h"
#include "tests/gp-test-util.h"

/* ---- fixtures: raw bytes, for files shapelib would refuse to write ---- */

static void
put_be32 (GByteArray *a, guint32 v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };

  g_byte_array_append (a, b, 4);
}

static void
put_le32 (GByteArray *a, guint32 v)
{
  guint8 b[4] = { v, v >> 8, v >> 16, v >> 24 };

  g_byte_array_append (a, b, 4);
}

static void
put_double (GByteArray *a, double v)
{
  guint64 bits;

  memcpy (&bits, &v, 8);
  put_le32 (a, (guint32) bits);
  put_le32 (a, (guint32) (bits >> 32));
}

static void
set_be32 (GByteArray *a, gsize at, guint32 v)
{
  a->data[at] = v >> 24, a->data[at + 1] = v >> 16, a->data[at + 2] = v >> 8, a->data[at + 3] = v;
}

static void
set_le32 (GByteArray *a, gsize at, guint32 v)
{
  a->data[at] = v, a->data[at + 1] = v >> 8, a->data[at + 2] = v >> 16, a->data[at + 3] = v >> 24;
}

typedef struct {
  GByteArray *shp;
  GByteArray *shx;
  int type;
  guint count;
} Raw;

static Raw *
raw_new (int type)
{
  Raw *raw = g_new0 (Raw, 1);
  guint8 zero[100] = { 0 };

  raw->shp = g_byte_array_new ();
  raw->shx = g_byte_array_new ();
  raw->type = type;
  g_byte_array_append (raw->shp, zero, 100);
  g_byte_array_append (raw->shx, zero, 100);
  return raw;
}

static void
raw_add (Raw *raw, GByteArray *content)
{
  put_be32 (raw->shx, raw->shp->len / 2);
  put_be32 (raw->shx, content->len / 2);
  put_be32 (raw->shp, ++raw->count);
  put_be32 (raw->shp, content->len / 2);
  g_byte_array_append (raw->shp, content->data, content->len);
  g_byte_array_unref (content);
}

static void
raw_header (GByteArray *a, int type, guint32 length)
{
  set_be32 (a, 0, 9994);
  set_be32 (a, 24, length / 2);
  set_le32 (a, 28, 1000);
  set_le32 (a, 32, (guint32) type);
}

/* Writes BASE.shp (and BASE.shx) with headers that tell the truth. */
static void
raw_save (Raw *raw, const char *base, gboolean with_shx)
{
  g_autofree char *shp = g_strconcat (base, ".shp", NULL);
  g_autofree char *shx = g_strconcat (base, ".shx", NULL);

  raw_header (raw->shp, raw->type, raw->shp->len);
  raw_header (raw->shx, raw->type, raw->shx->len);
  g_assert_true (g_file_set_contents (shp, (char *) raw->shp->data, raw->shp->len, NULL));
  if (with_shx)
    g_assert_true (g_file_set_contents (shx, (char *) raw->shx->data, raw->shx->len, NULL));
  g_byte_array_unref (raw->shp);
  g_byte_array_unref (raw->shx);
  g_free (raw);
}

static GByteArray *
rec_point (double x, double y)
{
  GByteArray *a = g_byte_array_new ();

  put_le32 (a, SHPT_POINT);
  put_double (a, x);
  put_double (a, y);
  return a;
}

static GByteArray *
rec_null (void)
{
  GByteArray *a = g_byte_array_new ();

  put_le32 (a, SHPT_NULL);
  return a;
}

/* A PolyLine or Polygon record with the given (possibly lying) counts. */
static GByteArray *
rec_poly (int type, guint32 n_parts, const guint32 *parts, guint32 n_points, const double *xy)
{
  GByteArray *a = g_byte_array_new ();

  put_le32 (a, (guint32) type);
  for (guint i = 0; i < 4; i++)
    put_double (a, 0.0);
  put_le32 (a, n_parts);
  put_le32 (a, n_points);
  for (guint i = 0; parts != NULL && i < n_parts; i++)
    put_le32 (a, parts[i]);
  for (guint i = 0; xy != NULL && i < 2 * n_points; i++)
    put_double (a, xy[i]);
  return a;
}

/* A square record whose part or point count is then overwritten with a lie. */
static GByteArray *
rec_lying (guint32 n_parts, guint32 n_points);

/* Projected coordinates, so that nothing takes them for longitude and latitude. */
#define X0 500000.0
#define Y0 4400000.0
static const double square_xy[10] = { X0, Y0, X0, Y0 + 10, X0 + 10, Y0 + 10, X0 + 10, Y0, X0, Y0 };
static const guint32 one_part[1] = { 0 };

static GByteArray *
rec_square (double dx)
{
  double xy[10];

  for (guint i = 0; i < 10; i++)
    xy[i] = square_xy[i] + (i % 2 == 0 ? dx : 0);
  return rec_poly (SHPT_POLYGON, 1, one_part, 5, xy);
}

static GByteArray *
rec_lying (guint32 n_parts, guint32 n_points)
{
  GByteArray *a = rec_poly (SHPT_POLYGON, 1, one_part, 5, square_xy);

  if (n_parts != 0)
    set_le32 (a, 36, n_parts);
  if (n_points != 0)
    set_le32 (a, 40, n_points);
  return a;
}

/* ---- fixtures through shapelib, for files as real writers make them ---- */

static void
write_objects (const char *base, int type, SHPObject **objects, guint n)
{
  SHPHandle shp = SHPCreate (base, type);

  g_assert_nonnull (shp);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (SHPWriteObject (shp, -1, objects[i]), ==, (int) i);
      SHPDestroyObject (objects[i]);
    }
  SHPClose (shp);
}

static void
write_points (const char *base, guint n)
{
  g_autofree SHPObject **objects = g_new0 (SHPObject *, n);

  for (guint i = 0; i < n; i++)
    {
      double x = X0 + i, y = Y0 + i;

      objects[i] = SHPCreateSimpleObject (SHPT_POINT, 1, &x, &y, NULL);
    }
  write_objects (base, SHPT_POINT, objects, n);
}

/* A .dbf with one text field NAME whose values are the given raw bytes. LDID is "LDID/n" or
 * a code page name (which makes shapelib write a .cpg), or NULL for LDID 0. */
static void
write_names (const char *base, const char *ldid, const char *field, const char *const *names, guint n)
{
  g_autofree char *path = g_strconcat (base, ".dbf", NULL);
  DBFHandle dbf = DBFCreateEx (path, ldid != NULL ? ldid : "LDID/0");

  g_assert_nonnull (dbf);
  g_assert_cmpint (DBFAddField (dbf, field, FTString, 40, 0), ==, 0);
  for (guint i = 0; i < n; i++)
    g_assert_true (DBFWriteStringAttribute (dbf, i, 0, names[i]));
  DBFClose (dbf);
}

static char *
to_gbk (const char *utf8)
{
  g_autoptr(GError) error = NULL;
  char *bytes = gp_text_encode (utf8, "GBK", NULL, &error);

  g_assert_no_error (error);
  return bytes;
}

static void
set_file (const char *base, const char *ext, const char *contents, gssize length)
{
  g_autofree char *path = g_strconcat (base, ext, NULL);

  g_assert_true (g_file_set_contents (path, contents, length, NULL));
}

static void
remove_file (const char *base, const char *ext)
{
  g_autofree char *path = g_strconcat (base, ext, NULL);

  g_assert_cmpint (g_unlink (path), ==, 0);
}

static GpLayer *
read_ok (const char *base, const char *encoding, GpShpReadFlags flags)
{
  g_autofree char *path = g_strconcat (base, ".shp", NULL);
  g_autoptr(GError) error = NULL;
  GpLayer *layer = gp_shp_read (path, encoding, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (layer);
  return layer;
}

/* The error gp_shp_read gives for BASE.shp, which must name FILE. */
static void
assert_refused (const char *base, GpShpReadFlags flags, int code, const char *expected)
{
  g_autofree char *path = g_strconcat (base, ".shp", NULL);
  g_autoptr(GError) error = NULL;
  GpLayer *layer = gp_shp_read (path, NULL, flags, &error);

  g_assert_null (layer);
  g_assert_error (error, GP_ERROR, code);
  g_assert_cmpstr (error->message, ==, expected);
}

/* A formatted string freed when the test ends. */
static const char *S (const char *format, ...) G_GNUC_PRINTF (1, 2);

static const char *
S (const char *format, ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_test_queue_free (text);
  return text;
}

static gboolean
has_warning (GpLayer *layer, const char *text)
{
  GPtrArray *warnings = gp_layer_get_warnings (layer);

  for (guint i = 0; i < warnings->len; i++)
    if (strcmp (g_ptr_array_index (warnings, i), text) == 0)
      return TRUE;
  return FALSE;
}

/* Asserts that LAYER has exactly the N warnings given (in any order). */
static void
assert_warnings (GpLayer *layer, guint n, ...)
{
  GPtrArray *warnings = gp_layer_get_warnings (layer);
  va_list args;

  va_start (args, n);
  for (guint i = 0; i < n; i++)
    {
      const char *expected = va_arg (args, const char *);

      if (!has_warning (layer, expected))
        {
          for (guint k = 0; k < warnings->len; k++)
            g_test_message ("warning: %s", (const char *) g_ptr_array_index (warnings, k));
          g_error ("missing warning: %s", expected);
        }
    }
  va_end (args);
  if (warnings->len != n)
    for (guint k = 0; k < warnings->len; k++)
      g_test_message ("warning: %s", (const char *) g_ptr_array_index (warnings, k));
  g_assert_cmpuint (warnings->len, ==, n);
}

static const char *
text_value (GpLayer *layer, guint feature, const char *field)
{
  int f = gp_layer_find_field (layer, field);
  GpFeature *feat;

  g_assert_cmpint (f, >=, 0);
  feat = gp_layer_get_feature (layer, feature);
  return feat->values[f].is_null ? NULL : feat->values[f].text;
}

/* ---- encodings ---- */

static const char *const county_names[] = { "东胜区", "康巴什区", "达拉特旗" };

/* Points with GBK names (and a GBK field name), as Chinese GIS offices hand them over. */
static void
write_gbk_fixture (const char *base, const char *ldid)
{
  g_autofree char *name0 = to_gbk (county_names[0]);
  g_autofree char *name1 = to_gbk (county_names[1]);
  g_autofree char *name2 = to_gbk (county_names[2]);
  g_autofree char *field = to_gbk ("名称");
  const char *names[3] = { name0, name1, name2 };

  write_points (base, 3);
  write_names (base, ldid, field, names, 3);
}

static void
assert_county_names (GpLayer *layer, const char *encoding)
{
  g_assert_cmpstr (gp_layer_get_encoding (layer), ==, encoding);
  g_assert_cmpuint (gp_layer_get_n_features (layer), ==, 3);
  g_assert_cmpstr (gp_layer_get_field (layer, 0)->name, ==, "名称");
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (text_value (layer, i, "名称"), ==, county_names[i]);
}

static void
test_encoding_cpg (void)
{
  static const char *const cpgs[] = { "936", "CP936", "cp936\r\n", "GBK", "GB2312 ", "GB18030" };
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "counties", NULL);

  write_gbk_fixture (base, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cpgs); i++)
    {
      g_autoptr(GpLayer) layer = NULL;

      set_file (base, ".cpg", cpgs[i], -1);
      layer = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
      assert_county_names (layer, gp_text_canonical_encoding (cpgs[i]));
      g_assert_cmpuint (gp_layer_get_warnings (layer)->len, ==, 0);
    }
  gp_test_rmdir (dir);
}

static void
test_encoding_cpg_utf8 (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "counties", NULL);
  g_autoptr(GpLayer) layer = NULL;

  write_points (base, 3);
  /* A .cpg saying UTF-8 over LDID 0x4D: the .cpg wins. */
  write_names (base, "LDID/77", "名称", county_names, 3);
  set_file (base, ".cpg", "UTF-8\r\n", -1);
  layer = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  assert_county_names (layer, "UTF-8");
  gp_test_rmdir (dir);
}

static void
test_encoding_ldid (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "counties", NULL);
  g_autofree char *dbf = g_strconcat (base, ".dbf", NULL);
  g_autofree char *cpg = g_strconcat (base, ".cpg", NULL);
  g_autoptr(GpLayer) layer = NULL;
  g_autofree char *bytes = NULL;
  gsize length = 0;

  write_gbk_fixture (base, "LDID/77");
  g_assert_false (g_file_test (cpg, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (dbf, &bytes, &length, NULL));
  g_assert_cmphex ((guint8) bytes[29], ==, 0x4D);
  layer = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  assert_county_names (layer, "GBK");
  g_assert_cmpuint (gp_layer_get_warnings (layer)->len, ==, 0);
  gp_test_rmdir (dir);
}

static void
test_encoding_detect (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "counties", NULL);
  g_autofree char *latin = g_build_filename (dir, "latin", NULL);
  g_autofree char *ascii = g_build_filename (dir, "ascii", NULL);
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GpLayer) latin_layer = NULL;
  g_autoptr(GpLayer) ascii_layer = NULL;
  const char *latin_names[3] = { "M\xE9xico", "\xD1" "and\xFA", "Ærø" };
  const char *ascii_names[3] = { "one", "two", "three" };

  /* No .cpg, LDID 0: GDAL decodes this as Latin-1; it is GBK. */
  write_gbk_fixture (base, NULL);
  layer = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  assert_county_names (layer, "GBK");
  g_assert_cmpuint (gp_layer_get_warnings (layer)->len, ==, 0);

  latin_names[2] = "\xC6r\xF8";
  write_points (latin, 3);
  write_names (latin, NULL, "NAME", latin_names, 3);
  latin_layer = read_ok (latin, NULL, GP_SHP_READ_DEFAULT);
  g_assert_cmpstr (gp_layer_get_encoding (latin_layer), ==, "CP1252");
  g_assert_cmpstr (text_value (latin_layer, 0, "NAME"), ==, "México");
  g_assert_cmpstr (text_value (latin_layer, 1, "NAME"), ==, "Ñandú");
  g_assert_cmpstr (text_value (latin_layer, 2, "NAME"), ==, "Ærø");

  write_points (ascii, 3);
  write_names (ascii, NULL, "NAME", ascii_names, 3);
  ascii_layer = read_ok (ascii, NULL, GP_SHP_READ_DEFAULT);
  g_assert_cmpstr (gp_layer_get_encoding (ascii_layer), ==, "UTF-8");
  g_assert_cmpstr (text_value (ascii_layer, 2, "NAME"), ==, "three");
  gp_test_rmdir (dir);
}

/* LDID 0x57 ("Windows ANSI") is what a Chinese PC's ANSI code page, GBK, is written with. */
static void
test_encoding_ldid_ansi (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "counties", NULL);
  g_autofree char *dbf = g_strconcat (base, ".dbf", NULL);
  g_autofree char *latin = g_build_filename (dir, "latin", NULL);
  g_autofree char *warning = NULL;
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GpLayer) latin_layer = NULL;
  const char *latin_names[1] = { "M\xE9xico" };

  write_gbk_fixture (base, "LDID/87");
  layer = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  assert_county_names (layer, "GBK");
  warning = g_strdup_printf ("%s: the table says Windows ANSI (CP1252) but its text reads as GBK; "
                             "it is decoded as GBK", dbf);
  assert_warnings (layer, 1, warning);

  write_points (latin, 1);
  write_names (latin, "LDID/87", "NAME", latin_names, 1);
  latin_layer = read_ok (latin, NULL, GP_SHP_READ_DEFAULT);
  g_assert_cmpstr (gp_layer_get_encoding (latin_layer), ==, "CP1252");
  g_assert_cmpstr (text_value (latin_layer, 0, "NAME"), ==, "México");
  assert_warnings (latin_layer, 0);
  gp_test_rmdir (dir);
}

static void
test_encoding_override (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "counties", NULL);
  g_autofree char *path = g_strconcat (base, ".shp", NULL);
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GpLayer) latin = NULL;
  g_autoptr(GError) error = NULL;

  /* A .cpg that lies: the user's --encoding wins over it. */
  write_gbk_fixture (base, NULL);
  set_file (base, ".cpg", "UTF-8", -1);
  layer = read_ok (base, "cp936", GP_SHP_READ_DEFAULT);
  assert_county_names (layer, "GBK");

  /* The same bytes forced to Latin-1 decode (wrongly, as asked) without a loss. */
  latin = read_ok (base, "latin1", GP_SHP_READ_DEFAULT);
  g_assert_cmpstr (gp_layer_get_encoding (latin), ==, "ISO-8859-1");
  {
    g_autofree char *gbk_name = to_gbk ("名称");
    g_autofree char *gbk_value = to_gbk (county_names[0]);
    g_autofree char *name = g_convert (gbk_name, -1, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
    g_autofree char *value = g_convert (gbk_value, -1, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);

    g_assert_cmpstr (gp_layer_get_field (latin, 0)->name, ==, name);
    g_assert_cmpstr (text_value (latin, 0, name), ==, value);
  }

  g_assert_null (gp_shp_read (path, "Klingon", GP_SHP_READ_DEFAULT, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_ENCODING);
  g_assert_cmpstr (error->message, ==, "Unknown text encoding “Klingon”");
  gp_test_rmdir (dir);
}

static void
test_encoding_html_cpg (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "counties", NULL);
  g_autofree char *cpg = g_strconcat (base, ".cpg", NULL);
  g_autofree char *warning = NULL;
  g_autoptr(GpLayer) layer = NULL;

  write_gbk_fixture (base, NULL);
  set_file (base, ".cpg", "<!DOCTYPE html>\n<html><body>404</body></html>\n", -1);
  layer = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  assert_county_names (layer, "GBK");
  warning = g_strdup_printf ("%s: it names no known text encoding; the encoding is guessed", cpg);
  assert_warnings (layer, 1, warning);
  gp_test_rmdir (dir);
}

/* A character cut by a too-narrow field and a byte that is not GBK become U+FFFD, once
 * reported. */
static void
test_encoding_lossy (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "lossy", NULL);
  g_autofree char *dbf = g_strconcat (base, ".dbf", NULL);
  g_autofree char *warning = NULL;
  g_autoptr(GpLayer) layer = NULL;
  const char *names[2] = { "\xb6\xab\xca", "\xb6\xab\x80\xca\xa4" };

  write_points (base, 2);
  write_names (base, "LDID/77", "NAME", names, 2);
  layer = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  g_assert_cmpstr (text_value (layer, 0, "NAME"), ==, "东\xEF\xBF\xBD");
  g_assert_cmpstr (text_value (layer, 1, "NAME"), ==, "东\xEF\xBF\xBD胜");
  warning = g_strdup_printf ("%s: 2 text values have bytes that are not valid GBK; they are shown as "
                             "“\xEF\xBF\xBD”", dbf);
  assert_warnings (layer, 1, warning);
  gp_test_rmdir (dir);
}

/* ---- attribute types ---- */

static void
test_dbf_types (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "types", NULL);
  g_autofree char *dbf_path = g_strconcat (base, ".dbf", NULL);
  g_autofree char *warning_n = NULL;
  g_autofree char *warning_d = NULL;
  g_autoptr(GpLayer) layer = NULL;
  DBFHandle dbf;
  /* Raw field contents, as written by assorted programs. */
  static const char *const rows[][9] = {
    /* TEXT       INT            BIG                   REAL0        REAL      FLOAT       DATE        LOG  PADDED */
    { "  lead  ", "        42", "1234567890123456789", "      7", "  -3.25", "  139.451", "20130102", "T", "x\0\0\0" },
    { "        ", "          ", "                   ", "       ", "       ", "         ", "        ", " ", "    " },
    { "end",      "**********", "*******************", "     12", "  1,5  ", "    1e3  ", "20130231", "?", "\0\0\0\0" },
    { "ok",       "       -17", "  -9.000000000000000", "  12.00", "   abc ", "  -0.001 ", "00000000", "n", "y   " },
    { "ok",       "      12.0", "                  1", "  3.5  ", "    5  ", "    0    ", "20240301", "y", "" },
  };
  static const char types[9] = { 'C', 'N', 'N', 'N', 'N', 'F', 'D', 'L', 'C' };
  static const int widths[9] = { 8, 10, 19, 7, 7, 9, 8, 1, 4 };
  static const int decimals[9] = { 0, 0, 0, 0, 2, 3, 0, 0, 0 };
  static const char *const names[9] = { "TEXT", "INT", "BIG", "REAL0", "REAL", "FLOAT", "DATE", "LOG", "PADDED" };
  GpFeature *f0, *f1, *f2, *f3, *f4;

  write_points (base, 5);
  dbf = DBFCreateEx (dbf_path, "UTF-8");
  for (guint f = 0; f < 9; f++)
    g_assert_cmpint (DBFAddNativeFieldType (dbf, names[f], types[f], widths[f], decimals[f]), ==, (int) f);
  for (guint r = 0; r < 5; r++)
    for (guint f = 0; f < 9; f++)
      {
        char value[32] = { 0 };

        memcpy (value, rows[r][f], MIN (strlen (rows[r][f]), (gsize) widths[f]));
        /* DBFWriteAttributeDirectly pads with blanks and copies up to the width. */
        g_assert_true (DBFWriteAttributeDirectly (dbf, r, f, value));
      }
  DBFClose (dbf);
  /* Make the PADDED field of rows 0 and 2 really NUL-padded, as some writers do. */
  {
    g_autofree char *bytes = NULL;
    gsize length = 0;
    guint header, record;
    int offset = 1;

    g_assert_true (g_file_get_contents (dbf_path, &bytes, &length, NULL));
    header = (guint8) bytes[8] | (guint8) bytes[9] << 8;
    record = (guint8) bytes[10] | (guint8) bytes[11] << 8;
    for (guint f = 0; f < 8; f++)
      offset += widths[f];
    memcpy (bytes + header + offset, "x\0\0\0", 4);
    memcpy (bytes + header + 2 * record + offset, "\0\0\0\0", 4);
    g_assert_true (g_file_set_contents (dbf_path, bytes, length, NULL));
  }

  layer = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  g_assert_cmpuint (gp_layer_get_n_fields (layer), ==, 9);
  g_assert_cmpint (gp_layer_get_field (layer, 0)->type, ==, GP_FIELD_STRING);
  g_assert_cmpint (gp_layer_get_field (layer, 1)->type, ==, GP_FIELD_INTEGER);
  g_assert_cmpint (gp_layer_get_field (layer, 2)->type, ==, GP_FIELD_REAL);   /* width 19 */
  g_assert_cmpint (gp_layer_get_field (layer, 3)->type, ==, GP_FIELD_INTEGER);
  g_assert_cmpint (gp_layer_get_field (layer, 4)->type, ==, GP_FIELD_REAL);
  g_assert_cmpint (gp_layer_get_field (layer, 5)->type, ==, GP_FIELD_REAL);
  g_assert_cmpint (gp_layer_get_field (layer, 6)->type, ==, GP_FIELD_DATE);
  g_assert_cmpint (gp_layer_get_field (layer, 7)->type, ==, GP_FIELD_LOGICAL);
  g_assert_cmpint (gp_layer_get_field (layer, 4)->width, ==, 7);
  g_assert_cmpint (gp_layer_get_field (layer, 4)->decimals, ==, 2);

  f0 = gp_layer_get_feature (layer, 0);
  f1 = gp_layer_get_feature (layer, 1);
  f2 = gp_layer_get_feature (layer, 2);
  f3 = gp_layer_get_feature (layer, 3);
  f4 = gp_layer_get_feature (layer, 4);
  /* Blanks on either side go; blank text is null. */
  g_assert_cmpstr (f0->values[0].text, ==, "lead");
  g_assert_true (f1->values[0].is_null);
  g_assert_cmpint (f0->values[1].integer, ==, 42);
  g_assert_true (f1->values[1].is_null);
  g_assert_true (f2->values[1].is_null);                   /* overflow stars */
  g_assert_cmpint (f3->values[1].integer, ==, -17);
  g_assert_cmpint (f4->values[1].integer, ==, 12);         /* "12.0" */
  g_assert_cmpfloat (f0->values[2].real, ==, 1234567890123456789.0);
  g_assert_cmpfloat (f3->values[2].real, ==, -9.0);
  g_assert_cmpint (f2->values[3].integer, ==, 12);
  g_assert_cmpint (f3->values[3].integer, ==, 12);         /* "12.00" */
  g_assert_true (f4->values[3].is_null);                   /* "3.5" is no integer */
  g_assert_cmpfloat (f0->values[4].real, ==, -3.25);
  g_assert_cmpfloat (f2->values[4].real, ==, 1.5);         /* decimal comma */
  g_assert_true (f3->values[4].is_null);                   /* "abc" */
  g_assert_cmpfloat (f0->values[5].real, ==, 139.451);
  g_assert_cmpfloat (f2->values[5].real, ==, 1000.0);
  g_assert_cmpfloat (f3->values[5].real, ==, -0.001);
  g_assert_false (f4->values[5].is_null);
  g_assert_cmpfloat (f4->values[5].real, ==, 0.0);
  g_assert_cmpuint (f0->values[6].date.year, ==, 2013);
  g_assert_cmpuint (f0->values[6].date.month, ==, 1);
  g_assert_cmpuint (f0->values[6].date.day, ==, 2);
  g_assert_true (f1->values[6].is_null);
  g_assert_true (f2->values[6].is_null);                   /* 31 February */
  g_assert_true (f3->values[6].is_null);                   /* 00000000 */
  g_assert_cmpuint (f4->values[6].date.day, ==, 1);
  g_assert_true (f0->values[7].logical);
  g_assert_true (f1->values[7].is_null);
  g_assert_true (f2->values[7].is_null);
  g_assert_false (f3->values[7].is_null);
  g_assert_false (f3->values[7].logical);
  g_assert_true (f4->values[7].logical);
  g_assert_cmpstr (f0->values[8].text, ==, "x");
  g_assert_true (f2->values[8].is_null);
  g_assert_cmpstr (f3->values[8].text, ==, "y");

  warning_n = g_strdup_printf ("%s: field “REAL0”: 1 value is not a valid number and is read as "
                               "empty", dbf_path);
  warning_d = g_strdup_printf ("%s: field “DATE”: 1 value is not a valid date and is read as "
                               "empty", dbf_path);
  assert_warnings (layer, 3, warning_n, warning_d,
                   S ("%s: field “REAL”: 1 value is not a valid number and is "
                                    "read as empty", dbf_path));
  gp_test_rmdir (dir);
}

/* ---- broken files ---- */

static void
test_broken_shp_header (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "broken", NULL);
  g_autofree char *shp = g_strconcat (base, ".shp", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GByteArray) garbage = g_byte_array_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint8 header[100] = { 0 };

  /* Zero bytes. */
  set_file (base, ".shp", "", 0);
  expected = g_strdup_printf ("%s: the file is empty", shp);
  assert_refused (base, GP_SHP_READ_DEFAULT, GP_ERROR_FORMAT, expected);
  g_clear_pointer (&expected, g_free);

  /* A header cut short. */
  header[2] = 0x27, header[3] = 0x0A;
  set_file (base, ".shp", (char *) header, 60);
  expected = g_strdup_printf ("%s: the file is too short to be a shapefile (60 bytes)", shp);
  assert_refused (base, GP_SHP_READ_DEFAULT, GP_ERROR_FORMAT, expected);
  g_clear_pointer (&expected, g_free);

  /* Text named .shp. */
  set_file (base, ".shp", "NAME,HOUSEHOLDS\n东胜区,1200\n康巴什区,800\n"
                          "padding padding padding padding padding padding padding padding\n", -1);
  expected = g_strdup_printf ("%s: not a shapefile (it does not start with the shapefile file code)", shp);
  assert_refused (base, GP_SHP_READ_DEFAULT, GP_ERROR_FORMAT, expected);

  /* Garbage. */
  for (guint i = 0; i < 4096; i++)
    {
      guint8 b = (guint8) g_rand_int_range (rand, 0, 256);

      g_byte_array_append (garbage, &b, 1);
    }
  set_file (base, ".shp", (char *) garbage->data, garbage->len);
  assert_refused (base, GP_SHP_READ_DEFAULT, GP_ERROR_FORMAT, expected);
  g_clear_pointer (&expected, g_free);

  /* An absurd shape type. */
  header[24] = 0, header[25] = 0, header[26] = 0, header[27] = 50;
  header[28] = 0xE8, header[29] = 0x03;
  header[32] = 7;
  set_file (base, ".shp", (char *) header, 100);
  expected = g_strdup_printf ("%s: the header names an unknown shape type (7)", shp);
  assert_refused (base, GP_SHP_READ_DEFAULT, GP_ERROR_FORMAT, expected);
  g_clear_pointer (&expected, g_free);

  /* A missing file. */
  g_unlink (shp);
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (gp_shp_read (shp, NULL, GP_SHP_READ_DEFAULT, &error));
    g_assert_error (error, GP_ERROR, GP_ERROR_IO);
    g_assert_true (g_str_has_prefix (error->message, shp));
  }
  gp_test_rmdir (dir);
}

/* Household points are read straight from their records: a point that is not a finite number
 * is skipped and named, the others kept with their attributes, in their order. */
static void
test_points_not_finite (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "households", NULL);
  g_autofree char *shp = g_strconcat (base, ".shp", NULL);
  g_autofree char *w1 = NULL, *w2 = NULL;
  g_autoptr(GpLayer) layer = NULL;
  const char *names[4] = { "a", "b", "c", "d" };
  Raw *raw = raw_new (SHPT_POINT);

  raw_add (raw, rec_point (500.5, 400.25));
  raw_add (raw, rec_point (NAN, 400.0));
  raw_add (raw, rec_point (510.0, INFINITY));
  raw_add (raw, rec_point (-0.5, 1e-300));
  raw_save (raw, base, TRUE);
  write_names (base, NULL, "NAME", names, 4);
  layer = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  g_assert_cmpuint (gp_layer_get_n_features (layer), ==, 2);
  g_assert_cmpuint (gp_layer_get_feature (layer, 0)->record, ==, 0);
  g_assert_cmpstr (text_value (layer, 0, "NAME"), ==, "a");
  g_assert_cmpint (gp_layer_get_feature (layer, 0)->shape->kind, ==, GP_SHAPE_POINT);
  g_assert_cmpfloat (gp_layer_get_feature (layer, 0)->shape->xy[0], ==, 500.5);
  g_assert_cmpfloat (gp_layer_get_feature (layer, 0)->shape->xy[1], ==, 400.25);
  g_assert_cmpuint (gp_layer_get_feature (layer, 1)->record, ==, 3);
  g_assert_cmpstr (text_value (layer, 1, "NAME"), ==, "d");
  g_assert_cmpfloat (gp_layer_get_feature (layer, 1)->shape->xy[0], ==, -0.5);
  w1 = g_strdup_printf ("%s: record 1: point 0 has a coordinate that is not a finite number", shp);
  w2 = g_strdup_printf ("%s: record 2: point 0 has a coordinate that is not a finite number", shp);
  assert_warnings (layer, 2, w1, w2);
  gp_test_rmdir (dir);
}

/* A header file length shorter than the file: read by the header. Longer: a truncated file. */
static void
test_broken_lying_length (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "lying", NULL);
  g_autofree char *shp = g_strconcat (base, ".shp", NULL);
  g_autofree char *bytes = NULL;
  g_autofree char *w1 = NULL, *w2 = NULL, *w3 = NULL, *w4 = NULL;
  g_autoptr(GpLayer) shorter = NULL;
  g_autoptr(GpLayer) truncated = NULL;
  gsize length = 0;
  Raw *raw = raw_new (SHPT_POINT);

  for (guint i = 0; i < 3; i++)
    raw_add (raw, rec_point (i, i));
  raw_save (raw, base, TRUE);

  /* 100 + 3 × 28 = 184 bytes; the header claims 156 (two records). */
  g_assert_true (g_file_get_contents (shp, &bytes, &length, NULL));
  g_assert_cmpuint (length, ==, 184);
  bytes[27] = 156 / 2;
  g_assert_true (g_file_set_contents (shp, bytes, length, NULL));
  shorter = read_ok (base, NULL, GP_SHP_READ_NO_ATTRIBUTES);
  g_assert_cmpuint (gp_layer_get_n_features (shorter), ==, 2);
  w1 = g_strdup_printf ("%s: the file is 184 bytes long but its header says 156; the extra bytes are ignored", shp);
  w2 = g_strdup_printf ("%s: record 2: the index points outside the file (byte 156)", shp);
  assert_warnings (shorter, 2, w1, w2);

  /* Cut in the middle of the third record; the header still says 184. */
  bytes[27] = 184 / 2;
  g_assert_true (g_file_set_contents (shp, bytes, 170, NULL));
  truncated = read_ok (base, NULL, GP_SHP_READ_NO_ATTRIBUTES);
  g_assert_cmpuint (gp_layer_get_n_features (truncated), ==, 2);
  w3 = g_strdup_printf ("%s: the file is shorter than its header says (170 of 184 bytes); it may be truncated", shp);
  w4 = g_strdup_printf ("%s: record 2: the record runs past the end of the file", shp);
  assert_warnings (truncated, 2, w3, w4);
  gp_test_rmdir (dir);
}

/* Records whose counts, part starts or coordinates cannot be right are skipped, each named. */
static void
test_broken_records (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "records", NULL);
  g_autofree char *shp = NULL;
  g_autoptr(GpLayer) layer = NULL;
  Raw *raw = raw_new (SHPT_POLYGON);
  const guint32 beyond[2] = { 0, 5 };
  const guint32 backwards[3] = { 0, 3, 2 };
  const guint32 late[1] = { 1 };
  double nan_xy[10], inf_xy[10];
  const char *names[10] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" };

  memcpy (nan_xy, square_xy, sizeof nan_xy);
  memcpy (inf_xy, square_xy, sizeof inf_xy);
  nan_xy[5] = NAN;
  inf_xy[2] = INFINITY;

  raw_add (raw, rec_square (0));                                          /* 0: fine */
  raw_add (raw, rec_lying (0x7FFFFFFF, 0));                               /* 1: absurd parts */
  raw_add (raw, rec_lying (0, 0x10000000));                               /* 2: absurd points */
  raw_add (raw, rec_poly (SHPT_POLYGON, 2, beyond, 5, square_xy));        /* 3: part beyond */
  raw_add (raw, rec_poly (SHPT_POLYGON, 3, backwards, 5, square_xy));     /* 4: parts backwards */
  raw_add (raw, rec_poly (SHPT_POLYGON, 1, one_part, 5, nan_xy));         /* 5: NaN */
  raw_add (raw, rec_poly (SHPT_POLYGON, 1, one_part, 5, inf_xy));         /* 6: Inf */
  raw_add (raw, rec_poly (SHPT_ARC, 1, one_part, 5, square_xy));          /* 7: wrong type */
  raw_add (raw, rec_poly (SHPT_POLYGON, 1, late, 5, square_xy));          /* 8: part 0 late */
  raw_add (raw, rec_null ());                                             /* 9: null shape */
  raw_save (raw, base, TRUE);
  write_names (base, NULL, "NAME", names, 10);

  layer = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  shp = g_strconcat (base, ".shp", NULL);
  g_assert_cmpuint (gp_layer_get_n_features (layer), ==, 2);
  g_assert_cmpuint (gp_layer_get_feature (layer, 0)->record, ==, 0);
  g_assert_cmpstr (text_value (layer, 0, "NAME"), ==, "0");
  g_assert_nonnull (gp_layer_get_feature (layer, 0)->shape);
  g_assert_cmpuint (gp_layer_get_feature (layer, 1)->record, ==, 9);
  g_assert_cmpstr (text_value (layer, 1, "NAME"), ==, "9");
  g_assert_null (gp_layer_get_feature (layer, 1)->shape);
  assert_warnings (layer, 8,
    S ("%s: record 1: 2147483647 parts and 5 points do not fit in the record's 128 bytes", shp),
    S ("%s: record 2: 1 parts and 268435456 points do not fit in the record's 128 bytes", shp),
    S ("%s: record 3: part 1 starts beyond the record's points", shp),
    S ("%s: record 4: part 2 does not start after part 1", shp),
    S ("%s: record 5: point 2 has a coordinate that is not a finite number", shp),
    S ("%s: record 6: point 1 has a coordinate that is not a finite number", shp),
    S ("%s: record 7: a PolyLine shape in a Polygon file", shp),
    S ("%s: record 8: part 0 starts at point 1 instead of 0", shp));
  gp_test_rmdir (dir);
}

/* Without a .shx, records are found by walking; junk between records is skipped over. */
static void
test_broken_no_shx (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "walk", NULL);
  g_autofree char *shp = g_strconcat (base, ".shp", NULL);
  g_autofree char *shx = g_strconcat (base, ".shx", NULL);
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GpLayer) damaged = NULL;
  g_autoptr(GpLayer) tail = NULL;
  Raw *raw = raw_new (SHPT_POLYGON);
  const guint8 junk[96] = { 0xDE, 0xAD, 0xBE, 0xEF, 0x7F, 0xFF, 0xFF, 0xFF };

  raw_add (raw, rec_square (0));
  raw_add (raw, rec_square (20));
  /* A writer that put 96 stray bytes after record 1, like ne_10m_time_zones.shp. */
  g_byte_array_append (raw->shp, junk, sizeof junk);
  raw_add (raw, rec_square (40));
  raw_add (raw, rec_square (60));
  raw_save (raw, base, FALSE);

  layer = read_ok (base, NULL, GP_SHP_READ_NO_ATTRIBUTES);
  g_assert_cmpuint (gp_layer_get_n_features (layer), ==, 4);
  g_assert_cmpfloat (gp_layer_get_feature (layer, 3)->shape->xy[0], ==, X0 + 60);
  g_assert_cmpuint (gp_layer_get_feature (layer, 3)->record, ==, 3);
  assert_warnings (layer, 2,
    S ("%s: there is no .shx index; the records are found by scanning the file", shp),
    S ("%s: record 2: the record header at byte 372 is broken; 96 bytes were skipped to the next record", shp));

  /* A record of a foreign type is that record's problem: the walk goes on past it. */
  {
    g_autofree char *mixed = g_build_filename (dir, "mixed", NULL);
    g_autofree char *mixed_shp = g_strconcat (mixed, ".shp", NULL);
    g_autoptr(GpLayer) mixed_layer = NULL;
    Raw *two = raw_new (SHPT_POLYGON);

    raw_add (two, rec_square (0));
    raw_add (two, rec_poly (SHPT_ARC, 1, one_part, 5, square_xy));
    raw_add (two, rec_square (40));
    raw_save (two, mixed, FALSE);
    mixed_layer = read_ok (mixed, NULL, GP_SHP_READ_NO_ATTRIBUTES);
    g_assert_cmpuint (gp_layer_get_n_features (mixed_layer), ==, 2);
    g_assert_cmpuint (gp_layer_get_feature (mixed_layer, 1)->record, ==, 2);
    assert_warnings (mixed_layer, 2,
      S ("%s: there is no .shx index; the records are found by scanning the file", mixed_shp),
      S ("%s: record 1: a PolyLine shape in a Polygon file", mixed_shp));
  }

  /* A .shx of garbage is the same as none. */
  set_file (base, ".shx", "not an index at all, just some text that is long enough to be one "
                          "if it were not text: 0123456789", -1);
  damaged = read_ok (base, NULL, GP_SHP_READ_NO_ATTRIBUTES);
  g_assert_cmpuint (gp_layer_get_n_features (damaged), ==, 4);
  g_assert_true (has_warning (damaged, S ("%s: the index is damaged; the records are found by scanning %s", shx, shp)));
  remove_file (base, ".shx");

  /* Junk at the end with no record after it: what was read is kept. */
  {
    g_autofree char *bytes = NULL;
    g_autoptr(GByteArray) longer = g_byte_array_new ();
    gsize length = 0;

    g_assert_true (g_file_get_contents (shp, &bytes, &length, NULL));
    g_byte_array_append (longer, (guint8 *) bytes, length);
    g_byte_array_append (longer, junk, 40);
    set_be32 (longer, 24, longer->len / 2);
    set_file (base, ".shp", (char *) longer->data, longer->len);
  }
  tail = read_ok (base, NULL, GP_SHP_READ_NO_ATTRIBUTES);
  g_assert_cmpuint (gp_layer_get_n_features (tail), ==, 4);
  g_assert_true (has_warning (tail, S ("%s: record 4: the record header at byte 740 is broken and no record follows; the last 40 bytes are ignored", shp)));
  gp_test_rmdir (dir);
}

static void
test_broken_shx_entries (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "index", NULL);
  g_autofree char *shp = g_strconcat (base, ".shp", NULL);
  g_autofree char *shx = g_strconcat (base, ".shx", NULL);
  g_autofree char *bytes = NULL;
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GpLayer) absurd = NULL;
  gsize length = 0;

  write_points (base, 3);
  g_assert_true (g_file_get_contents (shx, &bytes, &length, NULL));
  /* Record 1 points to byte 2^31, far beyond the end. */
  bytes[108] = 0x40, bytes[109] = 0, bytes[110] = 0, bytes[111] = 0;
  g_assert_true (g_file_set_contents (shx, bytes, length, NULL));
  layer = read_ok (base, NULL, GP_SHP_READ_NO_ATTRIBUTES);
  g_assert_cmpuint (gp_layer_get_n_features (layer), ==, 2);
  assert_warnings (layer, 1,
                   S ("%s: record 1: the index points outside the file (byte 2147483648)", shp));

  /* An index far longer than the records could be: the extra entries are not believed. */
  {
    g_autoptr(GByteArray) longer = g_byte_array_new ();
    guint8 entry[8] = { 0, 0, 0, 50, 0, 0, 0, 10 };

    g_byte_array_append (longer, (guint8 *) bytes, 100);
    for (guint i = 0; i < 1000; i++)
      g_byte_array_append (longer, entry, 8);
    set_be32 (longer, 24, longer->len / 2);
    set_file (base, ".shx", (char *) longer->data, longer->len);
  }
  absurd = read_ok (base, NULL, GP_SHP_READ_NO_ATTRIBUTES);
  /* The .shp holds 3 × 28 bytes: at most 7 records of 12 bytes. All 7 point at the first
   * record, so 6 disagree with it, and the .shp walks cleanly: its 3 records are the data. */
  g_assert_cmpuint (gp_layer_get_n_features (absurd), ==, 3);
  g_assert_cmpfloat (gp_layer_get_feature (absurd, 2)->shape->xy[0], ==, X0 + 2);
  assert_warnings (absurd, 2,
                   S ("%s: the index lists 1000 records but the file can hold at most 7; the rest are ignored", shp),
                   S ("%s: 6 index entries do not match the records; the 3 records are found by scanning %s", shx, shp));
  gp_test_rmdir (dir);
}

/* A record rewritten in place by shapelib goes to the end of the .shp, leaving its old copy
 * behind: the .shp does not walk cleanly, and its index is right. */
static void
test_rewritten_record (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "edited", NULL);
  g_autofree char *shp_path = g_strconcat (base, ".shp", NULL);
  g_autoptr(GpLayer) layer = NULL;
  const double x[6] = { X0, X0, X0 + 5, X0 + 10, X0 + 10, X0 };
  const double y[6] = { Y0, Y0 + 10, Y0 + 15, Y0 + 10, Y0, Y0 };
  Raw *raw = raw_new (SHPT_POLYGON);
  SHPHandle shp;
  SHPObject *bigger;
  GStatBuf st;

  for (guint i = 0; i < 3; i++)
    raw_add (raw, rec_square (100 * i));
  raw_save (raw, base, TRUE);
  shp = SHPOpen (base, "rb+");
  bigger = SHPCreateSimpleObject (SHPT_POLYGON, 6, x, y, NULL);
  g_assert_cmpint (SHPWriteObject (shp, 1, bigger), ==, 1);
  SHPDestroyObject (bigger);
  SHPClose (shp);
  /* The bigger record (8 + 144 bytes) went to the end. */
  g_assert_cmpint (g_stat (shp_path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 100 + 3 * 136 + 8 + 144);

  layer = read_ok (base, NULL, GP_SHP_READ_NO_ATTRIBUTES);
  g_assert_cmpuint (gp_layer_get_n_features (layer), ==, 3);
  g_assert_cmpuint (gp_layer_get_feature (layer, 1)->shape->n_points, ==, 6);
  g_assert_cmpfloat (gp_layer_get_feature (layer, 2)->shape->xy[0], ==, X0 + 200);
  assert_warnings (layer, 0);
  gp_test_rmdir (dir);
}

static void
assert_has_warning (GpLayer *layer, const char *words)
{
  GPtrArray *warnings = gp_layer_get_warnings (layer);

  for (guint i = 0; i < warnings->len; i++)
    if (strstr (g_ptr_array_index (warnings, i), words) != NULL)
      return;
  for (guint i = 0; i < warnings->len; i++)
    g_test_message ("warning: %s", (const char *) g_ptr_array_index (warnings, i));
  g_error ("no warning says “%s”", words);
}

/* Damage inside coordinate data, as seeded byte flips leave it: each record with the damage is
 * skipped with a warning naming it; the others are read. Records and header written by shapelib,
 * so their bounding boxes tell the truth. */
static void
poke_double (const char *path, gsize offset, double v)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  guint64 bits;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_cmpuint (offset + 8, <=, length);
  memcpy (&bits, &v, 8);
  bits = GUINT64_TO_LE (bits);
  memcpy (data + offset, &bits, 8);
  g_assert_true (g_file_set_contents (path, data, (gssize) length, NULL));
}

static void
test_damaged_coordinates (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "flipped", NULL);
  g_autofree char *shp = g_strconcat (base, ".shp", NULL);
  g_autoptr(GpLayer) layer = NULL;
  SHPObject *objects[4];
  /* Four squares of 10 m side by side: each record is 8 + 4 + 32 + 8 + 4 + 80 = 136 bytes, its
   * points starting 56 bytes into it. */
  const gsize record = 136, points = 8 + 4 + 32 + 8 + 4;

  for (guint i = 0; i < 4; i++)
    {
      double x[5] = { X0 + 20 * i, X0 + 20 * i, X0 + 20 * i + 10, X0 + 20 * i + 10, X0 + 20 * i };
      double y[5] = { Y0, Y0 + 10, Y0 + 10, Y0, Y0 };

      objects[i] = SHPCreateSimpleObject (SHPT_POLYGON, 5, x, y, NULL);
    }
  write_objects (base, SHPT_POLYGON, objects, 4);
  /* Record 1: a coordinate blown up (3e+160); record 2: a point moved out of its own box;
   * record 3 untouched. Record 0's box read past: fine. */
  poke_double (shp, 100 + record * 1 + points + 16 * 2, 3e160);
  poke_double (shp, 100 + record * 2 + points + 16 * 1 + 8, Y0 + 500);
  layer = read_ok (base, NULL, GP_SHP_READ_NO_ATTRIBUTES);
  g_assert_cmpuint (gp_layer_get_n_features (layer), ==, 2);
  g_assert_cmpuint (gp_layer_get_feature (layer, 0)->record, ==, 0);
  g_assert_cmpuint (gp_layer_get_feature (layer, 1)->record, ==, 3);
  assert_has_warning (layer, "record 1: point 2");
  assert_has_warning (layer, "absurdly far");
  assert_has_warning (layer, "record 2: point 1");
  assert_has_warning (layer, "outside the record's own bounding box");
  g_clear_object (&layer);

  /* The header's own box impossible: the file is refused, naming it. */
  poke_double (shp, 36, NAN);
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (gp_shp_read (shp, NULL, GP_SHP_READ_DEFAULT, &error));
    g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
    g_assert_true (g_str_has_prefix (error->message, shp));
  }
  gp_test_rmdir (dir);
}

/* GBK output for old software: names cut to five Chinese characters at a character boundary (and
 * made unique: two names alike in their first five become 所属社区代 and 所属社区_2), each rename said; text in GBK with what GBK lacks as "?"; the .cpg and the
 * language driver byte both say GBK; read back intact. */
static void
test_write_gbk (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "旧软件.shp", NULL);
  g_autofree char *dbf = g_build_filename (dir, "旧软件.dbf", NULL);
  g_autofree char *cpg = NULL, *bytes = NULL;
  g_autoptr(GpLayer) layer = gp_layer_new ("old");
  g_autoptr(GpLayer) back = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *warnings;
  GpFeature *f;
  gsize length = 0;

  gp_layer_add_field (layer, "所属社区代码", GP_FIELD_STRING, 20, 0);
  gp_layer_add_field (layer, "所属社区名称", GP_FIELD_STRING, 20, 0);
  gp_layer_add_field (layer, "所属社区代号", GP_FIELD_STRING, 20, 0);
  gp_layer_set_geometry_type (layer, GP_GEOMETRY_TYPE_POINT);
  f = gp_layer_append (layer, gp_shape_new_point (X0, Y0), 0);
  gp_feature_set_text (layer, f, 0, "150621003001");
  gp_feature_set_text (layer, f, 1, "召南社区😀");
  g_assert_true (gp_shp_write_encoded (layer, path, "GBK", &error));
  g_assert_no_error (error);
  warnings = gp_layer_get_warnings (layer);
  g_assert_cmpuint (warnings->len, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "“所属社区代码” is written as “所属社区代”"));
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 2), "“所属社区代号” is written as “所属社区_2”"));
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 1), "“所属社区名称” is written as “所属社区名”"));

  g_assert_true (g_file_get_contents (dbf, &bytes, &length, NULL));
  g_assert_cmpint ((guchar) bytes[29], ==, 0x4D);
  cpg = g_build_filename (dir, "旧软件.cpg", NULL);
  g_clear_pointer (&bytes, g_free);
  g_assert_true (g_file_get_contents (cpg, &bytes, NULL, NULL));
  g_assert_cmpstr (bytes, ==, "GBK");

  back = gp_shp_read (path, NULL, GP_SHP_READ_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gp_layer_get_encoding (back), ==, "GBK");
  g_assert_cmpstr (gp_layer_get_field (back, 0)->name, ==, "所属社区代");
  g_assert_cmpstr (gp_layer_get_field (back, 1)->name, ==, "所属社区名");
  g_assert_cmpstr (gp_layer_get_field (back, 2)->name, ==, "所属社区_2");
  g_assert_cmpstr (text_value (back, 0, "所属社区名"), ==, "召南社区?");
  g_assert_false (gp_shp_write_encoded (layer, path, "Big5", &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_ENCODING);
  gp_test_rmdir (dir);
}

static void
test_broken_dbf (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "table", NULL);
  g_autofree char *shp = g_strconcat (base, ".shp", NULL);
  g_autofree char *dbf = g_strconcat (base, ".dbf", NULL);
  g_autofree char *bytes = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GpLayer) missing = NULL;
  g_autoptr(GpLayer) fewer = NULL;
  g_autoptr(GpLayer) lying = NULL;
  g_autoptr(GpLayer) skipped = NULL;
  const char *names[3] = { "a", "b", "c" };
  gsize length = 0;

  write_points (base, 3);

  /* No .dbf at all. */
  missing = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  g_assert_cmpuint (gp_layer_get_n_features (missing), ==, 3);
  g_assert_cmpuint (gp_layer_get_n_fields (missing), ==, 0);
  g_assert_null (gp_layer_get_encoding (missing));
  assert_warnings (missing, 1,
                   S ("%s: there is no .dbf; the features have no attributes", shp));

  /* Fewer records than shapes: the common part. */
  write_names (base, NULL, "NAME", names, 2);
  fewer = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  g_assert_cmpuint (gp_layer_get_n_features (fewer), ==, 2);
  g_assert_cmpstr (text_value (fewer, 1, "NAME"), ==, "b");
  assert_warnings (fewer, 1,
                   S ("%s has 3 records but its .dbf has 2; the first 2 are read", shp));

  /* A header that claims a million records. */
  write_names (base, NULL, "NAME", names, 3);
  g_assert_true (g_file_get_contents (dbf, &bytes, &length, NULL));
  bytes[4] = 0x40, bytes[5] = 0x42, bytes[6] = 0x0F, bytes[7] = 0;
  g_assert_true (g_file_set_contents (dbf, bytes, length, NULL));
  lying = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  g_assert_cmpuint (gp_layer_get_n_features (lying), ==, 3);
  g_assert_cmpstr (text_value (lying, 2, "NAME"), ==, "c");
  assert_warnings (lying, 1,
                   S ("%s: the header says 1000000 records but the file holds only 3; the rest is missing", dbf));

  /* A zero-byte .dbf is refused, naming it; without attributes the shapes still read. */
  set_file (base, ".dbf", "", 0);
  expected = g_strdup_printf ("%s: the file is empty", dbf);
  assert_refused (base, GP_SHP_READ_DEFAULT, GP_ERROR_FORMAT, expected);
  g_clear_pointer (&expected, g_free);
  skipped = read_ok (base, NULL, GP_SHP_READ_NO_ATTRIBUTES);
  g_assert_cmpuint (gp_layer_get_n_features (skipped), ==, 3);
  assert_warnings (skipped, 0);

  /* A .dbf that is text. */
  set_file (base, ".dbf", "this is not a table, only some words", -1);
  expected = g_strdup_printf ("%s: not a dBASE table, or its header is damaged", dbf);
  assert_refused (base, GP_SHP_READ_DEFAULT, GP_ERROR_FORMAT, expected);
  gp_test_rmdir (dir);
}

/* Past 50 record problems, the rest are counted in one line. */
static void
test_broken_many (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "many", NULL);
  g_autofree char *shp = g_strconcat (base, ".shp", NULL);
  g_autoptr(GpLayer) layer = NULL;
  Raw *raw = raw_new (SHPT_POLYGON);
  const guint32 beyond[2] = { 0, 9 };

  for (guint i = 0; i < 200; i++)
    raw_add (raw, i % 2 == 0 ? rec_square (i) : rec_poly (SHPT_POLYGON, 2, beyond, 5, square_xy));
  raw_save (raw, base, TRUE);
  layer = read_ok (base, NULL, GP_SHP_READ_NO_ATTRIBUTES);
  g_assert_cmpuint (gp_layer_get_n_features (layer), ==, 100);
  g_assert_cmpuint (gp_layer_get_warnings (layer)->len, ==, 51);
  g_assert_true (has_warning (layer, S ("%s: record 99: part 1 starts beyond the record's points", shp)));
  g_assert_true (has_warning (layer, S ("%s: 50 more record problems are not listed", shp)));
  gp_test_rmdir (dir);
}

/* ---- rings ---- */

static void
ring (double *xy, double x0, double y0, double size, gboolean clockwise)
{
  const double cw[10] = { 0, 0, 0, 1, 1, 1, 1, 0, 0, 0 };

  for (guint i = 0; i < 5; i++)
    {
      guint k = clockwise ? i : 4 - i;

      xy[2 * i] = x0 + cw[2 * k] * size;
      xy[2 * i + 1] = y0 + cw[2 * k + 1] * size;
    }
}

static GpShape *
read_rings (const char *dir, const char *name, guint n_rings, const gboolean *clockwise,
            const double (*boxes)[3])
{
  g_autofree char *base = g_build_filename (dir, name, NULL);
  g_autofree guint32 *parts = g_new0 (guint32, n_rings);
  g_autofree double *xy = g_new0 (double, 10 * n_rings);
  g_autoptr(GpLayer) layer = NULL;
  Raw *raw = raw_new (SHPT_POLYGON);

  for (guint r = 0; r < n_rings; r++)
    {
      parts[r] = 5 * r;
      ring (xy + 10 * r, boxes[r][0], boxes[r][1], boxes[r][2], clockwise[r]);
    }
  raw_add (raw, rec_poly (SHPT_POLYGON, n_rings, parts, 5 * n_rings, xy));
  raw_save (raw, base, TRUE);
  layer = read_ok (base, NULL, GP_SHP_READ_NO_ATTRIBUTES);
  g_assert_cmpuint (gp_layer_get_n_features (layer), ==, 1);
  return gp_shape_copy (gp_layer_get_feature (layer, 0)->shape);
}

static void
assert_ring (const GpShape *shape, guint part, double x0, double y0, double size, gboolean clockwise)
{
  double xy[10];

  ring (xy, x0, y0, size, clockwise);
  g_assert_cmpuint (shape->part_start[part + 1] - shape->part_start[part], ==, 5);
  g_assert_cmpmem (shape->xy + 2 * shape->part_start[part], 10 * sizeof (double), xy, sizeof xy);
}

static void
test_rings (void)
{
  g_autofree char *dir = gp_test_tmpdir ();

  /* Holes stored before their outer ring, in the shapefile's own orientation. */
  {
    const double boxes[3][3] = { { 2, 2, 2 }, { 6, 6, 2 }, { 0, 0, 10 } };
    const gboolean cw[3] = { FALSE, FALSE, TRUE };
    g_autoptr(GpShape) shape = read_rings (dir, "holes-first", 3, cw, boxes);

    g_assert_cmpuint (shape->n_polygons, ==, 1);
    g_assert_cmpuint (shape->n_parts, ==, 3);
    assert_ring (shape, 0, 0, 0, 10, TRUE);
    assert_ring (shape, 1, 2, 2, 2, FALSE);
    assert_ring (shape, 2, 6, 6, 2, FALSE);
  }
  /* Every ring turned the wrong way: coordinates are kept as stored, nesting still decides. */
  {
    const double boxes[2][3] = { { 0, 0, 10 }, { 2, 2, 2 } };
    const gboolean cw[2] = { FALSE, TRUE };
    g_autoptr(GpShape) shape = read_rings (dir, "reversed", 2, cw, boxes);

    g_assert_cmpuint (shape->n_polygons, ==, 1);
    assert_ring (shape, 0, 0, 0, 10, FALSE);
    assert_ring (shape, 1, 2, 2, 2, TRUE);
  }
  /* Two outer rings with a hole each, holes listed first and crosswise. */
  {
    const double boxes[4][3] = { { 22, 2, 2 }, { 2, 2, 2 }, { 0, 0, 10 }, { 20, 0, 10 } };
    const gboolean cw[4] = { FALSE, FALSE, TRUE, TRUE };
    g_autoptr(GpShape) shape = read_rings (dir, "two-outers", 4, cw, boxes);

    g_assert_cmpuint (shape->n_polygons, ==, 2);
    g_assert_cmpuint (shape->polygon_start[1], ==, 2);
    assert_ring (shape, 0, 0, 0, 10, TRUE);
    assert_ring (shape, 1, 2, 2, 2, FALSE);
    assert_ring (shape, 2, 20, 0, 10, TRUE);
    assert_ring (shape, 3, 22, 2, 2, FALSE);
  }
  /* An island in a lake in an island: depth 2 is an outer ring again. */
  {
    const double boxes[3][3] = { { 0, 0, 10 }, { 2, 2, 6 }, { 4, 4, 2 } };
    const gboolean cw[3] = { TRUE, FALSE, TRUE };
    g_autoptr(GpShape) shape = read_rings (dir, "island", 3, cw, boxes);

    g_assert_cmpuint (shape->n_polygons, ==, 2);
    assert_ring (shape, 0, 0, 0, 10, TRUE);
    assert_ring (shape, 1, 2, 2, 6, FALSE);
    assert_ring (shape, 2, 4, 4, 2, TRUE);
  }
  /* A hole that touches its outer ring at a corner is still a hole. */
  {
    const double boxes[2][3] = { { 0, 0, 5 }, { 0, 0, 10 } };
    const gboolean cw[2] = { FALSE, TRUE };
    g_autoptr(GpShape) shape = read_rings (dir, "touching", 2, cw, boxes);

    g_assert_cmpuint (shape->n_polygons, ==, 1);
    assert_ring (shape, 0, 0, 0, 10, TRUE);
  }
  gp_test_rmdir (dir);
}

/* Seeded random damage to every file of a good shapefile: each reading either succeeds or
 * is refused with a GridPlan error naming a file; never a crash, a hang or a stray read
 * (run under AddressSanitizer or valgrind to see the last). */
static void
test_broken_mutations (void)
{
  static const char *const exts[] = { ".shp", ".shx", ".dbf" };
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "mutant", NULL);
  g_autofree char *shp = g_strconcat (base, ".shp", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240301);
  GBytes *good[3];
  Raw *raw = raw_new (SHPT_POLYGON);
  const double boxes[3][3] = { { 0, 0, 10 }, { 2, 2, 2 }, { 20, 0, 5 } };
  double xy[30];
  const guint32 parts[3] = { 0, 5, 10 };
  const char *names[6] = { "东胜区", "a", "b", "c", "d", "e" };
  guint read = 0, refused = 0;

  for (guint r = 0; r < 3; r++)
    ring (xy + 10 * r, X0 + boxes[r][0], Y0 + boxes[r][1], boxes[r][2], r != 1);
  for (guint i = 0; i < 6; i++)
    raw_add (raw, i % 3 == 2 ? rec_null () : rec_poly (SHPT_POLYGON, 3, parts, 15, xy));
  raw_save (raw, base, TRUE);
  write_names (base, "LDID/77", "NAME", names, 6);
  for (guint k = 0; k < 3; k++)
    {
      g_autofree char *path = g_strconcat (base, exts[k], NULL);
      char *contents = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      good[k] = g_bytes_new_take (contents, length);
    }

  for (guint round = 0; round < 600; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GpLayer) layer = NULL;

      for (guint k = 0; k < 3; k++)
        {
          gsize length = 0;
          const guint8 *data = g_bytes_get_data (good[k], &length);
          g_autofree guint8 *copy = g_memdup2 (data, length);
          guint damage = g_rand_int_range (rand, 0, 4);
          gsize cut = length;

          for (guint d = 0; d < damage; d++)
            {
              gsize at = g_rand_int_range (rand, 0, (gint32) length);

              switch (g_rand_int_range (rand, 0, 4))
                {
                case 0: copy[at] = (guint8) g_rand_int_range (rand, 0, 256); break;
                case 1: copy[at] = 0xFF; break;
                case 2: copy[at] ^= 0x80; break;
                default: cut = MIN (cut, at); break;
                }
            }
          {
            /* Plain stdio: g_file_set_contents() syncs, which makes 1800 writes slow. */
            g_autofree char *path = g_strconcat (base, exts[k], NULL);
            FILE *file = fopen (path, "wb");

            g_assert_nonnull (file);
            g_assert_cmpuint (fwrite (copy, 1, cut, file), ==, cut);
            g_assert_cmpint (fclose (file), ==, 0);
          }
        }
      layer = gp_shp_read (shp, NULL, GP_SHP_READ_CHECK_VALIDITY, &error);
      if (layer != NULL)
        {
          read++;
          g_assert_cmpuint (gp_layer_get_n_features (layer), <=, 6);
          continue;
        }
      refused++;
      g_assert_true (error->domain == GP_ERROR);
      g_assert_true (strstr (error->message, base) != NULL);
    }
  g_test_message ("%u damaged shapefiles read, %u refused", read, refused);
  g_assert_cmpuint (read, >, 0);
  g_assert_cmpuint (refused, >, 0);
  for (guint k = 0; k < 3; k++)
    g_bytes_unref (good[k]);
  gp_test_rmdir (dir);
}

/* ---- every shape type ---- */

static GpLayer *
read_objects (const char *dir, const char *name, int type, SHPObject **objects, guint n)
{
  g_autofree char *base = g_build_filename (dir, name, NULL);
  GpLayer *layer;

  write_objects (base, type, objects, n);
  layer = read_ok (base, NULL, GP_SHP_READ_NO_ATTRIBUTES);
  g_assert_cmpint (gp_layer_get_geometry_type (layer), ==, type);
  g_assert_cmpuint (gp_layer_get_n_features (layer), ==, n);
  return layer;
}

static void
test_shape_types (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  const double x[6] = { 1, 2, 3, 4, 5, 1 };
  const double y[6] = { 1, 3, 2, 5, 1, 1 };
  const double z[6] = { 10, 20, 30, 40, 50, 10 };
  const double m[6] = { 0.5, -2e38, 1.5, NAN, 2.5, 0.5 };
  const int parts[2] = { 0, 3 };

  {
    SHPObject *objects[3] = {
      SHPCreateObject (SHPT_POINTZ, -1, 0, NULL, NULL, 1, x, y, z, m),
      SHPCreateObject (SHPT_NULL, -1, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL),
      SHPCreateObject (SHPT_POINTZ, -1, 0, NULL, NULL, 1, x + 1, y + 1, z + 1, m + 1),
    };
    g_autoptr(GpLayer) layer = read_objects (dir, "pointz", SHPT_POINTZ, objects, 3);
    GpShape *p = gp_layer_get_feature (layer, 0)->shape;

    g_assert_cmpint (p->kind, ==, GP_SHAPE_POINT);
    g_assert_cmpint (p->flags, ==, GP_SHAPE_HAS_Z | GP_SHAPE_HAS_M);
    g_assert_cmpfloat (p->z[0], ==, 10);
    g_assert_cmpfloat (p->m[0], ==, 0.5);
    g_assert_null (gp_layer_get_feature (layer, 1)->shape);
    g_assert_true (isnan (gp_layer_get_feature (layer, 2)->shape->m[0]));  /* -2e38: no data */
    g_assert_cmpuint (gp_layer_get_null_geometries (layer), ==, 1);
  }
  {
    SHPObject *objects[1] = { SHPCreateObject (SHPT_POINTM, -1, 0, NULL, NULL, 1, x, y, NULL, m) };
    g_autoptr(GpLayer) layer = read_objects (dir, "pointm", SHPT_POINTM, objects, 1);
    GpShape *p = gp_layer_get_feature (layer, 0)->shape;

    g_assert_cmpint (p->flags, ==, GP_SHAPE_HAS_M);
    g_assert_cmpfloat (p->m[0], ==, 0.5);
  }
  {
    SHPObject *objects[1] = { SHPCreateObject (SHPT_MULTIPOINTM, -1, 0, NULL, NULL, 5, x, y, NULL, m) };
    g_autoptr(GpLayer) layer = read_objects (dir, "multipointm", SHPT_MULTIPOINTM, objects, 1);
    GpShape *p = gp_layer_get_feature (layer, 0)->shape;

    g_assert_cmpint (p->kind, ==, GP_SHAPE_MULTIPOINT);
    g_assert_cmpuint (p->n_points, ==, 5);
    g_assert_cmpfloat (p->xy[8], ==, 5);
    g_assert_true (isnan (p->m[1]) && isnan (p->m[3]));
    g_assert_cmpfloat (p->m[4], ==, 2.5);
  }
  {
    SHPObject *objects[1] = { SHPCreateObject (SHPT_MULTIPOINTZ, -1, 0, NULL, NULL, 3, x, y, z, NULL) };
    g_autoptr(GpLayer) layer = read_objects (dir, "multipointz", SHPT_MULTIPOINTZ, objects, 1);

    g_assert_cmpfloat (gp_layer_get_feature (layer, 0)->shape->z[2], ==, 30);
  }
  {
    SHPObject *objects[2] = {
      SHPCreateObject (SHPT_ARCZ, -1, 2, parts, NULL, 5, x, y, z, NULL),
      SHPCreateObject (SHPT_ARCZ, -1, 1, parts, NULL, 2, x, y, z, NULL),
    };
    g_autoptr(GpLayer) layer = read_objects (dir, "polylinez", SHPT_ARCZ, objects, 2);
    GpShape *line = gp_layer_get_feature (layer, 0)->shape;

    g_assert_cmpint (line->kind, ==, GP_SHAPE_LINE);
    g_assert_cmpuint (line->n_parts, ==, 2);
    g_assert_cmpuint (line->part_start[1], ==, 3);
    g_assert_cmpuint (line->part_start[2], ==, 5);
    g_assert_cmpfloat (line->z[4], ==, 50);
    g_assert_cmpuint (gp_layer_get_feature (layer, 1)->shape->n_points, ==, 2);
  }
  {
    SHPObject *objects[1] = { SHPCreateObject (SHPT_ARCM, -1, 1, parts, NULL, 5, x, y, NULL, m) };
    g_autoptr(GpLayer) layer = read_objects (dir, "polylinem", SHPT_ARCM, objects, 1);
    GpShape *line = gp_layer_get_feature (layer, 0)->shape;

    g_assert_cmpint (line->flags, ==, GP_SHAPE_HAS_M);
    g_assert_cmpfloat (line->m[2], ==, 1.5);
  }
  {
    const double px[5] = { 0, 0, 4, 4, 0 }, py[5] = { 0, 4, 4, 0, 0 }, pz[5] = { 1, 2, 3, 4, 1 };
    SHPObject *objects[1] = { SHPCreateObject (SHPT_POLYGONZ, -1, 1, parts, NULL, 5, px, py, pz, NULL) };
    g_autoptr(GpLayer) layer = read_objects (dir, "polygonz", SHPT_POLYGONZ, objects, 1);
    GpShape *poly = gp_layer_get_feature (layer, 0)->shape;

    g_assert_cmpint (poly->kind, ==, GP_SHAPE_POLYGON);
    g_assert_cmpint (poly->flags & GP_SHAPE_HAS_Z, ==, GP_SHAPE_HAS_Z);
    g_assert_cmpfloat (poly->z[2], ==, 3);
  }
  {
    const double px[5] = { 0, 0, 4, 4, 0 }, py[5] = { 0, 4, 4, 0, 0 }, pm[5] = { 1, 2, 3, 4, 1 };
    SHPObject *objects[1] = { SHPCreateObject (SHPT_POLYGONM, -1, 1, parts, NULL, 5, px, py, NULL, pm) };
    g_autoptr(GpLayer) layer = read_objects (dir, "polygonm", SHPT_POLYGONM, objects, 1);
    GpShape *poly = gp_layer_get_feature (layer, 0)->shape;

    g_assert_cmpint (poly->flags, ==, GP_SHAPE_HAS_M);
    g_assert_cmpfloat (poly->m[3], ==, 4);
  }
  /* MultiPatch: a strip of 4 points (2 triangles), a fan of 4 (2 triangles), an outer ring
   * with an inner ring, a first ring with a ring, and a lone ring. */
  {
    const double mx[26] = { 0, 0, 1, 1,   5, 6, 6, 5,   0, 0, 9, 9, 0,   3, 3, 4, 3,
                            20, 20, 29, 29,   21, 21, 22,   40, 41 };
    const double my[26] = { 0, 1, 0, 1,   5, 5, 6, 6,   0, 9, 9, 0, 0,   3, 4, 4, 3,
                            0, 9, 9, 0,   1, 2, 2,   40, 41 };
    double mz[26];
    const int mparts[7] = { 0, 4, 8, 13, 17, 21, 24 };
    const int mtypes[7] = { SHPP_TRISTRIP, SHPP_TRIFAN, SHPP_OUTERRING, SHPP_INNERRING,
                            SHPP_FIRSTRING, SHPP_RING, SHPP_RING };
    SHPObject *objects[1];
    g_autoptr(GpLayer) layer = NULL;
    GpShape *patch;

    for (guint i = 0; i < 26; i++)
      mz[i] = 100 + i;
    objects[0] = SHPCreateObject (SHPT_MULTIPATCH, -1, 7, mparts, mtypes, 26, mx, my, mz, NULL);
    layer = read_objects (dir, "multipatch", SHPT_MULTIPATCH, objects, 1);
    patch = gp_layer_get_feature (layer, 0)->shape;
    g_assert_cmpint (patch->kind, ==, GP_SHAPE_POLYGON);
    g_assert_true (patch->flags & GP_SHAPE_HAS_Z);
    /* 4 triangles, outer + inner, and first + ring + ring (a ring after a ring is a hole of
     * the first ring too). */
    g_assert_cmpuint (patch->n_polygons, ==, 6);
    g_assert_cmpuint (patch->n_parts, ==, 9);
    /* Triangle 2 of the strip: points 1, 2, 3 and back to 1. */
    g_assert_cmpfloat (patch->xy[8], ==, 0);
    g_assert_cmpfloat (patch->xy[9], ==, 1);
    g_assert_cmpfloat (patch->z[4], ==, 101);
    g_assert_cmpfloat (patch->z[7], ==, 101);
    /* Triangle 2 of the fan: points 4, 6, 7. */
    g_assert_cmpfloat (patch->z[12], ==, 104);
    g_assert_cmpfloat (patch->z[13], ==, 106);
    g_assert_cmpfloat (patch->z[14], ==, 107);
    g_assert_cmpuint (patch->polygon_start[4], ==, 4);
    g_assert_cmpuint (patch->polygon_start[5], ==, 6);
  }
  gp_test_rmdir (dir);
}

/* ---- coordinate systems and names ---- */

static void
test_crs_and_names (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "村界", NULL);
  g_autofree char *dbf = g_strconcat (base, ".dbf", NULL);
  g_autofree char *lonlat = g_build_filename (dir, "lonlat", NULL);
  g_autofree char *prj = g_strconcat (base, ".prj", NULL);
  g_autoptr(GpLayer) projected = NULL;
  g_autoptr(GpLayer) with_prj = NULL;
  g_autoptr(GpLayer) html = NULL;
  g_autoptr(GpLayer) guessed = NULL;
  g_autoptr(GpLayer) by_dbf = NULL;
  g_autoptr(GpLayer) by_base = NULL;
  g_autoptr(GError) error = NULL;
  const char *names[2] = { "a", "b" };
  Raw *raw = raw_new (SHPT_POINT);

  write_points (base, 2);
  write_names (base, NULL, "NAME", names, 2);
  projected = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  g_assert_null (gp_layer_get_crs (projected));
  g_assert_cmpstr (gp_layer_get_name (projected), ==, "村界");
  g_assert_true (g_str_has_suffix (gp_layer_get_source_path (projected), "村界.shp"));
  g_assert_cmpint (gp_layer_get_geometry_type (projected), ==, GP_GEOMETRY_TYPE_POINT);
  assert_warnings (projected, 0);

  set_file (base, ".prj",
            "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],"
            "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]", -1);
  with_prj = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  g_assert_nonnull (gp_layer_get_crs (with_prj));
  g_assert_cmpint (gp_crs_get_epsg (gp_layer_get_crs (with_prj)), ==, 4326);
  g_assert_false (gp_crs_is_guessed (gp_layer_get_crs (with_prj)));

  /* A .prj that holds an HTML page: read on, coordinate system unknown, one warning. */
  set_file (base, ".prj", "<html><body>Not Found</body></html>", -1);
  html = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  g_assert_null (gp_layer_get_crs (html));
  g_assert_cmpuint (gp_layer_get_n_features (html), ==, 2);
  g_assert_cmpuint (gp_layer_get_warnings (html)->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (gp_layer_get_warnings (html), 0), prj));

  raw_add (raw, rec_point (111.5, 40.25));
  raw_add (raw, rec_point (112.0, 41.0));
  raw_save (raw, lonlat, TRUE);
  guessed = read_ok (lonlat, NULL, GP_SHP_READ_DEFAULT);
  g_assert_nonnull (gp_layer_get_crs (guessed));
  g_assert_true (gp_crs_is_guessed (gp_layer_get_crs (guessed)));
  g_assert_true (gp_crs_is_geographic (gp_layer_get_crs (guessed)));

  /* A sidecar's name or the bare base name open the same shapefile. */
  by_dbf = gp_shp_read (dbf, NULL, GP_SHP_READ_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gp_layer_get_n_features (by_dbf), ==, 2);
  by_base = gp_shp_read (base, NULL, GP_SHP_READ_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text_value (by_base, 1, "NAME"), ==, "b");
  g_assert_cmpuint (gp_layer_get_feature (by_base, 1)->record, ==, 1);
  gp_test_rmdir (dir);
}

/* ---- validity ---- */

static void
test_validity (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "bowtie", NULL);
  g_autofree char *shp = g_strconcat (base, ".shp", NULL);
  g_autoptr(GpLayer) plain = NULL;
  g_autoptr(GpLayer) checked = NULL;
  g_autoptr(GpLayer) repaired = NULL;
  const double bowtie[10] = { X0, Y0, X0 + 10, Y0 + 10, X0 + 10, Y0, X0, Y0 + 10, X0, Y0 };
  Raw *raw = raw_new (SHPT_POLYGON);

  raw_add (raw, rec_square (0));
  raw_add (raw, rec_poly (SHPT_POLYGON, 1, one_part, 5, bowtie));
  raw_add (raw, rec_square (100));
  raw_add (raw, rec_poly (SHPT_POLYGON, 1, one_part, 5, bowtie));
  raw_save (raw, base, TRUE);

  plain = read_ok (base, NULL, GP_SHP_READ_NO_ATTRIBUTES);
  g_assert_cmpuint (gp_layer_get_invalid_geometries (plain), ==, 0);
  checked = read_ok (base, NULL, GP_SHP_READ_NO_ATTRIBUTES | GP_SHP_READ_CHECK_VALIDITY);
  g_assert_cmpuint (gp_layer_get_invalid_geometries (checked), ==, 2);
  g_assert_true (gp_shape_equal (gp_layer_get_feature (checked, 1)->shape,
                                 gp_layer_get_feature (plain, 1)->shape));
  repaired = read_ok (base, NULL, GP_SHP_READ_NO_ATTRIBUTES | GP_SHP_READ_REPAIR);
  g_assert_cmpuint (gp_layer_get_invalid_geometries (repaired), ==, 0);
  g_assert_cmpuint (gp_layer_get_feature (repaired, 1)->shape->n_polygons, ==, 2);
  g_assert_true (gp_shape_equal (gp_layer_get_feature (repaired, 0)->shape,
                                 gp_layer_get_feature (plain, 0)->shape));
  assert_warnings (repaired, 1, S ("%s: 2 invalid polygons were repaired", shp));
  gp_test_rmdir (dir);
}

/* ---- writing ---- */

static GpShape *
polygon_with_hole (double x0, gboolean outer_clockwise)
{
  GpShape *shape = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, 10, 2, 1);

  ring (shape->xy, x0, 4400000, 10, outer_clockwise);
  ring (shape->xy + 10, x0 + 2, 4400002, 2, !outer_clockwise);
  shape->part_start[1] = 5;
  return shape;
}

static GpLayer *
sample_layer (void)
{
  GpLayer *layer = gp_layer_new ("grids");
  GpFeature *f;

  gp_layer_set_geometry_type (layer, GP_GEOMETRY_TYPE_POLYGON);
  gp_layer_add_field (layer, "名称", GP_FIELD_STRING, 0, 0);
  gp_layer_add_field (layer, "HOUSEHOLDS", GP_FIELD_INTEGER, 0, 0);
  gp_layer_add_field (layer, "AREA_KM2", GP_FIELD_REAL, 0, 0);
  gp_layer_add_field (layer, "DRAWN", GP_FIELD_DATE, 0, 0);
  gp_layer_add_field (layer, "LOCKED", GP_FIELD_LOGICAL, 0, 0);
  gp_layer_add_field (layer, "BIG", GP_FIELD_INTEGER, 0, 0);

  f = gp_layer_append (layer, polygon_with_hole (500000, TRUE), 0);
  gp_feature_set_text (layer, f, 0, "东胜区 第一网格");
  f->values[1] = (GpValue) { .is_null = FALSE, .integer = 312 };
  f->values[2] = (GpValue) { .is_null = FALSE, .real = 0.1 };
  f->values[3] = (GpValue) { .is_null = FALSE, .date = { 2024, 3, 1 } };
  f->values[4] = (GpValue) { .is_null = FALSE, .logical = TRUE };
  f->values[5] = (GpValue) { .is_null = FALSE, .integer = -123456789012345 };

  f = gp_layer_append (layer, NULL, 1);
  gp_feature_set_text (layer, f, 0, "Grid “two”, naïve");
  f->values[2] = (GpValue) { .is_null = FALSE, .real = -12345.678901234 };
  f->values[4] = (GpValue) { .is_null = FALSE, .logical = FALSE };

  f = gp_layer_append (layer, polygon_with_hole (600000, TRUE), 2);
  f->values[1] = (GpValue) { .is_null = FALSE, .integer = 0 };
  f->values[2] = (GpValue) { .is_null = FALSE, .real = 3.0 };
  return layer;
}

static void
assert_layers_equal (GpLayer *a, GpLayer *b)
{
  g_assert_cmpuint (gp_layer_get_n_fields (a), ==, gp_layer_get_n_fields (b));
  g_assert_cmpuint (gp_layer_get_n_features (a), ==, gp_layer_get_n_features (b));
  for (guint f = 0; f < gp_layer_get_n_fields (a); f++)
    {
      g_assert_cmpstr (gp_layer_get_field (a, f)->name, ==, gp_layer_get_field (b, f)->name);
      g_assert_cmpint (gp_layer_get_field (a, f)->type, ==, gp_layer_get_field (b, f)->type);
    }
  for (guint i = 0; i < gp_layer_get_n_features (a); i++)
    {
      GpFeature *fa = gp_layer_get_feature (a, i), *fb = gp_layer_get_feature (b, i);

      g_assert_true (gp_shape_equal (fa->shape, fb->shape));
      for (guint f = 0; f < gp_layer_get_n_fields (a); f++)
        {
          GpValue *va = &fa->values[f], *vb = &fb->values[f];

          g_assert_cmpint (va->is_null, ==, vb->is_null);
          if (va->is_null)
            continue;
          switch (gp_layer_get_field (a, f)->type)
            {
            case GP_FIELD_STRING: g_assert_cmpstr (va->text, ==, vb->text); break;
            case GP_FIELD_INTEGER: g_assert_cmpint (va->integer, ==, vb->integer); break;
            case GP_FIELD_REAL: g_assert_cmpfloat (va->real, ==, vb->real); break;
            case GP_FIELD_LOGICAL: g_assert_cmpint (va->logical, ==, vb->logical); break;
            case GP_FIELD_DATE:
            default:
              g_assert_cmpmem (&va->date, sizeof va->date, &vb->date, sizeof vb->date);
              break;
            }
        }
    }
}

static guint
count_entries (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;
  g_dir_close (d);
  return n;
}

static void
test_write_round_trip (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "网格.shp", NULL);
  g_autofree char *base = g_build_filename (dir, "网格", NULL);
  g_autofree char *cpg = NULL;
  g_autoptr(GpLayer) layer = sample_layer ();
  g_autoptr(GpLayer) back = NULL;
  g_autoptr(GpCrs) crs = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  crs = gp_crs_new_from_epsg (4490, &error);
  g_assert_no_error (error);
  gp_layer_set_crs (layer, crs);
  g_assert_true (gp_shp_write (layer, path, &error));
  g_assert_no_error (error);
  /* .shp .shx .dbf .cpg .prj, and no temporary left behind. */
  g_assert_cmpuint (count_entries (dir), ==, 5);
  g_assert_true (g_file_get_contents (S ("%s.cpg", base), &cpg, &length, NULL));
  g_assert_cmpstr (cpg, ==, "UTF-8");

  back = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  assert_warnings (back, 0);
  g_assert_cmpstr (gp_layer_get_encoding (back), ==, "UTF-8");
  g_assert_cmpint (gp_layer_get_geometry_type (back), ==, GP_GEOMETRY_TYPE_POLYGON);
  g_assert_cmpint (gp_crs_get_epsg (gp_layer_get_crs (back)), ==, 4490);
  assert_layers_equal (layer, back);

  /* Writing over it again replaces every file and leaves no .prj that no longer applies. */
  gp_layer_set_crs (layer, NULL);
  g_assert_true (gp_shp_write (layer, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_entries (dir), ==, 4);
  gp_test_rmdir (dir);
}

/* GBK in, UTF-8 out, same text back. */
static void
test_write_from_gbk (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *base = g_build_filename (dir, "counties", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *out_shp = g_strconcat (out, ".shp", NULL);
  g_autoptr(GpLayer) gbk = NULL;
  g_autoptr(GpLayer) back = NULL;
  g_autoptr(GError) error = NULL;

  write_gbk_fixture (base, "LDID/77");
  gbk = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  g_assert_true (gp_shp_write (gbk, out_shp, &error));
  g_assert_no_error (error);
  back = read_ok (out, NULL, GP_SHP_READ_DEFAULT);
  assert_county_names (back, "UTF-8");
  assert_layers_equal (gbk, back);
  gp_test_rmdir (dir);
}

static void
test_write_text_and_names (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "long.shp", NULL);
  g_autofree char *base = g_build_filename (dir, "long", NULL);
  g_autoptr(GpLayer) layer = gp_layer_new ("long");
  g_autoptr(GpLayer) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  const char *name;
  GpFeature *f;

  for (guint i = 0; i < 100; i++)
    g_string_append (text, "网");          /* 300 bytes */
  gp_layer_set_geometry_type (layer, GP_GEOMETRY_TYPE_POINT);
  gp_layer_add_field (layer, "所属社区名称", GP_FIELD_STRING, 0, 0);  /* 18 bytes */
  gp_layer_add_field (layer, "HOUSEHOLDS_TOTAL", GP_FIELD_INTEGER, 0, 0);
  gp_layer_add_field (layer, "HOUSEHOLDS_2024", GP_FIELD_INTEGER, 0, 0);
  gp_layer_add_field (layer, "households", GP_FIELD_INTEGER, 0, 0);
  f = gp_layer_append (layer, gp_shape_new_point (500000, 4400000), 0);
  gp_feature_set_text (layer, f, 0, text->str);
  f = gp_layer_append (layer, gp_shape_new_point (500001, 4400001), 1);
  gp_feature_set_text (layer, f, 0, text->str);

  g_assert_true (gp_shp_write (layer, path, &error));
  g_assert_no_error (error);
  assert_warnings (layer, 5,
    S ("%s: field “所属社区名称” is written as “所属社”", path),
    S ("%s: field “households” is written as “househol_3”", path),
    S ("%s: field “HOUSEHOLDS_TOTAL” is written as “HOUSEHOLDS”", path),
    S ("%s: field “HOUSEHOLDS_2024” is written as “HOUSEHOL_2”", path),
    S ("%s: 2 text values are longer than the 254 bytes a .dbf field holds and were shortened", path));

  back = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  g_assert_cmpuint (gp_layer_get_n_fields (back), ==, 4);
  g_assert_cmpstr (gp_layer_get_field (back, 3)->name, ==, "househol_3");
  name = text_value (back, 1, "所属社");
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_cmpuint (strlen (name), ==, 252);       /* 84 whole characters */
  /* The field is as wide as the longest text written: 84 characters of 3 bytes. */
  g_assert_cmpuint (gp_layer_get_field (back, 0)->width, ==, 252);
  gp_test_rmdir (dir);
}

/* Rings come out in the shapefile's orientation: outer clockwise, holes counter-clockwise. */
static void
test_write_orientation (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "turned.shp", NULL);
  g_autofree char *base = g_build_filename (dir, "turned", NULL);
  g_autoptr(GpLayer) layer = gp_layer_new ("turned");
  g_autoptr(GpLayer) back = NULL;
  g_autoptr(GError) error = NULL;
  GpShape *shape;

  gp_layer_append (layer, polygon_with_hole (500000, FALSE), 0);    /* GeoJSON-style */
  g_assert_true (gp_shp_write (layer, path, &error));
  g_assert_no_error (error);
  back = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  g_assert_cmpint (gp_layer_get_geometry_type (back), ==, GP_GEOMETRY_TYPE_POLYGON);
  /* A layer without fields gets a record number, as a .dbf needs one field. */
  g_assert_cmpstr (gp_layer_get_field (back, 0)->name, ==, "FID");
  shape = gp_layer_get_feature (back, 0)->shape;
  g_assert_cmpuint (shape->n_polygons, ==, 1);
  g_assert_cmpfloat (gp_shape_ring_signed_area (shape, 0), <, 0);
  g_assert_cmpfloat (gp_shape_ring_signed_area (shape, 1), >, 0);
  assert_ring (shape, 0, 500000, 4400000, 10, TRUE);
  gp_test_rmdir (dir);
}

static void
test_write_failures (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "mixed.shp", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "no", "such", "dir", "x.shp", NULL);
  g_autoptr(GpLayer) layer = sample_layer ();
  g_autoptr(GError) error = NULL;
  g_autofree char *old = NULL;

  /* A point in a polygon layer: refused, and nothing written beside the old file. */
  set_file (path, "", "old", -1);
  gp_layer_append (layer, gp_shape_new_point (1, 2), 3);
  g_assert_false (gp_shp_write (layer, path, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   S ("%s: feature 3: a Point cannot be written to a Polygon shapefile", path));
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_assert_true (g_file_get_contents (path, &old, NULL, NULL));
  g_assert_cmpstr (old, ==, "old");
  g_clear_error (&error);

  g_assert_false (gp_shp_write (layer, nowhere, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, nowhere));
  gp_test_rmdir (dir);
}

/* A layer without a type takes it from its shapes (here: lines with Z). */
static void
test_write_untyped (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "lines.shp", NULL);
  g_autofree char *base = g_build_filename (dir, "lines", NULL);
  g_autoptr(GpLayer) layer = gp_layer_new ("lines");
  g_autoptr(GpLayer) back = NULL;
  g_autoptr(GError) error = NULL;
  GpShape *line = gp_shape_new (GP_SHAPE_LINE, GP_SHAPE_HAS_Z, 5, 2, 0);

  for (guint i = 0; i < 5; i++)
    {
      line->xy[2 * i] = 500000 + i;
      line->xy[2 * i + 1] = 4400000 + i * i;
      line->z[i] = 1000 + i;
    }
  line->part_start[1] = 2;
  gp_layer_append (layer, NULL, 0);
  gp_layer_append (layer, line, 1);
  g_assert_true (gp_shp_write (layer, path, &error));
  g_assert_no_error (error);
  back = read_ok (base, NULL, GP_SHP_READ_DEFAULT);
  g_assert_cmpint (gp_layer_get_geometry_type (back), ==, GP_GEOMETRY_TYPE_POLYLINEZ);
  g_assert_null (gp_layer_get_feature (back, 0)->shape);
  g_assert_true (gp_shape_equal (gp_layer_get_feature (back, 1)->shape,
                                 gp_layer_get_feature (layer, 1)->shape));
  gp_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/shp/encoding/cpg", test_encoding_cpg);
  g_test_add_func ("/shp/encoding/cpg-utf8", test_encoding_cpg_utf8);
  g_test_add_func ("/shp/encoding/ldid", test_encoding_ldid);
  g_test_add_func ("/shp/encoding/detect", test_encoding_detect);
  g_test_add_func ("/shp/encoding/ldid-ansi", test_encoding_ldid_ansi);
  g_test_add_func ("/shp/encoding/override", test_encoding_override);
  g_test_add_func ("/shp/encoding/html-cpg", test_encoding_html_cpg);
  g_test_add_func ("/shp/encoding/lossy", test_encoding_lossy);
  g_test_add_func ("/shp/dbf/types", test_dbf_types);
  g_test_add_func ("/shp/broken/shp-header", test_broken_shp_header);
  g_test_add_func ("/shp/broken/lying-length", test_broken_lying_length);
  g_test_add_func ("/shp/points-not-finite", test_points_not_finite);
  g_test_add_func ("/shp/broken/records", test_broken_records);
  g_test_add_func ("/shp/broken/no-shx", test_broken_no_shx);
  g_test_add_func ("/shp/broken/shx-entries", test_broken_shx_entries);
  g_test_add_func ("/shp/broken/rewritten-record", test_rewritten_record);
  g_test_add_func ("/shp/broken/damaged-coordinates", test_damaged_coordinates);
  g_test_add_func ("/shp/write/gbk", test_write_gbk);
  g_test_add_func ("/shp/broken/dbf", test_broken_dbf);
  g_test_add_func ("/shp/broken/many", test_broken_many);
  g_test_add_func ("/shp/broken/mutations", test_broken_mutations);
  g_test_add_func ("/shp/rings", test_rings);
  g_test_add_func ("/shp/shape-types", test_shape_types);
  g_test_add_func ("/shp/crs-and-names", test_crs_and_names);
  g_test_add_func ("/shp/validity", test_validity);
  g_test_add_func ("/shp/write/round-trip", test_write_round_trip);
  g_test_add_func ("/shp/write/from-gbk", test_write_from_gbk);
  g_test_add_func ("/shp/write/text-and-names", test_write_text_and_names);
  g_test_add_func ("/shp/write/orientation", test_write_orientation);
  g_test_add_func ("/shp/write/failures", test_write_failures);
  g_test_add_func ("/shp/write/untyped", test_write_untyped);
  return g_test_run ();
}
