/* gp-spatial-index.h: a static packed R-tree (Hilbert-sorted) over feature bounding boxes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _GpSpatialIndex GpSpatialIndex;

/* Indexes N boxes (minx, miny, maxx, maxy each, 4 * N doubles); the index keeps no pointer to
 * BBOXES. Item i is reported as i. Boxes with NaN are never reported. */
GpSpatialIndex *gp_spatial_index_new   (const double *bboxes, guint n);
void            gp_spatial_index_free  (GpSpatialIndex *index);
guint           gp_spatial_index_get_size (const GpSpatialIndex *index);
/* Appends to HITS (a GArray of guint) every item whose box meets BBOX, in Hilbert order;
 * returns how many it appended. */
guint           gp_spatial_index_query (const GpSpatialIndex *index, const double bbox[4],
                                        GArray *hits);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpSpatialIndex, gp_spatial_index_free)

G_END_DECLS
