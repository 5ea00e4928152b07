/* gp-collision.c: a uniform bucket grid of placed label boxes; each test looks at a few cells. */
#include "gp-config.h"

#include <math.h>

#include "gp-collision.h"

#define CELL 48.0

typedef struct {
  double x0, y0, x1, y1;
} Box;

struct _GpCollision
{
  int cols;
  int rows;
  GArray **cells;    /* cols * rows lists of indices into boxes, created on demand */
  GArray *boxes;
};

GpCollision *
gp_collision_new (double width, double height)
{
  GpCollision *self = g_new0 (GpCollision, 1);

  self->cols = (int) CLAMP (ceil (width / CELL), 1, 4096);
  self->rows = (int) CLAMP (ceil (height / CELL), 1, 4096);
  self->cells = g_new0 (GArray *, (gsize) self->cols * self->rows);
  self->boxes = g_array_new (FALSE, FALSE, sizeof (Box));
  return self;
}

void
gp_collision_free (GpCollision *self)
{
  if (self == NULL)
    return;
  for (gsize i = 0; i < (gsize) self->cols * self->rows; i++)
    if (self->cells[i] != NULL)
      g_array_unref (self->cells[i]);
  g_free (self->cells);
  g_array_unref (self->boxes);
  g_free (self);
}

static void
cell_range (GpCollision *self, const Box *b, int *c0, int *r0, int *c1, int *r1)
{
  /* Boxes beyond the screen fall into the border cells, so nothing is ever missed. */
  *c0 = (int) CLAMP (floor (b->x0 / CELL), 0, self->cols - 1);
  *c1 = (int) CLAMP (floor (b->x1 / CELL), 0, self->cols - 1);
  *r0 = (int) CLAMP (floor (b->y0 / CELL), 0, self->rows - 1);
  *r1 = (int) CLAMP (floor (b->y1 / CELL), 0, self->rows - 1);
}

gboolean
gp_collision_is_free (GpCollision *self, double x, double y, double w, double h)
{
  Box b = { x, y, x + w, y + h };
  int c0, r0, c1, r1;

  g_return_val_if_fail (self != NULL, FALSE);

  cell_range (self, &b, &c0, &r0, &c1, &r1);
  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      {
        GArray *cell = self->cells[(gsize) r * self->cols + c];

        if (cell == NULL)
          continue;
        for (guint i = 0; i < cell->len; i++)
          {
            const Box *o = &g_array_index (self->boxes, Box, g_array_index (cell, guint, i));

            if (o->x0 < b.x1 && b.x0 < o->x1 && o->y0 < b.y1 && b.y0 < o->y1)
              return FALSE;
          }
      }
  return TRUE;
}

void
gp_collision_add (GpCollision *self, double x, double y, double w, double h)
{
  Box b = { x, y, x + w, y + h };
  guint index;
  int c0, r0, c1, r1;

  g_return_if_fail (self != NULL);

  index = self->boxes->len;
  g_array_append_val (self->boxes, b);
  cell_range (self, &b, &c0, &r0, &c1, &r1);
  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      {
        GArray **cell = &self->cells[(gsize) r * self->cols + c];

        if (*cell == NULL)
          *cell = g_array_new (FALSE, FALSE, sizeof (guint));
        g_array_append_val (*cell, index);
      }
}

gboolean
gp_collision_try_add (GpCollision *self, double x, double y, double w, double h)
{
  if (!gp_collision_is_free (self, x, y, w, h))
    return FALSE;
  gp_collision_add (self, x, y, w, h);
  return TRUE;
}
