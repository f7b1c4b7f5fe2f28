/* The cost model, plan pricing and the cost–risk table. Expected amounts are worked out by
 * hand from the documented formulas, never copied from the implementation's output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>
#include <kairos/kairos.h>

#define GI 1073741824.0

#define assert_near(a, b, tol) near_check((a), (b), (tol), __FILE__, __LINE__)
static void near_check(double a, double b, double tol, const char *file, int line)
{
    if (!(fabs(a - b) <= tol))
        fail_msg("%s:%d: %.17g is not within %g of %.17g", file, line, a, tol, b);
}

static kairos_cost_report report(void)
{
    kairos_cost_report r;
    memset(&r, 0, sizeof r);
    r.version = KAIROS_COST_REPORT_VERSION;
    return r;
}

static void model_init_gives_documented_defaults(void **state)
{
    (void)state;
    kairos_cost_model m;
    memset(&m, 0xff, sizeof m);
    assert_int_equal(kairos_cost_model_init(&m, KAIROS_COST_MODEL_VERSION), KAIROS_OK);
    assert_true(m.cpu_price == 0.04);
    assert_true(m.memory_price == 0.005);
    assert_true(m.hours_per_month == 730);
    assert_true(m.spot_share == 0 && m.spot_discount == 0);
    assert_null(m.currency);
    assert_int_equal(kairos_cost_model_init(&m, 0), KAIROS_EVERSION);
}

static void three_half_cpu_one_gib_replicas_cost_54_75_a_month(void **state)
{
    (void)state;
    kairos_cost_model m = KAIROS_COST_MODEL_INIT;
    double month;
    assert_int_equal(kairos_cost_monthly(&m, 0.5, 1 * GI, 3, &month), KAIROS_OK);
    /* 3 × (0.5 × 0.04 + 1 × 0.005) × 730 */
    assert_near(month, 54.75, 1e-9);
}

static void a_fourth_replica_adds_18_25(void **state)
{
    (void)state;
    kairos_cost_model m = KAIROS_COST_MODEL_INIT;
    size_t three[2] = { 3, 3 };
    kairos_cost_report r = report();
    assert_int_equal(kairos_cost_plan(&r, &m, 0.5, GI, three, 2, 3600, 4), KAIROS_OK);
    assert_near(r.plan_month, 54.75, 1e-9);
    assert_near(r.current_month, 73.0, 1e-9);
    assert_near(r.delta_vs_current, -18.25, 1e-9);
    assert_near(r.savings_vs_current, 18.25, 1e-9);
}

static void null_model_means_the_defaults(void **state)
{
    (void)state;
    double rate;
    assert_int_equal(kairos_cost_replica_hourly(NULL, 0.5, GI, &rate), KAIROS_OK);
    assert_near(rate, 0.025, 1e-15);
}

static void spot_discount_blends_by_the_spot_share(void **state)
{
    (void)state;
    kairos_cost_model m = KAIROS_COST_MODEL_INIT;
    m.spot_share = 0.5;
    m.spot_discount = 0.6;
    double rate;
    assert_int_equal(kairos_cost_replica_hourly(&m, 0.5, GI, &rate), KAIROS_OK);
    /* half at 0.025, half at 0.025 × 0.4 */
    assert_near(rate, 0.5 * 0.025 + 0.5 * 0.010, 1e-15);
}

static void explicit_spot_prices_replace_the_discount(void **state)
{
    (void)state;
    kairos_cost_model m = KAIROS_COST_MODEL_INIT;
    m.spot_share = 1.0;
    m.spot_cpu_price = 0.01;
    m.spot_memory_price = 0.001;
    double rate;
    assert_int_equal(kairos_cost_replica_hourly(&m, 2, 4 * GI, &rate), KAIROS_OK);
    assert_near(rate, 2 * 0.01 + 4 * 0.001, 1e-15);
    m.spot_discount = 0.3;
    assert_int_equal(kairos_cost_replica_hourly(&m, 2, 4 * GI, &rate), KAIROS_EINVAL);
    assert_non_null(strstr(kairos_last_error(), "not both"));
}

static void hours_per_month_scales_monthly_amounts(void **state)
{
    (void)state;
    kairos_cost_model m = KAIROS_COST_MODEL_INIT;
    m.hours_per_month = 720;
    double month;
    assert_int_equal(kairos_cost_monthly(&m, 1, 0, 1, &month), KAIROS_OK);
    assert_near(month, 0.04 * 720, 1e-12);
}

static void plan_costs_its_mean_replicas_over_a_month(void **state)
{
    (void)state;
    kairos_cost_model m = KAIROS_COST_MODEL_INIT;
    size_t plan[4] = { 2, 4, 4, 6 };   /* 30-minute steps: 2 hours, mean 4 replicas */
    kairos_cost_report r = report();
    assert_int_equal(kairos_cost_plan(&r, &m, 0.5, GI, plan, 4, 1800, 0), KAIROS_OK);
    assert_near(r.horizon_hours, 2, 1e-12);
    assert_near(r.replica_hours, 8, 1e-12);
    assert_near(r.mean_replicas, 4, 1e-12);
    assert_near(r.plan_horizon, 8 * 0.025, 1e-12);
    assert_near(r.plan_month, 4 * 0.025 * 730, 1e-9);
    assert_int_equal(r.peak_replicas, 6);
    assert_near(r.peak_month, 6 * 0.025 * 730, 1e-9);
    assert_near(r.delta_vs_peak, -2 * 0.025 * 730, 1e-9);
    assert_near(r.savings_vs_peak, 2 * 0.025 * 730, 1e-9);
}

static void unknown_current_allocation_gives_nan_deltas(void **state)
{
    (void)state;
    size_t plan[1] = { 2 };
    kairos_cost_report r = report();
    assert_int_equal(kairos_cost_plan(&r, NULL, 1, GI, plan, 1, 60, 0), KAIROS_OK);
    assert_true(isnan(r.current_month));
    assert_true(isnan(r.delta_vs_current));
    assert_true(isnan(r.savings_vs_current));
}

static void bad_prices_and_sizes_are_invalid(void **state)
{
    (void)state;
    kairos_cost_model m = KAIROS_COST_MODEL_INIT;
    double x;
    assert_int_equal(kairos_cost_replica_hourly(&m, -1, GI, &x), KAIROS_EINVAL);
    assert_int_equal(kairos_cost_replica_hourly(&m, 1, NAN, &x), KAIROS_EINVAL);
    m.hours_per_month = 0;
    assert_int_equal(kairos_cost_replica_hourly(&m, 1, GI, &x), KAIROS_EINVAL);
    m = (kairos_cost_model)KAIROS_COST_MODEL_INIT;
    m.spot_share = 1.5;
    assert_int_equal(kairos_cost_replica_hourly(&m, 1, GI, &x), KAIROS_EINVAL);
    m = (kairos_cost_model)KAIROS_COST_MODEL_INIT;
    m.cpu_price = -0.01;
    assert_int_equal(kairos_cost_replica_hourly(&m, 1, GI, &x), KAIROS_EINVAL);
    m = (kairos_cost_model)KAIROS_COST_MODEL_INIT;
    assert_int_equal(kairos_cost_monthly(&m, 1, GI, -2, &x), KAIROS_EINVAL);
    size_t plan[1] = { 1 };
    kairos_cost_report r = report();
    assert_int_equal(kairos_cost_plan(&r, &m, 1, GI, plan, 0, 60, 0), KAIROS_EINVAL);
    assert_int_equal(kairos_cost_plan(&r, &m, 1, GI, plan, 1, 0, 0), KAIROS_EINVAL);
    r.version = 0;
    assert_int_equal(kairos_cost_plan(&r, &m, 1, GI, plan, 1, 60, 0), KAIROS_EVERSION);
}

/* ---- cost–risk table ------------------------------------------------------------------ */

#define Z90 1.2815515655446004
#define Z95 1.6448536269514722
#define Z99 2.3263478740408408
#define Z80 0.8416212335729143

/* One hourly step forecast N(1000, 100²) given at levels 0.5, 0.8, 0.9, 0.95, 0.99. */
static const double levels5[5] = { 0.5, 0.8, 0.9, 0.95, 0.99 };
static const double mean1[1] = { 1000 };
static const double q5[5] = { 1000, 1000 + 100 * Z80, 1000 + 100 * Z90, 1000 + 100 * Z95,
                              1000 + 100 * Z99 };

static kairos_plan_forecast gaussian_forecast(void)
{
    kairos_plan_forecast fc = KAIROS_PLAN_FORECAST_INIT;
    fc.horizon = 1;
    fc.step_s = 3600;
    fc.mean = mean1;
    fc.levels = levels5;
    fc.n_quantiles = 5;
    fc.quantiles = q5;
    return fc;
}

static void risk_table_prices_a_plan_per_level(void **state)
{
    (void)state;
    kairos_plan_forecast fc = gaussian_forecast();
    kairos_plan_opts o = KAIROS_PLAN_OPTS_INIT;
    o.target_per_replica = 100;
    kairos_cost_risk_row rows[KAIROS_COST_RISK_DEFAULT_ROWS];
    assert_int_equal(kairos_cost_risk_table(rows, NULL, KAIROS_COST_RISK_DEFAULT_ROWS, &fc, &o,
                                            NULL, 0.5, GI),
                     KAIROS_OK);
    /* q: 1000, 1084.2, 1128.2, 1164.5, 1232.6 → ceil(q/100) replicas */
    size_t expect[5] = { 10, 11, 12, 12, 13 };
    for (size_t i = 0; i < 5; i++) {
        assert_true(rows[i].level == levels5[i]);
        assert_int_equal(rows[i].peak_replicas, expect[i]);
        assert_near(rows[i].month, (double)expect[i] * 0.025 * 730, 1e-9);
        double prev = i ? (double)expect[i - 1] * 0.025 * 730 : (double)expect[0] * 0.025 * 730;
        assert_near(rows[i].delta_month, (double)expect[i] * 0.025 * 730 - prev, 1e-9);
        /* P(X > replicas × 100) under N(1000, 100²) (exact in the normal tail above q0.99) */
        double c = (double)expect[i] * 100;
        if (c >= q5[4])
            assert_near(rows[i].max_p_shortfall, 0.5 * erfc((c - 1000) / 100 / sqrt(2.0)), 1e-9);
    }
    assert_near(rows[0].max_p_shortfall, 0.5, 1e-12);   /* capacity 1000 = the median */
}

static void risk_table_accepts_custom_levels_and_ignores_the_plan_risk(void **state)
{
    (void)state;
    kairos_plan_forecast fc = gaussian_forecast();
    kairos_plan_opts o = KAIROS_PLAN_OPTS_INIT;
    o.target_per_replica = 100;
    o.risk = 0.01;   /* each row sets its own level */
    double lv[2] = { 0.9, 0.5 };
    kairos_cost_risk_row rows[2];
    assert_int_equal(kairos_cost_risk_table(rows, lv, 2, &fc, &o, NULL, 1, 0), KAIROS_OK);
    assert_int_equal(rows[0].peak_replicas, 12);
    assert_int_equal(rows[1].peak_replicas, 10);
    assert_near(rows[1].delta_month, -2 * 0.04 * 730, 1e-9);
}

static void risk_table_refuses_a_wrong_row_count_for_the_defaults(void **state)
{
    (void)state;
    kairos_plan_forecast fc = gaussian_forecast();
    kairos_plan_opts o = KAIROS_PLAN_OPTS_INIT;
    o.target_per_replica = 100;
    kairos_cost_risk_row rows[3];
    assert_int_equal(kairos_cost_risk_table(rows, NULL, 3, &fc, &o, NULL, 1, GI), KAIROS_EINVAL);
    o.target_per_replica = 0;
    assert_int_equal(kairos_cost_risk_table(rows, levels5, 3, &fc, &o, NULL, 1, GI), KAIROS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(model_init_gives_documented_defaults),
        cmocka_unit_test(three_half_cpu_one_gib_replicas_cost_54_75_a_month),
        cmocka_unit_test(a_fourth_replica_adds_18_25),
        cmocka_unit_test(null_model_means_the_defaults),
        cmocka_unit_test(spot_discount_blends_by_the_spot_share),
        cmocka_unit_test(explicit_spot_prices_replace_the_discount),
        cmocka_unit_test(hours_per_month_scales_monthly_amounts),
        cmocka_unit_test(plan_costs_its_mean_replicas_over_a_month),
        cmocka_unit_test(unknown_current_allocation_gives_nan_deltas),
        cmocka_unit_test(bad_prices_and_sizes_are_invalid),
        cmocka_unit_test(risk_table_prices_a_plan_per_level),
        cmocka_unit_test(risk_table_accepts_custom_levels_and_ignores_the_plan_risk),
        cmocka_unit_test(risk_table_refuses_a_wrong_row_count_for_the_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
