/* Readers for the reference files in tests/data/seasonal (made by make_refs.R there), shared
 * by test_seasonal.c and test_ets.c. Header-only: each test includes it once. */
#ifndef KAIROS_TEST_SEASONAL_DATA_H
#define KAIROS_TEST_SEASONAL_DATA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* tests/data/seasonal/<name>: from $KAIROS_SEASONAL_DATA, else relative to this source file
 * (meson compiles it by a path relative to the build directory, so try a few levels up). */
static inline FILE *open_seasonal_data(const char *name)
{
    char dir[1024], path[1400];
    const char *env = getenv("KAIROS_SEASONAL_DATA");
    if (env) {
        snprintf(path, sizeof path, "%s/%s", env, name);
        FILE *f = fopen(path, "r");
        if (f)
            return f;
    }
    snprintf(dir, sizeof dir, "%s", __FILE__);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    const char *ups[] = { "", "../", "../../", "../../../" };
    for (size_t i = 0; i < sizeof ups / sizeof ups[0]; i++) {
        if (dir[0] == '/' && i > 0)
            break;
        snprintf(path, sizeof path, "%s%s/../data/seasonal/%s", ups[i], dir, name);
        FILE *f = fopen(path, "r");
        if (f)
            return f;
    }
    return NULL;
}

/* A numeric CSV with a header line: columns[c][row]. */
typedef struct ref_table {
    size_t  rows, cols;
    double *data;    /* cols × rows, column-major */
} ref_table;

static inline const double *ref_col(const ref_table *t, size_t c)
{
    return t->data + c * t->rows;
}

/* One line (without the newline) into buf; false at end of file. */
static inline int read_line(FILE *f, char **buf, size_t *cap)
{
    size_t len = 0;
    int ch;
    while ((ch = fgetc(f)) != EOF && ch != '\n') {
        if (len + 2 > *cap) {
            size_t ncap = *cap ? 2 * *cap : 4096;
            char *grown = realloc(*buf, ncap);
            if (!grown)
                return 0;
            *buf = grown;
            *cap = ncap;
        }
        (*buf)[len++] = (char)ch;
    }
    if (ch == EOF && len == 0)
        return 0;
    if (!*buf)
        return 0;
    (*buf)[len] = '\0';
    return 1;
}

/* Comma-separated numbers of one line after skipping @p skip fields; returns the count. */
static inline size_t parse_numbers(const char *line, size_t skip, double *out, size_t max)
{
    const char *p = line;
    for (size_t i = 0; i < skip && p; i++) {
        p = strchr(p, ',');
        if (p)
            p++;
    }
    size_t k = 0;
    while (p && *p && k < max) {
        out[k++] = strtod(p, NULL);
        p = strchr(p, ',');
        if (p)
            p++;
    }
    return k;
}

static inline int load_table(const char *name, ref_table *t)
{
    FILE *f = open_seasonal_data(name);
    if (!f)
        return 0;
    char *line = NULL;
    size_t cap = 0, rows = 0, cols = 1, allocated = 0;
    double *rowbuf = NULL, *data = NULL;
    int ok = read_line(f, &line, &cap);
    for (const char *p = line; ok && *p; p++)
        cols += *p == ',';
    rowbuf = malloc(cols * sizeof *rowbuf);
    double *tmp = NULL;   /* row-major while reading */
    while (ok && rowbuf && read_line(f, &line, &cap)) {
        if (!*line)
            continue;
        if (rows == allocated) {
            allocated = allocated ? 2 * allocated : 256;
            double *g = realloc(tmp, allocated * cols * sizeof *g);
            if (!g) {
                ok = 0;
                break;
            }
            tmp = g;
        }
        if (parse_numbers(line, 0, tmp + rows * cols, cols) != cols)
            ok = 0;
        rows++;
    }
    fclose(f);
    if (ok && rows)
        data = malloc(rows * cols * sizeof *data);
    for (size_t r = 0; data && r < rows; r++)
        for (size_t c = 0; c < cols; c++)
            data[c * rows + r] = tmp[r * cols + c];
    free(tmp);
    free(rowbuf);
    free(line);
    t->rows = rows;
    t->cols = cols;
    t->data = data;
    return data != NULL;
}

static inline double max_abs_diff(const double *a, const double *b, size_t n)
{
    double worst = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = a[i] > b[i] ? a[i] - b[i] : b[i] - a[i];
        if (!(d <= worst))
            worst = d;   /* NaN propagates as the worst */
    }
    return worst;
}

#endif /* KAIROS_TEST_SEASONAL_DATA_H */
