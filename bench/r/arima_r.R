# R's side of the ARIMA benchmark, for same-run ratios with bench/bench_arima.
#
#   Rscript bench/r/arima_r.R fixed tests/data/m4-hourly/Hourly-train.csv 40
#   Rscript bench/r/arima_r.R auto  tests/data/m4-hourly/Hourly-train.csv 40
#
# "fixed" fits Arima(order = c(1,0,1), seasonal = c(0,1,1), method = "ML") to the first N
# series; "auto" runs auto.arima with its defaults on a fixed sample of N series spread evenly
# over the 414 (round(seq(1, 414, length.out = N)): R takes seconds to minutes per hourly
# series). One line per series: id, seconds, then the coefficients (fixed) or the chosen
# model (auto); a last line gives the median and mean seconds.
# Needs Debian's r-cran-forecast; nothing in the test suite runs R.
suppressMessages(library(forecast))
args <- commandArgs(TRUE)
if (length(args) != 3) stop("usage: arima_r.R fixed|auto TRAIN.csv N")
mode <- args[1]; lines <- readLines(args[2])[-1]; n <- as.integer(args[3])
rows <- if (mode == "fixed") seq_len(n) else round(seq(1, length(lines), length.out = n))
seconds <- numeric(0)
for (i in rows) {
  f <- gsub('"', "", strsplit(lines[i], ",")[[1]])
  y <- ts(as.numeric(f[-1][f[-1] != ""]), frequency = 24)
  t <- system.time(fit <- if (mode == "fixed")
    Arima(y, order = c(1, 0, 1), seasonal = c(0, 1, 1), method = "ML")
  else auto.arima(y))[["elapsed"]]
  seconds <- c(seconds, t)
  cat(f[1], sprintf("%.3f", t),
      if (mode == "fixed") sprintf("%.6f", coef(fit)) else arimaorder(fit), "\n")
}
cat("median", sprintf("%.3f", median(seconds)), "mean", sprintf("%.3f", mean(seconds)), "\n")
