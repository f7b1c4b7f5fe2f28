/* CSV ingestion: a small RFC 4180 record reader, header detection, column choice, and the
 * conversion of cells into values and timestamps. Points keep their input order. */
#include "series_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_COLUMN SIZE_MAX

int kairos_csv_opts_init(kairos_csv_opts *opts, unsigned version)
{
    if (!opts)
        return kairos__fail(KAIROS_EINVAL, "kairos_csv_opts_init: opts is NULL");
    int rc = kairos__check_version(version, KAIROS_CSV_OPTS_VERSION, "kairos_csv_opts");
    if (rc)
        return rc;
    const kairos_csv_opts defaults = KAIROS_CSV_OPTS_INIT;
    *opts = defaults;
    return KAIROS_OK;
}

/* ---- Records ------------------------------------------------------------------------ */

typedef struct csv_field {
    size_t offset;   /* into csv_reader.store; the text is NUL-terminated there */
    size_t len;
} csv_field;

typedef struct csv_reader {
    const char *text;
    size_t len, pos;
    char delimiter;
    size_t line;          /* physical line at pos, from 1 */
    size_t record_line;   /* physical line where the current record starts */
    kairos_buf store;     /* the current record's fields, unescaped, each NUL-terminated */
    csv_field *fields;
    size_t n_fields, cap_fields;
    bool only_empty_field; /* the record is one unquoted empty field: a blank line */
} csv_reader;

static bool is_pad(const csv_reader *r, char c)
{
    return (c == ' ' || c == '\t') && c != r->delimiter;
}

static const char *field_text(const csv_reader *r, size_t i)
{
    return r->store.data + r->fields[i].offset;
}

static bool at_line_end(const csv_reader *r)
{
    return r->pos >= r->len || r->text[r->pos] == '\n' || r->text[r->pos] == '\r';
}

/* Consume one line end: "\n", "\r\n" or a lone "\r". */
static void skip_line_end(csv_reader *r)
{
    if (r->pos >= r->len)
        return;
    if (r->text[r->pos] == '\r' && r->pos + 1 < r->len && r->text[r->pos + 1] == '\n')
        r->pos++;
    r->pos++;
    r->line++;
}

static int push_field(csv_reader *r, size_t offset)
{
    if (r->n_fields == r->cap_fields) {
        size_t cap = r->cap_fields ? r->cap_fields * 2 : 16;
        csv_field *f = kairos__malloc_array(cap, sizeof *f);
        if (!f)
            return kairos__fail(KAIROS_ENOMEM, "out of memory reading CSV line %zu",
                                r->record_line);
        if (r->n_fields)
            memcpy(f, r->fields, r->n_fields * sizeof *f);
        free(r->fields);
        r->fields = f;
        r->cap_fields = cap;
    }
    /* Trim padding so that " 1.5 " and "\" 1.5 \"" both read as 1.5. */
    size_t len = r->store.len - offset;
    const char *s = r->store.data + offset;
    size_t start = 0;
    while (start < len && (s[start] == ' ' || s[start] == '\t'))
        start++;
    while (len > start && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    r->store.data[offset + len] = '\0';
    r->fields[r->n_fields++] = (csv_field){ offset + start, len - start };
    return kairos__buf_append(&r->store, "", 1);   /* the NUL ends the field in the store */
}

static int read_unquoted(csv_reader *r)
{
    size_t start = r->pos;
    while (!at_line_end(r) && r->text[r->pos] != r->delimiter)
        r->pos++;
    return kairos__buf_append(&r->store, r->text + start, r->pos - start);
}

/* A quoted field may hold delimiters, line breaks (kept as they are) and "" for a quote. */
static int read_quoted(csv_reader *r)
{
    size_t opened_at = r->line;
    r->pos++;   /* the opening quote */
    for (;;) {
        size_t start = r->pos;
        while (r->pos < r->len && r->text[r->pos] != '"') {
            char c = r->text[r->pos++];
            if (c == '\n' || (c == '\r' && (r->pos >= r->len || r->text[r->pos] != '\n')))
                r->line++;
        }
        int rc = kairos__buf_append(&r->store, r->text + start, r->pos - start);
        if (rc)
            return rc;
        if (r->pos >= r->len)
            return kairos__fail(KAIROS_EPARSE, "line %zu: a quoted field is never closed",
                                opened_at);
        r->pos++;   /* a quote: either an escaped "" or the closing one */
        if (r->pos < r->len && r->text[r->pos] == '"') {
            r->pos++;
            if ((rc = kairos__buf_append(&r->store, "\"", 1)))
                return rc;
            continue;
        }
        while (r->pos < r->len && is_pad(r, r->text[r->pos]))
            r->pos++;
        if (at_line_end(r) || r->text[r->pos] == r->delimiter)
            return KAIROS_OK;
        return kairos__fail(KAIROS_EPARSE,
                            "line %zu: unexpected '%c' after the closing quote of a field",
                            r->line, r->text[r->pos] >= 0x20 ? r->text[r->pos] : '?');
    }
}

/* Read one record (fields up to an unquoted line end), blank or not. */
static int read_record(csv_reader *r)
{
    r->n_fields = 0;
    r->store.len = 0;
    r->record_line = r->line;
    r->only_empty_field = false;
    for (;;) {
        while (r->pos < r->len && is_pad(r, r->text[r->pos]))
            r->pos++;
        size_t offset = r->store.len;
        bool quoted = r->pos < r->len && r->text[r->pos] == '"';
        int rc = quoted ? read_quoted(r) : read_unquoted(r);
        if (rc == KAIROS_OK)
            rc = push_field(r, offset);
        if (rc)
            return rc;
        if (r->n_fields == 1 && !quoted && r->fields[0].len == 0)
            r->only_empty_field = true;
        if (r->pos < r->len && r->text[r->pos] == r->delimiter) {
            r->pos++;
            r->only_empty_field = false;
            continue;
        }
        skip_line_end(r);
        return KAIROS_OK;
    }
}

/* The next non-blank record: 1 when there is one, 0 at the end of the text, or an error. */
static int next_record(csv_reader *r)
{
    while (r->pos < r->len) {
        int rc = read_record(r);
        if (rc)
            return rc;
        if (!r->only_empty_field)
            return 1;
    }
    return 0;
}

/* ---- Columns ------------------------------------------------------------------------ */

/* What the caller asked for in kairos_csv_opts.column. */
typedef struct column_request {
    const char *name;   /* NULL = default choice */
    size_t number;      /* 1-based when the request is all digits, else 0 */
} column_request;

typedef struct csv_layout {
    bool has_header;
    size_t value_col;
    size_t timestamp_col;   /* NO_COLUMN when the series is untimed */
    char *name;             /* the value column's header name, owned; NULL without a header */
    char label[80];         /* how messages name the value column */
    char timestamp_label[80];
} csv_layout;

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

static bool same_text_any_case(const char *a, size_t a_len, const char *b)
{
    size_t b_len = strlen(b);
    if (a_len != b_len)
        return false;
    for (size_t i = 0; i < a_len; i++)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

static bool is_missing_marker(const char *s, size_t len)
{
    return len == 0 || same_text_any_case(s, len, "NA") || same_text_any_case(s, len, "NaN") ||
           same_text_any_case(s, len, "null");
}

static bool is_number_or_missing(const csv_reader *r, size_t i)
{
    double ignored;
    const char *s = field_text(r, i);
    size_t len = r->fields[i].len;
    return is_missing_marker(s, len) ||
           kairos__parse_number(s, len, &ignored) != KAIROS__NUMBER_INVALID;
}

static bool is_timestamp_name(const char *s, size_t len)
{
    static const char *const names[] = { "timestamp", "time", "ts", "date", "datetime", "ds" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (same_text_any_case(s, len, names[i]))
            return true;
    return false;
}

static int parse_column_request(const char *column, column_request *req)
{
    req->name = column;
    req->number = 0;
    if (!column || !column[0])
        return column ? kairos__fail(KAIROS_EINVAL, "the CSV column option is empty") : KAIROS_OK;
    size_t number = 0;
    for (const char *p = column; *p; p++) {
        if (*p < '0' || *p > '9')
            return KAIROS_OK;   /* a name */
        /* saturate: a number this large names no column anyway */
        number = number >= SIZE_MAX / 10 - 1 ? SIZE_MAX / 10 : number * 10 + (size_t)(*p - '0');
    }
    if (number == 0)
        return kairos__fail(KAIROS_EINVAL, "CSV column numbers start at 1, not 0");
    req->number = number;
    return KAIROS_OK;
}

/* The rule in series.h: a first line whose value field is not a number or a missing marker
 * is a header. The value field is where a header-less file would keep its values. A column
 * asked for by name needs a header, so the first line is one. */
static bool first_record_is_header(const csv_reader *r, const column_request *req)
{
    if (req->name && req->number == 0)
        return true;
    size_t value_col = req->number ? req->number - 1 : (r->n_fields == 1 ? 0 : 1);
    return value_col >= r->n_fields || !is_number_or_missing(r, value_col);
}

static size_t find_header(const csv_reader *r, const char *name)
{
    for (size_t i = 0; i < r->n_fields; i++)
        if (strcmp(field_text(r, i), name) == 0 && strlen(name) == r->fields[i].len)
            return i;
    for (size_t i = 0; i < r->n_fields; i++)
        if (same_text_any_case(field_text(r, i), r->fields[i].len, name))
            return i;
    return NO_COLUMN;
}

/* "timestamp, value, cpu" for messages: the header names, cut short when long. */
static void describe_header(const csv_reader *r, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->n_fields && used + 1 < size; i++) {
        char name[KAIROS__EXCERPT_SIZE];
        kairos__excerpt(field_text(r, i), r->fields[i].len, name, sizeof name);
        int n = snprintf(out + used, size - used, "%s'%s'", i ? ", " : "", name);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
}

static void label_header_column(const csv_reader *r, size_t col, char *label, size_t size)
{
    char name[KAIROS__EXCERPT_SIZE];
    kairos__excerpt(field_text(r, col), r->fields[col].len, name, sizeof name);
    snprintf(label, size, "column '%s'", name);
}

static size_t choose_value_column(const csv_reader *r, const column_request *req,
                                  size_t timestamp_candidate)
{
    if (req->name) {
        size_t col = find_header(r, req->name);
        if (col == NO_COLUMN && req->number && req->number <= r->n_fields)
            col = req->number - 1;
        return col;
    }
    size_t col = find_header(r, "value");
    for (size_t i = 0; col == NO_COLUMN && i < r->n_fields; i++)
        if (i != timestamp_candidate)
            col = i;
    return col;
}

static int layout_from_header(const csv_reader *r, const column_request *req, csv_layout *L)
{
    size_t named_timestamp = NO_COLUMN;
    for (size_t i = 0; i < r->n_fields && named_timestamp == NO_COLUMN; i++)
        if (is_timestamp_name(field_text(r, i), r->fields[i].len))
            named_timestamp = i;
    size_t candidate = named_timestamp != NO_COLUMN ? named_timestamp
                       : r->n_fields >= 2         ? 0
                                                  : NO_COLUMN;
    L->value_col = choose_value_column(r, req, candidate);
    if (L->value_col == NO_COLUMN) {
        char names[200];
        describe_header(r, names, sizeof names);
        if (req->name) {
            char wanted[KAIROS__EXCERPT_SIZE];
            kairos__excerpt(req->name, strlen(req->name), wanted, sizeof wanted);
            return kairos__fail(KAIROS_EDATA, "CSV column '%s' not found; line %zu has %s",
                                wanted, r->record_line, names);
        }
        return kairos__fail(KAIROS_EDATA, "CSV has no value column; line %zu has only %s",
                            r->record_line, names);
    }
    /* The timestamp column may not also be the value column: then the series is untimed. */
    L->timestamp_col = candidate != L->value_col ? candidate : NO_COLUMN;
    if (L->timestamp_col != NO_COLUMN)
        label_header_column(r, L->timestamp_col, L->timestamp_label, sizeof L->timestamp_label);
    label_header_column(r, L->value_col, L->label, sizeof L->label);
    L->name = malloc(r->fields[L->value_col].len + 1);
    if (!L->name)
        return kairos__fail(KAIROS_ENOMEM, "out of memory naming a CSV series");
    memcpy(L->name, field_text(r, L->value_col), r->fields[L->value_col].len + 1);
    return KAIROS_OK;
}

static int layout_without_header(const csv_reader *r, const column_request *req, csv_layout *L)
{
    size_t n = r->n_fields;
    L->value_col = req->number ? req->number - 1 : (n == 1 ? 0 : 1);
    if (L->value_col >= n)
        return kairos__fail(KAIROS_EDATA, "CSV column %zu does not exist; line %zu has %zu field%s",
                            L->value_col + 1, r->record_line, n, n == 1 ? "" : "s");
    L->timestamp_col = (n >= 2 && L->value_col != 0) ? 0 : NO_COLUMN;
    snprintf(L->label, sizeof L->label, "column %zu", L->value_col + 1);
    snprintf(L->timestamp_label, sizeof L->timestamp_label, "column 1");
    return KAIROS_OK;
}

/* ---- Points ------------------------------------------------------------------------- */

typedef struct csv_points {
    double *values;
    int64_t *timestamps;   /* NULL for an untimed series */
    size_t n, cap;
} csv_points;

static int grow_points(csv_points *p, bool timed)
{
    if (p->n < p->cap)
        return KAIROS_OK;
    size_t cap = p->cap ? p->cap * 2 : 256;
    double *v = kairos__malloc_array(cap, sizeof *v);
    int64_t *t = timed ? kairos__malloc_array(cap, sizeof *t) : NULL;
    if (!v || (timed && !t)) {
        free(v);
        free(t);
        return kairos__fail(KAIROS_ENOMEM, "out of memory storing %zu CSV points", cap);
    }
    if (p->n) {
        memcpy(v, p->values, p->n * sizeof *v);
        if (timed)
            memcpy(t, p->timestamps, p->n * sizeof *t);
    }
    free(p->values);
    free(p->timestamps);
    p->values = v;
    p->timestamps = t;
    p->cap = cap;
    return KAIROS_OK;
}

static int parse_value_cell(const csv_reader *r, const csv_layout *L, double *out)
{
    const char *s = field_text(r, L->value_col);
    size_t len = r->fields[L->value_col].len;
    if (is_missing_marker(s, len)) {
        *out = NAN;
        return KAIROS_OK;
    }
    int rc = kairos__parse_number(s, len, out);
    if (rc == KAIROS__NUMBER_OK) {
        if (isnan(*out))
            *out = NAN;   /* one canonical missing value, whatever sign "-nan" had */
        return KAIROS_OK;
    }
    char cell[KAIROS__EXCERPT_SIZE];
    kairos__excerpt(s, len, cell, sizeof cell);
    return kairos__fail(KAIROS_EPARSE, "line %zu, %s: '%s' is %s", r->record_line, L->label, cell,
                        rc == KAIROS__NUMBER_OUT_OF_RANGE ? "out of the range of a double"
                                                          : "not a number");
}

static int parse_timestamp_cell(const csv_reader *r, const csv_layout *L, int64_t *out)
{
    char why[256];
    const csv_field *f = &r->fields[L->timestamp_col];
    if (kairos__parse_timestamp(field_text(r, L->timestamp_col), f->len, out, why, sizeof why))
        return kairos__fail(KAIROS_EPARSE, "line %zu: %s", r->record_line, why);
    return KAIROS_OK;
}

static int add_point(const csv_reader *r, const csv_layout *L, csv_points *p)
{
    bool timed = L->timestamp_col != NO_COLUMN;
    size_t have = r->n_fields;
    if (L->value_col >= have || (timed && L->timestamp_col >= have))
        return kairos__fail(KAIROS_EPARSE, "line %zu: no %s in %s; the line has %zu field%s",
                            r->record_line, L->value_col >= have ? "value" : "timestamp",
                            L->value_col >= have ? L->label : L->timestamp_label, have,
                            have == 1 ? "" : "s");
    int rc = grow_points(p, timed);
    if (rc == KAIROS_OK)
        rc = parse_value_cell(r, L, &p->values[p->n]);
    if (rc == KAIROS_OK && timed)
        rc = parse_timestamp_cell(r, L, &p->timestamps[p->n]);
    if (rc == KAIROS_OK)
        p->n++;
    return rc;
}

/* ---- Parsing ------------------------------------------------------------------------ */

static int read_points(csv_reader *r, const column_request *req, csv_layout *L, csv_points *p)
{
    int more = next_record(r);
    if (more < 0)
        return more;
    if (more == 0)
        return kairos__fail(KAIROS_EDATA, "CSV has no data lines (the input is empty)");
    L->has_header = first_record_is_header(r, req);
    int rc = L->has_header ? layout_from_header(r, req, L) : layout_without_header(r, req, L);
    if (rc)
        return rc;
    more = L->has_header ? next_record(r) : 1;
    for (; more == 1; more = next_record(r))
        if ((rc = add_point(r, L, p)))
            return rc;
    if (more < 0)
        return more;
    if (p->n == 0)
        return kairos__fail(KAIROS_EDATA, "CSV has a header but no data lines");
    return KAIROS_OK;
}

static int resolve_opts(const kairos_csv_opts *opts, char *delimiter, column_request *req)
{
    kairos_csv_opts o = KAIROS_CSV_OPTS_INIT;
    if (opts) {
        int rc = kairos__check_version(opts->version, KAIROS_CSV_OPTS_VERSION, "kairos_csv_opts");
        if (rc)
            return rc;
        o = *opts;
    }
    *delimiter = o.delimiter ? o.delimiter : ',';
    if (*delimiter == '"' || *delimiter == '\n' || *delimiter == '\r')
        return kairos__fail(KAIROS_EINVAL, "a CSV delimiter cannot be a quote or a line break");
    return parse_column_request(o.column, req);
}

int kairos_series_parse_csv(kairos_series **out, const char *text, size_t len,
                            const kairos_csv_opts *opts)
{
    if (!out)
        return kairos__fail(KAIROS_EINVAL, "kairos_series_parse_csv: out is NULL");
    *out = NULL;
    if (!text && len > 0)
        return kairos__fail(KAIROS_EINVAL, "kairos_series_parse_csv: text is NULL");
    csv_reader r = { .text = text, .len = len, .line = 1 };
    column_request req = { NULL, 0 };
    int rc = resolve_opts(opts, &r.delimiter, &req);
    if (rc)
        return rc;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        r.pos = 3;   /* UTF-8 byte order mark */

    csv_layout layout = { .timestamp_col = NO_COLUMN };
    csv_points points = { 0 };
    kairos__c_locale locale;
    kairos__c_locale_enter(&locale);   /* once per parse: strtod() then reads '.' */
    rc = read_points(&r, &req, &layout, &points);
    kairos__c_locale_leave(&locale);
    kairos_buf_dispose(&r.store);
    free(r.fields);
    if (rc == KAIROS_OK)
        return kairos__series_adopt(out, points.values, points.timestamps, points.n, layout.name);
    free(points.values);
    free(points.timestamps);
    free(layout.name);
    return rc;
}

/* ---- Files -------------------------------------------------------------------------- */

static int io_failure(const char *what, const char *path, int err)
{
    char reason[128] = "unknown error";
    if (err)
        (void)strerror_r(err, reason, sizeof reason);
    return kairos__fail(KAIROS_EIO, "cannot %s %s: %s", what, path, reason);
}

static int read_stream(FILE *f, const char *shown, kairos_buf *text)
{
    char chunk[16384];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        int rc = kairos__buf_append(text, chunk, n);
        if (rc)
            return rc;
    }
    return ferror(f) ? io_failure("read", shown, errno) : KAIROS_OK;
}

int kairos_series_read_csv(kairos_series **out, const char *path, const kairos_csv_opts *opts)
{
    if (!out)
        return kairos__fail(KAIROS_EINVAL, "kairos_series_read_csv: out is NULL");
    *out = NULL;
    if (!path)
        return kairos__fail(KAIROS_EINVAL, "kairos_series_read_csv: path is NULL");
    bool from_stdin = strcmp(path, "-") == 0;
    char shown[KAIROS__EXCERPT_SIZE + 2] = "standard input";
    if (!from_stdin) {
        char name[KAIROS__EXCERPT_SIZE];
        kairos__excerpt(path, strlen(path), name, sizeof name);
        snprintf(shown, sizeof shown, "'%s'", name);
    }
    errno = 0;
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return io_failure("open", shown, errno);
    kairos_buf text = KAIROS_BUF_INIT;
    errno = 0;
    int rc = read_stream(f, shown, &text);
    if (!from_stdin)
        fclose(f);
    if (rc == KAIROS_OK)
        rc = kairos_series_parse_csv(out, text.data ? text.data : "", text.len, opts);
    kairos_buf_dispose(&text);
    return rc;
}
