# Reference domain means computed with R's survey package (cxbench tests only).
#
# Usage: Rscript survey_reference.R <input.csv> <output.csv>
#
# Input (written by r_survey.py): columns g (design-group code), s (sector code, integer),
# o (organisation code, integer), w (weight) and m1..mk (measures), numbers written with %.17g.
# For every design group g this script does exactly what docs/contract.md §6 prescribes:
#
#   des <- svydesign(ids = ~o, weights = ~w, data = group_rows)
#   svyby(~m1 + ... + mk, ~s, des, svymean)   # one row per sector
#   svymean(~m1 + ... + mk, des)              # sector code -1 = "ALL"
#
# Output: columns g, s, m1..mk, se1..sek, numbers written with sprintf("%.17g"), NA as "NA".
#
# Single-organisation design groups: survey 4.1-1's svydesign() itself stops with
# "Design has only one primary sampling unit" (whatever options(survey.lonely.psu) says),
# so no variance can be computed. For such a group (and only on exactly that error) the
# estimates are the weighted means sum(w * y) / sum(w) computed here with svymean's own
# arithmetic (pweights = 1 / (1 / w)), and every standard error is NA. Any other R error
# fails the whole run.
#
# Exit status 3 means the survey package is not installed.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2L) {
  message("usage: Rscript survey_reference.R <input.csv> <output.csv>")
  quit(status = 2L)
}
if (!requireNamespace("survey", quietly = TRUE)) {
  message("cxbench-reference: the R package 'survey' is not installed")
  quit(status = 3L)
}
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")  # the package default, stated explicitly

d <- utils::read.csv(args[[1L]], header = TRUE, stringsAsFactors = FALSE)
measures <- setdiff(names(d), c("g", "s", "o", "w"))
k <- length(measures)
fml <- stats::as.formula(paste("~", paste(measures, collapse = " + ")))
single_psu_message <- "Design has only one primary sampling unit"

# Weighted means with the arithmetic svymean uses (x * pweights, colSums, / sum(pweights)).
plain_means <- function(rows) {
  pw <- 1 / (1 / rows$w)
  x <- as.matrix(rows[, measures, drop = FALSE])
  colSums(x * pw) / sum(pw)
}

one_group <- function(gd) {
  des <- tryCatch(
    svydesign(ids = ~o, weights = ~w, data = gd),
    error = function(e) {
      if (grepl(single_psu_message, conditionMessage(e), fixed = TRUE)) NULL else stop(e)
    }
  )
  sectors <- sort(unique(gd$s))
  if (is.null(des)) {
    est <- do.call(rbind, c(
      lapply(sectors, function(sc) plain_means(gd[gd$s == sc, , drop = FALSE])),
      list(plain_means(gd))
    ))
    se <- matrix(NA_real_, nrow = nrow(est), ncol = k)
  } else {
    by <- svyby(fml, ~s, des, svymean)
    stopifnot(identical(as.numeric(by$s), as.numeric(sectors)))
    all <- svymean(fml, des)
    est <- rbind(as.matrix(by[, measures, drop = FALSE]), matrix(coef(all), nrow = 1L))
    se <- rbind(matrix(as.matrix(SE(by)), ncol = k), matrix(SE(all), nrow = 1L))
  }
  cbind(g = gd$g[[1L]], s = c(sectors, -1), unname(est), unname(se))
}

res <- do.call(rbind, lapply(split(d, d$g), one_group))
out <- data.frame(
  g = sprintf("%d", as.integer(res[, 1L])),
  s = sprintf("%d", as.integer(res[, 2L]))
)
cols <- c(measures, paste0("se", seq_len(k)))
for (j in seq_along(cols)) {
  v <- res[, 2L + j]
  out[[cols[[j]]]] <- ifelse(is.na(v), "NA", sprintf("%.17g", v))
}
utils::write.csv(out, args[[2L]], row.names = FALSE, quote = FALSE)
