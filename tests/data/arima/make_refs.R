# Regenerates the extra ARIMA reference cases in this folder (the three original cases,
# airpassengers_log, lynx_log_ar2 and usaccdeaths, came from ../shared/reference/arima).
#
#   Rscript tests/data/arima/make_refs.R tests/data/arima tests/data/m4-hourly/Hourly-train.csv
#
# Needs R's forecast package (Debian: r-cran-forecast). The tests never run R.
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "."
m4 <- if (length(args) >= 2) args[2] else "tests/data/m4-hourly/Hourly-train.csv"

num <- function(x) {
  s <- formatC(x, digits = 10, format = "g")
  s[is.na(x)] <- "null"
  paste0("[", paste(trimws(s), collapse = ","), "]")
}
str <- function(x) paste0("[", paste0('"', x, '"', collapse = ","), "]")

write_case <- function(name, y, order, seasonal = c(0, 0, 0), period = 1,
                       include.mean = TRUE, include.drift = FALSE) {
  yts <- ts(as.numeric(y), frequency = period)
  t0 <- proc.time()[["elapsed"]]
  fit <- Arima(yts, order = order, seasonal = list(order = seasonal, period = period),
               include.mean = include.mean, include.drift = include.drift, method = "ML")
  secs <- proc.time()[["elapsed"]] - t0
  fc <- forecast(fit, h = 48, level = c(80, 95))
  d <- order[2] + seasonal[2]
  json <- paste0(
    '{"name":"', name, '","season":', period,
    ',"order":', num(order), ',"seasonal_order":', num(seasonal),
    ',"include_mean":', tolower(as.character(include.mean && d == 0)),
    ',"include_drift":', tolower(as.character(include.drift)),
    ',"coef_names":', str(names(coef(fit))), ',"coef":', num(unname(coef(fit))),
    ',"loglik":', formatC(fit$loglik, digits = 10, format = "g"),
    ',"sigma2":', formatC(fit$sigma2, digits = 10, format = "g"),
    ',"aicc":', formatC(fit$aicc, digits = 10, format = "g"),
    ',"nobs":', fit$nobs,
    ',"r_fit_seconds":', sprintf("%.4f", secs),
    ',"mean":', num(as.numeric(fc$mean)),
    ',"lo80":', num(as.numeric(fc$lower[, 1])), ',"hi80":', num(as.numeric(fc$upper[, 1])),
    ',"lo95":', num(as.numeric(fc$lower[, 2])), ',"hi95":', num(as.numeric(fc$upper[, 2])),
    '}')
  writeLines(json, file.path(out, paste0(name, ".json")))
  v <- as.numeric(y)
  writeLines(c("value", ifelse(is.na(v), "NA", formatC(v, digits = 15, format = "g"))),
             file.path(out, paste0(name, ".csv")))
  cat(name, "done in", secs, "s\n")
}

m4_series <- function(path, id) {
  lines <- readLines(path)
  row <- lines[grepl(paste0('^"', id, '"'), lines)]
  f <- strsplit(row, ",")[[1]][-1]
  f <- gsub('"', "", f)
  as.numeric(f[f != ""])
}

write_case("lh_ar3_mean", lh, c(3, 0, 0))
write_case("lakehuron_ma2_mean", LakeHuron, c(0, 0, 2))
write_case("presidents_ar1_missing", presidents, c(1, 0, 0))
write_case("presidents_arma11_missing", presidents, c(1, 0, 1))
write_case("wwwusage_arima111_drift", WWWusage, c(1, 1, 1), include.drift = TRUE)
write_case("austres_ar2_mean_drift", austres, c(2, 0, 0), include.drift = TRUE)
write_case("airpassengers_log_sar", log(AirPassengers), c(2, 1, 0), c(1, 1, 0), 12)
h1 <- m4_series(m4, "H1")
write_case("m4_h1_101_011_24", h1, c(1, 0, 1), c(0, 1, 1), 24)
h150 <- m4_series(m4, "H150")
write_case("m4_h150_100_011_24_drift", h150, c(1, 0, 0), c(0, 1, 1), 24, include.drift = TRUE)
h10 <- m4_series(m4, "H10")
write_case("m4_h10_011_011_48", h10, c(0, 1, 1), c(0, 1, 1), 48)

# Missing values with differencing (R keeps the differencing in the state).
ap <- log(AirPassengers); ap[c(5, 40, 41, 77, 100, 139)] <- NA
write_case("airpassengers_log_missing", ap, c(0, 1, 1), c(0, 1, 1), 12, include.mean = FALSE)
ww <- WWWusage; ww[c(1, 30, 31, 32, 70, 99)] <- NA
write_case("wwwusage_missing_drift", ww, c(1, 1, 1), include.drift = TRUE)
ud <- USAccDeaths; ud[c(1, 2, 20, 50, 72)] <- NA
write_case("usaccdeaths_missing", ud, c(0, 1, 1), c(0, 1, 1), 12)
ap <- log(AirPassengers); ap[c(40, 41, 100, 139)] <- NA
write_case("airpassengers_log_gaps", ap, c(1, 1, 0), c(0, 1, 1), 12, include.mean = FALSE)

# austres_ar2_mean_drift: R's own likelihood is inaccurate near the unit root where its ML
# fit stops; the test checks the exact values instead, which come from the dense covariance:
#   x <- as.numeric(austres); n <- length(x)
#   dense <- function(ar, mu, dr) {
#     e <- x - mu - dr * (1:n); rho <- ARMAacf(ar = ar, lag.max = n - 1)
#     g0 <- sum(c(1, ARMAtoMA(ar = ar, lag.max = 200000))^2)
#     R <- chol(toeplitz(rho) * g0); z <- backsolve(R, e, transpose = TRUE)
#     -0.5 * (n * log(2 * pi * sum(z^2) / n) + 2 * sum(log(diag(R))) + n) }
#   dense(c(1.980387401, -0.9833985687), 12940.35391, 52.18229682)   # -347.1859158
#   dense(c(1.582605, -0.596340), 12953.366251, 52.154001)           # -334.4111774

# auto_arima.txt: the model auto.arima chooses without approximations (d, D by its tests).
auto_cases <- list(airpassengers_log = log(AirPassengers), usaccdeaths = USAccDeaths,
                   lynx_log = log(lynx), wwwusage = WWWusage, lh = lh, lakehuron = LakeHuron,
                   austres = austres, presidents = presidents, ldeaths = ldeaths, nile = Nile,
                   co2_to_1970 = window(co2, end = c(1970, 12)), nottem = nottem)
for (nm in names(auto_cases)) {
  f <- auto.arima(auto_cases[[nm]], approximation = FALSE); a <- f$arma
  cat(nm, frequency(auto_cases[[nm]]), a[1], a[6], a[2], a[3], a[7], a[4],
      as.integer(any(names(coef(f)) %in% c("intercept", "drift"))), round(f$aicc, 4), "\n")
}
for (nm in c("ldeaths", "nile", "nottem")) {
  v <- as.numeric(auto_cases[[nm]])
  writeLines(c("value", formatC(v, digits = 15, format = "g")), file.path(out, paste0(nm, ".csv")))
}
v <- as.numeric(auto_cases[["co2_to_1970"]])
writeLines(c("value", formatC(v, digits = 15, format = "g")), file.path(out, "co2_to_1970.csv"))

# The approximation = TRUE section of auto_arima.txt: auto.arima's defaults on long series.
long_cases <- list(nottem = nottem, co2 = co2, sqrt_sunspot_year = sqrt(sunspot.year),
                   lakehuron_long = ts(c(LakeHuron, LakeHuron[1:60] + 0.5)))
for (nm in names(long_cases)) {
  f <- auto.arima(long_cases[[nm]]); a <- f$arma
  cat(nm, frequency(long_cases[[nm]]), a[1], a[6], a[2], a[3], a[7], a[4],
      as.integer(any(names(coef(f)) %in% c("intercept", "drift"))), round(f$aicc, 4), "\n")
  v <- as.numeric(long_cases[[nm]])
  writeLines(c("value", formatC(v, digits = 15, format = "g")), file.path(out, paste0(nm, ".csv")))
}
