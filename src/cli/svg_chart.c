/* The chart of one workload as SVG, written by hand so the CLI needs no plotting library:
 * the recent history, the forecast mean inside its quantile fan, and the planned capacity
 * (replicas × target per replica) as a step line, on time and load axes with ticks, labels,
 * a legend and a title. Output is deterministic: coordinates are printed with one decimal
 * in the "C" locale, dates are computed from Unix seconds without the C library's time zone. */
#include "run.h"

#include <math.h>
#include <string.h>

enum {
    WIDTH = 960, HEIGHT = 460,
    PLOT_LEFT = 76, PLOT_RIGHT = WIDTH - 28, PLOT_TOP = 66, PLOT_BOTTOM = HEIGHT - 102
};

static const char *const COLOR_HISTORY = "#4d4d4d";
static const char *const COLOR_MEAN = "#1f77b4";
static const char *const COLOR_CAPACITY = "#d62728";
static const char *const COLOR_GRID = "#e6e6e6";

typedef struct frame {
    double t0, t1;          /* time range, Unix seconds */
    double y0, y1;          /* value range (axis ends, on ticks) */
    double y_step;          /* between y ticks */
} frame;

static double px(const frame *f, double t)
{
    return PLOT_LEFT + (t - f->t0) / (f->t1 - f->t0) * (PLOT_RIGHT - PLOT_LEFT);
}

static double py(const frame *f, double v)
{
    return PLOT_BOTTOM - (v - f->y0) / (f->y1 - f->y0) * (PLOT_BOTTOM - PLOT_TOP);
}

/* ---- ranges and ticks ------------------------------------------------------------------ */

static void widen(double *lo, double *hi, const double *x, size_t n)
{
    for (size_t i = 0; x && i < n; i++) {
        if (!isfinite(x[i]))
            continue;
        *lo = fmin(*lo, x[i]);
        *hi = fmax(*hi, x[i]);
    }
}

/* 1, 2, 2.5 or 5 times a power of ten: tick steps people read at a glance. */
static double nice_step(double range, int ticks)
{
    double raw = range / ticks;
    double magnitude = pow(10, floor(log10(raw)));
    double f = raw / magnitude;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return nice * magnitude;
}

static void value_range(const cli_chart *c, frame *f)
{
    /* Loads start the axis at 0 unless the data go below. The fan's lower edge does not
     * count: a Gaussian fan dips below zero for a load that never does, and the plot area
     * clips it. */
    double lo = 0, hi = -HUGE_VAL, ignored = 0;
    widen(&lo, &hi, c->history, c->n_history);
    widen(&lo, &hi, c->mean, c->horizon);
    widen(&ignored, &hi, c->outer_hi, c->horizon);
    widen(&ignored, &hi, c->inner_hi, c->horizon);
    widen(&lo, &hi, c->capacity, c->horizon);
    if (!(hi > lo))
        hi = lo + 1;
    f->y_step = nice_step((hi - lo) * 1.04, 6);
    f->y0 = floor(lo / f->y_step) * f->y_step;
    f->y1 = ceil(hi * 1.04 / f->y_step) * f->y_step;
}

/* Tick labels with as many decimals as the step needs: 1200, 2.5, 0.05, 12k, 3.5M. */
static void format_value(double v, double step, char *out, size_t size)
{
    double a = fabs(step);
    const char *suffix = "";
    if (a >= 1e6) {
        v /= 1e6, a /= 1e6, suffix = "M";
    } else if (a >= 1e4) {
        v /= 1e3, a /= 1e3, suffix = "k";
    }
    int decimals = 0;
    for (double scaled = a; decimals < 6 && fabs(scaled - round(scaled)) > 1e-6 * scaled;
         scaled *= 10)
        decimals++;
    snprintf(out, size, "%.*f%s", decimals, v + 0.0, suffix);
}

/* ---- time ------------------------------------------------------------------------------ */

typedef struct civil {
    int year, month, day, hour, minute, weekday;   /* weekday 0 = Monday */
} civil;

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm), so the
 * labels never depend on the process's time zone. */
static civil to_civil(int64_t t)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    civil c;
    c.hour = (int)(secs / 3600);
    c.minute = (int)(secs % 3600 / 60);
    c.weekday = (int)(((days % 7) + 7 + 3) % 7);   /* 1970-01-01 was a Thursday */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    c.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c.year = (int)(yoe + era * 400 + (c.month <= 2));
    return c;
}

static const char *const MONTHS[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const WEEKDAYS[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

/* The smallest interval that gives at most 10 ticks. */
static int64_t time_interval(double span)
{
    static const int64_t steps[] = { 60, 300, 900, 1800, 3600, 7200, 10800, 21600, 43200,
                                     86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400,
                                     91 * 86400, 364 * 86400 };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (span / (double)steps[i] <= 10)
            return steps[i];
    return (int64_t)ceil(span / 10 / 86400) * 86400;
}

/* First tick at or after t0: weeks start on Monday, everything else on a multiple of the
 * interval since the epoch (whole hours, whole days in UTC). */
static int64_t first_tick(double t0, int64_t interval)
{
    int64_t offset = interval % (7 * 86400) == 0 ? 4 * 86400 : 0;   /* epoch + 4 d: Monday */
    int64_t t = (int64_t)ceil(t0);
    int64_t r = ((t - offset) % interval + interval) % interval;
    return r ? t + (interval - r) : t;
}

static void time_tick(FILE *out, const frame *f, int64_t t, int64_t interval, bool first)
{
    double x = px(f, (double)t);
    civil c = to_civil(t);
    fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>\n", x,
            PLOT_TOP, x, PLOT_BOTTOM, COLOR_GRID);
    fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>\n", x,
            PLOT_BOTTOM, x, PLOT_BOTTOM + 5);
    fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x, PLOT_BOTTOM + 19);
    if (interval < 86400)
        fprintf(out, "%02d:%02d", c.hour, c.minute);
    else
        fprintf(out, "%s %d", MONTHS[c.month - 1], c.day);
    fputs("</text>\n", out);
    /* Below hourly labels, the date wherever a day starts (and at the first tick). */
    if (interval < 86400 && (first || (c.hour == 0 && c.minute == 0)))
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">"
                "%s %s %d</text>\n", x, PLOT_BOTTOM + 34, WEEKDAYS[c.weekday],
                MONTHS[c.month - 1], c.day);
}

static void time_axis(FILE *out, const frame *f)
{
    int64_t interval = time_interval(f->t1 - f->t0);
    bool first = true;
    for (int64_t t = first_tick(f->t0, interval); (double)t <= f->t1; t += interval) {
        time_tick(out, f, t, interval, first);
        first = false;
    }
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">time (UTC)"
            "</text>\n", (PLOT_LEFT + PLOT_RIGHT) / 2, PLOT_BOTTOM + 54);
}

static void value_axis(FILE *out, const frame *f, const char *unit)
{
    size_t n = (size_t)llround((f->y1 - f->y0) / f->y_step);
    for (size_t i = 0; i <= n; i++) {
        double v = f->y0 + (double)i * f->y_step;
        double y = py(f, v);
        char label[32];
        format_value(v, f->y_step, label, sizeof label);
        fprintf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                PLOT_LEFT, y, PLOT_RIGHT, y, i ? COLOR_GRID : "#333");
        fprintf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                PLOT_LEFT - 8, y + 4, label);
    }
    fprintf(out, "<text transform=\"translate(%d %d) rotate(-90)\" text-anchor=\"middle\" "
            "fill=\"#555\">", 18, (PLOT_TOP + PLOT_BOTTOM) / 2);
    run_put_html(out, unit);
    fputs("</text>\n", out);
    fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
            PLOT_LEFT, PLOT_TOP, PLOT_LEFT, PLOT_BOTTOM);
}

/* ---- series ---------------------------------------------------------------------------- */

/* A line through the finite points; a missing value starts a new segment. */
static void line(FILE *out, const frame *f, const int64_t *t, const double *v, size_t n,
                 const char *color, double width)
{
    fprintf(out, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"%g\" "
            "stroke-linejoin=\"round\" d=\"", color, width);
    bool pen_down = false;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i])) {
            pen_down = false;
            continue;
        }
        fprintf(out, "%s%.1f %.1f", pen_down ? " L" : (i ? " M" : "M"), px(f, (double)t[i]),
                py(f, v[i]));
        pen_down = true;
    }
    fputs("\"/>\n", out);
}

static void band(FILE *out, const frame *f, const cli_chart *c, const double *lo,
                 const double *hi, double opacity)
{
    if (!lo || !hi)
        return;
    fprintf(out, "<path fill=\"%s\" fill-opacity=\"%g\" stroke=\"none\" d=\"", COLOR_MEAN,
            opacity);
    for (size_t i = 0; i < c->horizon; i++)
        fprintf(out, "%s%.1f %.1f", i ? " L" : "M", px(f, (double)c->t[i]), py(f, hi[i]));
    for (size_t i = c->horizon; i-- > 0;)
        fprintf(out, " L%.1f %.1f", px(f, (double)c->t[i]), py(f, lo[i]));
    fputs(" Z\"/>\n", out);
}

/* Capacity holds for a whole step: a horizontal segment per step, vertical between. */
static void steps(FILE *out, const frame *f, const cli_chart *c)
{
    fprintf(out, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"", COLOR_CAPACITY);
    for (size_t i = 0; i < c->horizon; i++) {
        double x0 = px(f, (double)c->t[i]), y = py(f, c->capacity[i]);
        fprintf(out, i ? " V%.1f" : "M%.1f %.1f", i ? y : x0, y);
        fprintf(out, " H%.1f", px(f, (double)(c->t[i] + c->step_s)));
    }
    fputs("\"/>\n", out);
}

static void now_marker(FILE *out, const frame *f, const cli_chart *c)
{
    double x = px(f, (double)c->t[0]);
    fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\" "
            "stroke-dasharray=\"4 3\"/>\n", x, PLOT_TOP, x, PLOT_BOTTOM);
    fprintf(out, "<text x=\"%.1f\" y=\"%d\" fill=\"#555\">forecast \xe2\x86\x92</text>\n",
            x + 4, PLOT_TOP + 14);
}

/* ---- frame, legend, document ----------------------------------------------------------- */

static void legend_item(FILE *out, double *x, bool swatch, const char *color,
                        double opacity, const char *label)
{
    int y = HEIGHT - 22;
    if (swatch)
        fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"22\" height=\"12\" fill=\"%s\" "
                "fill-opacity=\"%g\"/>\n", *x, y - 10, color, opacity);
    else
        fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                "stroke-width=\"2.5\"/>\n", *x, y - 4, *x + 22, y - 4, color);
    fprintf(out, "<text x=\"%.1f\" y=\"%d\">", *x + 28, y);
    run_put_html(out, label);
    fputs("</text>\n", out);
    *x += 28 + 7.0 * (double)strlen(label) + 24;   /* about 7 px a character at 12 px */
}

static void legend(FILE *out, const cli_chart *c)
{
    double x = PLOT_LEFT;
    if (c->n_history)
        legend_item(out, &x, false, COLOR_HISTORY, 1, "history");
    legend_item(out, &x, false, COLOR_MEAN, 1, "forecast mean");
    if (c->outer_lo && c->outer_hi)
        legend_item(out, &x, true, COLOR_MEAN, 0.18, c->outer_label);
    if (c->inner_lo && c->inner_hi)
        legend_item(out, &x, true, COLOR_MEAN, 0.4, c->inner_label);
    if (c->capacity)
        legend_item(out, &x, false, COLOR_CAPACITY, 1, c->capacity_label);
}

static void heading(FILE *out, const cli_chart *c)
{
    fprintf(out, "<text x=\"%d\" y=\"26\" font-size=\"17\" font-weight=\"bold\">",
            PLOT_LEFT - 56);
    run_put_html(out, c->title);
    fprintf(out, "</text>\n<text x=\"%d\" y=\"46\" fill=\"#555\">", PLOT_LEFT - 56);
    run_put_html(out, c->subtitle);
    fputs("</text>\n", out);
}

static void plot(FILE *out, const frame *f, const cli_chart *c)
{
    fprintf(out, "<clipPath id=\"clip-%s\"><rect x=\"%d\" y=\"%d\" width=\"%d\" "
            "height=\"%d\"/></clipPath>\n<g clip-path=\"url(#clip-%s)\">\n", c->id, PLOT_LEFT,
            PLOT_TOP - 1, PLOT_RIGHT - PLOT_LEFT, PLOT_BOTTOM - PLOT_TOP + 2, c->id);
    band(out, f, c, c->outer_lo, c->outer_hi, 0.18);
    band(out, f, c, c->inner_lo, c->inner_hi, 0.4);
    if (c->n_history)
        line(out, f, c->history_t, c->history, c->n_history, COLOR_HISTORY, 1.3);
    line(out, f, c->t, c->mean, c->horizon, COLOR_MEAN, 2);
    if (c->capacity)
        steps(out, f, c);
    fputs("</g>\n", out);
    now_marker(out, f, c);
}

void cli_chart_svg(FILE *out, const cli_chart *c)
{
    frame f;
    f.t0 = (double)(c->n_history ? c->history_t[0] : c->t[0]);
    f.t1 = (double)(c->t[c->horizon - 1] + c->step_s);
    value_range(c, &f);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
            "font-size=\"12\" fill=\"#222\">\n", WIDTH, HEIGHT, WIDTH, HEIGHT);
    fprintf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", WIDTH, HEIGHT);
    heading(out, c);
    value_axis(out, &f, c->unit ? c->unit : "load");
    time_axis(out, &f);
    plot(out, &f, c);
    legend(out, c);
    fputs("</svg>\n", out);
}
