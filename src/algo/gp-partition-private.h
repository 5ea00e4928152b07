/* gp-partition-private.h: what the graph core's files share; not for use outside src/algo. */
#pragma once

#include <glib.h>

#include "gp-partition.h"

G_BEGIN_DECLS

#define UNSET       G_MAXUINT
/* walk_piece through units of any label. */
#define ANY_LABEL   (G_MAXUINT - 1)
/* Labels of regions being split count up from here; grid indices stay below. */
#define TEMP_LABEL0 0x80000000u
/* A connectivity check that would have to look at more units than this refuses the move:
 * wrong answers are never given, only some moves in very large grids are passed over. */
#define BFS_BUDGET  4096
/* A bisection of a region this small also tries exchanging two units across its cut. */
#define PAIR_LIMIT  160
/* Weight of compactness (Polsby-Popper) against the squared relative deviation from T, for units
 * of about T/6 households. Coarser units move a grid's households in bigger steps, so the
 * squared deviation outweighs compactness more; the weight grows with the units' size to keep
 * the balance between them (measured on generated data: see bench/split/README.md). */
#define LAMBDA_PP   0.4
/* Extra cost of a grid outside ±10% and outside ±tolerance: the share within them is what
 * planners judge, so compactness may never push a grid out. */
#define STEP_10PCT  0.1
#define STEP_TOL    0.04
#define GAIN_EPS    1e-12
/* A single free piece of at least this many units and twice this many grids is cut in two
 * first, and each half split on its own (on a core of its own when there are two): the halves'
 * work is independent but for the seam, refined after. Below it one pass is quick anyway. */
#define HALVES_MIN_UNITS 20000
#define HALVES_MIN_GRIDS 64
typedef struct {
  guint         n;
  const double *w, *x, *y, *area, *perim, *len;
  double       *len_owned;
  const guint  *xadj, *adj;
  double        target, tol;
  double        lambda;     /* weight of compactness in the cost, see LAMBDA_PP */

  guint        *lab;        /* grid index, a region label while splitting, or UNSET */
  guint        *seen;       /* BFS visit stamps */
  guint         stamp;
  guint        *mark, *slot; /* neighbour marks of the connectivity check */
  guint         mark_stamp;
  guint         next_temp;
  double       *key;        /* sweep position while growing a region */
  guint        *order;      /* scratch: growth order, component lists */
  guint        *bfsq;       /* scratch for connectivity checks */
  guint        *nbuf;       /* scratch: a unit's neighbours, max_degree entries */
  guint        *uf;         /* scratch: union-find over nbuf */
  guint        *pairs;      /* scratch: (unit, neighbour slot) pairs for the local check */
  guint         max_degree;
  guint        *heap_v;     /* a min-heap over key[] for growth */
  double       *heap_k;
  guint         heap_n;

  /* Per grid (at most n of them). */
  guint         n_grids;
  double       *gw, *garea, *gperim;
  guint        *gsize;
  guint8       *gfixed;     /* locked, oversize or empty: never gives or takes a unit */
  guint8       *gchanged;   /* gained or lost a unit since last cleared */
  gint         *glocked;
  guint        *gflags;
  guint        *gcomp;      /* free piece the grid was cut from, or UNSET */
  guint        *ghead;      /* first unit of each grid, then unext[] (units in UNSET: none) */
  guint        *unext, *uprev;

  GRand        *rand;
  guint         lost_grids; /* grids asked for that the units could not make */
} Ctx;
typedef struct {
  guint  A, B;      /* labels of the two sides */
  double W1;        /* households side A should hold */
  double wA;        /* households it holds */
  guint  nA, nB;    /* units on each side */
} Cut;
typedef struct {
  guint  start, size;  /* in the component list */
  double households;
  guint  n_pos;
  guint  k;
} Piece;

/* gp-partition-graph.c: grids as lists of units, connectivity */
guint grid_new (Ctx *c, gboolean fixed, guint comp);
double shared_with (const Ctx *c, guint v, guint g);
void grid_add (Ctx *c, guint g, guint v);
void grid_remove (Ctx *c, guint g, guint v);
guint next_stamp (Ctx *c);
gboolean stays_connected (Ctx *c, guint v, guint L);
guint walk_piece (Ctx *c, guint s, guint label, guint stamp, guint *out, guint tail);
guint collect_piece (Ctx *c, guint s, guint g);

/* gp-partition-bisect.c: bisection */
gboolean touches (const Ctx *c, guint v, guint L);
gboolean grow_side (Ctx *c, guint *verts, guint m, guint label, double dx, double dy, Cut *cut);
void balance_cut (Ctx *c, guint *verts, guint m, Cut *cut, double allow, double wmax);
guint count_households (const Ctx *c, const guint *verts, guint m, double *total);
guint bisect_once (Ctx *c, guint *verts, guint m, guint label, guint k, guint *k1_out);
void split_region (Ctx *c, guint *verts, guint m, guint label, guint k, guint comp);

/* gp-partition-refine.c: refinement */
double polsby_popper (double area, double perimeter);
void refine (Ctx *c, gboolean only_changed, guint passes);
guint resplit_pairs (Ctx *c);
guint repair_off_target (Ctx *c);

/* gp-partition-check.c: checks and repairs */
gboolean check_graph (const GpPartitionGraph *g, const GpPartitionOptions *o, GError **error);
void repair_contiguity (Ctx *c);

G_END_DECLS
