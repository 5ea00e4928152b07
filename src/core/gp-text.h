/* gp-text.h: text encodings of DBF and CSV files, decoded to UTF-8 at the edge. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Canonical encoding names GridPlan reports and accepts: "UTF-8", "GBK", "GB18030", "BIG5",
 * "CP1252", "ISO-8859-1", "CP1250", "CP437", "CP850", "CP866", "SHIFT_JIS", "EUC-KR", ...
 * GBK, CP936 and GB2312 all decode as GB18030, their superset. */

/* Canonical name for a user- or file-given name ("936", "cp936", " GBK\r\n", "ANSI 1250",
 * "utf8", "UTF-8 "...), or NULL when it is not an encoding we can decode. */
const char *gp_text_canonical_encoding (const char *name);
/* Encoding named by a .cpg file's contents, or NULL (e.g. HTML or an unknown name). */
const char *gp_text_encoding_from_cpg  (const char *contents, gsize length);
/* Encoding named by a DBF header's language driver ID byte, or NULL for 0 or unknown. */
const char *gp_text_encoding_from_ldid (guint8 ldid);
/* Guess from sample bytes: valid UTF-8 → "UTF-8"; else GB18030 where it decodes cleanly
 * into CJK text → "GBK" or "GB18030"; else "CP1252". Pure ASCII → "UTF-8". */
const char *gp_text_detect_encoding    (const char *bytes, gsize length);

/* A reusable decoder (iconv is costly to open per field). Not thread-safe. */
typedef struct _GpTextDecoder GpTextDecoder;

GpTextDecoder *gp_text_decoder_new    (const char *encoding, GError **error);
void           gp_text_decoder_free   (GpTextDecoder *decoder);
const char    *gp_text_decoder_get_encoding (GpTextDecoder *decoder);
/* Decodes length bytes (or up to NUL when length < 0) into newly allocated UTF-8. Bytes that
 * do not decode become U+FFFD and set *lossy (when given) rather than failing. */
char          *gp_text_decoder_decode (GpTextDecoder *decoder, const char *bytes, gssize length,
                                       gboolean *lossy);

/* UTF-8 → another encoding (for writing GBK files the way Chinese offices expect them). */
char          *gp_text_encode         (const char *utf8, const char *encoding, gsize *out_length,
                                       GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpTextDecoder, gp_text_decoder_free)

G_END_DECLS
