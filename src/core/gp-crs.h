/* gp-crs.h: coordinate reference systems (PROJ) and the local metric frame used for measuring. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GP_TYPE_CRS (gp_crs_get_type ())
G_DECLARE_FINAL_TYPE (GpCrs, gp_crs, GP, CRS, GObject)

/* From the text of a .prj (ESRI or OGC WKT), PROJ strings or "EPSG:n"; identifies the EPSG
 * code where PROJ finds one with high confidence. */
GpCrs      *gp_crs_new_from_definition (const char *definition, GError **error);
GpCrs      *gp_crs_new_from_epsg       (int epsg, GError **error);
/* Lon/lat degrees recognised by range when no .prj says so: reported as WGS 84 (EPSG:4326). */
GpCrs      *gp_crs_new_lonlat_guess    (void);
/* TRUE when bbox (minx, miny, maxx, maxy) can only be longitude/latitude degrees. */
gboolean    gp_crs_bbox_looks_lonlat   (const double bbox[4]);

const char *gp_crs_get_name            (GpCrs *self);
int         gp_crs_get_epsg            (GpCrs *self);   /* 0 when none is known */
const char *gp_crs_get_wkt             (GpCrs *self);   /* WKT1 ESRI-style, for .prj files */
const char *gp_crs_get_wkt2            (GpCrs *self);   /* WKT2, for GeoPackage definition_12_063 */
gboolean    gp_crs_is_geographic       (GpCrs *self);
gboolean    gp_crs_is_guessed          (GpCrs *self);   /* no .prj: lon/lat by range */
gboolean    gp_crs_equal               (GpCrs *a, GpCrs *b);
/* WGS 84 longitude/latitude (as GPS and map sites give them) → SELF's x/y (east, north), in
 * place, N points interleaved. FALSE with GP_ERROR_CRS when PROJ cannot do it. */
gboolean    gp_crs_from_lonlat         (GpCrs *self, double *xy, gsize n, GError **error);

/* A local metric frame: a transverse Mercator centred on the data (metres), where every area,
 * length and distance is measured and every map is drawn, so a county looks right at 40-50° N.
 * Not thread-safe: give each thread its own (gp_local_frame_copy). */
typedef struct _GpLocalFrame GpLocalFrame;

GpLocalFrame *gp_local_frame_new      (GpCrs *source, const double bbox[4], GError **error);
GpLocalFrame *gp_local_frame_copy     (GpLocalFrame *frame);
void          gp_local_frame_free     (GpLocalFrame *frame);
/* Source CRS → local metres, in place, n points of interleaved x, y. */
gboolean      gp_local_frame_forward  (GpLocalFrame *frame, double *xy, gsize n, GError **error);
/* Local metres → source CRS, in place. */
gboolean      gp_local_frame_inverse  (GpLocalFrame *frame, double *xy, gsize n, GError **error);
/* Centre of the frame in source coordinates (its origin). */
void          gp_local_frame_get_origin (GpLocalFrame *frame, double *x, double *y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpLocalFrame, gp_local_frame_free)

G_END_DECLS
