/* gp-delaunay.h: the Delaunay triangulation of many points at once, as indices (a sweep of the hull, after delaunator). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Triangle t has corners triangles[3t], [3t+1], [3t+2] (indices of the points). Half-edge e runs
 * from triangles[e] to triangles[gp_delaunay_next (e)]; halfedges[e] is the same edge seen from
 * the triangle on its other side, or -1 on the hull. A point at the very place of an earlier one
 * is left out of every triangle. */
typedef struct {
  double *xy;          /* the points (a copy), frame points included */
  guint  n_points;
  guint  n_triangles;
  guint *triangles;
  gint  *halfedges;
} GpDelaunay;

/* The triangulation of the N points XY (x y interleaved), or NULL when they do not span a plane
 * (fewer than three, all on one line, or not finite). */
GpDelaunay *gp_delaunay_new  (const double *xy, guint n);
void        gp_delaunay_free (GpDelaunay *d);
/* The same with a few points far around BOX (xmin ymin xmax ymax) appended after the N, so
 * that each of the N has a closed Voronoi cell and every Voronoi edge between two of them ends. */
GpDelaunay *gp_delaunay_new_framed (const double *xy, guint n, const double box[4]);

/* Per triangle, the centre of its circle (a Voronoi vertex), x y interleaved; the centres of
 * neighbouring triangles closer than MERGE share the very same coordinates (four points on
 * one circle), so cells meet exactly; a triangle too flat for a circle gets its centroid. */
double     *gp_delaunay_centres (const GpDelaunay *d, double merge);
/* Per point, a half-edge ending at it (-1: in no triangle). */
gint       *gp_delaunay_inedges (const GpDelaunay *d);
/* The Voronoi cell of point P as a closed ring (x y interleaved, first point repeated) into
 * RING; FALSE when it is not closed (a point on the hull) or does not turn one way. */
gboolean    gp_delaunay_cell    (const GpDelaunay *d, const gint *inedges, const double *centres, guint p,
                                 GArray *ring);

static inline guint
gp_delaunay_next (guint e)
{
  return e % 3 == 2 ? e - 2 : e + 1;
}

/* The centre of the circle through the three points (x y interleaved); FALSE when they are on
 * one line. */
gboolean    gp_delaunay_circumcentre (const double *a, const double *b, const double *c, double *x, double *y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpDelaunay, gp_delaunay_free)

G_END_DECLS
