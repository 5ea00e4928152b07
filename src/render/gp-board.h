/* gp-board.h: a grid's notice board (网格公示牌, 定人、定岗、定责), one A4 page: the grid on its map with its neighbours on each side (四至), its code and QR code (一格一码), its households and units, its people and their duties. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "gp-map-data.h"
#include "gp-style.h"

G_BEGIN_DECLS

typedef enum { GP_SIDE_EAST, GP_SIDE_SOUTH, GP_SIDE_WEST, GP_SIDE_NORTH, GP_N_SIDES } GpSide;

/* What a board shows, as text ready to print (NULL or "" where there is nothing). Phones on a
 * board are the full-time workers' own service phones, which a board exists to show; ID
 * numbers never appear. */
typedef struct {
  const char *code;
  const char *name;
  const char *community;
  const char *township;
  gint64      households;
  guint       n_units;
  const char *units;            /* unit names joined */
  const char *workers;          /* full-time workers with their phones */
  const char *parttime;
  const char *party;            /* party members' names */
  guint       n_party;
  gint64      contact_households;
  const char *building_heads;
  const char *unit_heads;
  const char *instructors;
  const char *sides[GP_N_SIDES]; /* what lies beyond each side: neighbouring grids or areas */
  const char *hotline;          /* NULL: a line to write it on */
  const char *date;             /* the day it was made */
} GpBoardInfo;

/* A4 portrait, in points. */
#define GP_BOARD_WIDTH  595.0
#define GP_BOARD_HEIGHT 842.0

/* The side of a neighbour seen from a grid in direction (DX, DY) (east, north positive). */
GpSide   gp_board_side_of (double dx, double dy);

/* Draws INFO's board on CR (points as units, GP_BOARD_WIDTH × GP_BOARD_HEIGHT), its map from
 * DATA (may be NULL) centred on the grid with the grid outlined. */
void     gp_board_draw    (cairo_t *cr, GpMapData *data, GpStyle *style, const GpBoardInfo *info);

/* Draws the QR code of TEXT (byte mode, error correction M) as a SIZE-point square at X, Y
 * with its quiet zone inside the square. FALSE when libqrencode cannot encode it. */
gboolean gp_board_draw_qr (cairo_t *cr, const char *text, double x, double y, double size);

G_END_DECLS
