/* gp-collision.h: which screen rectangles are taken, so labels never overlap. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _GpCollision GpCollision;

/* A bucket grid over a WIDTH x HEIGHT screen; rectangles may also lie partly outside it. */
GpCollision *gp_collision_new     (double width, double height);
void         gp_collision_free    (GpCollision *self);
/* TRUE when (x, y, w, h) overlaps no rectangle added so far. */
gboolean     gp_collision_is_free (GpCollision *self, double x, double y, double w, double h);
void         gp_collision_add     (GpCollision *self, double x, double y, double w, double h);
/* gp_collision_is_free, then gp_collision_add when it was. */
gboolean     gp_collision_try_add (GpCollision *self, double x, double y, double w, double h);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpCollision, gp_collision_free)

G_END_DECLS
