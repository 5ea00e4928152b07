/* gp-make-demo.c: writes the seeded demo district of data/demo (real NBS 2023 names and codes,
 * synthetic shapes, households and people), byte for byte the same for the same seed. */
#include <geos_c.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <shapefil.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gp-demo.h"
#include "gp-error.h"

#define G (gp_demo_geos ())

/* ------------------------------------------------------------------------------------------ */
/* Real divisions. Names and codes are the public 2023 统计用区划代码和城乡划分代码 of the
 * National Bureau of Statistics (NBS 2023) for 达拉特旗 (150621), copied here by hand so the
 * generator needs no data at run time. */

typedef struct {
  const char *code;
  const char *name;
} Division;

static const Division county = { GP_DEMO_COUNTY_CODE, "达拉特旗" };

/* An urban street of the banner seat with six communities. */
static const Division street = { "150621003", "锡尼街道" };
static const Division street_communities[] = {
  { "150621003001", "召南社区" },
  { "150621003002", "城关社区" },
  { "150621003003", "和平社区" },
  { "150621003004", "巴音社区" },
  { "150621003005", "腾达社区" },
  { "150621003006", "长胜社区" },
};

/* A rural town east of the seat: eight villages and the community of the town itself. */
static const Division township = { "150621102", "白泥井镇" };
static const Division township_villages[] = {
  { "150621102200", "白泥井村委会" }, /* the seat village: it surrounds the town community */
  { "150621102201", "柴磴村委会" },
  { "150621102202", "侯家营子村委会" },
  { "150621102203", "道劳窑子村委会" },
  { "150621102204", "海留树村委会" },
  { "150621102205", "七份子村委会" },
  { "150621102206", "唐公营子村委会" },
  { "150621102216", "隆盛城村" },
};
static const Division township_community = { "150621102217", "白泥井新村社区" };

/* Where the parts lie (approximately where the real ones are): 锡尼街道 at the frame's origin,
 * 白泥井镇 about 23 km east and 10 km south of it, inside the banner's boundary. */
#define TOWNSHIP_LON 110.300
#define TOWNSHIP_LAT 40.295

/* ------------------------------------------------------------------------------------------ */
/* Synthetic name parts. */

static const char *const compound_heads[] = {
  "阳光", "锦绣", "金地", "馨园", "华府", "盛世", "紫荆", "丽景", "康城", "天骄", "鑫源",
  "翰林", "泰和", "怡景", "和谐", "福泽", "金泰", "银河", "东方", "御景", "碧水", "兴达",
  "恒泰", "嘉禾", "富丽", "祥和", "安居", "瑞祥", "龙城", "滨河", "星光", "宏远", "书香",
  "世纪", "幸福", "民生", "开元", "文景", "汇通", "金鼎", "青山", "绿洲", "锦华", "康乐",
};
static const char *const compound_tails[] = {
  "小区", "小区", "小区", "花园", "苑", "家园", "名苑", "雅居", "新村", "佳苑", "公寓",
  "嘉园", "华庭", "花园", "小区",
};
/* Old staff quarters of public bodies, common in small Inner Mongolian towns. */
static const char *const staff_quarters[] = {
  "供电局", "电厂", "粮食局", "农业银行", "交通局", "一中", "水利局", "邮政局", "税务局",
  "林业局", "建设银行", "人民医院",
};

static const char *const surnames[] = {
  "王", "王", "王", "李", "李", "李", "张", "张", "张", "刘", "刘", "刘", "陈", "陈", "杨",
  "杨", "赵", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "高", "郭", "郭", "马",
  "马", "何", "林", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹",
  "袁", "邓", "许", "沈", "曾", "彭", "吕", "苏", "蒋", "蔡", "贾", "贾", "丁", "魏", "薛",
  "任", "姜", "范", "石", "石", "姚", "谭", "田", "田", "杜", "白", "白", "乔", "闫", "闫",
  "郝", "郝", "秦", "史", "侯", "侯", "武", "武", "段", "康", "温", "尚", "雷", "奇", "云",
};
static const char *const given_male[] = {
  "伟", "强", "军", "磊", "勇", "杰", "涛", "斌", "鹏", "超", "明", "刚", "平", "辉", "建",
  "华", "国", "海", "东", "文", "波", "宇", "浩", "俊", "峰", "龙", "飞", "亮", "志", "永",
  "春", "利", "生", "林", "忠", "成", "宏", "新", "旭", "晨",
};
static const char *const given_female[] = {
  "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "红", "梅", "婷", "雪", "慧",
  "琳", "晶", "洁", "萍", "欣", "悦", "颖", "蕾", "英", "兰", "凤", "秀", "春", "月", "云",
};
/* Mongolian given names, used with or without a surname. */
static const char *const mongol_male[] = {
  "巴特尔", "额尔敦", "宝音", "阿拉坦", "朝鲁", "孟和", "布和", "哈斯", "呼和", "巴雅尔",
  "满都拉", "那仁", "毕力格", "苏和",
};
static const char *const mongol_female[] = {
  "其其格", "乌云", "斯琴", "苏日娜", "图雅", "萨仁", "乌兰", "格日勒", "敖登", "娜仁花",
  "乌日娜", "其木格", "萨日娜",
};
static const char *const mongol_surnames[] = { "包", "白", "韩", "奇", "云", "鲍" };

static const char *const departments[] = {
  "教育体育局", "财政局", "民政局", "人力资源和社会保障局", "自然资源局", "住房和城乡建设局",
  "交通运输局", "水利局", "农牧局", "卫生健康委员会", "市场监督管理局", "应急管理局", "统计局",
  "司法局", "审计局", "医疗保障局", "人民医院", "第一中学", "林业和草原局", "文化旅游体育局",
};
static const char *const phone_prefixes[] = {
  "139", "138", "137", "136", "150", "151", "158", "186", "187", "188", "133", "153", "180",
  "189",
};
static const char *const numerals[] = {
  "", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
};

/* ------------------------------------------------------------------------------------------ */
/* Our own PRNG (xoshiro256**, seeded through splitmix64): rand() differs between C libraries. */

typedef struct {
  uint64_t s[4];
} Rng;

static uint64_t
splitmix64 (uint64_t *state)
{
  uint64_t z = (*state += UINT64_C (0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Each stage draws from its own stream, so a change in one stage leaves the others alone. */
static void
rng_init (Rng *rng, uint64_t seed, uint64_t stage)
{
  uint64_t state = seed * UINT64_C (0x100000001b3) + stage;
  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&state);
}

static inline uint64_t
rotl (uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next (Rng *rng)
{
  uint64_t *s = rng->s;
  uint64_t result = rotl (s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

static double
rng_uniform (Rng *rng)
{
  return (double) (rng_next (rng) >> 11) * 0x1.0p-53;
}

static double
rng_range (Rng *rng, double lo, double hi)
{
  return lo + (hi - lo) * rng_uniform (rng);
}

/* An integer in [lo, hi]. */
static int
rng_int (Rng *rng, int lo, int hi)
{
  return lo + (int) (rng_next (rng) % (uint64_t) (hi - lo + 1));
}

#define PICK(rng, table) ((table)[rng_int ((rng), 0, (int) G_N_ELEMENTS (table) - 1)])

static void
shuffle (Rng *rng, GPtrArray *items)
{
  for (guint i = items->len; i > 1; i--)
    {
      guint j = (guint) rng_int (rng, 0, (int) i - 1);
      gpointer tmp = items->pdata[i - 1];
      items->pdata[i - 1] = items->pdata[j];
      items->pdata[j] = tmp;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The district in memory, in metres of the local frame. */

typedef struct Area Area;
struct Area {
  const char   *code;
  const char   *name;
  const char   *level;  /* 乡镇, 街道, 村, 社区 */
  const char   *kind;   /* 城市, 农村 */
  const Area   *parent; /* NULL for the street and the township (their parent is the county) */
  guint         index;  /* position in the file */
  GEOSGeometry *geom;
  int           households;
};

typedef struct {
  char         *name;
  const char   *kind;       /* 小区, 村民小组 */
  int           households;
  int           buildings;  /* -1: not counted (bungalows, villager groups) */
  const Area   *area;
  GEOSGeometry *geom;
} Unit;

typedef struct {
  const char   *name;
  const char   *kind;       /* 学校, 医院 */
  const Area   *area;
  GEOSGeometry *geom;
} Site;

typedef struct {
  uint64_t    seed;
  GPtrArray  *areas;      /* Area *, in file order */
  GPtrArray  *units;      /* Unit * */
  GPtrArray  *sites;      /* Site * */
  GHashTable *unit_names; /* every unit name handed out so far */
} Demo;

static void
area_free (Area *area)
{
  GEOSGeom_destroy_r (G, area->geom);
  g_free (area);
}

static void
unit_free (Unit *unit)
{
  GEOSGeom_destroy_r (G, unit->geom);
  g_free (unit->name);
  g_free (unit);
}

static void
site_free (Site *site)
{
  GEOSGeom_destroy_r (G, site->geom);
  g_free (site);
}

static Area *
area_add (Demo *demo, const Division *division, const char *level, const char *kind,
          const Area *parent)
{
  Area *area = g_new0 (Area, 1);
  area->code = division->code;
  area->name = division->name;
  area->level = level;
  area->kind = kind;
  area->parent = parent;
  area->index = demo->areas->len;
  g_ptr_array_add (demo->areas, area);
  return area;
}

/* ------------------------------------------------------------------------------------------ */
/* Geometry. A GEOS failure here is a bug in the generator, not bad input, so it aborts. */

static GEOSGeometry *
checked (GEOSGeometry *geom, const char *what)
{
  if (geom == NULL)
    g_error ("gp-make-demo: GEOS failed to %s: %s", what, gp_demo_geos_message ());
  return geom;
}

static GEOSGeometry *
polygon_from_xy (const double *xy, guint n)
{
  GEOSCoordSequence *seq = GEOSCoordSeq_create_r (G, n + 1, 2);
  for (guint i = 0; i <= n; i++)
    GEOSCoordSeq_setXY_r (G, seq, i, xy[2 * (i % n)], xy[2 * (i % n) + 1]);
  return checked (GEOSGeom_createPolygon_r (G, GEOSGeom_createLinearRing_r (G, seq), NULL, 0),
                  "make a polygon");
}

static double
area_of (const GEOSGeometry *geom)
{
  double area = 0;
  GEOSArea_r (G, geom, &area);
  return area;
}

static void
centroid_of (const GEOSGeometry *geom, double *x, double *y)
{
  GEOSGeometry *c = checked (GEOSGetCentroid_r (G, geom), "find a centroid");
  GEOSGeomGetX_r (G, c, x);
  GEOSGeomGetY_r (G, c, y);
  GEOSGeom_destroy_r (G, c);
}

static gboolean
contains_xy (const GEOSGeometry *geom, double x, double y)
{
  GEOSGeometry *p = GEOSGeom_createPointFromXY_r (G, x, y);
  gboolean inside = GEOSContains_r (G, geom, p) == 1;
  GEOSGeom_destroy_r (G, p);
  return inside;
}

/* Takes geom; returns its largest polygon (geom itself when it is one), or NULL when it has
 * no area. */
static GEOSGeometry *
largest_polygon (GEOSGeometry *geom)
{
  if (GEOSGeomTypeId_r (G, geom) == GEOS_POLYGON && !GEOSisEmpty_r (G, geom))
    return geom;
  const GEOSGeometry *best = NULL;
  double best_area = 0;
  int n = GEOSGetNumGeometries_r (G, geom);
  for (int i = 0; i < n; i++)
    {
      const GEOSGeometry *part = GEOSGetGeometryN_r (G, geom, i);
      double a = area_of (part);
      if (GEOSGeomTypeId_r (G, part) == GEOS_POLYGON && a > best_area)
        {
          best = part;
          best_area = a;
        }
    }
  GEOSGeometry *result = best != NULL ? GEOSGeom_clone_r (G, best) : NULL;
  GEOSGeom_destroy_r (G, geom);
  return result;
}

/* The smallest and largest value of p·(nx, ny) over the outline of a polygon. */
static void
extent_along (const GEOSGeometry *poly, double nx, double ny, double *lo, double *hi)
{
  const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r (G, GEOSGetExteriorRing_r (G, poly));
  unsigned int n = 0;
  GEOSCoordSeq_getSize_r (G, seq, &n);
  *lo = INFINITY;
  *hi = -INFINITY;
  for (unsigned int i = 0; i < n; i++)
    {
      double x, y;
      GEOSCoordSeq_getXY_r (G, seq, i, &x, &y);
      *lo = MIN (*lo, x * nx + y * ny);
      *hi = MAX (*hi, x * nx + y * ny);
    }
}

/* The half-plane {p : p·n ≤ t}, as a square big enough to hold anything within reach of
 * (cx, cy). */
static GEOSGeometry *
half_plane (double nx, double ny, double t, double cx, double cy, double reach)
{
  double s = cx * nx + cy * ny;
  double px = cx + (t - s) * nx, py = cy + (t - s) * ny; /* (cx, cy) moved onto the line */
  double dx = -ny, dy = nx;
  double xy[8] = {
    px + dx * reach, py + dy * reach,
    px - dx * reach, py - dy * reach,
    px - dx * reach - nx * reach, py - dy * reach - ny * reach,
    px + dx * reach - nx * reach, py + dy * reach - ny * reach,
  };
  return polygon_from_xy (xy, 4);
}

/* Cuts a polygon by a straight road across direction angle, so that the low side gets share
 * of its area. The two pieces share the cut exactly. */
static void
cut_polygon (const GEOSGeometry *poly, double angle, double share,
             GEOSGeometry **low, GEOSGeometry **high)
{
  double nx = cos (angle), ny = sin (angle);
  double lo, hi, dlo, dhi, cx, cy;
  extent_along (poly, nx, ny, &lo, &hi);
  extent_along (poly, -ny, nx, &dlo, &dhi);
  centroid_of (poly, &cx, &cy);
  double reach = 2.0 * MAX (hi - lo, dhi - dlo) + 100.0;
  double total = area_of (poly);
  double a = lo, b = hi;
  for (int i = 0; i < 48; i++)
    {
      double t = 0.5 * (a + b);
      GEOSGeometry *h = half_plane (nx, ny, t, cx, cy, reach);
      GEOSGeometry *piece = checked (GEOSIntersection_r (G, poly, h), "cut a block");
      if (area_of (piece) < share * total)
        a = t;
      else
        b = t;
      GEOSGeom_destroy_r (G, piece);
      GEOSGeom_destroy_r (G, h);
    }
  GEOSGeometry *h = half_plane (nx, ny, 0.5 * (a + b), cx, cy, reach);
  *low = largest_polygon (checked (GEOSIntersection_r (G, poly, h), "cut a block"));
  *high = largest_polygon (checked (GEOSDifference_r (G, poly, h), "cut a block"));
  GEOSGeom_destroy_r (G, h);
  if (*low == NULL || *high == NULL)
    g_error ("gp-make-demo: a cut left an empty block");
}

/* One piece of a guillotine layout: what it should get (only ratios matter) and what it got. */
typedef struct {
  double        area;
  GEOSGeometry *piece;
} Slot;

/* How far from square a w × h piece is. */
static double
elongation (double w, double h)
{
  return MAX (w, h) / MAX (MIN (w, h), 1e-9);
}

/* Takes poly and cuts it, road by road, into slots (town blocks run along grid_angle). Each
 * road splits the slots in two groups and runs the way that leaves the two pieces closest to
 * square, so no compound ends up a thin strip along a road. */
static void
guillotine (GEOSGeometry *poly, Slot **slots, guint n, double grid_angle, Rng *rng)
{
  if (n == 1)
    {
      slots[0]->piece = poly;
      return;
    }
  double ulo, uhi, vlo, vhi;
  extent_along (poly, cos (grid_angle), sin (grid_angle), &ulo, &uhi);
  extent_along (poly, -sin (grid_angle), cos (grid_angle), &vlo, &vhi);
  double lu = uhi - ulo, lv = vhi - vlo;
  double total = 0, acc = 0, best = G_MAXDOUBLE, low_share = 0;
  gboolean across_u = TRUE;
  guint k = 1;
  for (guint i = 0; i < n; i++)
    total += slots[i]->area;
  for (guint i = 1; i < n; i++)
    {
      acc += slots[i - 1]->area;
      double s = acc / total;
      double cut_u = MAX (elongation (s * lu, lv), elongation ((1 - s) * lu, lv));
      double cut_v = MAX (elongation (lu, s * lv), elongation (lu, (1 - s) * lv));
      if (MIN (cut_u, cut_v) < best)
        {
          best = MIN (cut_u, cut_v);
          k = i;
          low_share = s;
          across_u = cut_u <= cut_v;
        }
    }
  double angle = (across_u ? grid_angle : grid_angle + G_PI_2) + rng_range (rng, -0.04, 0.04);
  GEOSGeometry *low, *high;
  cut_polygon (poly, angle, low_share, &low, &high);
  GEOSGeom_destroy_r (G, poly);
  guillotine (low, slots, k, grid_angle, rng);
  guillotine (high, slots + k, n - k, grid_angle, rng);
}

/* A block minus half of the road around it. */
static GEOSGeometry *
inset (const GEOSGeometry *poly, double by)
{
  GEOSGeometry *g = checked (GEOSBufferWithStyle_r (G, poly, -by, 2, GEOSBUF_CAP_FLAT,
                                                    GEOSBUF_JOIN_MITRE, 10.0),
                             "inset a block");
  g = largest_polygon (g);
  if (g == NULL)
    g_error ("gp-make-demo: a block vanished when its roads were taken off");
  return g;
}

/* The Voronoi cells of the points, clipped to region, in the points' order. */
static GPtrArray *
voronoi_cells (const GEOSGeometry *region, const double *px, const double *py, guint n)
{
  GEOSGeometry **points = g_new (GEOSGeometry *, n);
  for (guint i = 0; i < n; i++)
    points[i] = GEOSGeom_createPointFromXY_r (G, px[i], py[i]);
  GEOSGeometry *sites = GEOSGeom_createCollection_r (G, GEOS_MULTIPOINT, points, n);
  g_free (points);
  GEOSGeometry *diagram = checked (GEOSVoronoiDiagram_r (G, sites, region, 0.0, 0),
                                   "draw a Voronoi diagram");
  GPtrArray *cells = g_ptr_array_new_full (n, NULL);
  int m = GEOSGetNumGeometries_r (G, diagram);
  /* GEOS 3.11 does not keep the points' order: find each point's cell. */
  for (guint i = 0; i < n; i++)
    {
      GEOSGeometry *clipped = NULL;
      for (int j = 0; j < m && clipped == NULL; j++)
        {
          const GEOSGeometry *cell = GEOSGetGeometryN_r (G, diagram, j);
          if (contains_xy (cell, px[i], py[i]))
            clipped = checked (GEOSIntersection_r (G, cell, region), "clip a cell");
        }
      if (clipped == NULL)
        g_error ("gp-make-demo: a point has no Voronoi cell");
      g_ptr_array_add (cells, clipped);
    }
  GEOSGeom_destroy_r (G, diagram);
  GEOSGeom_destroy_r (G, sites);
  return cells;
}

static void
destroy_geom (gpointer geom)
{
  GEOSGeom_destroy_r (G, geom);
}

/* Cuts region into n compact cells: a seeded Voronoi diagram relaxed (Lloyd) relax times.
 * Draws new points until every cell is one polygon. Cells come in the points' order. */
static GPtrArray *
tessellate (const GEOSGeometry *region, guint n, guint relax, Rng *rng)
{
  double xmin, xmax, ymin, ymax;
  GEOSGeom_getXMin_r (G, region, &xmin);
  GEOSGeom_getXMax_r (G, region, &xmax);
  GEOSGeom_getYMin_r (G, region, &ymin);
  GEOSGeom_getYMax_r (G, region, &ymax);
  if (n == 1)
    {
      GPtrArray *whole = g_ptr_array_new_with_free_func (destroy_geom);
      g_ptr_array_add (whole, GEOSGeom_clone_r (G, region));
      return whole;
    }
  g_autofree double *px = g_new (double, n);
  g_autofree double *py = g_new (double, n);
  for (int attempt = 0; attempt < 100; attempt++)
    {
      for (guint i = 0; i < n; i++)
        do
          {
            px[i] = rng_range (rng, xmin, xmax);
            py[i] = rng_range (rng, ymin, ymax);
          }
        while (!contains_xy (region, px[i], py[i]));
      GPtrArray *cells = NULL;
      for (guint pass = 0;; pass++)
        {
          cells = voronoi_cells (region, px, py, n);
          if (pass == relax)
            break;
          for (guint i = 0; i < n; i++)
            {
              double x, y;
              centroid_of (cells->pdata[i], &x, &y);
              if (contains_xy (region, x, y))
                {
                  px[i] = x;
                  py[i] = y;
                }
            }
          g_ptr_array_set_free_func (cells, destroy_geom);
          g_ptr_array_unref (cells);
        }
      gboolean whole = TRUE;
      for (guint i = 0; i < n; i++)
        whole = whole && GEOSGeomTypeId_r (G, cells->pdata[i]) == GEOS_POLYGON;
      g_ptr_array_set_free_func (cells, destroy_geom);
      if (whole)
        return cells;
      g_ptr_array_unref (cells);
    }
  g_error ("gp-make-demo: no tessellation into %u whole cells after 100 tries", n);
}

/* Sorts polygons north to south, then west to east, the way groups are numbered on the ground. */
static int
compare_north_west (gconstpointer a, gconstpointer b)
{
  double ax, ay, bx, by;
  centroid_of (*(GEOSGeometry *const *) a, &ax, &ay);
  centroid_of (*(GEOSGeometry *const *) b, &bx, &by);
  if (ay != by)
    return ay > by ? -1 : 1;
  return (ax > bx) - (ax < bx);
}

/* ------------------------------------------------------------------------------------------ */
/* Households and names. */

/* Splits total households into units of lo..hi households each (log-uniform sizes when
 * skewed, as compounds are; uniform otherwise, as villager groups are). */
static GArray *
split_households (Rng *rng, int total, int lo, int hi, gboolean skewed)
{
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (int));
  int rest = total;
  while (rest > 0)
    {
      if (rest <= hi && (rest < 2 * lo || rng_uniform (rng) < 0.2))
        {
          g_array_append_val (sizes, rest);
          break;
        }
      int top = MIN (hi, rest - lo);
      int size = skewed ? (int) lround (exp (rng_range (rng, log (lo), log (top))))
                        : rng_int (rng, lo, top);
      g_array_append_val (sizes, size);
      rest -= size;
    }
  return sizes;
}

static char *
compound_name (Demo *demo, Rng *rng, const Area *community, int households)
{
  for (;;)
    {
      char *name;
      double u = rng_uniform (rng);
      if (u < 0.06 && households < 250)
        {
          /* A bungalow quarter takes the community's short name: 召南社区 → 召南平房区. */
          g_autofree char *quarter = g_strndup (community->name,
                                                strlen (community->name) - strlen ("社区"));
          name = g_strconcat (quarter, "平房区", NULL);
        }
      else if (u < 0.18)
        {
          /* One quarters per public body: 家属院 and 家属楼 of the same body would be one place. */
          const char *body = PICK (rng, staff_quarters);
          g_autofree char *yard = g_strconcat (body, "家属院", NULL);
          g_autofree char *block = g_strconcat (body, "家属楼", NULL);
          if (g_hash_table_contains (demo->unit_names, yard)
              || g_hash_table_contains (demo->unit_names, block))
            continue;
          name = g_strdup (rng_uniform (rng) < 0.5 ? yard : block);
        }
      else
        name = g_strconcat (PICK (rng, compound_heads), PICK (rng, compound_tails), NULL);
      if (!g_hash_table_contains (demo->unit_names, name))
        {
          g_hash_table_add (demo->unit_names, name);
          return g_strdup (name);
        }
      g_free (name);
    }
}

/* How the roster and group names call a village: 柴磴村委会 → 柴磴村. */
static char *
village_short_name (const Area *area)
{
  if (g_str_has_suffix (area->name, "村委会"))
    return g_strndup (area->name, strlen (area->name) - strlen ("委会"));
  return g_strdup (area->name);
}

static char *
chinese_number (int n)
{
  g_assert (n >= 1 && n <= 99);
  if (n <= 10)
    return g_strdup (numerals[n]);
  if (n < 20)
    return g_strconcat ("十", numerals[n % 10], NULL);
  return g_strconcat (numerals[n / 10], "十", numerals[n % 10], NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Urban layout: a street cut by roads into communities, communities into blocks. */

typedef enum {
  BLOCK_COMPOUND,
  BLOCK_SITE,
  BLOCK_OPEN, /* park, market, offices: nobody's home, in no unit */
} BlockKind;

typedef struct {
  Slot        slot; /* first, so a Block * is a Slot * */
  BlockKind   kind;
  int         households;
  const char *site_name;
  const char *site_kind;
} Block;

typedef struct {
  Slot       slot;
  Area      *area;
  GPtrArray *blocks; /* Block *, owned */
} Quarter;

static void
quarter_free (Quarter *quarter)
{
  g_ptr_array_unref (quarter->blocks);
  g_free (quarter);
}

static Block *
block_new (BlockKind kind, double area)
{
  Block *block = g_new0 (Block, 1);
  block->kind = kind;
  block->slot.area = area;
  return block;
}

/* The blocks of one community: its compounds (with room for each household) and open land. */
static Quarter *
plan_quarter (Rng *rng, Area *area, int households, int lo, int hi, int big_compound,
              guint open_blocks)
{
  Quarter *quarter = g_new0 (Quarter, 1);
  quarter->area = area;
  quarter->blocks = g_ptr_array_new_with_free_func (g_free);
  area->households = households;
  int rest = households;
  if (big_compound > 0)
    {
      Block *block = block_new (BLOCK_COMPOUND, big_compound * rng_range (rng, 75, 95));
      block->households = big_compound;
      g_ptr_array_add (quarter->blocks, block);
      rest -= big_compound;
    }
  g_autoptr (GArray) sizes = split_households (rng, rest, lo, hi, TRUE);
  for (guint i = 0; i < sizes->len; i++)
    {
      int hh = g_array_index (sizes, int, i);
      Block *block = block_new (BLOCK_COMPOUND, hh * rng_range (rng, 75, 130));
      block->households = hh;
      g_ptr_array_add (quarter->blocks, block);
    }
  for (guint i = 0; i < open_blocks; i++)
    g_ptr_array_add (quarter->blocks, block_new (BLOCK_OPEN, rng_range (rng, 1.5e4, 4.0e4)));
  return quarter;
}

static void
quarter_add_site (Quarter *quarter, const char *name, const char *kind, double area)
{
  Block *block = block_new (BLOCK_SITE, area);
  block->site_name = name;
  block->site_kind = kind;
  g_ptr_array_add (quarter->blocks, block);
}

static double
quarter_area (const Quarter *quarter)
{
  double area = 0;
  for (guint i = 0; i < quarter->blocks->len; i++)
    area += ((Block *) quarter->blocks->pdata[i])->slot.area;
  return area;
}

static int
compare_slot_area (gconstpointer a, gconstpointer b)
{
  double x = (*(Slot *const *) a)->area, y = (*(Slot *const *) b)->area;
  return (x < y) - (x > y);
}

/* Orders blocks roughly by size, with some neighbours swapped: the guillotine then pairs
 * blocks of like size, where a small block cut off a big one would be a thin strip. */
static void
arrange_blocks (Rng *rng, GPtrArray *blocks)
{
  g_ptr_array_sort (blocks, compare_slot_area);
  for (guint i = 0; i + 1 < blocks->len; i++)
    if (rng_uniform (rng) < 0.4)
      {
        gpointer tmp = blocks->pdata[i];
        blocks->pdata[i] = blocks->pdata[i + 1];
        blocks->pdata[i + 1] = tmp;
        i++;
      }
  if (rng_uniform (rng) < 0.5)
    for (guint i = 0, j = blocks->len - 1; i < j; i++, j--)
      {
        gpointer tmp = blocks->pdata[i];
        blocks->pdata[i] = blocks->pdata[j];
        blocks->pdata[j] = tmp;
      }
}

/* Cuts the community into its blocks and turns them into compounds and sites. */
static void
build_quarter (Demo *demo, Rng *rng, Quarter *quarter, double grid_angle)
{
  arrange_blocks (rng, quarter->blocks);
  guillotine (GEOSGeom_clone_r (G, quarter->area->geom), (Slot **) quarter->blocks->pdata,
              quarter->blocks->len, grid_angle, rng);
  for (guint i = 0; i < quarter->blocks->len; i++)
    {
      Block *block = quarter->blocks->pdata[i];
      double road = rng_range (rng, 5.0, 9.0);
      if (block->kind == BLOCK_COMPOUND)
        {
          Unit *unit = g_new0 (Unit, 1);
          unit->kind = "小区";
          unit->households = block->households;
          unit->area = quarter->area;
          unit->geom = inset (block->slot.piece, road);
          unit->name = compound_name (demo, rng, quarter->area, block->households);
          /* Bungalows have no buildings to count; elsewhere 24 to 90 households a building. */
          int per_building = rng_int (rng, 24, 90);
          unit->buildings = g_str_has_suffix (unit->name, "平房区")
                              ? -1
                              : (block->households + per_building - 1) / per_building;
          g_ptr_array_add (demo->units, unit);
        }
      else if (block->kind == BLOCK_SITE)
        {
          Site *site = g_new0 (Site, 1);
          site->name = block->site_name;
          site->kind = block->site_kind;
          site->area = quarter->area;
          site->geom = inset (block->slot.piece, road);
          g_ptr_array_add (demo->sites, site);
        }
      GEOSGeom_destroy_r (G, block->slot.piece);
      block->slot.piece = NULL;
    }
}

static void
build_street (Demo *demo)
{
  Rng rng;
  rng_init (&rng, demo->seed, 1);
  Area *street_area = area_add (demo, &street, "街道", "城市", NULL);
  g_autoptr (GPtrArray) quarters = g_ptr_array_new_with_free_func ((GDestroyNotify) quarter_free);
  double total = 0;
  for (guint i = 0; i < G_N_ELEMENTS (street_communities); i++)
    {
      Area *area = area_add (demo, &street_communities[i], "社区", "城市", street_area);
      /* One compound of 1,200+ households, the kind planners must split by building. */
      int big = i == 0 ? rng_int (&rng, 1230, 1390) : 0;
      /* Most compounds of a banner town hold a few hundred households. */
      Quarter *quarter = plan_quarter (&rng, area, rng_int (&rng, 2000, 4000), 60, 800, big,
                                       (guint) rng_int (&rng, 1, 2));
      if (i == 0)
        quarter_add_site (quarter, "召南小学", "学校", 3.4e4);
      if (i == 1)
        quarter_add_site (quarter, "城关医院", "医院", 2.6e4);
      quarter->slot.area = quarter_area (quarter);
      total += quarter->slot.area;
      g_ptr_array_add (quarters, quarter);
    }
  street_area->households = 0;
  for (guint i = 0; i < quarters->len; i++)
    street_area->households += ((Quarter *) quarters->pdata[i])->area->households;

  /* The street: a town grid turned a little off north, with ragged corners. */
  double grid_angle = rng_range (&rng, -0.15, 0.15);
  double w = sqrt (total * 1.3), h = total / w;
  double corners[4][2] = { { -w / 2, -h / 2 }, { w / 2, -h / 2 }, { w / 2, h / 2 }, { -w / 2, h / 2 } };
  double xy[8];
  for (int i = 0; i < 4; i++)
    {
      double x = corners[i][0] + rng_range (&rng, -0.05, 0.05) * w;
      double y = corners[i][1] + rng_range (&rng, -0.05, 0.05) * h;
      xy[2 * i] = x * cos (grid_angle) - y * sin (grid_angle);
      xy[2 * i + 1] = x * sin (grid_angle) + y * cos (grid_angle);
    }
  GEOSGeometry *outline = polygon_from_xy (xy, 4);
  street_area->geom = checked (GEOSConvexHull_r (G, outline), "draw the street");
  GEOSGeom_destroy_r (G, outline);

  g_autoptr (GPtrArray) order = g_ptr_array_copy (quarters, NULL, NULL);
  g_ptr_array_set_free_func (order, NULL); /* the copy borrows; quarters owns */
  shuffle (&rng, order);
  guillotine (GEOSGeom_clone_r (G, street_area->geom), (Slot **) order->pdata, order->len,
              grid_angle, &rng);
  for (guint i = 0; i < quarters->len; i++)
    {
      Quarter *quarter = quarters->pdata[i];
      quarter->area->geom = quarter->slot.piece;
      build_quarter (demo, &rng, quarter, grid_angle);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Rural layout: a township cut into villages, villages into villager groups. */

static void
build_villager_groups (Demo *demo, Rng *rng, Area *village)
{
  g_autoptr (GArray) sizes = split_households (rng, village->households, 20, 150, FALSE);
  g_autoptr (GPtrArray) cells = tessellate (village->geom, sizes->len, 3, rng);
  g_ptr_array_sort (cells, compare_north_west);
  g_autofree char *village_name = village_short_name (village);
  const char *suffix = rng_uniform (rng) < 0.6 ? "社" : "组";
  for (guint i = 0; i < cells->len; i++)
    {
      g_autofree char *number = chinese_number ((int) i + 1);
      Unit *unit = g_new0 (Unit, 1);
      unit->name = g_strconcat (village_name, number, suffix, NULL);
      unit->kind = "村民小组";
      unit->households = g_array_index (sizes, int, i);
      unit->buildings = -1;
      unit->area = village;
      unit->geom = inset (cells->pdata[i], rng_range (rng, 6.0, 12.0));
      g_hash_table_add (demo->unit_names, g_strdup (unit->name));
      g_ptr_array_add (demo->units, unit);
    }
}

static void
build_township (Demo *demo)
{
  Rng rng;
  rng_init (&rng, demo->seed, 2);
  double mx, my;
  gp_demo_frame_scale (&mx, &my);
  double cx = (TOWNSHIP_LON - GP_DEMO_LON0) * mx, cy = (TOWNSHIP_LAT - GP_DEMO_LAT0) * my;

  /* The outline: star-shaped round the centre (so always simple), wider east-west, with
   * a few slow waves and some roughness, about 28 km by 20 km. */
  Area *town_area = area_add (demo, &township, "乡镇", "农村", NULL);
  enum { N_OUTLINE = 96 };
  double amplitude[8] = { 0 }, phase[8] = { 0 };
  for (int k = 2; k <= 7; k++)
    {
      amplitude[k] = rng_range (&rng, 0.04, 0.22) / (k - 1);
      phase[k] = rng_range (&rng, 0, 2 * G_PI);
    }
  double xy[2 * N_OUTLINE];
  for (int i = 0; i < N_OUTLINE; i++)
    {
      double theta = 2 * G_PI * i / N_OUTLINE, r = 1.0;
      for (int k = 2; k <= 7; k++)
        r += amplitude[k] * cos (k * theta + phase[k]);
      r *= 10000.0 * (1.0 + rng_range (&rng, -0.02, 0.02));
      xy[2 * i] = cx + 1.4 * r * cos (theta);
      xy[2 * i + 1] = cy + r * sin (theta);
    }
  town_area->geom = polygon_from_xy (xy, N_OUTLINE);

  /* Villages: the seat village holds the town's centre; the others take the remaining cells
   * in a seeded order. */
  guint n_villages = G_N_ELEMENTS (township_villages);
  g_autoptr (GPtrArray) cells = tessellate (town_area->geom, n_villages, 4, &rng);
  double tx, ty;
  centroid_of (town_area->geom, &tx, &ty);
  guint seat = 0;
  for (guint i = 0; i < cells->len; i++)
    if (contains_xy (cells->pdata[i], tx, ty))
      seat = i;
  g_autoptr (GPtrArray) others = g_ptr_array_new ();
  for (guint i = 0; i < cells->len; i++)
    if (i != seat)
      g_ptr_array_add (others, cells->pdata[i]);
  shuffle (&rng, others);

  Area *villages[G_N_ELEMENTS (township_villages)];
  for (guint i = 0; i < n_villages; i++)
    {
      villages[i] = area_add (demo, &township_villages[i], "村", "农村", town_area);
      villages[i]->geom = GEOSGeom_clone_r (G, i == 0 ? cells->pdata[seat] : others->pdata[i - 1]);
      villages[i]->households = rng_int (&rng, 300, 900);
    }

  /* The town itself: a compact community inside the seat village, which surrounds it. */
  Area *community = area_add (demo, &township_community, "社区", "城市", town_area);
  double sx, sy, angle = rng_range (&rng, -0.12, 0.12);
  centroid_of (villages[0]->geom, &sx, &sy);
  double half_w = 650, half_h = 500;
  double rect[8];
  double corners[4][2] = { { -half_w, -half_h }, { half_w, -half_h }, { half_w, half_h }, { -half_w, half_h } };
  for (int i = 0; i < 4; i++)
    {
      rect[2 * i] = sx + corners[i][0] * cos (angle) - corners[i][1] * sin (angle);
      rect[2 * i + 1] = sy + corners[i][0] * sin (angle) + corners[i][1] * cos (angle);
    }
  community->geom = polygon_from_xy (rect, 4);
  GEOSGeometry *room = inset (villages[0]->geom, 500.0);
  if (GEOSWithin_r (G, community->geom, room) != 1)
    g_error ("gp-make-demo: the town community does not fit inside its village; try another seed");
  GEOSGeom_destroy_r (G, room);
  GEOSGeometry *holed = checked (GEOSDifference_r (G, villages[0]->geom, community->geom),
                                 "cut the town out of its village");
  GEOSGeom_destroy_r (G, villages[0]->geom);
  villages[0]->geom = holed;

  Quarter *quarter = plan_quarter (&rng, community, rng_int (&rng, 650, 900), 60, 400, 0, 1);
  quarter->slot.area = quarter_area (quarter);
  build_quarter (demo, &rng, quarter, angle);
  quarter_free (quarter);

  for (guint i = 0; i < n_villages; i++)
    build_villager_groups (demo, &rng, villages[i]);
  town_area->households = community->households;
  for (guint i = 0; i < n_villages; i++)
    town_area->households += villages[i]->households;
}

/* ------------------------------------------------------------------------------------------ */
/* Files. */

static char *
to_gbk (const char *utf8)
{
  g_autoptr (GError) error = NULL;
  char *gbk = g_convert (utf8, -1, "GBK", "UTF-8", NULL, NULL, &error);
  if (gbk == NULL)
    g_error ("gp-make-demo: %s cannot be written in GBK: %s", utf8, error->message);
  return gbk;
}

/* Metres of the frame → lon/lat. Not rounded: a vertex where one road meets another lies on
 * the neighbour's edge, and rounding it would open slivers along that edge. */
static void
frame_to_lonlat (double x, double y, double *lon, double *lat)
{
  double mx, my;
  gp_demo_frame_scale (&mx, &my);
  *lon = GP_DEMO_LON0 + x / mx;
  *lat = GP_DEMO_LAT0 + y / my;
}

static void
append_ring (const GEOSGeometry *ring, GArray *xs, GArray *ys, GArray *starts)
{
  const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r (G, ring);
  unsigned int n = 0;
  GEOSCoordSeq_getSize_r (G, seq, &n);
  int start = (int) xs->len;
  g_array_append_val (starts, start);
  for (unsigned int i = 0; i < n; i++)
    {
      double x, y, lon, lat;
      GEOSCoordSeq_getXY_r (G, seq, i, &x, &y);
      frame_to_lonlat (x, y, &lon, &lat);
      g_array_append_val (xs, lon);
      g_array_append_val (ys, lat);
    }
}

/* Writes a polygon of the frame as the next record, in lon/lat or in Gauss-Kruger metres. */
static gboolean
write_shape (SHPHandle shp, const GEOSGeometry *geom, gboolean gauss_kruger, GError **error)
{
  g_autoptr (GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) ys = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (int));
  int n_polygons = GEOSGeomTypeId_r (G, geom) == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r (G, geom);
  for (int p = 0; p < n_polygons; p++)
    {
      const GEOSGeometry *poly = n_polygons == 1 && GEOSGeomTypeId_r (G, geom) == GEOS_POLYGON
                                   ? geom : GEOSGetGeometryN_r (G, geom, p);
      append_ring (GEOSGetExteriorRing_r (G, poly), xs, ys, starts);
      for (int h = 0; h < GEOSGetNumInteriorRings_r (G, poly); h++)
        append_ring (GEOSGetInteriorRingN_r (G, poly, h), xs, ys, starts);
    }
  double *x = (double *) xs->data, *y = (double *) ys->data;
  if (gauss_kruger)
    {
      if (!gp_demo_gauss_kruger (x, y, xs->len, TRUE, error))
        return FALSE;
      for (guint i = 0; i < xs->len; i++)
        {
          x[i] = round (x[i] * 1000.0) / 1000.0;
          y[i] = round (y[i] * 1000.0) / 1000.0;
        }
    }
  SHPObject *obj = SHPCreateObject (SHPT_POLYGON, -1, (int) starts->len, (int *) starts->data,
                                    NULL, (int) xs->len, x, y, NULL, NULL);
  /* Shapefiles want outer rings clockwise and holes counter-clockwise. */
  SHPRewindObject (shp, obj);
  int written = SHPWriteObject (shp, -1, obj);
  SHPDestroyObject (obj);
  if (written < 0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, "could not write a shape");
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  const char  *name; /* UTF-8; written in GBK */
  DBFFieldType type;
  int          width;
} Field;

/* Creates base.shp/.shx/.dbf/.prj with the fields; codepage as DBFCreateEx takes it. */
static gboolean
create_layer (const char *base, const char *codepage, const char *prj, const Field *fields,
              guint n_fields, SHPHandle *shp, DBFHandle *dbf, GError **error)
{
  g_autofree char *shp_path = g_strconcat (base, ".shp", NULL);
  g_autofree char *dbf_path = g_strconcat (base, ".dbf", NULL);
  g_autofree char *prj_path = g_strconcat (base, ".prj", NULL);
  *shp = SHPCreate (shp_path, SHPT_POLYGON);
  *dbf = DBFCreateEx (dbf_path, codepage);
  if (*shp == NULL || *dbf == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, "%s: could not create the shapefile", shp_path);
      return FALSE;
    }
  /* A fixed date in the header keeps the bytes the same from run to run. */
  DBFSetLastModifiedDate (*dbf, 123, 12, 1);
  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *name = to_gbk (fields[i].name);
      if (DBFAddField (*dbf, name, fields[i].type, fields[i].width, 0) < 0)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_IO, "%s: could not add field %s", dbf_path,
                       fields[i].name);
          return FALSE;
        }
    }
  return g_file_set_contents (prj_path, prj, -1, error);
}

static gboolean
close_layer (SHPHandle shp, DBFHandle dbf, gboolean ok, GError **error)
{
  if (shp != NULL)
    SHPClose (shp);
  if (dbf != NULL)
    DBFClose (dbf);
  return ok;
}

static gboolean
write_text (DBFHandle dbf, int record, int field, const char *utf8)
{
  g_autofree char *gbk = to_gbk (utf8);
  return DBFWriteStringAttribute (dbf, record, field, gbk) != 0;
}

/* Each layer on its own decoding path: areas say "936" in a .cpg, units only in the DBF's
 * language-driver byte (0x4D), sites in neither (a reader must detect GBK). */
static gboolean
write_areas (const Demo *demo, const char *dir, GError **error)
{
  static const Field fields[] = {
    { "代码", FTString, 12 }, { "名称", FTString, 40 }, { "级别", FTString, 8 },
    { "类型", FTString, 8 }, { "上级代码", FTString, 12 },
  };
  g_autofree char *base = g_build_filename (dir, GP_DEMO_AREAS, NULL);
  SHPHandle shp = NULL;
  DBFHandle dbf = NULL;
  gboolean ok = create_layer (base, "936", GP_DEMO_PRJ_CGCS2000, fields, G_N_ELEMENTS (fields),
                              &shp, &dbf, error);
  for (guint i = 0; ok && i < demo->areas->len; i++)
    {
      const Area *area = demo->areas->pdata[i];
      int r = (int) i;
      ok = write_shape (shp, area->geom, FALSE, error);
      ok = ok && write_text (dbf, r, 0, area->code) && write_text (dbf, r, 1, area->name)
           && write_text (dbf, r, 2, area->level) && write_text (dbf, r, 3, area->kind)
           && write_text (dbf, r, 4, area->parent != NULL ? area->parent->code : county.code);
    }
  return close_layer (shp, dbf, ok, error);
}

static gboolean
write_units (const Demo *demo, const char *dir, GError **error)
{
  static const Field fields[] = {
    { "名称", FTString, 40 }, { "类型", FTString, 10 }, { "户数", FTInteger, 6 },
    { "楼栋数", FTInteger, 4 }, { "所属代码", FTString, 12 },
  };
  g_autofree char *base = g_build_filename (dir, GP_DEMO_UNITS, NULL);
  SHPHandle shp = NULL;
  DBFHandle dbf = NULL;
  gboolean ok = create_layer (base, "LDID/77", GP_DEMO_PRJ_CGCS2000, fields,
                              G_N_ELEMENTS (fields), &shp, &dbf, error);
  for (guint i = 0; ok && i < demo->units->len; i++)
    {
      const Unit *unit = demo->units->pdata[i];
      int r = (int) i;
      ok = write_shape (shp, unit->geom, FALSE, error);
      ok = ok && write_text (dbf, r, 0, unit->name) && write_text (dbf, r, 1, unit->kind)
           && DBFWriteIntegerAttribute (dbf, r, 2, unit->households)
           && (unit->buildings < 0 ? DBFWriteNULLAttribute (dbf, r, 3)
                                   : DBFWriteIntegerAttribute (dbf, r, 3, unit->buildings))
           && write_text (dbf, r, 4, unit->area->code);
      if (!ok && error != NULL && *error == NULL)
        g_set_error (error, GP_ERROR, GP_ERROR_IO, "%s.dbf: could not write record %d", base, r);
    }
  return close_layer (shp, dbf, ok, error);
}

/* The sites come in Gauss-Kruger metres, as a surveyor would hand them over. */
static gboolean
write_sites (const Demo *demo, const char *dir, GError **error)
{
  static const Field fields[] = {
    { "名称", FTString, 40 }, { "类型", FTString, 10 }, { "所属代码", FTString, 12 },
  };
  g_autofree char *base = g_build_filename (dir, GP_DEMO_SITES, NULL);
  SHPHandle shp = NULL;
  DBFHandle dbf = NULL;
  gboolean ok = create_layer (base, "LDID/0", GP_DEMO_PRJ_GK_CM111, fields,
                              G_N_ELEMENTS (fields), &shp, &dbf, error);
  for (guint i = 0; ok && i < demo->sites->len; i++)
    {
      const Site *site = demo->sites->pdata[i];
      int r = (int) i;
      ok = write_shape (shp, site->geom, TRUE, error);
      ok = ok && write_text (dbf, r, 0, site->name) && write_text (dbf, r, 1, site->kind)
           && write_text (dbf, r, 2, site->area->code);
    }
  return close_layer (shp, dbf, ok, error);
}

/* ------------------------------------------------------------------------------------------ */
/* The roster: synthetic people, written as an office exports it (GBK, CRLF, 序号 first). */

typedef struct {
  Rng         rng;
  const Demo *demo;
  GString    *csv;
  GHashTable *ids;
  GHashTable *phones;
  guint       serial;
} Roster;

static char *
person_name (Rng *rng, gboolean female)
{
  if (rng_uniform (rng) < 0.1)
    {
      const char *given = female ? PICK (rng, mongol_female) : PICK (rng, mongol_male);
      return rng_uniform (rng) < 0.5 ? g_strconcat (PICK (rng, mongol_surnames), given, NULL)
                                     : g_strdup (given);
    }
  const char *surname = PICK (rng, surnames);
  const char *first = female ? PICK (rng, given_female) : PICK (rng, given_male);
  if (rng_uniform (rng) < 0.35)
    return g_strconcat (surname, first, NULL);
  const char *second = female ? PICK (rng, given_female) : PICK (rng, given_male);
  return g_strconcat (surname, first, second, NULL);
}

/* An 18-digit ID number of the county with a correct check digit, every one born in 1900 so
 * that none can belong to a living person. The sequence's last digit says the sex. */
static char *
synthetic_id (Roster *roster, gboolean female)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  static const int month_days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  for (;;)
    {
      int month = rng_int (&roster->rng, 1, 12);
      int day = rng_int (&roster->rng, 1, month_days[month - 1]);
      int sequence = rng_int (&roster->rng, 1, 99) * 10 + 2 * rng_int (&roster->rng, 0, 4)
                     + (female ? 0 : 1);
      char id[19];
      g_snprintf (id, sizeof id, "%s1900%02d%02d%03d", GP_DEMO_COUNTY_CODE, month, day, sequence);
      int sum = 0;
      for (int i = 0; i < 17; i++)
        sum += (id[i] - '0') * weights[i];
      id[17] = "10X98765432"[sum % 11];
      id[18] = '\0';
      if (!g_hash_table_contains (roster->ids, id))
        {
          g_hash_table_add (roster->ids, g_strdup (id));
          return g_strdup (id);
        }
    }
}

/* A mobile number with 0000 in the middle: plainly made up. */
static char *
synthetic_phone (Roster *roster)
{
  for (;;)
    {
      char *phone = g_strdup_printf ("%s0000%04d", PICK (&roster->rng, phone_prefixes),
                                     rng_int (&roster->rng, 0, 9999));
      if (!g_hash_table_contains (roster->phones, phone))
        {
          g_hash_table_add (roster->phones, phone);
          return g_strdup (phone);
        }
      g_free (phone);
    }
}

/* A home address inside area: a flat in one of its compounds (chosen by households), a row
 * house in a bungalow quarter, or a villager group. */
static char *
home_in (Roster *roster, const Area *area)
{
  Rng *rng = &roster->rng;
  const GPtrArray *units = roster->demo->units;
  int total = 0;
  for (guint i = 0; i < units->len; i++)
    if (((Unit *) units->pdata[i])->area == area)
      total += ((Unit *) units->pdata[i])->households;
  int pick = rng_int (rng, 0, total - 1);
  const Unit *home = NULL;
  for (guint i = 0; i < units->len && home == NULL; i++)
    {
      const Unit *unit = units->pdata[i];
      if (unit->area != area)
        continue;
      if (pick < unit->households)
        home = unit;
      pick -= unit->households;
    }
  g_assert (home != NULL);
  const char *prefix = area->parent->name;
  if (g_strcmp0 (home->kind, "村民小组") == 0)
    return g_strconcat (county.name, prefix, home->name, NULL);
  if (home->buildings < 0)
    return g_strdup_printf ("%s%s%s%d排%d号", county.name, prefix, home->name,
                            rng_int (rng, 1, 12), rng_int (rng, 1, 20));
  int floors = home->households / home->buildings > 50 ? 18 : 6;
  return g_strdup_printf ("%s%s%s%d号楼%d单元%d%02d", county.name, prefix, home->name,
                          rng_int (rng, 1, home->buildings), rng_int (rng, 1, 3),
                          rng_int (rng, 1, floors), rng_int (rng, 1, 2));
}

static void
roster_add (Roster *roster, const char *role, double female_share, const Area *area,
            const char *work, const Area *home_area)
{
  gboolean female = rng_uniform (&roster->rng) < female_share;
  g_autofree char *name = person_name (&roster->rng, female);
  g_autofree char *id = synthetic_id (roster, female);
  g_autofree char *phone = synthetic_phone (roster);
  g_autofree char *area_name = village_short_name (area);
  g_autofree char *home = home_in (roster, home_area);
  g_string_append_printf (roster->csv, "%u,%s,%s,%s,%s,%s,%s,%s,%s,%s\r\n", ++roster->serial,
                          name, female ? "女" : "男", id, phone, role, area_name, area->code,
                          work, home);
}

static char *
department (Rng *rng)
{
  return g_strconcat (county.name, PICK (rng, departments), NULL);
}

static void
roster_area (Roster *roster, const Area *area, guint index, const Area *instructor_home)
{
  Rng *rng = &roster->rng;
  gboolean urban = g_strcmp0 (area->kind, "城市") == 0;
  int hh = area->households;
  int groups = 0, buildings = 0;
  for (guint i = 0; i < roster->demo->units->len; i++)
    {
      const Unit *unit = roster->demo->units->pdata[i];
      if (unit->area != area)
        continue;
      groups++;
      buildings += MAX (unit->buildings, 0);
    }
  g_autofree char *short_name = village_short_name (area);
  g_autofree char *office = g_strconcat (area->parent->name, short_name, NULL);
  int full_time = MAX (1, (int) lround (hh / 300.0));

  for (int i = 0; i < full_time; i++)
    roster_add (roster, "专职网格员", 0.7, area, office, area);
  int part_time = urban ? full_time : (groups + 2) / 3;
  static const char *const urban_jobs[] = { "退休", "个体经营", "物业服务企业" };
  static const char *const rural_jobs[] = { "务农", "务农", "个体经营", "村民小组长" };
  for (int i = 0; i < part_time; i++)
    {
      g_autofree char *work = urban && rng_uniform (rng) < 0.5
                                ? department (rng)
                                : g_strdup (urban ? PICK (rng, urban_jobs) : PICK (rng, rural_jobs));
      roster_add (roster, "兼职网格员", 0.5, area, work, area);
    }
  static const char *const heads_jobs[] = { "退休", "退休", "个体经营", "无固定单位" };
  for (int i = 0; urban && i < MAX (1, buildings / 5); i++)
    roster_add (roster, "楼栋长", 0.5, area, PICK (rng, heads_jobs), area);
  for (int i = 0; i < (int) lround (hh / (urban ? 45.0 : 35.0)); i++)
    {
      g_autofree char *work = NULL;
      double u = rng_uniform (rng);
      if (urban)
        work = u < 0.75 ? department (rng) : g_strdup ("退休");
      else if (u < 0.55)
        work = g_strdup ("务农");
      else if (u < 0.85)
        {
          static const char *const town_bodies[] = { "人民政府", "中心学校", "卫生院" };
          work = g_strconcat (area->parent->name, PICK (rng, town_bodies), NULL);
        }
      else
        work = g_strdup ("个体经营");
      roster_add (roster, "党员", 0.45, area, work, area);
    }
  /* Department instructors live in the banner seat, whichever grid they guide. */
  if (urban || index % 2 == 0)
    {
      g_autofree char *work = department (rng);
      roster_add (roster, "部门指导员", 0.35, area, work, instructor_home);
    }
}

static gboolean
write_roster (const Demo *demo, const char *dir, GError **error)
{
  Roster roster = { .demo = demo };
  rng_init (&roster.rng, demo->seed, 3);
  roster.csv = g_string_new ("序号,姓名,性别,身份证号,联系电话,身份,所属社区,社区代码,工作单位,住址\r\n");
  roster.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  roster.phones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const Area *seat_communities[G_N_ELEMENTS (street_communities)];
  guint n_seat = 0;
  for (guint i = 0; i < demo->areas->len; i++)
    {
      const Area *area = demo->areas->pdata[i];
      if (area->parent != NULL && g_strcmp0 (area->parent->code, street.code) == 0)
        seat_communities[n_seat++] = area;
    }
  for (guint i = 0; i < demo->areas->len; i++)
    {
      const Area *area = demo->areas->pdata[i];
      if (area->parent == NULL)
        continue;
      const Area *home = seat_communities[rng_int (&roster.rng, 0, (int) n_seat - 1)];
      roster_area (&roster, area, i, home);
    }
  g_autofree char *path = g_build_filename (dir, GP_DEMO_ROSTER, NULL);
  gsize len = 0;
  g_autofree char *gbk = g_convert (roster.csv->str, (gssize) roster.csv->len, "GBK", "UTF-8",
                                    NULL, &len, error);
  gboolean ok = gbk != NULL && g_file_set_contents (path, gbk, (gssize) len, error);
  g_string_free (roster.csv, TRUE);
  g_hash_table_unref (roster.ids);
  g_hash_table_unref (roster.phones);
  return ok;
}

/* The service-item ledger (服务事项台账) as a street office keeps it: GBK, CRLF, a title row
 * above the header, statuses written as the office writes them (办结/办理中/超期, or 红黄绿),
 * dates in three hands, each item where it happened (a point inside a compound or group). */
static const char *const event_kinds[] = { "矛盾纠纷", "安全隐患", "环境卫生", "民生诉求", "政策咨询", "设施报修" };
static const char *const event_items[] = {
  "邻里噪音纠纷", "楼道堆放杂物", "路灯损坏", "下水管道堵塞", "低保政策咨询", "养老保险认证", "违规停车",
  "电动车楼道充电", "垃圾清运不及时", "房屋漏水", "独居老人探访", "燃气使用检查",
};

static gboolean
write_events (const Demo *demo, const char *dir, GError **error)
{
  Rng rng;
  g_autoptr (GString) csv = g_string_new ("达拉特旗网格服务事项台账（2026年）\r\n编号,事项,类型,状态,登记日期,经度,纬度\r\n");
  rng_init (&rng, demo->seed, 4);
  for (guint n = 1; n <= 240; n++)
    {
      const Unit *unit = demo->units->pdata[rng_int (&rng, 0, (int) demo->units->len - 1)];
      double x0, y0, x1, y1, x = 0, y = 0;
      GEOSGeom_getXMin_r (G, unit->geom, &x0);
      GEOSGeom_getYMin_r (G, unit->geom, &y0);
      GEOSGeom_getXMax_r (G, unit->geom, &x1);
      GEOSGeom_getYMax_r (G, unit->geom, &y1);
      for (int tries = 0; tries < 100; tries++)
        {
          x = rng_range (&rng, x0, x1);
          y = rng_range (&rng, y0, y1);
          GEOSGeometry *pt = GEOSGeom_createPointFromXY_r (G, x, y);
          gboolean inside = GEOSContains_r (G, unit->geom, pt) == 1;
          GEOSGeom_destroy_r (G, pt);
          if (inside)
            break;
        }
      double u = rng_uniform (&rng);
      const char *status = u < 0.55 ? "已办结" : u < 0.80 ? "办理中" : u < 0.90 ? "超期"
                           : u < 0.94 ? "绿" : u < 0.97 ? "黄" : "红";
      int month = rng_int (&rng, 1, 11), day = rng_int (&rng, 1, 28), hand = rng_int (&rng, 0, 2);
      g_autofree char *date = hand == 0 ? g_strdup_printf ("2026-%02d-%02d", month, day)
                              : hand == 1 ? g_strdup_printf ("2026/%d/%d", month, day)
                                          : g_strdup_printf ("2026年%d月%d日", month, day);
      double lon, lat;
      frame_to_lonlat (x, y, &lon, &lat);
      g_string_append_printf (csv, "SX2026%04u,%s,%s,%s,%s,%.6f,%.6f\r\n", n, PICK (&rng, event_items),
                              PICK (&rng, event_kinds), status, date, lon, lat);
    }
  g_autofree char *path = g_build_filename (dir, GP_DEMO_EVENTS, NULL);
  gsize len = 0;
  g_autofree char *gbk = g_convert (csv->str, (gssize) csv->len, "GBK", "UTF-8", NULL, &len, error);
  return gbk != NULL && g_file_set_contents (path, gbk, (gssize) len, error);
}

/* ------------------------------------------------------------------------------------------ */

/* Units follow their areas' order in the file (a stable sort keeps their order inside each). */
static int
compare_unit_areas (gconstpointer a, gconstpointer b)
{
  guint ia = (*(Unit *const *) a)->area->index, ib = (*(Unit *const *) b)->area->index;
  return (ia > ib) - (ia < ib);
}

static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Writes everything into a hidden directory next to the output, checks it, and only then
 * moves the files into place, so a failure never leaves a half-written demo behind. */
static gboolean
write_demo (const Demo *demo, const char *out, GError **error)
{
  if (g_mkdir_with_parents (out, 0755) != 0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, "%s: could not create the directory", out);
      return FALSE;
    }
  g_autofree char *staging = g_build_filename (out, ".gp-make-demo-XXXXXX", NULL);
  if (g_mkdtemp (staging) == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, "%s: could not create a directory", staging);
      return FALSE;
    }
  gboolean ok = write_areas (demo, staging, error) && write_units (demo, staging, error)
                && write_sites (demo, staging, error) && write_roster (demo, staging, error)
                && write_events (demo, staging, error)
                && gp_demo_check (staging, error);
  if (ok)
    {
      g_autoptr (GDir) d = g_dir_open (staging, 0, error);
      const char *name;
      ok = d != NULL;
      while (ok && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *from = g_build_filename (staging, name, NULL);
          g_autofree char *to = g_build_filename (out, name, NULL);
          if (g_rename (from, to) != 0)
            {
              g_set_error (error, GP_ERROR, GP_ERROR_IO, "%s: could not move into place", to);
              ok = FALSE;
            }
        }
    }
  remove_dir (staging);
  return ok;
}

int
main (int argc, char **argv)
{
  gint64 seed = 20231;
  g_autofree char *out = NULL;
  g_autofree char *check = NULL;
  GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the generator (default 20231)", "N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Write the demo district into DIR", "DIR" },
    { "check", 0, 0, G_OPTION_ARG_FILENAME, &check, "Only check the demo files in DIR", "DIR" },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  setlocale (LC_ALL, "");
  g_autoptr (GOptionContext) context = g_option_context_new ("- write the GridPlan demo district");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || (out == NULL) == (check == NULL))
    {
      g_printerr ("gp-make-demo: %s\nUsage: gp-make-demo [--seed N] --out DIR | --check DIR\n",
                  error != NULL ? error->message : "give either --out or --check");
      return 2;
    }

  gboolean ok;
  if (check != NULL)
    ok = gp_demo_check (check, &error);
  else
    {
      Demo demo = {
        .seed = (uint64_t) seed,
        .areas = g_ptr_array_new_with_free_func ((GDestroyNotify) area_free),
        .units = g_ptr_array_new_with_free_func ((GDestroyNotify) unit_free),
        .sites = g_ptr_array_new_with_free_func ((GDestroyNotify) site_free),
        .unit_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
      };
      build_street (&demo);
      build_township (&demo);
      g_ptr_array_sort (demo.units, compare_unit_areas);
      ok = write_demo (&demo, out, &error);
      g_ptr_array_unref (demo.units);
      g_ptr_array_unref (demo.sites);
      g_ptr_array_unref (demo.areas);
      g_hash_table_unref (demo.unit_names);
    }
  gp_demo_geos_finish ();
  if (!ok)
    {
      g_printerr ("gp-make-demo: %s\n", error->message);
      return 1;
    }
  return 0;
}
