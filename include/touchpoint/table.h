/**
 * @file touchpoint/table.h
 * @brief Result tables: named, typed columns with row access and export.
 *
 * Every analysis returns a ::tp_table. Columns are string, int64 or double;
 * any cell may be null (missing). Tables are also built by callers, which is how
 * tests and bindings make fixtures.
 *
 * Thread-safety: a table that is no longer modified may be read from several
 * threads at once.
 */
#ifndef TOUCHPOINT_TABLE_H
#define TOUCHPOINT_TABLE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A result table. Opaque. */
typedef struct tp_table tp_table;

/** Column types. */
typedef enum tp_type {
    TP_TYPE_STRING = 1, /**< UTF-8 text. */
    TP_TYPE_INT64 = 2,  /**< Signed 64-bit integer. */
    TP_TYPE_DOUBLE = 3  /**< IEEE double; null reads as NaN. */
} tp_type;

/** The word of a column type ("string", "int64", "double"), or NULL for another
 * value. Static text; thread-safe. */
TP_API const char *tp_type_name(tp_type type);

/** The column type named @p name. @return ::TP_OK, or ::TP_EINVAL naming the words */
TP_API tp_status tp_type_parse(const char *name, tp_type *out);

/**
 * What the numbers of a column mean. The cells keep their type and value
 * whatever the unit (CSV and JSON write them as they are); the unit tells
 * readers how to show them: the text format writes times as
 * "2026-03-01 09:30:00", durations as "2d 4h" and flags as yes/no, and the
 * Python and Ruby bindings give datetimes, timedeltas and booleans.
 */
typedef enum tp_unit {
    TP_UNIT_NONE = 0,     /**< A plain number (or text). */
    TP_UNIT_TIME = 1,     /**< Milliseconds since the Unix epoch, UTC (int64). */
    TP_UNIT_DURATION = 2, /**< A length of time in milliseconds (int64 or double). */
    TP_UNIT_FLAG = 3      /**< 1 for yes, 0 for no (int64). */
} tp_unit;

/** The word of a unit ("none", "time", "duration", "flag"), or NULL for another
 * value. Static text; thread-safe. */
TP_API const char *tp_unit_name(tp_unit unit);

/** The unit named @p name. @return ::TP_OK, or ::TP_EINVAL naming the words */
TP_API tp_status tp_unit_parse(const char *name, tp_unit *out);

/** Export formats. */
typedef enum tp_format {
    /** Aligned, human-readable text with a header line; doubles with 6 significant
     *  digits; times, durations and flags in words (see ::tp_unit). A text
     *  cell longer than 48 characters goes on over the next lines of its
     *  column (broken at a space where it has one): nothing is cut. */
    TP_FORMAT_TEXT = 0,
    /**
     * RFC 4180 CSV with a header row, CRLF-free ("\n" line ends). Fields holding a
     * comma, quote, CR or LF are quoted. String cells beginning with = + - @ TAB or
     * CR get a leading apostrophe so spreadsheets do not run them as formulas.
     * Nulls are empty fields; doubles use the shortest text that reads back exactly.
     */
    TP_FORMAT_CSV = 1,
    /** A JSON array with one object per row; nulls and non-finite doubles are null. */
    TP_FORMAT_JSON = 2,
    /** As ::TP_FORMAT_TEXT, each row on one line: text cells at their full width. */
    TP_FORMAT_TEXT_WIDE = 3
} tp_format;

/**
 * Create an empty table (no columns, no rows).
 * @param out receives the table, owned by the caller (tp_table_free()); NULL on failure
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_table_new(tp_table **out);

/** Free a table. Accepts NULL. */
TP_API void tp_table_free(tp_table *table);

/**
 * Append a column. Existing rows get null in it.
 * @param name  column name, non-empty UTF-8, unique in the table (copied)
 * @param index receives the new column's index; may be NULL
 * @return ::TP_OK; ::TP_EINVAL (bad name or type); ::TP_ECONFLICT (name taken); ::TP_ENOMEM
 */
TP_API tp_status tp_table_add_column(tp_table *table, const char *name, tp_type type,
                                     size_t *index);

/**
 * Append a row whose cells are all null.
 * @param row receives the new row's index; may be NULL
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM, ::TP_ELIMIT (more than 2^32 - 1 rows)
 */
TP_API tp_status tp_table_append_row(tp_table *table, size_t *row);

/**
 * Set a string cell (the text is copied). NULL @p value sets null.
 * @return ::TP_OK; ::TP_EINVAL (index out of range, not a string column, invalid
 *         UTF-8); ::TP_ENOMEM
 */
TP_API tp_status tp_table_set_string(tp_table *table, size_t row, size_t col, const char *value);

/** Set an int64 cell. @return ::TP_OK or ::TP_EINVAL (range, type). */
TP_API tp_status tp_table_set_int64(tp_table *table, size_t row, size_t col, int64_t value);

/** Set a double cell; NaN sets null. @return ::TP_OK or ::TP_EINVAL (range, type). */
TP_API tp_status tp_table_set_double(tp_table *table, size_t row, size_t col, double value);

/** Set any cell to null. @return ::TP_OK or ::TP_EINVAL. */
TP_API tp_status tp_table_set_null(tp_table *table, size_t row, size_t col);

/** Number of rows (0 for NULL). */
TP_API size_t tp_table_row_count(const tp_table *table);

/** Number of columns (0 for NULL). */
TP_API size_t tp_table_column_count(const tp_table *table);

/** Name of column @p col, borrowed; NULL if out of range. */
TP_API const char *tp_table_column_name(const tp_table *table, size_t col);

/** Type of column @p col, or 0 if out of range. */
TP_API tp_type tp_table_column_type(const tp_table *table, size_t col);

/**
 * Say what the numbers of column @p col mean (a new column has ::TP_UNIT_NONE).
 * A time or a flag needs an int64 column, a duration a numeric one.
 * @return ::TP_OK; ::TP_EINVAL (NULL table, @p col out of range, an unknown
 *         unit, or a unit the column's type cannot hold). Not thread-safe on
 *         the same table.
 */
TP_API tp_status tp_table_set_column_unit(tp_table *table, size_t col, tp_unit unit);

/** The unit of column @p col; ::TP_UNIT_NONE if out of range. Thread-safe. */
TP_API tp_unit tp_table_column_unit(const tp_table *table, size_t col);

/**
 * Why the table is as it is, when an analysis has something to say beyond its
 * rows: above all why it has none ("no touchpoint has 30 responses (the most:
 * 12, at support); lower min_responses to test them"). NULL when there is no
 * note. Borrowed: valid until the table is changed or freed. Formats do not
 * print it; the tool writes it to stderr, the bindings show it with the table.
 */
TP_API const char *tp_table_note(const tp_table *table);

/**
 * Set (or, with NULL, clear) the table's note; the text is copied.
 * @return ::TP_OK, ::TP_EINVAL (NULL table), ::TP_ENOMEM
 */
TP_API tp_status tp_table_set_note(tp_table *table, const char *note);

/**
 * Find a column by name.
 * @return ::TP_OK with @p col set, ::TP_ENOTFOUND, or ::TP_EINVAL
 */
TP_API tp_status tp_table_find_column(const tp_table *table, const char *name, size_t *col);

/** 1 if the cell is null, 0 if not, -1 if the indexes are out of range. */
TP_API int tp_table_is_null(const tp_table *table, size_t row, size_t col);

/**
 * Read a string cell.
 * @param out receives the text (borrowed, valid until the table is freed) or NULL for null
 * @return ::TP_OK or ::TP_EINVAL (range, not a string column)
 */
TP_API tp_status tp_table_get_string(const tp_table *table, size_t row, size_t col,
                                     const char **out);

/**
 * Read an int64 cell; null reads as 0 (check tp_table_is_null()).
 * @return ::TP_OK or ::TP_EINVAL (range, not an int64 column)
 */
TP_API tp_status tp_table_get_int64(const tp_table *table, size_t row, size_t col, int64_t *out);

/**
 * Read a numeric cell as double: double columns as stored (null is NaN), int64
 * columns converted (null is NaN).
 * @return ::TP_OK or ::TP_EINVAL (range, string column)
 */
TP_API tp_status tp_table_get_double(const tp_table *table, size_t row, size_t col, double *out);

/**
 * Whole int64 column, for zero-copy access (nulls hold 0).
 * @return a borrowed array of tp_table_row_count() values, valid until the table
 *         is modified or freed; NULL if @p col is not an int64 column or the table is empty
 */
TP_API const int64_t *tp_table_int64_data(const tp_table *table, size_t col);

/**
 * Whole double column, for zero-copy access (nulls hold NaN).
 * @return as tp_table_int64_data(), for double columns
 */
TP_API const double *tp_table_double_data(const tp_table *table, size_t col);

/**
 * Export the table as text.
 * @param out receives a NUL-terminated buffer owned by the caller (tp_free())
 * @param len receives its length without the NUL; may be NULL
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_table_format(const tp_table *table, tp_format format, char **out,
                                 size_t *len);

/**
 * Export the table to a file. The file is written to a temporary name in the
 * same directory and renamed into place, so readers never see a partial file.
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM, ::TP_EIO (message names the path)
 */
TP_API tp_status tp_table_write(const tp_table *table, tp_format format, const char *path);

/**
 * Parse a format name: "table" or "text", "wide" (::TP_FORMAT_TEXT_WIDE), "csv", "json".
 * @return ::TP_OK or ::TP_EINVAL
 */
TP_API tp_status tp_format_parse(const char *name, tp_format *out);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_TABLE_H */
