#!/usr/bin/env bash
# The test suite needs R with the survey package (the statistics reference) and Chromium (browser
# tests), and Java 17 for the Spark engine's tests (pyspark runs Spark in a JVM). Install them
# from Debian's packages when missing; fail loudly when that is impossible.
set -euo pipefail

missing=()
command -v Rscript >/dev/null && Rscript -e 'quit(status = !requireNamespace("survey", quietly = TRUE))' >/dev/null 2>&1 \
  || missing+=(r-base-core r-cran-survey)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing system packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "error: ${missing[*]} missing and not root; install them with apt-get" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
