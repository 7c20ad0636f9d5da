# Reference key-driver regressions computed with R's survey package (cxbench tests only).
#
# Usage: Rscript survey_regression.R <input.csv> <output.csv>
#
# Input (written by r_panel.py): columns g (design code: market x year), s (sector code,
# integer), o (organisation code), w (weight), y (NPS score), x1..xk (the aspect grades of the
# model, complete cases only: no missing values), numbers written with %.17g. For every design g:
#
#   des <- svydesign(ids = ~o, weights = ~w, data = rows)
#   fit <- svyglm(y ~ x1 + ... + xk, dom)      # dom = des (sector code -1, "ALL"), and
#                                             #   subset(des, s == sc) for every sector sc
#   summary(fit)$coefficients                 # coefficient, se, p-value (t on fit$df.residual)
#   coef(fit)[xj] * sqrt(svyvar(~xj, dom)) / sqrt(svyvar(~y, dom))   # importance
#   svymean(~xj, dom)                         # mean grade and its se
#
# Output: one row per design, sector and aspect j: g, s, j, coefficient, se, p, df, importance,
# mean, mean_se (sprintf("%.17g"), NA as "NA"). An aliased aspect (coefficient NA in R) has NA
# coefficient, se, p and importance; p is NA where summary.svyglm gives NaN (df <= 0);
# importance is NA where a variance is 0.
#
# A design with a single organisation: svydesign() stops ("Design has only one primary sampling
# unit"). For such a design (and only on exactly that error) the coefficients are lm()'s weighted
# least squares, svyglm's point estimates, the means are weighted means, importance uses the
# weighted variances, and every se, p and df is NA. Exit status 3: survey is not installed.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2L) {
  message("usage: Rscript survey_regression.R <input.csv> <output.csv>")
  quit(status = 2L)
}
if (!requireNamespace("survey", quietly = TRUE)) {
  message("cxbench-reference: the R package 'survey' is not installed")
  quit(status = 3L)
}
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")

d <- utils::read.csv(args[[1L]], header = TRUE, stringsAsFactors = FALSE)
aspects <- grep("^x[0-9]+$", names(d), value = TRUE)
fml <- stats::as.formula(paste("y ~", paste(aspects, collapse = " + ")))
single_psu_message <- "Design has only one primary sampling unit"

weighted_variance <- function(v, w) {
  m <- sum(w * v) / sum(w)
  sum(w * (v - m)^2) / sum(w)
}

ratio_or_na <- function(numerator, denominator) {
  r <- numerator / denominator
  if (is.finite(r)) r else NA_real_
}

fit_domain <- function(dom, rows) {
  # dom: a survey design (or NULL for a single-organisation design); rows: the domain's rows.
  if (is.null(dom)) {
    fit <- stats::lm(fml, data = rows, weights = w)
    est <- coef(fit)
    table <- NULL
    df <- NA_real_
  } else {
    fit <- svyglm(fml, dom)
    est <- coef(fit)
    table <- summary(fit)$coefficients
    df <- fit$df.residual
  }
  t(sapply(seq_along(aspects), function(j) {
    a <- aspects[[j]]
    # coef() of an svyglm leaves aliased coefficients out (lm gives them as NA)
    b <- if (a %in% names(est)) unname(est[[a]]) else NA_real_
    se <- NA_real_
    p <- NA_real_
    if (!is.na(b) && !is.null(table) && a %in% rownames(table)) {
      se <- unname(table[a, 2L])
      p <- unname(table[a, 4L])
      if (is.nan(p)) p <- NA_real_
    }
    if (is.null(dom)) {
      mean <- sum(rows$w * rows[[a]]) / sum(rows$w)
      mean_se <- NA_real_
      vx <- weighted_variance(rows[[a]], rows$w)
      vy <- weighted_variance(rows$y, rows$w)
    } else {
      m <- svymean(stats::as.formula(paste("~", a)), dom)
      mean <- unname(coef(m))
      mean_se <- unname(SE(m))
      vx <- unname(coef(svyvar(stats::as.formula(paste("~", a)), dom)))
      vy <- unname(coef(svyvar(~y, dom)))
    }
    importance <- if (is.na(b)) NA_real_ else ratio_or_na(b * sqrt(vx), sqrt(vy))
    c(j, b, se, p, if (is.na(b)) NA_real_ else df, importance, mean, mean_se)
  }))
}

one_design <- function(gd) {
  des <- tryCatch(
    svydesign(ids = ~o, weights = ~w, data = gd),
    error = function(e) {
      if (grepl(single_psu_message, conditionMessage(e), fixed = TRUE)) NULL else stop(e)
    }
  )
  sectors <- sort(unique(gd$s))
  parts <- lapply(sectors, function(sc) {
    dom <- if (is.null(des)) NULL else subset(des, s == sc)
    cbind(sc, fit_domain(dom, gd[gd$s == sc, , drop = FALSE]))
  })
  parts[[length(parts) + 1L]] <- cbind(-1, fit_domain(des, gd))
  cbind(gd$g[[1L]], do.call(rbind, parts))
}

res <- do.call(rbind, lapply(split(d, d$g), one_design))
out <- data.frame(
  g = sprintf("%d", as.integer(res[, 1L])),
  s = sprintf("%d", as.integer(res[, 2L])),
  j = sprintf("%d", as.integer(res[, 3L]))
)
columns <- c("coefficient", "se", "p", "df", "importance", "mean", "mean_se")
for (k in seq_along(columns)) {
  v <- res[, 3L + k]
  out[[columns[[k]]]] <- ifelse(is.na(v), "NA", sprintf("%.17g", v))
}
utils::write.csv(out, args[[2L]], row.names = FALSE, quote = FALSE)
