/* gp-gpkg-layer.c: one layer as a GeoPackage feature table (`convert`), and any feature table read back as a layer. */
#include "gp-config.h"

#include "gp-gpkg.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "gp-error.h"
#include "gp-output.h"
#include "gp-wkb.h"

/* GeoPackage 1.3, F.3: the spatial index extension and the triggers that keep it current when
 * someone (QGIS, GDAL) edits the table later. %1$s is the table, %2$s the rtree, both quoted. */
static const char rtree_triggers_sql[] =
  "CREATE TRIGGER %3$s AFTER INSERT ON %1$s"
  " WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))"
  " BEGIN INSERT OR REPLACE INTO %2$s VALUES (NEW.fid,"
  " ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;"
  "CREATE TRIGGER %4$s AFTER UPDATE OF geom ON %1$s"
  " WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))"
  " BEGIN INSERT OR REPLACE INTO %2$s VALUES (NEW.fid,"
  " ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;"
  "CREATE TRIGGER %5$s AFTER UPDATE OF geom ON %1$s"
  " WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))"
  " BEGIN DELETE FROM %2$s WHERE id = OLD.fid; END;"
  "CREATE TRIGGER %6$s AFTER UPDATE ON %1$s"
  " WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))"
  " BEGIN DELETE FROM %2$s WHERE id = OLD.fid; INSERT OR REPLACE INTO %2$s VALUES (NEW.fid,"
  " ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;"
  "CREATE TRIGGER %7$s AFTER UPDATE ON %1$s"
  " WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))"
  " BEGIN DELETE FROM %2$s WHERE id IN (OLD.fid, NEW.fid); END;"
  "CREATE TRIGGER %8$s AFTER DELETE ON %1$s WHEN old.geom NOT NULL"
  " BEGIN DELETE FROM %2$s WHERE id = OLD.fid; END;";

static const char extensions_sql[] =
  "CREATE TABLE IF NOT EXISTS gpkg_extensions ("
  "  table_name TEXT,"
  "  column_name TEXT,"
  "  extension_name TEXT NOT NULL,"
  "  definition TEXT NOT NULL,"
  "  scope TEXT NOT NULL,"
  "  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)"
  ");";

/* ---- names ---- */

/* An SQL identifier in double quotes, so any UTF-8 name (Chinese field names included) works. */
static void
append_ident (GString *sql, const char *name)
{
  g_string_append_c (sql, '"');
  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (sql, '"');
      g_string_append_c (sql, *p);
    }
  g_string_append_c (sql, '"');
}

static char *
quote_ident (const char *name)
{
  GString *sql = g_string_new (NULL);

  append_ident (sql, name);
  return g_string_free (sql, FALSE);
}

/* Table names that GIS tools accept without quoting trouble: letters (any script), digits and
 * '_', not starting with a digit, and clear of the names GeoPackage and SQLite reserve. */
static char *
sanitise_table_name (const char *name)
{
  GString *out = g_string_new (NULL);
  static const char *const reserved[] = { "gpkg_", "rtree_", "sqlite_" };

  if (name != NULL && g_utf8_validate (name, -1, NULL))
    for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);

        if (g_unichar_isalnum (c) || c == '_')
          g_string_append_unichar (out, c);
        else if (out->len > 0 && out->str[out->len - 1] != '_')
          g_string_append_c (out, '_');
      }
  while (out->len > 0 && out->str[out->len - 1] == '_')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    g_string_assign (out, "layer");
  if (g_ascii_isdigit (out->str[0]))
    g_string_prepend (out, "layer_");
  for (gsize i = 0; i < G_N_ELEMENTS (reserved); i++)
    if (g_ascii_strncasecmp (out->str, reserved[i], strlen (reserved[i])) == 0)
      {
        g_string_prepend (out, "layer_");
        break;
      }
  return g_string_free (out, FALSE);
}

/* Column names for the fields: SQLite compares names without regard to ASCII case, so "Name"
 * and "NAME" (or a field called "fid") would collide; later ones get a numeric suffix. */
static GPtrArray *
column_names (GpLayer *layer)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_hash_table_add (taken, g_strdup ("fid"));
  g_hash_table_add (taken, g_strdup ("geom"));
  for (guint i = 0; i < gp_layer_get_n_fields (layer); i++)
    {
      const GpField *field = gp_layer_get_field (layer, i);
      g_autofree char *base = NULL;
      char *name;

      base = (field->name != NULL && *field->name != '\0')
               ? g_strdup (field->name) : g_strdup_printf ("field_%u", i + 1);
      name = g_strdup (base);
      for (guint n = 2;; n++)
        {
          char *key = g_ascii_strdown (name, -1);

          if (!g_hash_table_contains (taken, key))
            {
              g_hash_table_add (taken, key);
              break;
            }
          g_free (key);
          g_free (name);
          name = g_strdup_printf ("%s_%u", base, n);
        }
      g_ptr_array_add (names, name);
    }
  return names;
}

/* ---- what kind of geometry column ---- */

typedef enum {
  FAMILY_NONE = 0,
  FAMILY_POINT = 1 << 0,
  FAMILY_MULTIPOINT = 1 << 1,
  FAMILY_LINE = 1 << 2,
  FAMILY_MULTILINE = 1 << 3,
  FAMILY_POLYGON = 1 << 4,
  FAMILY_MULTIPOLYGON = 1 << 5,
} Families;

typedef struct {
  const char *type_name;   /* gpkg_geometry_columns.geometry_type_name */
  gboolean force_multi;    /* write single members as multi, so every row fits the column */
  int z, m;                /* 0 prohibited, 1 mandatory, 2 optional */
} ColumnKind;

static ColumnKind
column_kind (GpLayer *layer)
{
  ColumnKind kind = { "GEOMETRY", FALSE, 0, 0 };
  guint families = FAMILY_NONE;
  guint n_shapes = 0, n_z = 0, n_m = 0;

  for (guint i = 0; i < gp_layer_get_n_features (layer); i++)
    {
      const GpShape *shape = gp_layer_get_feature (layer, i)->shape;
      gboolean multi;

      if (shape == NULL || shape->kind == GP_SHAPE_NULL)
        continue;
      n_shapes++;
      n_z += (shape->flags & GP_SHAPE_HAS_Z) != 0;
      n_m += (shape->flags & GP_SHAPE_HAS_M) != 0;
      switch (shape->kind)
        {
        case GP_SHAPE_POINT:
          families |= FAMILY_POINT;
          break;
        case GP_SHAPE_MULTIPOINT:
          families |= FAMILY_MULTIPOINT;
          break;
        case GP_SHAPE_LINE:
          multi = shape->n_parts != 1 || (shape->flags & GP_SHAPE_FORCE_MULTI);
          families |= multi ? FAMILY_MULTILINE : FAMILY_LINE;
          break;
        case GP_SHAPE_POLYGON:
          multi = shape->n_polygons != 1 || (shape->flags & GP_SHAPE_FORCE_MULTI);
          families |= multi ? FAMILY_MULTIPOLYGON : FAMILY_POLYGON;
          break;
        case GP_SHAPE_NULL:
        default:
          break;
        }
    }

  if (n_shapes == 0)
    {
      /* No shapes to go by: the source's declared type decides. */
      switch (gp_layer_get_geometry_type (layer))
        {
        case GP_GEOMETRY_TYPE_POINT: case GP_GEOMETRY_TYPE_POINTZ: case GP_GEOMETRY_TYPE_POINTM:
          families = FAMILY_POINT;
          break;
        case GP_GEOMETRY_TYPE_MULTIPOINT: case GP_GEOMETRY_TYPE_MULTIPOINTZ:
        case GP_GEOMETRY_TYPE_MULTIPOINTM:
          families = FAMILY_MULTIPOINT;
          break;
        case GP_GEOMETRY_TYPE_POLYLINE: case GP_GEOMETRY_TYPE_POLYLINEZ:
        case GP_GEOMETRY_TYPE_POLYLINEM:
          families = FAMILY_LINE;
          break;
        case GP_GEOMETRY_TYPE_POLYGON: case GP_GEOMETRY_TYPE_POLYGONZ:
        case GP_GEOMETRY_TYPE_POLYGONM: case GP_GEOMETRY_TYPE_MULTIPATCH:
          families = FAMILY_POLYGON;
          break;
        case GP_GEOMETRY_TYPE_NULL:
        default:
          break;
        }
    }

  switch (families)
    {
    case FAMILY_POINT: kind.type_name = "POINT"; break;
    case FAMILY_MULTIPOINT: kind.type_name = "MULTIPOINT"; break;
    case FAMILY_POINT | FAMILY_MULTIPOINT: kind.type_name = "MULTIPOINT"; kind.force_multi = TRUE; break;
    case FAMILY_LINE: kind.type_name = "LINESTRING"; break;
    case FAMILY_MULTILINE: kind.type_name = "MULTILINESTRING"; break;
    case FAMILY_LINE | FAMILY_MULTILINE: kind.type_name = "MULTILINESTRING"; kind.force_multi = TRUE; break;
    case FAMILY_POLYGON: kind.type_name = "POLYGON"; break;
    case FAMILY_MULTIPOLYGON: kind.type_name = "MULTIPOLYGON"; break;
    case FAMILY_POLYGON | FAMILY_MULTIPOLYGON: kind.type_name = "MULTIPOLYGON"; kind.force_multi = TRUE; break;
    default: kind.type_name = "GEOMETRY"; break;
    }
  kind.z = n_z == 0 ? 0 : (n_z == n_shapes ? 1 : 2);
  kind.m = n_m == 0 ? 0 : (n_m == n_shapes ? 1 : 2);
  if (n_shapes == 0)
    {
      GpGeometryType type = gp_layer_get_geometry_type (layer);

      /* Shapefile Z types carry M as well; GDAL reports them as Z only, and so do we. */
      kind.z = (type == GP_GEOMETRY_TYPE_POINTZ || type == GP_GEOMETRY_TYPE_MULTIPOINTZ
                || type == GP_GEOMETRY_TYPE_POLYLINEZ || type == GP_GEOMETRY_TYPE_POLYGONZ
                || type == GP_GEOMETRY_TYPE_MULTIPATCH) ? 1 : 0;
      kind.m = (type == GP_GEOMETRY_TYPE_POINTM || type == GP_GEOMETRY_TYPE_MULTIPOINTM
                || type == GP_GEOMETRY_TYPE_POLYLINEM || type == GP_GEOMETRY_TYPE_POLYGONM) ? 1 : 0;
    }
  return kind;
}

static const char *
column_type (GpFieldType type)
{
  switch (type)
    {
    case GP_FIELD_INTEGER: return "INTEGER";
    case GP_FIELD_REAL: return "REAL";
    case GP_FIELD_DATE: return "DATE";       /* TEXT 'YYYY-MM-DD' */
    case GP_FIELD_LOGICAL: return "BOOLEAN"; /* INTEGER 0/1 */
    case GP_FIELD_STRING:
    default:
      return "TEXT";
    }
}

/* ---- writing ---- */

typedef struct {
  sqlite3_int64 fid;
  double minx, maxx, miny, maxy;
} IndexEntry;

static gboolean
prepare (sqlite3 *db, const char *sql, sqlite3_stmt **stmt, const char *path, GError **error)
{
  if (sqlite3_prepare_v2 (db, sql, -1, stmt, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
exec (sqlite3 *db, const char *sql, const char *path, GError **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, path);
      return FALSE;
    }
  return TRUE;
}

static void
bind_value (sqlite3_stmt *stmt, int column, const GpField *field, const GpValue *value)
{
  char date[16];

  if (value->is_null)
    {
      sqlite3_bind_null (stmt, column);
      return;
    }
  switch (field->type)
    {
    case GP_FIELD_STRING:
      /* The text lives in the layer for longer than the statement needs it. */
      if (value->text == NULL)
        sqlite3_bind_null (stmt, column);
      else
        sqlite3_bind_text (stmt, column, value->text, -1, SQLITE_STATIC);
      break;
    case GP_FIELD_INTEGER:
      sqlite3_bind_int64 (stmt, column, value->integer);
      break;
    case GP_FIELD_REAL:
      if (isfinite (value->real))
        sqlite3_bind_double (stmt, column, value->real);
      else
        sqlite3_bind_null (stmt, column);
      break;
    case GP_FIELD_DATE:
      g_snprintf (date, sizeof date, "%04u-%02u-%02u", value->date.year, value->date.month,
                  value->date.day);
      sqlite3_bind_text (stmt, column, date, -1, SQLITE_TRANSIENT);
      break;
    case GP_FIELD_LOGICAL:
      sqlite3_bind_int (stmt, column, value->logical ? 1 : 0);
      break;
    default:
      sqlite3_bind_null (stmt, column);
      break;
    }
}

/* A single point or single polygon seen as the multi-geometry the column holds. The copy shares
 * the shape's arrays: it only changes how the WKB is written. */
static const GpShape *
as_column_kind (const GpShape *shape, const ColumnKind *kind, GpShape *scratch)
{
  if (!kind->force_multi || shape == NULL)
    return shape;
  *scratch = *shape;
  if (shape->kind == GP_SHAPE_POINT)
    scratch->kind = GP_SHAPE_MULTIPOINT;
  scratch->flags |= GP_SHAPE_FORCE_MULTI;
  return scratch;
}

static gboolean
create_table (sqlite3 *db, GpLayer *layer, const char *table, GPtrArray *columns,
              const ColumnKind *kind, const char *path, GError **error)
{
  g_autoptr(GString) sql = g_string_new ("CREATE TABLE ");

  append_ident (sql, table);
  g_string_append_printf (sql, " (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom %s",
                          kind->type_name);
  for (guint i = 0; i < columns->len; i++)
    {
      g_string_append (sql, ", ");
      append_ident (sql, g_ptr_array_index (columns, i));
      g_string_append_printf (sql, " %s", column_type (gp_layer_get_field (layer, i)->type));
    }
  g_string_append (sql, ")");
  return exec (db, sql->str, path, error);
}

static gboolean
insert_features (sqlite3 *db, GpLayer *layer, const char *table, GPtrArray *columns,
                 const ColumnKind *kind, gint32 srs_id, GArray *index, const char *path,
                 GError **error)
{
  g_autoptr(GString) sql = g_string_new ("INSERT INTO ");
  g_autoptr(sqlite3_stmt) insert = NULL;
  guint n_fields = gp_layer_get_n_fields (layer);

  append_ident (sql, table);
  g_string_append (sql, " (geom");
  for (guint i = 0; i < columns->len; i++)
    {
      g_string_append (sql, ", ");
      append_ident (sql, g_ptr_array_index (columns, i));
    }
  g_string_append (sql, ") VALUES (?");
  for (guint i = 0; i < columns->len; i++)
    g_string_append (sql, ", ?");
  g_string_append (sql, ")");
  if (!prepare (db, sql->str, &insert, path, error))
    return FALSE;

  for (guint i = 0; i < gp_layer_get_n_features (layer); i++)
    {
      GpFeature *feature = gp_layer_get_feature (layer, i);
      GpShape scratch;
      const GpShape *shape = as_column_kind (feature->shape, kind, &scratch);
      gsize length = 0;
      guint8 *blob = gp_gpkg_blob_new (shape, srs_id, &length);
      IndexEntry entry;
      double bbox[4];

      if (blob != NULL)
        sqlite3_bind_blob64 (insert, 1, blob, length, g_free);
      else
        sqlite3_bind_null (insert, 1);
      for (guint f = 0; f < n_fields; f++)
        bind_value (insert, 2 + (int) f, gp_layer_get_field (layer, f), &feature->values[f]);

      if (sqlite3_step (insert) != SQLITE_DONE)
        {
          gp_sqlite_set_error (error, db, path);
          return FALSE;
        }
      sqlite3_reset (insert);

      /* The spatial index holds non-empty geometries only (F.3); the rtree would refuse a box
       * made of NaN, and the whole write with it. */
      if (gp_shape_get_bbox (shape, bbox) && bbox[0] <= bbox[2] && bbox[1] <= bbox[3]
          && isfinite (bbox[0]) && isfinite (bbox[1]) && isfinite (bbox[2]) && isfinite (bbox[3]))
        {
          entry.fid = sqlite3_last_insert_rowid (db);
          entry.minx = bbox[0], entry.miny = bbox[1], entry.maxx = bbox[2], entry.maxy = bbox[3];
          g_array_append_val (index, entry);
        }
    }
  return TRUE;
}

/* ---- the spatial index, bulk-loaded ----
 *
 * Inserting 100,000 boxes into an SQLite rtree one by one costs more than writing all the rows
 * (each insert walks, splits and rewrites nodes). Like GDAL, we build the tree in memory instead
 * (Sort-Tile-Recursive packing) and write its nodes straight into the rtree's own tables, in the
 * format of SQLite's rtree.c: node 1 is the root; a node is a blob of the root's size holding a
 * big-endian u16 tree depth (root only), a u16 cell count, then cells of an i64 rowid or child
 * node number and float32 minx, maxx, miny, maxy; %_rowid maps each rowid to its leaf and
 * %_parent each node but the root to its parent. `SELECT rtreecheck(...)` checks the result in
 * the tests. */

#define RTREE_CELL_BYTES 24   /* i64 id + 4 float32 */

typedef struct {
  sqlite3_int64 id;     /* feature fid in a leaf, child node number above */
  float box[4];         /* minx, maxx, miny, maxy */
} RtreeCell;

/* float32 bounds that still contain the double ones, as the rtree module rounds them. */
static float
round_down (double v)
{
  float f = (float) v;

  return (double) f > v ? nextafterf (f, -INFINITY) : f;
}

static float
round_up (double v)
{
  float f = (float) v;

  return (double) f < v ? nextafterf (f, INFINITY) : f;
}

static int
compare_x (const void *a, const void *b)
{
  const RtreeCell *p = a, *q = b;
  float pc = p->box[0] + p->box[1], qc = q->box[0] + q->box[1];

  return (pc > qc) - (pc < qc);
}

static int
compare_y (const void *a, const void *b)
{
  const RtreeCell *p = a, *q = b;
  float pc = p->box[2] + p->box[3], qc = q->box[2] + q->box[3];

  return (pc > qc) - (pc < qc);
}

/* Orders CELLS so that runs of them make compact nodes, and returns the node sizes (each at
 * most MAX, and balanced so that none is left nearly empty). */
static GArray *
str_pack (RtreeCell *cells, gsize n, guint max)
{
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  gsize n_nodes = (n + max - 1) / max;
  gsize n_slices = (gsize) ceil (sqrt ((double) n_nodes));
  gsize slice_len = n_slices * max;

  qsort (cells, n, sizeof *cells, compare_x);
  for (gsize start = 0; start < n; start += slice_len)
    {
      gsize len = MIN (slice_len, n - start);
      gsize parts = (len + max - 1) / max;

      qsort (cells + start, len, sizeof *cells, compare_y);
      for (gsize p = 0; p < parts; p++)
        {
          guint size = (guint) (len / parts + (p < len % parts ? 1 : 0));
          g_array_append_val (sizes, size);
        }
    }
  return sizes;
}

static void
put_be16 (guint8 *p, guint v)
{
  p[0] = (guint8) (v >> 8);
  p[1] = (guint8) v;
}

static void
put_cell (guint8 *p, const RtreeCell *cell)
{
  guint64 id = GUINT64_TO_BE ((guint64) cell->id);

  memcpy (p, &id, 8);
  for (int k = 0; k < 4; k++)
    {
      guint32 bits;

      memcpy (&bits, &cell->box[k], 4);
      bits = GUINT32_TO_BE (bits);
      memcpy (p + 8 + 4 * k, &bits, 4);
    }
}

static gboolean
step_and_reset (sqlite3 *db, sqlite3_stmt *stmt, const char *path, GError **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, path);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
bulk_load_rtree (sqlite3 *db, const char *rtree_name, GArray *index, const char *path,
                 GError **error)
{
  g_autofree char *node_table = g_strdup_printf ("%s_node", rtree_name);
  g_autofree char *rowid_table = g_strdup_printf ("%s_rowid", rtree_name);
  g_autofree char *parent_table = g_strdup_printf ("%s_parent", rtree_name);
  g_autofree char *quoted_node = quote_ident (node_table);
  g_autofree char *quoted_rowid = quote_ident (rowid_table);
  g_autofree char *quoted_parent = quote_ident (parent_table);
  g_autofree char *sql = NULL;
  g_autofree guint8 *blob = NULL;
  g_autoptr(sqlite3_stmt) size_stmt = NULL;
  g_autoptr(sqlite3_stmt) node_stmt = NULL;
  g_autoptr(sqlite3_stmt) rowid_stmt = NULL;
  g_autoptr(sqlite3_stmt) parent_stmt = NULL;
  g_autoptr(GArray) cells = NULL;
  sqlite3_int64 next_node = 2;
  int node_size;
  guint max_cells, depth = 0;

  if (index->len == 0)
    return TRUE;   /* the empty root the rtree starts with is right */

  /* The node size the rtree module chose (from the page size): every node must have it. */
  sql = g_strdup_printf ("SELECT length(data) FROM %s WHERE nodeno = 1", quoted_node);
  if (!prepare (db, sql, &size_stmt, path, error))
    return FALSE;
  if (sqlite3_step (size_stmt) != SQLITE_ROW)
    {
      gp_sqlite_set_error (error, db, path);
      return FALSE;
    }
  node_size = sqlite3_column_int (size_stmt, 0);
  max_cells = node_size > 4 ? (guint) (node_size - 4) / RTREE_CELL_BYTES : 0;
  if (max_cells < 4)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FAILED,
                   _("%s: unexpected spatial index node size %d"), path, node_size);
      return FALSE;
    }
  blob = g_malloc (node_size);

  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("DELETE FROM %s", quoted_node);
  if (!exec (db, sql, path, error))
    return FALSE;
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("INSERT INTO %s (nodeno, data) VALUES (?, ?)", quoted_node);
  if (!prepare (db, sql, &node_stmt, path, error))
    return FALSE;
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("INSERT INTO %s (rowid, nodeno) VALUES (?, ?)", quoted_rowid);
  if (!prepare (db, sql, &rowid_stmt, path, error))
    return FALSE;
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("INSERT INTO %s (nodeno, parentnode) VALUES (?, ?)", quoted_parent);
  if (!prepare (db, sql, &parent_stmt, path, error))
    return FALSE;

  cells = g_array_sized_new (FALSE, FALSE, sizeof (RtreeCell), index->len);
  for (guint i = 0; i < index->len; i++)
    {
      const IndexEntry *entry = &g_array_index (index, IndexEntry, i);
      RtreeCell cell = { entry->fid, { round_down (entry->minx), round_up (entry->maxx),
                                       round_down (entry->miny), round_up (entry->maxy) } };
      g_array_append_val (cells, cell);
    }

  /* Level by level, leaves first, until one node holds what is left: the root. */
  for (;;)
    {
      gboolean root = cells->len <= max_cells;
      g_autoptr(GArray) sizes = NULL;
      g_autoptr(GArray) parents = NULL;
      guint start = 0;

      if (root)
        {
          sizes = g_array_new (FALSE, FALSE, sizeof (guint));
          g_array_append_val (sizes, cells->len);
        }
      else
        sizes = str_pack ((RtreeCell *) (gpointer) cells->data, cells->len, max_cells);
      parents = g_array_sized_new (FALSE, FALSE, sizeof (RtreeCell), sizes->len);

      for (guint n = 0; n < sizes->len; n++)
        {
          guint count = g_array_index (sizes, guint, n);
          sqlite3_int64 node = root ? 1 : next_node++;
          RtreeCell parent = { node, { INFINITY, -INFINITY, INFINITY, -INFINITY } };

          memset (blob, 0, node_size);
          put_be16 (blob, root ? depth : 0);
          put_be16 (blob + 2, count);
          for (guint c = 0; c < count; c++)
            {
              const RtreeCell *cell = &g_array_index (cells, RtreeCell, start + c);
              sqlite3_stmt *link = depth == 0 ? rowid_stmt : parent_stmt;

              put_cell (blob + 4 + RTREE_CELL_BYTES * c, cell);
              parent.box[0] = MIN (parent.box[0], cell->box[0]);
              parent.box[1] = MAX (parent.box[1], cell->box[1]);
              parent.box[2] = MIN (parent.box[2], cell->box[2]);
              parent.box[3] = MAX (parent.box[3], cell->box[3]);
              sqlite3_bind_int64 (link, 1, cell->id);
              sqlite3_bind_int64 (link, 2, node);
              if (!step_and_reset (db, link, path, error))
                return FALSE;
            }
          sqlite3_bind_int64 (node_stmt, 1, node);
          sqlite3_bind_blob (node_stmt, 2, blob, node_size, SQLITE_STATIC);
          if (!step_and_reset (db, node_stmt, path, error))
            return FALSE;
          g_array_append_val (parents, parent);
          start += count;
        }
      if (root)
        return TRUE;
      g_array_unref (cells);
      cells = g_steal_pointer (&parents);
      depth++;
    }
}

/* The rtree is filled after the rows, in one go (bulk-loaded, above), and its triggers created
 * last, so that the bulk insert does not pay for them row by row. */
static gboolean
create_spatial_index (sqlite3 *db, const char *table, GArray *index, const char *path,
                      GError **error)
{
  g_autofree char *rtree_name = g_strdup_printf ("rtree_%s_geom", table);
  g_autofree char *rtree = quote_ident (rtree_name);
  g_autofree char *quoted_table = quote_ident (table);
  g_autofree char *create = NULL;
  g_autofree char *triggers = NULL;
  char *trigger_names[6] = { NULL };
  static const char *const suffixes[6] = { "insert", "update1", "update2", "update3", "update4", "delete" };
  g_autoptr(sqlite3_stmt) extension = NULL;

  create = g_strdup_printf ("CREATE VIRTUAL TABLE %s USING rtree(id, minx, maxx, miny, maxy)", rtree);
  if (!exec (db, create, path, error))
    return FALSE;

  if (!bulk_load_rtree (db, rtree_name, index, path, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s_%s", rtree_name, suffixes[i]);
      trigger_names[i] = quote_ident (name);
    }
  triggers = g_strdup_printf (rtree_triggers_sql, quoted_table, rtree, trigger_names[0],
                              trigger_names[1], trigger_names[2], trigger_names[3],
                              trigger_names[4], trigger_names[5]);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    g_free (trigger_names[i]);
  if (!exec (db, triggers, path, error) || !exec (db, extensions_sql, path, error))
    return FALSE;

  if (!prepare (db, "INSERT OR REPLACE INTO gpkg_extensions (table_name, column_name,"
                    " extension_name, definition, scope) VALUES (?, 'geom', 'gpkg_rtree_index',"
                    " 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
                &extension, path, error))
    return FALSE;
  sqlite3_bind_text (extension, 1, table, -1, SQLITE_STATIC);
  if (sqlite3_step (extension) != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_z_m (sqlite3 *db, const char *table, const ColumnKind *kind, const char *path, GError **error)
{
  g_autoptr(sqlite3_stmt) update = NULL;

  if (kind->z == 0 && kind->m == 0)
    return TRUE;
  if (!prepare (db, "UPDATE gpkg_geometry_columns SET z = ?, m = ? WHERE table_name = ?",
                &update, path, error))
    return FALSE;
  sqlite3_bind_int (update, 1, kind->z);
  sqlite3_bind_int (update, 2, kind->m);
  sqlite3_bind_text (update, 3, table, -1, SQLITE_STATIC);
  if (sqlite3_step (update) != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_database (sqlite3 *db, GpLayer *layer, const char *path, GError **error)
{
  g_autofree char *table = sanitise_table_name (gp_layer_get_name (layer));
  g_autoptr(GPtrArray) columns = column_names (layer);
  g_autoptr(GArray) index = g_array_sized_new (FALSE, FALSE, sizeof (IndexEntry),
                                               gp_layer_get_n_features (layer));
  ColumnKind kind = column_kind (layer);
  GpCrs *crs = gp_layer_get_crs (layer);
  double bbox[4];
  gboolean has_bbox = gp_layer_get_bbox (layer, bbox);
  gboolean lonlat = crs != NULL ? gp_crs_is_geographic (crs)
                                : (has_bbox && gp_crs_bbox_looks_lonlat (bbox));
  gint32 srs_id = -1;

  /* The file is a fresh temporary that is only renamed into place after COMMIT and close, so
   * the rollback journal and syncing buy nothing here but time. */
  if (!exec (db, "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF;"
                 " PRAGMA cache_size = -65536; PRAGMA foreign_keys = ON;", path, error)
      || !exec (db, "BEGIN IMMEDIATE", path, error))
    return FALSE;

  if (!gp_gpkg_init_schema (db, error)
      || !gp_gpkg_ensure_srs (db, crs, lonlat, &srs_id, error)
      || !create_table (db, layer, table, columns, &kind, path, error)
      || !insert_features (db, layer, table, columns, &kind, srs_id, index, path, error)
      || !gp_gpkg_register_table (db, table, "geom", kind.type_name, srs_id,
                                  has_bbox ? bbox : NULL, error)
      || !set_z_m (db, table, &kind, path, error)
      || !create_spatial_index (db, table, index, path, error))
    return FALSE;

  return exec (db, "COMMIT", path, error);
}

gboolean
gp_gpkg_write_layer (GpLayer *layer, const char *path, GError **error)
{
  g_autoptr(GpOutput) output = NULL;
  sqlite3 *db = NULL;
  gboolean ok;

  g_return_val_if_fail (GP_IS_LAYER (layer), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  output = gp_output_new (path, error);
  if (output == NULL)
    return FALSE;

  if (sqlite3_open_v2 (gp_output_get_temp_path (output), &db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, path);
      sqlite3_close (db);
      return FALSE;
    }
  ok = write_database (db, layer, path, error);
  if (sqlite3_close (db) != SQLITE_OK && ok)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot close the GeoPackage"), path);
      ok = FALSE;
    }
  return ok && gp_output_commit (output, error);
}

/* ---- reading ---- */

typedef struct {
  char *name;
  GpFieldType type;
  int width;
} SourceColumn;

static void
source_column_free (gpointer data)
{
  SourceColumn *column = data;

  g_free (column->name);
  g_free (column);
}

/* The declared type of a column as GDAL and others write it ("TEXT(80)", "MEDIUMINT", "DOUBLE",
 * "DATETIME"...), mapped onto our field types; FALSE for what a field cannot hold (BLOB). */
static gboolean
field_type_of (const char *declared, GpFieldType *type, int *width)
{
  g_autofree char *upper = g_ascii_strup (declared != NULL ? declared : "", -1);
  char *paren = strchr (upper, '(');

  *width = 0;
  if (paren != NULL)
    {
      *width = (int) CLAMP (g_ascii_strtoll (paren + 1, NULL, 10), 0, 65535);
      *paren = '\0';
    }
  g_strstrip (upper);

  if (strcmp (upper, "BOOLEAN") == 0)
    *type = GP_FIELD_LOGICAL;
  else if (strcmp (upper, "DATE") == 0)
    *type = GP_FIELD_DATE;
  else if (strstr (upper, "INT") != NULL)
    *type = GP_FIELD_INTEGER;
  else if (strcmp (upper, "REAL") == 0 || strcmp (upper, "FLOAT") == 0
           || strcmp (upper, "DOUBLE") == 0 || strcmp (upper, "NUMERIC") == 0
           || g_str_has_prefix (upper, "DECIMAL"))
    *type = GP_FIELD_REAL;
  else if (strcmp (upper, "BLOB") == 0 || g_str_has_prefix (upper, "GEOMETRY"))
    return FALSE;
  else
    *type = GP_FIELD_STRING;   /* TEXT, DATETIME, and anything unknown reads as text */
  return TRUE;
}

typedef struct {
  char *table;
  char *geometry_column;   /* NULL for an attributes table */
  char *geometry_type_name;
  gint32 srs_id;
  int z, m;
} TableInfo;

static void
table_info_clear (TableInfo *info)
{
  g_free (info->table);
  g_free (info->geometry_column);
  g_free (info->geometry_type_name);
}

static gboolean
find_table (sqlite3 *db, const char *path, const char *wanted, TableInfo *info, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db,
        "SELECT c.table_name, g.column_name, g.geometry_type_name, g.srs_id, g.z, g.m"
        " FROM gpkg_contents c LEFT JOIN gpkg_geometry_columns g"
        " ON lower(g.table_name) = lower(c.table_name)"
        " WHERE (?1 IS NULL AND c.data_type = 'features' AND g.column_name IS NOT NULL)"
        " OR (?1 IS NOT NULL AND lower(c.table_name) = lower(?1)"
        "     AND c.data_type IN ('features', 'attributes'))"
        " ORDER BY c.rowid LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: not a GeoPackage (%s)"), path,
                   sqlite3_errmsg (db));
      return FALSE;
    }
  if (wanted != NULL)
    sqlite3_bind_text (stmt, 1, wanted, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      if (wanted != NULL)
        g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, _("%s: no table “%s”"), path, wanted);
      else
        g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, _("%s: no feature table"), path);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: not a GeoPackage (%s)"), path,
                   sqlite3_errmsg (db));
      return FALSE;
    }
  info->table = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
    {
      info->geometry_column = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      info->geometry_type_name = g_ascii_strup ((const char *) sqlite3_column_text (stmt, 2), -1);
      info->srs_id = sqlite3_column_int (stmt, 3);
      info->z = sqlite3_column_int (stmt, 4);
      info->m = sqlite3_column_int (stmt, 5);
    }
  return info->table != NULL;
}

/* The columns of TABLE other than the integer primary key and the geometry. */
static GPtrArray *
read_columns (sqlite3 *db, const char *path, const TableInfo *info, char **pk_column,
              GpLayer *layer, GError **error)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (source_column_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT name, type, pk FROM pragma_table_info(?)", -1, &stmt,
                          NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, path);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, info->table, -1, SQLITE_STATIC);
  *pk_column = NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *declared = (const char *) sqlite3_column_text (stmt, 1);
      gboolean pk = sqlite3_column_int (stmt, 2) == 1;
      SourceColumn *column;
      GpFieldType type;
      int width;

      if (name == NULL)
        continue;
      if (info->geometry_column != NULL && g_ascii_strcasecmp (name, info->geometry_column) == 0)
        continue;
      if (pk && *pk_column == NULL && declared != NULL && g_ascii_strcasecmp (declared, "INTEGER") == 0)
        {
          *pk_column = g_strdup (name);
          continue;
        }
      if (!field_type_of (declared, &type, &width))
        {
          gp_layer_add_warning (layer, _("%s: column “%s” of type %s left out"), path, name, declared);
          continue;
        }
      column = g_new0 (SourceColumn, 1);
      column->name = g_strdup (name);
      column->type = type;
      column->width = width;
      g_ptr_array_add (columns, column);
    }
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, path);
      g_clear_pointer (pk_column, g_free);
      return NULL;
    }
  if (columns->len == 0 && info->geometry_column == NULL && *pk_column == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: table “%s” has no columns"), path,
                   info->table);
      return NULL;
    }
  return g_steal_pointer (&columns);
}

static GpGeometryType
layer_geometry_type (const TableInfo *info, GpLayer *layer)
{
  const char *name = info->geometry_type_name;
  gboolean z = info->z == 1, m = info->m == 1 && info->z != 1;
  GpShapeKind kind = GP_SHAPE_NULL;

  if (name == NULL)
    return GP_GEOMETRY_TYPE_NULL;
  if (strcmp (name, "POINT") == 0)
    kind = GP_SHAPE_POINT;
  else if (strcmp (name, "MULTIPOINT") == 0)
    kind = GP_SHAPE_MULTIPOINT;
  else if (strcmp (name, "LINESTRING") == 0 || strcmp (name, "MULTILINESTRING") == 0)
    kind = GP_SHAPE_LINE;
  else if (strcmp (name, "POLYGON") == 0 || strcmp (name, "MULTIPOLYGON") == 0)
    kind = GP_SHAPE_POLYGON;
  else
    {
      /* GEOMETRY or a collection: go by the first shape. */
      for (guint i = 0; i < gp_layer_get_n_features (layer) && kind == GP_SHAPE_NULL; i++)
        {
          const GpShape *shape = gp_layer_get_feature (layer, i)->shape;

          if (shape != NULL)
            {
              kind = shape->kind;
              z = (shape->flags & GP_SHAPE_HAS_Z) != 0;
              m = !z && (shape->flags & GP_SHAPE_HAS_M) != 0;
            }
        }
    }

  switch (kind)
    {
    case GP_SHAPE_POINT:
      return z ? GP_GEOMETRY_TYPE_POINTZ : m ? GP_GEOMETRY_TYPE_POINTM : GP_GEOMETRY_TYPE_POINT;
    case GP_SHAPE_MULTIPOINT:
      return z ? GP_GEOMETRY_TYPE_MULTIPOINTZ : m ? GP_GEOMETRY_TYPE_MULTIPOINTM
                                                  : GP_GEOMETRY_TYPE_MULTIPOINT;
    case GP_SHAPE_LINE:
      return z ? GP_GEOMETRY_TYPE_POLYLINEZ : m ? GP_GEOMETRY_TYPE_POLYLINEM
                                                : GP_GEOMETRY_TYPE_POLYLINE;
    case GP_SHAPE_POLYGON:
      return z ? GP_GEOMETRY_TYPE_POLYGONZ : m ? GP_GEOMETRY_TYPE_POLYGONM
                                               : GP_GEOMETRY_TYPE_POLYGON;
    case GP_SHAPE_NULL:
    default:
      return GP_GEOMETRY_TYPE_NULL;
    }
}

/* The layer's CRS from gpkg_spatial_ref_sys: by EPSG code where the row has one, else from its
 * definition. Undefined ids (0, -1) give no CRS, or lon/lat when the coordinates can only be. */
static void
read_crs (sqlite3 *db, const char *path, const TableInfo *info, GpLayer *layer)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GpCrs) crs = NULL;
  double bbox[4];

  if (info->geometry_column == NULL)
    return;
  if (info->srs_id != 0 && info->srs_id != -1
      && sqlite3_prepare_v2 (db, "SELECT organization, organization_coordsys_id, definition"
                                 " FROM gpkg_spatial_ref_sys WHERE srs_id = ?", -1, &stmt,
                             NULL) == SQLITE_OK)
    {
      sqlite3_bind_int (stmt, 1, info->srs_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *organization = (const char *) sqlite3_column_text (stmt, 0);
          int code = sqlite3_column_int (stmt, 1);
          const char *definition = (const char *) sqlite3_column_text (stmt, 2);

          if (organization != NULL && g_ascii_strcasecmp (organization, "EPSG") == 0 && code > 0)
            crs = gp_crs_new_from_epsg (code, NULL);
          if (crs == NULL && definition != NULL && g_ascii_strcasecmp (definition, "undefined") != 0)
            crs = gp_crs_new_from_definition (definition, NULL);
          if (crs == NULL)
            gp_layer_add_warning (layer, _("%s: coordinate system %d is not understood"), path,
                                  info->srs_id);
        }
      else
        gp_layer_add_warning (layer, _("%s: coordinate system %d is missing from gpkg_spatial_ref_sys"),
                              path, info->srs_id);
    }
  if (crs == NULL && gp_layer_get_bbox (layer, bbox) && gp_crs_bbox_looks_lonlat (bbox))
    crs = gp_crs_new_lonlat_guess ();
  gp_layer_set_crs (layer, crs);
}

static void
read_value (GpLayer *layer, GpFeature *feature, guint f, const SourceColumn *column,
            sqlite3_stmt *stmt, int index)
{
  GpValue *value = &feature->values[f];
  int type = sqlite3_column_type (stmt, index);
  const char *text;
  char *end = NULL;
  unsigned year, month, day;

  if (type == SQLITE_NULL)
    return;
  switch (column->type)
    {
    case GP_FIELD_STRING:
      gp_feature_set_text (layer, feature, f, (const char *) sqlite3_column_text (stmt, index));
      break;
    case GP_FIELD_INTEGER:
      if (type == SQLITE_INTEGER || type == SQLITE_FLOAT)
        {
          value->integer = sqlite3_column_int64 (stmt, index);
          value->is_null = FALSE;
        }
      else if ((text = (const char *) sqlite3_column_text (stmt, index)) != NULL)
        {
          value->integer = g_ascii_strtoll (text, &end, 10);
          value->is_null = end == text || *end != '\0';
        }
      break;
    case GP_FIELD_REAL:
      if (type == SQLITE_INTEGER || type == SQLITE_FLOAT)
        {
          value->real = sqlite3_column_double (stmt, index);
          value->is_null = FALSE;
        }
      else if ((text = (const char *) sqlite3_column_text (stmt, index)) != NULL)
        {
          value->real = g_ascii_strtod (text, &end);
          value->is_null = end == text || *end != '\0';
        }
      break;
    case GP_FIELD_DATE:
      text = (const char *) sqlite3_column_text (stmt, index);
      if (text != NULL && sscanf (text, "%4u-%2u-%2u", &year, &month, &day) == 3
          && month >= 1 && month <= 12 && day >= 1 && day <= 31)
        {
          value->date.year = (guint16) year;
          value->date.month = (guint8) month;
          value->date.day = (guint8) day;
          value->is_null = FALSE;
        }
      break;
    case GP_FIELD_LOGICAL:
      value->logical = sqlite3_column_int64 (stmt, index) != 0;
      value->is_null = FALSE;
      break;
    default:
      break;
    }
}

static gboolean
read_rows (sqlite3 *db, const char *path, const TableInfo *info, const char *pk_column,
           GPtrArray *columns, GpLayer *layer, GError **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint record = 0;
  int first_value = info->geometry_column != NULL ? 2 : 1;
  int rc;

  if (pk_column != NULL)
    append_ident (sql, pk_column);
  else
    g_string_append (sql, "rowid");
  if (info->geometry_column != NULL)
    {
      g_string_append (sql, ", ");
      append_ident (sql, info->geometry_column);
    }
  for (guint i = 0; i < columns->len; i++)
    {
      g_string_append (sql, ", ");
      append_ident (sql, ((SourceColumn *) g_ptr_array_index (columns, i))->name);
    }
  g_string_append (sql, " FROM ");
  append_ident (sql, info->table);
  g_string_append (sql, " ORDER BY 1");
  if (!prepare (db, sql->str, &stmt, path, error))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      sqlite3_int64 fid = sqlite3_column_int64 (stmt, 0);
      GpShape *shape = NULL;
      GpFeature *feature;

      if (info->geometry_column != NULL && sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        {
          g_autoptr(GError) local = NULL;
          const guint8 *blob = sqlite3_column_blob (stmt, 1);
          int length = sqlite3_column_bytes (stmt, 1);

          shape = gp_gpkg_blob_parse (blob, (gsize) length, NULL, &local);
          if (shape == NULL)
            {
              /* One broken geometry costs its feature, not the whole table. */
              gp_layer_add_warning (layer, _("%s: feature %" PRId64 " skipped: %s"),
                                    path, (int64_t) fid, local->message);
              record++;
              continue;
            }
        }
      feature = gp_layer_append (layer, shape, record++);
      for (guint i = 0; i < columns->len; i++)
        read_value (layer, feature, i, g_ptr_array_index (columns, i), stmt, first_value + (int) i);
    }
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, path);
      return FALSE;
    }
  return TRUE;
}

static GpLayer *
read_database (sqlite3 *db, const char *path, const char *wanted, GError **error)
{
  TableInfo info = { NULL, NULL, NULL, 0, 0, 0 };
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GPtrArray) columns = NULL;
  g_autofree char *pk_column = NULL;
  gboolean ok;

  if (!find_table (db, path, wanted, &info, error))
    {
      table_info_clear (&info);
      return NULL;
    }
  layer = gp_layer_new (info.table);
  gp_layer_set_source_path (layer, path);
  gp_layer_set_encoding (layer, "UTF-8");   /* GeoPackage text is UTF-8 by definition */
  columns = read_columns (db, path, &info, &pk_column, layer, error);
  ok = columns != NULL;
  if (ok)
    {
      for (guint i = 0; i < columns->len; i++)
        {
          const SourceColumn *column = g_ptr_array_index (columns, i);
          gp_layer_add_field (layer, column->name, column->type, column->width, 0);
        }
      ok = read_rows (db, path, &info, pk_column, columns, layer, error);
    }
  if (ok)
    {
      gp_layer_set_geometry_type (layer, layer_geometry_type (&info, layer));
      read_crs (db, path, &info, layer);
    }
  table_info_clear (&info);
  return ok ? g_steal_pointer (&layer) : NULL;
}

GpLayer *
gp_gpkg_read_layer (const char *path, const char *table, GError **error)
{
  sqlite3 *db = NULL;
  GpLayer *layer;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: no such file"), path);
      return NULL;
    }
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, path);
      sqlite3_close (db);
      return NULL;
    }
  layer = read_database (db, path, table, error);
  sqlite3_close (db);
  return layer;
}
