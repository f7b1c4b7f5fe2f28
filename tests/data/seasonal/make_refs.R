# Reference decompositions and ETS fits for tests/unit/test_seasonal.c and test_ets.c.
# Run from this directory:  Rscript make_refs.R
# Made with R (stats::stl) and forecast::mstl / forecast::ets; the version lines in
# versions.txt record which. Tests read only the files written here, never R.
suppressMessages(library(forecast))
options(digits = 17)

w <- function(df, file) write.csv(df, file, row.names = FALSE, quote = FALSE)
wnum <- function(x) format(x, digits = 17)

writeLines(c(R.version.string, paste("forecast", packageVersion("forecast"))), "versions.txt")

# --- STL on nottem (monthly air temperature at Nottingham, 1920-39, n = 240, m = 12) -----
stl_csv <- function(fit, y, file) {
  w(data.frame(y = as.numeric(y), seasonal = fit$time.series[, "seasonal"],
               trend = fit$time.series[, "trend"], remainder = fit$time.series[, "remainder"]),
    file)
}
stl_csv(stl(nottem, s.window = "periodic"), nottem, "stl_nottem_periodic.csv")
stl_csv(stl(nottem, s.window = 7), nottem, "stl_nottem_s7.csv")
stl_csv(stl(nottem, s.window = 13, robust = TRUE), nottem, "stl_nottem_s13_robust.csv")
# One robustness pass: R's median of |remainder| is exact here (see test_seasonal.c for why
# later passes can differ slightly).
stl_csv(stl(nottem, s.window = 13, inner = 1, outer = 1), nottem, "stl_nottem_s13_outer1.csv")
# co2 (monthly, n = 468): numeric window with a degree-1 seasonal fit and t.window given
stl_csv(stl(co2, s.window = 21, s.degree = 1, t.window = 25), co2, "stl_co2_s21_deg1_t25.csv")

# --- MSTL on a synthetic two-period series (periods 24 and 168, 5 weeks hourly) ---------
set.seed(20240501)
n <- 24 * 7 * 5
t <- 1:n
y <- 100 + 0.05 * t + 10 * sin(2 * pi * t / 24) + 4 * cos(4 * pi * t / 24) +
     6 * sin(2 * pi * t / 168) + rnorm(n, sd = 2)
fit <- mstl(msts(y, seasonal.periods = c(24, 168)))
w(data.frame(y = y, seasonal24 = as.numeric(fit[, "Seasonal24"]),
             seasonal168 = as.numeric(fit[, "Seasonal168"]),
             trend = as.numeric(fit[, "Trend"]), remainder = as.numeric(fit[, "Remainder"])),
  "mstl_synthetic_24_168.csv")

# --- ETS (additive error, "usual" bounds) ----------------------------------------------
# One block per fit: the series, R's estimated parameter vector, statistics, and the
# 24-step forecast with 80/95 % intervals.
ets_lines <- character(0)
add_fit <- function(label, y, fit) {
  fc <- forecast(fit, h = 24, level = c(80, 95))
  ets_lines <<- c(ets_lines,
    paste0("fit,", label, ",", sub("ETS\\((.),(.*),(.)\\)", "\\1\\2\\3", fit$method),
           ",", frequency(y)),
    paste(c("y", wnum(as.numeric(y))), collapse = ","),
    paste(c("par", wnum(fit$par)), collapse = ","),
    paste(c("stats", wnum(c(fit$loglik, fit$aic, fit$aicc, fit$bic, fit$sigma2))), collapse = ","),
    paste(c("mean", wnum(as.numeric(fc$mean))), collapse = ","),
    paste(c("lo80", wnum(as.numeric(fc$lower[, 1]))), collapse = ","),
    paste(c("hi80", wnum(as.numeric(fc$upper[, 1]))), collapse = ","),
    paste(c("lo95", wnum(as.numeric(fc$lower[, 2]))), collapse = ","),
    paste(c("hi95", wnum(as.numeric(fc$upper[, 2]))), collapse = ","))
}
ets_code <- function(y, code) {
  ets(y, model = sub("d", "", code), damped = grepl("d", code), bounds = "usual")
}
for (code in c("ANN", "AAN", "AAdN"))
  add_fit(paste0("WWWusage_", code), WWWusage, ets_code(WWWusage, code))
for (code in c("ANA", "AAA", "AAdA"))
  add_fit(paste0("USAccDeaths_", code), USAccDeaths, ets_code(USAccDeaths, code))
add_fit("Nile_ANN", Nile, ets_code(Nile, "ANN"))
# Automatic choice among the additive-error models (what model "ets" does).
add_fit("USAccDeaths_auto", USAccDeaths, ets(USAccDeaths, additive.only = TRUE, bounds = "usual"))
add_fit("WWWusage_auto", WWWusage, ets(WWWusage, additive.only = TRUE, bounds = "usual"))
add_fit("nottem_auto", nottem, ets(nottem, additive.only = TRUE, bounds = "usual"))
writeLines(ets_lines, "ets_refs.csv")
