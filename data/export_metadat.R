# Export the metadat example data sets used in the lessons to CSV.
#
# Run from the repository root:  Rscript data/export_metadat.R
# metadat (Viechtbauer et al.) is licensed GPL (>= 2); see data/README.md.
# Values are written with 15 significant digits (R's write.csv default), so
# the CSV files reproduce the metadat objects to rounding error.
library(metadat)

out <- function(x, file) {
  x <- as.data.frame(x)
  for (col in names(x)) attributes(x[[col]]) <- NULL  # drop escalc attributes
  write.csv(x, file.path("data", file), row.names = FALSE, na = "")
  cat("wrote", file.path("data", file), "(", nrow(x), "rows )\n")
}

k11 <- dat.konstantopoulos2011[, c("district", "school", "study", "year", "yi", "vi")]
out(k11, "konstantopoulos2011.csv")

out(dat.bcg[, c("trial", "author", "year", "tpos", "tneg", "cpos", "cneg", "ablat", "alloc")],
    "bcg.csv")

h98 <- dat.hackshaw1998
names(h98) <- sub(".", "_", names(h98), fixed = TRUE)  # or.lb -> or_lb (Python-friendly)
out(h98, "hackshaw1998.csv")

cat("metadat", as.character(packageVersion("metadat")), "\n")
