#!/usr/bin/env bash
# Every command's output on the shipped sites, into one folder, so that a change meant to
# keep behaviour (a move, a rename) can be shown byte-identical: run it before and after,
# then `diff -r BEFORE AFTER`.  Usage: bash bench/snapshot.sh OUTDIR
set -uo pipefail
out=${1:?usage: bench/snapshot.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")/.."
run() { # name, then the command; records stdout, stderr and the exit code
  local name=$1; shift
  "$@" >"$out/$name.out" 2>"$out/$name.err"; echo "$?" >"$out/$name.rc"
}
for f in sites/*.yaml; do
  s=$(basename "$f" .yaml)
  for fmt in $(python -c 'from audit.report import FORMATS; print(*FORMATS)'); do
    run "check-$s-$fmt" siteaudit check "$f" --format "$fmt" --color never
  done
  run "paths-$s" siteaudit paths "$f" --format json
  run "paths-$s-text" siteaudit paths "$f"
  run "graph-$s" siteaudit graph "$f" --format json --at "fri 19:00"
  # a local grid is exported placed somewhere (--origin): the shipped sites' is arbitrary
  (cd "$out" && run "geojson-$s" siteaudit geometry export "$OLDPWD/$f" --origin 0,0 -o "geojson-$s.geojson")
  run "validate-$s" siteaudit validate "$f"
done
run check-all siteaudit check sites --format json
run check-all-q siteaudit check sites -q
run diff siteaudit diff sites/karachi-police-office.yaml sites/karachi-police-office-remediated.yaml
run rules siteaudit rules
run rules-checks siteaudit rules --checks
run explain siteaudit explain SA-CP-001
run schema siteaudit schema
run schema-checklist siteaudit schema --kind checklist
run improve siteaudit improve sites/riverside-school.yaml --format json
run improve-text siteaudit improve sites/riverside-school.yaml
run version siteaudit --version
