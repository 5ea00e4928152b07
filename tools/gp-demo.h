/* gp-demo.h: what the demo-district generator and its checker share (file names, frame, CRS). */
#pragma once

#include <geos_c.h>
#include <glib.h>

/* Base names of the files in data/demo (UTF-8 on disk, as Chinese offices name them). */
#define GP_DEMO_AREAS  "行政区划"
#define GP_DEMO_UNITS  "小区与村民小组"
#define GP_DEMO_SITES  "专属网格"
#define GP_DEMO_ROSTER "花名册.csv"
#define GP_DEMO_EVENTS "服务事项.csv"

/* Region code of 达拉特旗 (Dalad Banner), the county the demo district belongs to. */
#define GP_DEMO_COUNTY_CODE "150621"

/* Shapes are built in metres east/north of this point (the centre of 锡尼街道) and mapped to
 * CGCS2000 lon/lat by one affine map, so straight edges stay straight and a vertex two areas
 * share stays exactly shared in the files. */
#define GP_DEMO_LON0 110.030
#define GP_DEMO_LAT0 40.390

#define GP_DEMO_PRJ_CGCS2000 \
  "GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\",DATUM[\"D_China_2000\"," \
  "SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0]," \
  "UNIT[\"Degree\",0.0174532925199433]]"
/* EPSG:4546, CGCS2000 / 3-degree Gauss-Kruger CM 111E, as ArcGIS writes it. */
#define GP_DEMO_PRJ_GK_CM111 \
  "PROJCS[\"CGCS2000_3_Degree_GK_CM_111E\"," GP_DEMO_PRJ_CGCS2000 "," \
  "PROJECTION[\"Gauss_Kruger\"],PARAMETER[\"False_Easting\",500000.0]," \
  "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",111.0]," \
  "PARAMETER[\"Scale_Factor\",1.0],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]"

/* Metres per degree of longitude and latitude at GP_DEMO_LAT0 on the CGCS2000 ellipsoid. */
void                gp_demo_frame_scale (double *m_per_deg_lon, double *m_per_deg_lat);

/* The tool's one GEOS context (the tool is single-threaded). A call that fails returns NULL or 0
 * and leaves its message for gp_demo_geos_message(). */
GEOSContextHandle_t gp_demo_geos (void);
const char         *gp_demo_geos_message (void);
void                gp_demo_geos_finish (void);

/* Converts n lon/lat pairs (EPSG:4490) in place to Gauss-Kruger CM 111E (EPSG:4546), or back. */
gboolean            gp_demo_gauss_kruger (double *x, double *y, gsize n, gboolean forward,
                                          GError **error);

/* Reads the demo files in dir back and checks what the planner relies on: areas nest and
 * tessellate, units lie in their area without overlapping, exclusive sites lie in their
 * community, households are in range and the roster's ID numbers are well formed. */
gboolean            gp_demo_check (const char *dir, GError **error);
