# Reference year-over-year changes on the two-year design, computed with R's survey package
# (cxbench tests only).
#
# Usage: Rscript survey_changes.R <input.csv> <output.csv>
#
# Input (written by r_panel.py): columns g (two-year design code: market x item x later year),
# s (sector code, integer), t (0 = the earlier year, 1 = the later), o (organisation code),
# w (weight), y (the measure), numbers written with %.17g. For every design g this script does
# exactly what contract section 6 prescribes for a change:
#
#   des <- svydesign(ids = ~o, weights = ~w, data = two_years_rows)
#   b <- svyby(~y, ~s + t, des, svymean, covmat = TRUE)
#   svycontrast(b, <sector s in t = 1> - <sector s in t = 0>)     # every sector of both years
#   a <- svyby(~y, ~t, des, svymean, covmat = TRUE)
#   svycontrast(a, <t = 1> - <t = 0>)                              # sector code -1 = "ALL"
#
# Output: columns g, s, change, se (sprintf("%.17g"), NA as "NA").
#
# A two-year design with a single organisation: svydesign() stops with "Design has only one
# primary sampling unit" (survey 4.1-1, whatever options(survey.lonely.psu) says). For such a
# design (and only on exactly that error) the change is the difference of the weighted means
# sum(w * y) / sum(w), with svymean's arithmetic, and the se is NA. Any other R error fails the
# whole run. Exit status 3 means the survey package is not installed.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2L) {
  message("usage: Rscript survey_changes.R <input.csv> <output.csv>")
  quit(status = 2L)
}
if (!requireNamespace("survey", quietly = TRUE)) {
  message("cxbench-reference: the R package 'survey' is not installed")
  quit(status = 3L)
}
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")

d <- utils::read.csv(args[[1L]], header = TRUE, stringsAsFactors = FALSE)
single_psu_message <- "Design has only one primary sampling unit"

plain_mean <- function(rows) {
  pw <- 1 / (1 / rows$w)
  sum(rows$y * pw) / sum(pw)
}

contrast <- function(by, later, earlier) {
  weights <- numeric(nrow(by))
  weights[later] <- 1
  weights[earlier] <- -1
  x <- svycontrast(by, weights)
  c(unname(coef(x)), unname(SE(x)))
}

one_design <- function(gd) {
  des <- tryCatch(
    svydesign(ids = ~o, weights = ~w, data = gd),
    error = function(e) {
      if (grepl(single_psu_message, conditionMessage(e), fixed = TRUE)) NULL else stop(e)
    }
  )
  sectors <- sort(intersect(unique(gd$s[gd$t == 0]), unique(gd$s[gd$t == 1])))
  if (is.null(des)) {
    changes <- sapply(sectors, function(sc) {
      plain_mean(gd[gd$s == sc & gd$t == 1, ]) - plain_mean(gd[gd$s == sc & gd$t == 0, ])
    })
    total <- plain_mean(gd[gd$t == 1, ]) - plain_mean(gd[gd$t == 0, ])
    res <- cbind(c(sectors, -1), c(changes, total), NA_real_)
  } else {
    b <- svyby(~y, ~s + t, des, svymean, covmat = TRUE)
    rows <- lapply(sectors, function(sc) {
      c(sc, contrast(b, which(b$s == sc & b$t == 1), which(b$s == sc & b$t == 0)))
    })
    a <- svyby(~y, ~t, des, svymean, covmat = TRUE)
    rows[[length(rows) + 1L]] <- c(-1, contrast(a, which(a$t == 1), which(a$t == 0)))
    res <- do.call(rbind, rows)
  }
  cbind(g = gd$g[[1L]], res)
}

res <- do.call(rbind, lapply(split(d, d$g), one_design))
out <- data.frame(
  g = sprintf("%d", as.integer(res[, 1L])),
  s = sprintf("%d", as.integer(res[, 2L]))
)
for (j in 1:2) {
  v <- res[, 2L + j]
  out[[c("change", "se")[[j]]]] <- ifelse(is.na(v), "NA", sprintf("%.17g", v))
}
utils::write.csv(out, args[[2L]], row.names = FALSE, quote = FALSE)
