/* gp-demo.c: the demo generator's frame, GEOS and PROJ helpers, and the checker that reads the
 * written files back the way a planner's tools would and verifies what they rely on. */
#include <math.h>
#include <proj.h>
#include <shapefil.h>
#include <stdarg.h>
#include <string.h>

#include "gp-demo.h"
#include "gp-error.h"

void
gp_demo_frame_scale (double *m_per_deg_lon, double *m_per_deg_lat)
{
  const double a = 6378137.0, f = 1.0 / 298.257222101, e2 = f * (2.0 - f);
  double phi = GP_DEMO_LAT0 * G_PI / 180.0;
  double w = 1.0 - e2 * sin (phi) * sin (phi);
  *m_per_deg_lon = G_PI / 180.0 * a * cos (phi) / sqrt (w);
  *m_per_deg_lat = G_PI / 180.0 * a * (1.0 - e2) / (w * sqrt (w));
}

static GEOSContextHandle_t demo_geos;
static char *demo_geos_message;

static void
on_geos_message (const char *message, void *data)
{
  g_free (demo_geos_message);
  demo_geos_message = g_strdup (message);
}

GEOSContextHandle_t
gp_demo_geos (void)
{
  if (demo_geos == NULL)
    {
      demo_geos = GEOS_init_r ();
      GEOSContext_setErrorMessageHandler_r (demo_geos, on_geos_message, NULL);
    }
  return demo_geos;
}

const char *
gp_demo_geos_message (void)
{
  return demo_geos_message != NULL ? demo_geos_message : "unknown error";
}

void
gp_demo_geos_finish (void)
{
  if (demo_geos != NULL)
    GEOS_finish_r (demo_geos);
  demo_geos = NULL;
  g_clear_pointer (&demo_geos_message, g_free);
}

gboolean
gp_demo_gauss_kruger (double *x, double *y, gsize n, gboolean forward, GError **error)
{
  PJ_CONTEXT *pc = proj_context_create ();
  PJ *raw = proj_create_crs_to_crs (pc, "EPSG:4490", "EPSG:4546", NULL);
  /* Longitude first and easting first, whatever the EPSG axis order says. */
  PJ *pj = raw != NULL ? proj_normalize_for_visualization (pc, raw) : NULL;
  gboolean ok = pj != NULL;
  for (gsize i = 0; ok && i < n; i++)
    {
      PJ_COORD c = proj_trans (pj, forward ? PJ_FWD : PJ_INV, proj_coord (x[i], y[i], 0, 0));
      ok = isfinite (c.xy.x) && isfinite (c.xy.y);
      x[i] = c.xy.x;
      y[i] = c.xy.y;
    }
  if (!ok)
    g_set_error (error, GP_ERROR, GP_ERROR_CRS,
                 "cannot transform between EPSG:4490 and EPSG:4546 (is proj-data installed?)");
  if (pj != NULL)
    proj_destroy (pj);
  if (raw != NULL)
    proj_destroy (raw);
  proj_context_destroy (pc);
  return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* The checker. */

#define G (gp_demo_geos ())

/* Shared edges come out of the same arithmetic, so any real overlap or gap is far above this;
 * sites are 12 m inside their block but went through Gauss-Kruger and back. */
#define TOLERANCE_M2      0.01
#define SITE_TOLERANCE_M2 0.5

typedef struct {
  char         *code;
  char         *name;
  char         *level;
  char         *kind;
  char         *parent;
  char         *kind_of_unit; /* units: 小区 or 村民小组 */
  int           households;
  GEOSGeometry *geom;         /* lon/lat */
} Feature;

static void
feature_free (Feature *feature)
{
  g_free (feature->code);
  g_free (feature->name);
  g_free (feature->level);
  g_free (feature->kind);
  g_free (feature->parent);
  g_free (feature->kind_of_unit);
  if (feature->geom != NULL)
    GEOSGeom_destroy_r (G, feature->geom);
  g_free (feature);
}

typedef struct {
  const char *path;
  GError    **error;
  gboolean    failed;
} Check;

static void
fail (Check *check, GpError code, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
fail (Check *check, GpError code, const char *format, ...)
{
  if (check->failed)
    return;
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (check->error, GP_ERROR, code, "%s: %s", check->path, message);
  check->failed = TRUE;
}

static double
area_m2 (const GEOSGeometry *geom)
{
  double a = 0, mx, my;
  GEOSArea_r (G, geom, &a);
  gp_demo_frame_scale (&mx, &my);
  return a * mx * my;
}

/* Area of a − b in m² (what of a lies outside b); -1 when GEOS fails. */
static double
outside_m2 (const GEOSGeometry *a, const GEOSGeometry *b)
{
  GEOSGeometry *d = GEOSDifference_r (G, a, b);
  if (d == NULL)
    return -1;
  double m2 = area_m2 (d);
  GEOSGeom_destroy_r (G, d);
  return m2;
}

static double
overlap_m2 (const GEOSGeometry *a, const GEOSGeometry *b)
{
  GEOSGeometry *i = GEOSIntersection_r (G, a, b);
  if (i == NULL)
    return -1;
  double m2 = area_m2 (i);
  GEOSGeom_destroy_r (G, i);
  return m2;
}

static double
signed_ring_area (const double *x, const double *y, int n)
{
  double sum = 0;
  for (int i = 0; i + 1 < n; i++)
    sum += x[i] * y[i + 1] - x[i + 1] * y[i];
  return sum / 2;
}

static GEOSGeometry *
ring_from (const double *x, const double *y, int n)
{
  GEOSCoordSequence *seq = GEOSCoordSeq_create_r (G, (unsigned int) n, 2);
  for (int i = 0; i < n; i++)
    GEOSCoordSeq_setXY_r (G, seq, (unsigned int) i, x[i], y[i]);
  return GEOSGeom_createLinearRing_r (G, seq);
}

/* Our files write each polygon as its clockwise outer ring followed by its counter-clockwise
 * holes; anything else is an error here. */
static GEOSGeometry *
geom_from_shape (Check *check, const SHPObject *obj, int record)
{
  if (obj->nSHPType != SHPT_POLYGON || obj->nParts < 1)
    {
      fail (check, GP_ERROR_FORMAT, "record %d: not a polygon", record);
      return NULL;
    }
  GPtrArray *polygons = g_ptr_array_new ();
  GEOSGeometry *shell = NULL;
  GPtrArray *holes = g_ptr_array_new ();
  gboolean ok = TRUE;
  for (int p = 0; ok && p < obj->nParts; p++)
    {
      int start = obj->panPartStart[p];
      int end = p + 1 < obj->nParts ? obj->panPartStart[p + 1] : obj->nVertices;
      GEOSGeometry *ring = start >= 0 && end <= obj->nVertices && end - start >= 4
                             ? ring_from (obj->padfX + start, obj->padfY + start, end - start)
                             : NULL;
      if (ring == NULL)
        {
          fail (check, GP_ERROR_FORMAT, "record %d: part %d is not a closed ring", record, p);
          ok = FALSE;
        }
      else if (signed_ring_area (obj->padfX + start, obj->padfY + start, end - start) < 0)
        {
          /* Clockwise: a new outer ring; the previous polygon is complete. */
          if (shell != NULL)
            g_ptr_array_add (polygons, GEOSGeom_createPolygon_r (G, shell,
                                                                  (GEOSGeometry **) holes->pdata,
                                                                  holes->len));
          g_ptr_array_set_size (holes, 0);
          shell = ring;
        }
      else if (shell == NULL)
        {
          fail (check, GP_ERROR_FORMAT, "record %d: part %d is a hole outside any outer ring",
                record, p);
          GEOSGeom_destroy_r (G, ring);
          ok = FALSE;
        }
      else
        g_ptr_array_add (holes, ring);
    }
  if (ok && shell != NULL)
    {
      g_ptr_array_add (polygons, GEOSGeom_createPolygon_r (G, shell, (GEOSGeometry **) holes->pdata,
                                                            holes->len));
      g_ptr_array_set_size (holes, 0);
      shell = NULL;
    }
  if (!ok)
    {
      if (shell != NULL)
        GEOSGeom_destroy_r (G, shell);
      for (guint i = 0; i < holes->len; i++)
        GEOSGeom_destroy_r (G, holes->pdata[i]);
      for (guint i = 0; i < polygons->len; i++)
        GEOSGeom_destroy_r (G, polygons->pdata[i]);
      g_ptr_array_unref (holes);
      g_ptr_array_unref (polygons);
      return NULL;
    }
  g_ptr_array_unref (holes);
  GEOSGeometry *geom = polygons->len == 1
                         ? polygons->pdata[0]
                         : GEOSGeom_createCollection_r (G, GEOS_MULTIPOLYGON,
                                                        (GEOSGeometry **) polygons->pdata,
                                                        polygons->len);
  g_ptr_array_unref (polygons);
  if (GEOSisValid_r (G, geom) != 1)
    {
      fail (check, GP_ERROR_FORMAT, "record %d: invalid polygon", record);
      GEOSGeom_destroy_r (G, geom);
      return NULL;
    }
  return geom;
}

static char *
read_text (Check *check, DBFHandle dbf, int record, const char *utf8_field)
{
  g_autofree char *field = g_convert (utf8_field, -1, "GBK", "UTF-8", NULL, NULL, NULL);
  int index = DBFGetFieldIndex (dbf, field);
  if (index < 0)
    {
      fail (check, GP_ERROR_NOT_FOUND, "no field %s", utf8_field);
      return g_strdup ("");
    }
  const char *raw = DBFReadStringAttribute (dbf, record, index);
  char *text = g_convert (raw != NULL ? raw : "", -1, "UTF-8", "GBK", NULL, NULL, NULL);
  if (text == NULL)
    {
      fail (check, GP_ERROR_ENCODING, "record %d: field %s is not GBK", record, utf8_field);
      return g_strdup ("");
    }
  return text;
}

static int
read_int (Check *check, DBFHandle dbf, int record, const char *utf8_field)
{
  g_autofree char *field = g_convert (utf8_field, -1, "GBK", "UTF-8", NULL, NULL, NULL);
  int index = DBFGetFieldIndex (dbf, field);
  if (index < 0)
    {
      fail (check, GP_ERROR_NOT_FOUND, "no field %s", utf8_field);
      return 0;
    }
  return DBFReadIntegerAttribute (dbf, record, index);
}

/* Reads one of the demo layers: geometry (reprojected from Gauss-Kruger when asked) and the
 * text fields the checks need. */
static GPtrArray *
read_layer (const char *dir, const char *base_name, const char *expected_prj,
            gboolean gauss_kruger, const char *cpg, int ldid, GError **error)
{
  g_autofree char *base = g_build_filename (dir, base_name, NULL);
  g_autofree char *path = g_strconcat (base, ".shp", NULL);
  Check check = { path, error, FALSE };
  g_autofree char *prj_path = g_strconcat (base, ".prj", NULL);
  g_autofree char *cpg_path = g_strconcat (base, ".cpg", NULL);
  g_autofree char *prj = NULL;
  g_autofree char *cpg_text = NULL;
  if (!g_file_get_contents (prj_path, &prj, NULL, error))
    return NULL;
  if (g_strcmp0 (prj, expected_prj) != 0)
    fail (&check, GP_ERROR_CRS, "the .prj is not the expected CRS");
  gboolean has_cpg = g_file_get_contents (cpg_path, &cpg_text, NULL, NULL);
  if (has_cpg != (cpg != NULL) || (cpg != NULL && g_strcmp0 (g_strstrip (cpg_text), cpg) != 0))
    fail (&check, GP_ERROR_ENCODING, "the .cpg is not what this layer should carry");

  SHPHandle shp = SHPOpen (path, "rb");
  g_autofree char *dbf_path = g_strconcat (base, ".dbf", NULL);
  DBFHandle dbf = DBFOpen (dbf_path, "rb");
  GPtrArray *features = g_ptr_array_new_with_free_func ((GDestroyNotify) feature_free);
  if (shp == NULL || dbf == NULL)
    fail (&check, GP_ERROR_IO, "cannot open the shapefile");
  else
    {
      int n = 0, type = 0;
      SHPGetInfo (shp, &n, &type, NULL, NULL);
      if (type != SHPT_POLYGON || n != DBFGetRecordCount (dbf) || n == 0)
        fail (&check, GP_ERROR_FORMAT, "not %d polygons with as many records", n);
      if (dbf->iLanguageDriver != ldid)
        fail (&check, GP_ERROR_ENCODING, "language driver byte is 0x%02X, not 0x%02X",
              (unsigned) dbf->iLanguageDriver, (unsigned) ldid);
      for (int i = 0; !check.failed && i < n; i++)
        {
          SHPObject *obj = SHPReadObject (shp, i);
          if (obj == NULL)
            {
              fail (&check, GP_ERROR_FORMAT, "record %d: unreadable", i);
              break;
            }
          if (gauss_kruger && !gp_demo_gauss_kruger (obj->padfX, obj->padfY,
                                                     (gsize) obj->nVertices, FALSE, error))
            check.failed = TRUE;
          Feature *feature = g_new0 (Feature, 1);
          g_ptr_array_add (features, feature);
          feature->geom = check.failed ? NULL : geom_from_shape (&check, obj, i);
          SHPDestroyObject (obj);
          feature->name = read_text (&check, dbf, i, "名称");
          if (g_strcmp0 (base_name, GP_DEMO_AREAS) == 0)
            {
              feature->code = read_text (&check, dbf, i, "代码");
              feature->level = read_text (&check, dbf, i, "级别");
              feature->kind = read_text (&check, dbf, i, "类型");
              feature->parent = read_text (&check, dbf, i, "上级代码");
            }
          else
            {
              feature->kind_of_unit = read_text (&check, dbf, i, "类型");
              feature->parent = read_text (&check, dbf, i, "所属代码");
              if (g_strcmp0 (base_name, GP_DEMO_UNITS) == 0)
                feature->households = read_int (&check, dbf, i, "户数");
            }
        }
    }
  if (shp != NULL)
    SHPClose (shp);
  if (dbf != NULL)
    DBFClose (dbf);
  if (check.failed)
    {
      g_ptr_array_unref (features);
      return NULL;
    }
  return features;
}

static Feature *
find_area (GPtrArray *areas, const char *code)
{
  for (guint i = 0; i < areas->len; i++)
    if (g_strcmp0 (((Feature *) areas->pdata[i])->code, code) == 0)
      return areas->pdata[i];
  return NULL;
}

/* Areas: codes real-looking and unique, every village/community inside its township/street,
 * siblings disjoint, and together exactly their parent. */
static void
check_areas (Check *check, GPtrArray *areas)
{
  for (guint i = 0; !check->failed && i < areas->len; i++)
    {
      Feature *area = areas->pdata[i];
      gboolean top = g_strcmp0 (area->parent, GP_DEMO_COUNTY_CODE) == 0;
      gsize code_len = top ? 9 : 12;
      if (strlen (area->code) != code_len || strspn (area->code, "0123456789") != code_len
          || !g_str_has_prefix (area->code, area->parent))
        fail (check, GP_ERROR_FORMAT, "record %u: code %s does not fit parent %s", i, area->code,
              area->parent);
      if (find_area (areas, area->code) != area)
        fail (check, GP_ERROR_FORMAT, "record %u: code %s is not unique", i, area->code);
      if (top)
        {
          double sum = 0;
          for (guint j = 0; j < areas->len; j++)
            {
              Feature *child = areas->pdata[j];
              if (g_strcmp0 (child->parent, area->code) != 0)
                continue;
              sum += area_m2 (child->geom);
              double out = outside_m2 (child->geom, area->geom);
              if (out < 0 || out > TOLERANCE_M2)
                fail (check, GP_ERROR_GEOMETRY, "record %u: %s reaches %.3f m² outside %s", j,
                      child->name, out, area->name);
              for (guint k = j + 1; k < areas->len; k++)
                {
                  Feature *other = areas->pdata[k];
                  if (g_strcmp0 (other->parent, area->code) != 0)
                    continue;
                  double overlap = overlap_m2 (child->geom, other->geom);
                  if (overlap < 0 || overlap > TOLERANCE_M2)
                    fail (check, GP_ERROR_GEOMETRY, "records %u and %u overlap by %.3f m²", j, k,
                          overlap);
                }
            }
          if (fabs (sum - area_m2 (area->geom)) > 1.0)
            fail (check, GP_ERROR_GEOMETRY, "record %u: %s is not covered by its children (%.1f of %.1f m²)",
                  i, area->name, sum, area_m2 (area->geom));
        }
      else if (find_area (areas, area->parent) == NULL)
        fail (check, GP_ERROR_NOT_FOUND, "record %u: parent %s is missing", i, area->parent);
    }
}

/* Units: inside their village/community, disjoint, households in range; each area mostly
 * covered but for roads, and its households in the range the demo promises. */
static void
check_units (Check *check, GPtrArray *areas, GPtrArray *units)
{
  gboolean big = FALSE;
  for (guint i = 0; !check->failed && i < units->len; i++)
    {
      Feature *unit = units->pdata[i];
      Feature *area = find_area (areas, unit->parent);
      gboolean compound = g_strcmp0 (unit->kind_of_unit, "小区") == 0;
      if (area == NULL || strlen (unit->parent) != 12)
        {
          fail (check, GP_ERROR_NOT_FOUND, "record %u: no village or community %s", i, unit->parent);
          break;
        }
      if (GEOSGeomTypeId_r (G, unit->geom) != GEOS_POLYGON)
        fail (check, GP_ERROR_GEOMETRY, "record %u: %s is not one polygon", i, unit->name);
      if (compound ? unit->households < 60 || unit->households > 1400
                   : unit->households < 20 || unit->households > 150)
        fail (check, GP_ERROR_FORMAT, "record %u: %s has %d households", i, unit->name,
              unit->households);
      big = big || unit->households >= 1200;
      double out = outside_m2 (unit->geom, area->geom);
      if (out < 0 || out > TOLERANCE_M2)
        fail (check, GP_ERROR_GEOMETRY, "record %u: %s reaches %.3f m² outside %s", i,
              unit->name, out, area->name);
      for (guint j = i + 1; j < units->len; j++)
        {
          Feature *other = units->pdata[j];
          if (g_strcmp0 (other->parent, unit->parent) != 0)
            continue;
          double overlap = overlap_m2 (unit->geom, other->geom);
          if (overlap < 0 || overlap > TOLERANCE_M2)
            fail (check, GP_ERROR_GEOMETRY, "records %u and %u overlap by %.3f m²", i, j, overlap);
        }
    }
  if (!big)
    fail (check, GP_ERROR_FORMAT, "no compound of 1,200 households or more");
  for (guint i = 0; !check->failed && i < areas->len; i++)
    {
      Feature *area = areas->pdata[i];
      if (strlen (area->code) != 12)
        continue;
      Feature *parent = find_area (areas, area->parent);
      gboolean in_street = parent != NULL && g_strcmp0 (parent->level, "街道") == 0;
      double covered = 0;
      int households = 0;
      for (guint j = 0; j < units->len; j++)
        {
          Feature *unit = units->pdata[j];
          if (g_strcmp0 (unit->parent, area->code) != 0)
            continue;
          covered += area_m2 (unit->geom);
          households += unit->households;
        }
      double share = covered / area_m2 (area->geom);
      if (share < 0.5 || share > 0.999)
        fail (check, GP_ERROR_GEOMETRY, "%s: units cover %.1f%% of it", area->name, 100 * share);
      if (in_street ? households < 2000 || households > 4000 : households < 300 || households > 900)
        fail (check, GP_ERROR_FORMAT, "%s: %d households", area->name, households);
      area->households = households;
    }
}

/* Sites: inside their community, clear of every unit. */
static void
check_sites (Check *check, GPtrArray *areas, GPtrArray *units, GPtrArray *sites)
{
  for (guint i = 0; !check->failed && i < sites->len; i++)
    {
      Feature *site = sites->pdata[i];
      Feature *area = find_area (areas, site->parent);
      if (area == NULL || g_strcmp0 (area->level, "社区") != 0)
        {
          fail (check, GP_ERROR_NOT_FOUND, "record %u: no community %s", i, site->parent);
          break;
        }
      double out = outside_m2 (site->geom, area->geom);
      if (out < 0 || out > SITE_TOLERANCE_M2)
        fail (check, GP_ERROR_GEOMETRY, "record %u: %s reaches %.3f m² outside %s", i,
              site->name, out, area->name);
      for (guint j = 0; j < units->len; j++)
        {
          double overlap = overlap_m2 (site->geom, ((Feature *) units->pdata[j])->geom);
          if (overlap < 0 || overlap > SITE_TOLERANCE_M2)
            fail (check, GP_ERROR_GEOMETRY, "record %u: %s overlaps unit %u", i, site->name, j);
        }
    }
}

static gboolean
id_number_ok (const char *id, const char *sex)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  if (strlen (id) != 18 || strspn (id, "0123456789") < 17
      || !g_str_has_prefix (id, GP_DEMO_COUNTY_CODE "1900"))
    return FALSE;
  int sum = 0;
  for (int i = 0; i < 17; i++)
    sum += (id[i] - '0') * weights[i];
  gboolean female = (id[16] - '0') % 2 == 0;
  return id[17] == "10X98765432"[sum % 11] && g_strcmp0 (sex, female ? "女" : "男") == 0;
}

/* The roster: GBK text, the office's header, well-formed synthetic numbers, known areas, and
 * about one full-time worker per 300 households. */
static void
check_roster (Check *check, const char *dir, GPtrArray *areas)
{
  g_autofree char *path = g_build_filename (dir, GP_DEMO_ROSTER, NULL);
  g_autofree char *gbk = NULL;
  gsize len = 0;
  check->path = path;
  if (!g_file_get_contents (path, &gbk, &len, check->error))
    {
      check->failed = TRUE;
      return;
    }
  g_autofree char *text = g_convert (gbk, (gssize) len, "UTF-8", "GBK", NULL, NULL, NULL);
  if (text == NULL)
    {
      fail (check, GP_ERROR_ENCODING, "not GBK text");
      return;
    }
  g_auto (GStrv) lines = g_strsplit (text, "\r\n", -1);
  if (g_strcmp0 (lines[0], "序号,姓名,性别,身份证号,联系电话,身份,所属社区,社区代码,工作单位,住址") != 0)
    fail (check, GP_ERROR_FORMAT, "unexpected header");
  int households = 0, full_time = 0;
  for (guint i = 0; i < areas->len; i++)
    households += ((Feature *) areas->pdata[i])->households;
  guint rows = 0;
  for (guint i = 1; !check->failed && lines[i] != NULL && lines[i][0] != '\0'; i++, rows++)
    {
      g_auto (GStrv) cells = g_strsplit (lines[i], ",", -1);
      if (g_strv_length (cells) != 10)
        {
          fail (check, GP_ERROR_FORMAT, "line %u: %u columns", i + 1, g_strv_length (cells));
          break;
        }
      if (!id_number_ok (cells[3], cells[2]))
        fail (check, GP_ERROR_FORMAT, "line %u: ID number %s is malformed", i + 1, cells[3]);
      if (strlen (cells[4]) != 11 || strncmp (cells[4] + 3, "0000", 4) != 0)
        fail (check, GP_ERROR_FORMAT, "line %u: phone %s is not a made-up one", i + 1, cells[4]);
      Feature *area = find_area (areas, cells[7]);
      if (area == NULL || strlen (cells[7]) != 12)
        fail (check, GP_ERROR_NOT_FOUND, "line %u: no community %s", i + 1, cells[7]);
      full_time += g_strcmp0 (cells[5], "专职网格员") == 0;
    }
  if (!check->failed && (rows < 200 || full_time < households / 400 || full_time > households / 200))
    fail (check, GP_ERROR_FORMAT, "%u rows, %d full-time workers for %d households", rows,
          full_time, households);
}

gboolean
gp_demo_check (const char *dir, GError **error)
{
  g_autoptr (GPtrArray) areas = read_layer (dir, GP_DEMO_AREAS, GP_DEMO_PRJ_CGCS2000, FALSE, "936",
                                            0, error);
  if (areas == NULL)
    return FALSE;
  g_autoptr (GPtrArray) units = read_layer (dir, GP_DEMO_UNITS, GP_DEMO_PRJ_CGCS2000, FALSE, NULL,
                                            0x4D, error);
  if (units == NULL)
    return FALSE;
  g_autoptr (GPtrArray) sites = read_layer (dir, GP_DEMO_SITES, GP_DEMO_PRJ_GK_CM111, TRUE, NULL,
                                            0, error);
  if (sites == NULL)
    return FALSE;
  g_autofree char *areas_path = g_build_filename (dir, GP_DEMO_AREAS ".shp", NULL);
  Check check = { areas_path, error, FALSE };
  check_areas (&check, areas);
  check.path = g_build_filename (dir, GP_DEMO_UNITS ".shp", NULL);
  check_units (&check, areas, units);
  g_free ((char *) check.path);
  check.path = g_build_filename (dir, GP_DEMO_SITES ".shp", NULL);
  check_sites (&check, areas, units, sites);
  g_free ((char *) check.path);
  if (!check.failed)
    check_roster (&check, dir, areas);
  return !check.failed;
}
