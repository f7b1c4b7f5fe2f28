#include "m4.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One line of "id","1.5","2",... with empty trailing cells; returns the number of values. */
static size_t parse_row(char *line, char *id, size_t id_size, double **out)
{
    size_t cap = 1024, n = 0;
    double *v = malloc(cap * sizeof *v);
    char *save = NULL;
    int first = 1;
    for (char *tok = strtok_r(line, ",\r\n", &save); tok; tok = strtok_r(NULL, ",\r\n", &save)) {
        if (*tok == '"')
            tok++;
        char *q = strchr(tok, '"');
        if (q)
            *q = '\0';
        if (first) {
            snprintf(id, id_size, "%s", tok);
            first = 0;
            continue;
        }
        if (!*tok)
            break;
        if (n == cap)
            v = realloc(v, (cap *= 2) * sizeof *v);
        v[n++] = strtod(tok, NULL);
    }
    *out = v;
    return n;
}

static int read_file(const char *path, m4_set *set, int is_test)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    static char line[1 << 20];
    size_t row = 0;
    if (!fgets(line, sizeof line, f)) {   /* header */
        fclose(f);
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        if (!is_test) {
            set->series = realloc(set->series, (row + 1) * sizeof *set->series);
            memset(&set->series[row], 0, sizeof set->series[row]);
        } else if (row >= set->count) {
            break;
        }
        m4_series *s = &set->series[row];
        char id[16];
        double *v;
        size_t n = parse_row(line, id, sizeof id, &v);
        if (is_test) {
            s->test = v;
            s->n_test = n;
        } else {
            memcpy(s->id, id, sizeof id);
            s->train = v;
            s->n_train = n;
        }
        row++;
    }
    fclose(f);
    if (!is_test)
        set->count = row;
    return is_test && row != set->count ? -1 : 0;
}

int m4_load(m4_set *set, const char *train_path, const char *test_path)
{
    memset(set, 0, sizeof *set);
    return read_file(train_path, set, 0) || read_file(test_path, set, 1) ? -1 : 0;
}

void m4_free(m4_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        free(set->series[i].train);
        free(set->series[i].test);
    }
    free(set->series);
    memset(set, 0, sizeof *set);
}

double m4_smape(const double *y, const double *f, size_t h)
{
    double s = 0;
    for (size_t i = 0; i < h; i++)
        s += 2 * fabs(y[i] - f[i]) / (fabs(y[i]) + fabs(f[i]));
    return 100 * s / (double)h;
}

static double seasonal_scale(const double *train, size_t n, size_t m)
{
    double s = 0;
    for (size_t t = m; t < n; t++)
        s += fabs(train[t] - train[t - m]);
    return s / (double)(n - m);
}

double m4_mase(const double *train, size_t n, size_t m, const double *y, const double *f,
               size_t h)
{
    double e = 0;
    for (size_t i = 0; i < h; i++)
        e += fabs(y[i] - f[i]);
    return e / (double)h / seasonal_scale(train, n, m);
}

double m4_msis(const double *train, size_t n, size_t m, const double *y, const double *lo,
               const double *hi, size_t h, double alpha)
{
    double s = 0;
    for (size_t i = 0; i < h; i++) {
        s += hi[i] - lo[i];
        if (y[i] < lo[i])
            s += 2 / alpha * (lo[i] - y[i]);
        if (y[i] > hi[i])
            s += 2 / alpha * (y[i] - hi[i]);
    }
    return s / (double)h / seasonal_scale(train, n, m);
}
