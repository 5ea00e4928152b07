/* test-crs.c: CRS identification from .prj text and the accuracy of the local metric frame. */
#include <math.h>
#include <proj.h>
#include <string.h>

#include "gp-crs.h"
#include "gp-error.h"
#include "gp-test-util.h"

/* .prj text as ArcGIS writes it (ESRI WKT1), for the systems Chinese offices hand over. */
#define PRJ_WGS84 \
  "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]]," \
  "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]"
#define PRJ_CGCS2000 \
  "GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\",DATUM[\"D_China_2000\"," \
  "SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0]," \
  "UNIT[\"Degree\",0.0174532925199433]]"
#define PRJ_GK_CM_111E \
  "PROJCS[\"CGCS2000_3_Degree_GK_CM_111E\"," PRJ_CGCS2000 ",PROJECTION[\"Gauss_Kruger\"]," \
  "PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0]," \
  "PARAMETER[\"Central_Meridian\",111.0],PARAMETER[\"Scale_Factor\",1.0]," \
  "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]"
#define PRJ_GK_ZONE_37 \
  "PROJCS[\"CGCS2000_3_Degree_GK_Zone_37\"," PRJ_CGCS2000 ",PROJECTION[\"Gauss_Kruger\"]," \
  "PARAMETER[\"False_Easting\",37500000.0],PARAMETER[\"False_Northing\",0.0]," \
  "PARAMETER[\"Central_Meridian\",111.0],PARAMETER[\"Scale_Factor\",1.0]," \
  "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]"
#define PRJ_UTM_50N \
  "PROJCS[\"WGS_1984_UTM_Zone_50N\"," PRJ_WGS84 ",PROJECTION[\"Transverse_Mercator\"]," \
  "PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0]," \
  "PARAMETER[\"Central_Meridian\",117.0],PARAMETER[\"Scale_Factor\",0.9996]," \
  "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]"
#define PRJ_XIAN80_CM_114E \
  "PROJCS[\"Xian_1980_3_Degree_GK_CM_114E\",GEOGCS[\"GCS_Xian_1980\",DATUM[\"D_Xian_1980\"," \
  "SPHEROID[\"Xian_1980\",6378140.0,298.257]],PRIMEM[\"Greenwich\",0.0]," \
  "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Gauss_Kruger\"]," \
  "PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0]," \
  "PARAMETER[\"Central_Meridian\",114.0],PARAMETER[\"Scale_Factor\",1.0]," \
  "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]"
/* As QGIS and GDAL write it. */
#define PRJ_CGCS2000_GDAL \
  "GEOGCS[\"China Geodetic Coordinate System 2000\",DATUM[\"China_2000\"," \
  "SPHEROID[\"CGCS2000\",6378137,298.257222101,AUTHORITY[\"EPSG\",\"1024\"]]," \
  "AUTHORITY[\"EPSG\",\"1043\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]]," \
  "UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"4490\"]]"

/* WGS 84 and GRS 80 (CGCS2000, NAD83) differ in the flattening's eighth digit only. */
#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)

static void
test_identify_wkt (void)
{
  static const struct {
    const char *definition;
    int epsg;
    gboolean geographic;
  } cases[] = {
    { PRJ_WGS84, 4326, TRUE },
    { PRJ_CGCS2000, 4490, TRUE },
    { PRJ_CGCS2000_GDAL, 4490, TRUE },
    { PRJ_GK_CM_111E, 4546, FALSE },
    { PRJ_GK_ZONE_37, 4525, FALSE },
    { PRJ_UTM_50N, 32650, FALSE },
    { PRJ_XIAN80_CM_114E, 2383, FALSE },
    { "\xEF\xBB\xBF" PRJ_WGS84 "\r\n", 4326, TRUE },
    { "EPSG:4490", 4490, TRUE },
    { "EPSG:32650", 32650, FALSE },
    { "+proj=longlat +datum=WGS84 +no_defs", 4326, TRUE },
    { "+proj=utm +zone=50 +datum=WGS84 +units=m +no_defs +type=crs", 32650, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GpCrs) crs = gp_crs_new_from_definition (cases[i].definition, &error);

      g_assert_no_error (error);
      g_assert_nonnull (crs);
      g_test_message ("%.40s… → EPSG:%d %s", cases[i].definition, gp_crs_get_epsg (crs),
                      gp_crs_get_name (crs));
      g_assert_cmpint (gp_crs_get_epsg (crs), ==, cases[i].epsg);
      g_assert_cmpint (gp_crs_is_geographic (crs), ==, cases[i].geographic);
      g_assert_false (gp_crs_is_guessed (crs));
      g_assert_nonnull (gp_crs_get_name (crs));
    }
}

static void
test_names_and_wkt (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpCrs) gk = gp_crs_new_from_definition (PRJ_GK_CM_111E, &error);
  g_autoptr(GpCrs) gk_epsg = gp_crs_new_from_epsg (4546, &error);
  g_autoptr(GpCrs) cgcs = gp_crs_new_from_epsg (4490, &error);
  g_autoptr(GpCrs) reread = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (gp_crs_get_name (gk_epsg), ==, "CGCS2000 / 3-degree Gauss-Kruger CM 111E");
  g_assert_cmpstr (gp_crs_get_name (cgcs), ==, "China Geodetic Coordinate System 2000");
  /* The .prj we write is ESRI WKT1, the GeoPackage definition WKT2. */
  g_assert_true (g_str_has_prefix (gp_crs_get_wkt (gk_epsg), "PROJCS[\"CGCS2000_3_Degree_GK_CM_111E\""));
  g_assert_nonnull (strstr (gp_crs_get_wkt (gk_epsg), "PARAMETER[\"Central_Meridian\",111.0]"));
  g_assert_true (g_str_has_prefix (gp_crs_get_wkt (cgcs),
                                   "GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\""));
  g_assert_true (g_str_has_prefix (gp_crs_get_wkt2 (gk_epsg), "PROJCRS["));
  g_assert_null (strchr (gp_crs_get_wkt2 (gk_epsg), '\n'));

  /* What we write reads back as the same system. */
  reread = gp_crs_new_from_definition (gp_crs_get_wkt (gk_epsg), &error);
  g_assert_no_error (error);
  g_assert_cmpint (gp_crs_get_epsg (reread), ==, 4546);
  g_assert_true (gp_crs_equal (reread, gk));
  g_assert_true (gp_crs_equal (gk, gk_epsg));
  g_assert_false (gp_crs_equal (gk, cgcs));
}

static void
test_equal_without_epsg (void)
{
  g_autoptr(GError) error = NULL;
  /* A custom TM that no authority lists: compared by definition, not by code. */
  g_autoptr(GpCrs) a = gp_crs_new_from_definition (
    "+proj=tmerc +lat_0=0 +lon_0=111.5 +k=1 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs", &error);
  g_autoptr(GpCrs) b = gp_crs_new_from_definition (
    "+proj=tmerc +lat_0=0 +lon_0=111.5 +k=1 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs +type=crs", &error);
  g_autoptr(GpCrs) c = gp_crs_new_from_definition (
    "+proj=tmerc +lat_0=0 +lon_0=112.5 +k=1 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs", &error);

  g_assert_no_error (error);
  g_assert_cmpint (gp_crs_get_epsg (a), ==, 0);
  g_assert_true (gp_crs_equal (a, b));
  g_assert_false (gp_crs_equal (a, c));
}

static void
test_refuse_garbage (void)
{
  static const char *garbage[] = {
    "", "   \r\n", "<!DOCTYPE html><html><head><title>Projected Shapefiles</title>",
    "GEOGCS[\"broken\",DATUM[", "EPSG:999999", "+proj=nonsense",
    "+proj=pipeline +step +proj=utm +zone=50",
  };

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GpCrs) crs = gp_crs_new_from_definition (garbage[i], &error);

      g_assert_null (crs);
      g_assert_error (error, GP_ERROR, GP_ERROR_CRS);
      g_test_message ("%s → %s", garbage[i], error->message);
    }

  {
    g_autoptr(GError) error = NULL;
    g_assert_null (gp_crs_new_from_epsg (-5, &error));
    g_assert_error (error, GP_ERROR, GP_ERROR_CRS);
  }
}

/* Every .prj in the shared data, with the system its authors meant. */
static void
test_shared_prj_files (void)
{
  static const struct {
    const char *path;
    int epsg;   /* -1: must be refused */
  } cases[] = {
    { "corpus/mbostock/polygons.prj", 4326 },
    { "corpus/shapelib/shape_eg_data/CoHI_GCS12.prj", 4269 },
    { "corpus/shapefile-js/test-data/senate.prj", 26986 },
    { "corpus/shapefile-js/test-data/LGA_2013_AUST.prj", 4283 },
    { "corpus/shapefile-js/test-data/ipra_dresden_polygon.prj", 4326 },
    { "corpus/shapefile-js/test-data/export_polylinez.prj", 4326 },
    { "corpus/shapefile-js/test-data/htmlprj.prj", -1 },
    { "us/mggg-DE/DE_precincts/DE_precincts.prj", 2235 },
    { "us/mggg-RI/RI_precincts/RI_precincts.prj", 4269 },
    { "us/mggg-VT/VT_towns/VT_town_results.prj", 4269 },
    { "cn/boundaries-datav/shp-gbk/im_counties_gbk.prj", 4326 },
  };
  guint checked = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = gp_test_shared_path (cases[i].path);
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GpCrs) crs = NULL;

      if (path == NULL)
        return;
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      crs = gp_crs_new_from_definition (text, &error);
      if (cases[i].epsg < 0)
        {
          g_assert_error (error, GP_ERROR, GP_ERROR_CRS);
          continue;
        }
      g_assert_no_error (error);
      g_test_message ("%s → EPSG:%d %s", cases[i].path, gp_crs_get_epsg (crs), gp_crs_get_name (crs));
      g_assert_cmpint (gp_crs_get_epsg (crs), ==, cases[i].epsg);
      checked++;
    }
  g_assert_cmpuint (checked, ==, G_N_ELEMENTS (cases) - 1);
}

static void
test_lonlat_guess (void)
{
  g_autoptr(GpCrs) crs = gp_crs_new_lonlat_guess ();
  const double county[4] = { 109.6, 39.5, 110.2, 40.0 };
  const double point[4] = { 116.4, 39.9, 116.4, 39.9 };
  const double metres[4] = { 500123.0, 4400000.0, 512000.0, 4410000.0 };
  const double gk_zone[4] = { 37400000.0, 4400000.0, 37410000.0, 4410000.0 };
  const double unit_square[4] = { 0.0, 0.0, 1.0, 1.0 };
  const double too_far[4] = { -181.0, 10.0, -170.0, 20.0 };
  const double nan_box[4] = { NAN, 0.0, 10.0, 10.0 };

  g_assert_true (gp_crs_is_guessed (crs));
  g_assert_true (gp_crs_is_geographic (crs));
  g_assert_cmpint (gp_crs_get_epsg (crs), ==, 4326);

  g_assert_true (gp_crs_bbox_looks_lonlat (county));
  g_assert_true (gp_crs_bbox_looks_lonlat (point));
  g_assert_false (gp_crs_bbox_looks_lonlat (metres));
  g_assert_false (gp_crs_bbox_looks_lonlat (gk_zone));
  g_assert_false (gp_crs_bbox_looks_lonlat (unit_square));
  g_assert_false (gp_crs_bbox_looks_lonlat (too_far));
  g_assert_false (gp_crs_bbox_looks_lonlat (nan_box));
}

/* ---------------------------------------------------------------------------------------------
 * The local frame
 * ------------------------------------------------------------------------------------------- */

/* Area on the ellipsoid between two parallels over dlon degrees (the authalic formula). */
static double
ellipsoid_band_area (double a, double f, double lat1, double lat2, double dlon)
{
  double e2 = f * (2 - f), e = sqrt (e2), b = a * (1 - f);
  double q[2];
  double lats[2] = { lat1, lat2 };

  for (int i = 0; i < 2; i++)
    {
      double s = sin (lats[i] * G_PI / 180.0);
      q[i] = s / (1 - e2 * s * s) + log ((1 + e * s) / (1 - e * s)) / (2 * e);
    }
  return dlon * G_PI / 180.0 * b * b / 2.0 * (q[1] - q[0]);
}

/* Meridian arc length between two latitudes (Simpson's rule on the radius of curvature). */
static double
meridian_arc (double a, double f, double lat1, double lat2)
{
  double e2 = f * (2 - f);
  const int n = 2000;
  double h = (lat2 - lat1) * G_PI / 180.0 / n, sum = 0;

  for (int i = 0; i <= n; i++)
    {
      double phi = lat1 * G_PI / 180.0 + i * h;
      double s = sin (phi);
      double m = a * (1 - e2) / pow (1 - e2 * s * s, 1.5);
      sum += m * (i == 0 || i == n ? 1 : (i % 2 ? 4 : 2));
    }
  return sum * h / 3;
}

/* A densified rectangle ring (counter-clockwise, not closed), n points per side. */
static double *
rectangle_ring (const double box[4], guint n, gsize *n_points)
{
  double *xy = g_new (double, 8 * (gsize) n);
  gsize at = 0;

  for (guint side = 0; side < 4; side++)
    for (guint i = 0; i < n; i++)
      {
        double t = (double) i / n;
        double x = 0, y = 0;

        switch (side)
          {
          case 0: x = box[0] + t * (box[2] - box[0]); y = box[1]; break;
          case 1: x = box[2]; y = box[1] + t * (box[3] - box[1]); break;
          case 2: x = box[2] - t * (box[2] - box[0]); y = box[3]; break;
          default: x = box[0]; y = box[3] - t * (box[3] - box[1]); break;
          }
        xy[at++] = x;
        xy[at++] = y;
      }
  *n_points = at / 2;
  return xy;
}

static double
ring_area (const double *xy, gsize n)
{
  double sum = 0;

  for (gsize i = 0; i < n; i++)
    {
      gsize j = (i + 1) % n;
      sum += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
    }
  return sum / 2;
}

/* Area in m² of the box (in the frame's source coordinates) measured in the frame. */
static double
frame_area (GpLocalFrame *frame, const double box[4])
{
  gsize n;
  g_autofree double *xy = rectangle_ring (box, 200, &n);
  g_autoptr(GError) error = NULL;

  g_assert_true (gp_local_frame_forward (frame, xy, n, &error));
  g_assert_no_error (error);
  return ring_area (xy, n);
}

static void
test_frame_area_45n (void)
{
  const double cell[4] = { 110.0, 44.5, 111.0, 45.5 };
  double expected = ellipsoid_band_area (WGS84_A, WGS84_F, 44.5, 45.5, 1.0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpCrs) wgs84 = gp_crs_new_from_definition (PRJ_WGS84, &error);
  g_autoptr(GpLocalFrame) frame = gp_local_frame_new (wgs84, cell, &error);
  g_autoptr(GpLocalFrame) unknown = NULL;
  double area, ox, oy;

  g_assert_no_error (error);
  area = frame_area (frame, cell);
  g_test_message ("1°×1° at 45°N: %.1f m² in the frame, %.1f m² on the ellipsoid", area, expected);
  g_assert_cmpfloat (fabs (area - expected) / expected, <, 1e-3);
  /* A conformal frame centred on the cell is in fact far better than that. */
  g_assert_cmpfloat (fabs (area - expected) / expected, <, 1e-4);

  gp_local_frame_get_origin (frame, &ox, &oy);
  g_assert_cmpfloat (ox, ==, 110.5);
  g_assert_cmpfloat (oy, ==, 45.0);

  /* No .prj but lon/lat by range: measured on WGS 84 just the same. */
  unknown = gp_local_frame_new (NULL, cell, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (frame_area (unknown, cell), area, 1e-3);
}

static void
test_frame_distances_and_round_trip (void)
{
  const double cell[4] = { 110.0, 44.5, 111.0, 45.5 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GpCrs) wgs84 = gp_crs_new_from_epsg (4326, &error);
  g_autoptr(GpLocalFrame) frame = gp_local_frame_new (wgs84, cell, &error);
  double xy[] = { 110.5, 45.0, 110.5, 44.5, 110.5, 45.5, 110.5 + 0.01, 45.0, 110.0, 44.5, 111.0, 45.5 };
  double original[G_N_ELEMENTS (xy)];
  double e2 = WGS84_F * (2 - WGS84_F), s = sin (45.0 * G_PI / 180.0);
  double parallel = WGS84_A / sqrt (1 - e2 * s * s) * cos (45.0 * G_PI / 180.0) * 0.01 * G_PI / 180.0;
  double arc = meridian_arc (WGS84_A, WGS84_F, 44.5, 45.5);

  g_assert_no_error (error);
  memcpy (original, xy, sizeof xy);
  g_assert_true (gp_local_frame_forward (frame, xy, G_N_ELEMENTS (xy) / 2, &error));
  g_assert_no_error (error);

  /* The centre is the origin; the central meridian keeps its true length (k = 1). */
  g_assert_cmpfloat (fabs (xy[0]), <, 1e-6);
  g_assert_cmpfloat (fabs (xy[1]), <, 1e-6);
  g_test_message ("meridian 44.5°–45.5°: %.4f m in the frame, %.4f m on the ellipsoid",
                  xy[5] - xy[3], arc);
  g_assert_cmpfloat (fabs ((xy[5] - xy[3]) - arc), <, 0.01);
  g_assert_cmpfloat (fabs (xy[2]), <, 1e-6);
  /* East is +x, north is +y, and 0.01° of the parallel through the centre is its true length. */
  g_assert_cmpfloat (fabs (xy[6] - parallel), <, 1e-3);
  /* The parallel curves towards the pole by N sinφ cosφ Δλ²/2 (the series' first term). */
  g_assert_cmpfloat (fabs (xy[7] - parallel * sin (45.0 * G_PI / 180.0) * 0.01 * G_PI / 180.0 / 2), <, 1e-4);
  g_assert_cmpfloat (xy[8], <, 0);
  g_assert_cmpfloat (xy[11], >, 0);

  g_assert_true (gp_local_frame_inverse (frame, xy, G_N_ELEMENTS (xy) / 2, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (xy); i++)
    g_assert_cmpfloat (fabs (xy[i] - original[i]), <, 1e-9);
}

/* Geographic points to another CRS with PROJ directly, x = east, as a reference. */
static void
proj_to (const char *target, double *xy, gsize n)
{
  PJ_CONTEXT *ctx = proj_context_create ();
  PJ *op = proj_create_crs_to_crs (ctx, "EPSG:4490", target, NULL);
  PJ *norm = proj_normalize_for_visualization (ctx, op);

  g_assert_nonnull (norm);
  proj_trans_generic (norm, PJ_FWD, xy, 2 * sizeof (double), n, xy + 1, 2 * sizeof (double), n,
                      NULL, 0, 0, NULL, 0, 0);
  proj_destroy (norm);
  proj_destroy (op);
  proj_context_destroy (ctx);
}

/* The same ground measured from CGCS2000 lon/lat and from its Gauss-Kruger zone agrees. */
static void
test_frame_gauss_kruger (void)
{
  /* A village-sized square in 东胜区 territory, 109.9°–110.0°E, just west of CM 111E. */
  const double geo_box[4] = { 109.90, 39.78, 110.00, 39.86 };
  gsize n;
  g_autofree double *ring = rectangle_ring (geo_box, 50, &n);
  g_autofree double *gk_ring = g_memdup2 (ring, 2 * n * sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autoptr(GpCrs) cgcs = gp_crs_new_from_definition (PRJ_CGCS2000, &error);
  g_autoptr(GpCrs) gk = gp_crs_new_from_definition (PRJ_GK_CM_111E, &error);
  g_autoptr(GpLocalFrame) geo_frame = NULL;
  g_autoptr(GpLocalFrame) gk_frame = NULL;
  double gk_box[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
  double geo_area, gk_area, naive_gk_area;

  g_assert_no_error (error);
  proj_to ("EPSG:4546", gk_ring, n);
  for (gsize i = 0; i < n; i++)
    {
      gk_box[0] = MIN (gk_box[0], gk_ring[2 * i]);
      gk_box[1] = MIN (gk_box[1], gk_ring[2 * i + 1]);
      gk_box[2] = MAX (gk_box[2], gk_ring[2 * i]);
      gk_box[3] = MAX (gk_box[3], gk_ring[2 * i + 1]);
    }
  /* Easting first, false easting 500 km, about 90 km west of the central meridian. */
  g_assert_cmpfloat (gk_box[0], >, 400000);
  g_assert_cmpfloat (gk_box[2], <, 500000);
  g_assert_cmpfloat (gk_box[1], >, 4400000);

  geo_frame = gp_local_frame_new (cgcs, geo_box, &error);
  g_assert_no_error (error);
  gk_frame = gp_local_frame_new (gk, gk_box, &error);
  g_assert_no_error (error);

  naive_gk_area = ring_area (gk_ring, n);
  g_assert_true (gp_local_frame_forward (geo_frame, ring, n, &error));
  g_assert_true (gp_local_frame_forward (gk_frame, gk_ring, n, &error));
  g_assert_no_error (error);
  geo_area = ring_area (ring, n);
  gk_area = ring_area (gk_ring, n);
  g_test_message ("GK CM 111E: %.1f m² from lon/lat, %.1f m² from GK, %.1f m² raw GK",
                  geo_area, gk_area, naive_gk_area);
  g_assert_cmpfloat (fabs (geo_area - gk_area) / geo_area, <, 1e-7);
  /* 90 km off the central meridian the zone itself stretches areas by ~2e-4. */
  g_assert_cmpfloat ((naive_gk_area - gk_area) / gk_area, >, 1e-4);
}

/* UTM's k = 0.9996: a 1 km UTM square covers 1/0.9996² km² of ground near the central meridian. */
static void
test_frame_utm (void)
{
  const double box[4] = { 499500.0, 4429500.0, 500500.0, 4430500.0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GpCrs) utm = gp_crs_new_from_definition (PRJ_UTM_50N, &error);
  g_autoptr(GpLocalFrame) frame = gp_local_frame_new (utm, box, &error);
  double expected = 1e6 / (0.9996 * 0.9996), area;

  g_assert_no_error (error);
  area = frame_area (frame, box);
  g_test_message ("1 km² UTM square: %.2f m² in the frame, %.2f expected", area, expected);
  g_assert_cmpfloat (fabs (area - expected) / expected, <, 1e-6);
}

static void
test_frame_state_plane_feet (void)
{
  g_autofree char *path = gp_test_shared_path ("us/mggg-DE/DE_precincts/DE_precincts.prj");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpCrs) crs = NULL;
  g_autoptr(GpLocalFrame) frame = NULL;
  /* 1000 ft square on the central meridian (false easting 656166.667 ft), k = 0.999995. */
  const double box[4] = { 655666.667, 400000.0, 656666.667, 401000.0 };
  double foot = 1200.0 / 3937.0, expected, area;

  if (path == NULL)
    return;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  crs = gp_crs_new_from_definition (text, &error);
  g_assert_no_error (error);
  frame = gp_local_frame_new (crs, box, &error);
  g_assert_no_error (error);
  expected = pow (1000.0 * foot / 0.999995, 2);
  area = frame_area (frame, box);
  g_test_message ("1000 ft square in Delaware: %.3f m², expected %.3f", area, expected);
  g_assert_cmpfloat (fabs (area - expected) / expected, <, 1e-6);
}

static void
test_frame_unknown_metric (void)
{
  const double box[4] = { 1000.0, 2000.0, 3000.0, 6000.0 };
  double xy[] = { 1000.0, 2000.0, 2000.0, 4000.0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GpLocalFrame) frame = gp_local_frame_new (NULL, box, &error);
  g_autoptr(GpLocalFrame) copy = NULL;

  g_assert_no_error (error);
  g_assert_true (gp_local_frame_forward (frame, xy, 2, &error));
  g_assert_cmpfloat (xy[0], ==, -1000.0);
  g_assert_cmpfloat (xy[1], ==, -2000.0);
  g_assert_cmpfloat (xy[2], ==, 0.0);
  g_assert_cmpfloat (xy[3], ==, 0.0);
  copy = gp_local_frame_copy (frame);
  g_assert_true (gp_local_frame_inverse (copy, xy, 2, &error));
  g_assert_cmpfloat (xy[0], ==, 1000.0);
  g_assert_cmpfloat (xy[3], ==, 4000.0);
}

typedef struct {
  GpLocalFrame *frame;
  double *xy;
  gsize n;
} FrameJob;

static gpointer
frame_job (gpointer data)
{
  FrameJob *job = data;

  for (int round = 0; round < 20; round++)
    {
      g_assert_true (gp_local_frame_forward (job->frame, job->xy, job->n, NULL));
      g_assert_true (gp_local_frame_inverse (job->frame, job->xy, job->n, NULL));
    }
  g_assert_true (gp_local_frame_forward (job->frame, job->xy, job->n, NULL));
  return NULL;
}

/* Copies work on their own threads and give exactly what the original gives. */
static void
test_frame_copy_threads (void)
{
  const double box[4] = { 109.0, 39.0, 111.0, 41.0 };
  const gsize n = 20000;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpCrs) cgcs = gp_crs_new_from_epsg (4490, &error);
  g_autoptr(GpLocalFrame) frame = gp_local_frame_new (cgcs, box, &error);
  g_autofree double *reference = g_new (double, 2 * n);
  FrameJob jobs[2];
  GThread *threads[2];

  g_assert_no_error (error);
  for (gsize i = 0; i < n; i++)
    {
      reference[2 * i] = 109.0 + 2.0 * (double) i / n;
      reference[2 * i + 1] = 39.0 + fmod (i * 0.618, 2.0);
    }
  for (int t = 0; t < 2; t++)
    {
      jobs[t].frame = gp_local_frame_copy (frame);
      jobs[t].xy = g_memdup2 (reference, 2 * n * sizeof (double));
      jobs[t].n = n;
      threads[t] = g_thread_new ("frame", frame_job, &jobs[t]);
    }
  g_assert_true (gp_local_frame_forward (frame, reference, n, &error));
  for (int t = 0; t < 2; t++)
    {
      g_thread_join (threads[t]);
      for (gsize i = 0; i < 2 * n; i++)
        g_assert_cmpfloat (fabs (jobs[t].xy[i] - reference[i]), <, 1e-6);
      gp_local_frame_free (jobs[t].frame);
      g_free (jobs[t].xy);
    }
}

static void
test_frame_bad_input (void)
{
  const double nan_box[4] = { NAN, 0, 1, 1 };
  const double box[4] = { 110.0, 40.0, 111.0, 41.0 };
  double far[] = { 110.5, 40.5, 110.5, 95.0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GpCrs) wgs84 = gp_crs_new_from_epsg (4326, NULL);
  g_autoptr(GpLocalFrame) frame = NULL;

  g_assert_null (gp_local_frame_new (wgs84, nan_box, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A latitude beyond the pole is no place at all: an error, not a silent HUGE_VAL. */
  frame = gp_local_frame_new (wgs84, box, &error);
  g_assert_no_error (error);
  g_assert_false (gp_local_frame_forward (frame, far, 2, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_CRS);
  g_test_message ("%s", error->message);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crs/identify-wkt", test_identify_wkt);
  g_test_add_func ("/crs/names-and-wkt", test_names_and_wkt);
  g_test_add_func ("/crs/equal-without-epsg", test_equal_without_epsg);
  g_test_add_func ("/crs/refuse-garbage", test_refuse_garbage);
  g_test_add_func ("/crs/shared-prj-files", test_shared_prj_files);
  g_test_add_func ("/crs/lonlat-guess", test_lonlat_guess);
  g_test_add_func ("/crs/frame/area-45n", test_frame_area_45n);
  g_test_add_func ("/crs/frame/distances-round-trip", test_frame_distances_and_round_trip);
  g_test_add_func ("/crs/frame/gauss-kruger", test_frame_gauss_kruger);
  g_test_add_func ("/crs/frame/utm", test_frame_utm);
  g_test_add_func ("/crs/frame/state-plane-feet", test_frame_state_plane_feet);
  g_test_add_func ("/crs/frame/unknown-metric", test_frame_unknown_metric);
  g_test_add_func ("/crs/frame/copy-threads", test_frame_copy_threads);
  g_test_add_func ("/crs/frame/bad-input", test_frame_bad_input);

  return g_test_run ();
}
