#!/bin/sh
# Regenerates the `go tool pprof -top` oracles for the filter tests (needs Go; run from this directory).
# Each file: <profile>.<sample_type>.<filter name>.txt for the fixtures in ../../../../../shared/fixtures.
set -eu
F=${FIXTURES:-../../../../../shared/fixtures}
run() { # profile sample_type unit name flags...
  p=$1; t=$2; u=$3; n=$4; shift 4
  go tool pprof -top -nodecount=1000000 -nodefraction=0 -edgefraction=0 -unit="$u" -sample_index="$t" "$@" "$F/$p.pb.gz" \
    > "$(basename "$p").$t.$n.txt"
}
for spec in "go-checkout/incident.cpu cpu ns ^crypto/sha256\." "go-checkout/recovery.allocs alloc_space B ^main\.cacheResult$"; do
  set -- $spec
  run "$1" "$2" "$3" focus "-focus=$4"
  run "$1" "$2" "$3" ignore '-ignore=mallocgc'
  run "$1" "$2" "$3" hide '-hide=^runtime\.'
  run "$1" "$2" "$3" show '-show=^(main|encoding/json)\.'
  run "$1" "$2" "$3" focus-ignore '-focus=json' '-ignore=^reflect\.'
  run "$1" "$2" "$3" focus-hide '-focus=json' '-hide=^runtime\.'
done
# 23k functions: only a focus that keeps the oracle small.
run public/pprof-large.cpu cpu ns focus '-focus=^math/rand\.'
run public/pprof-large.cpu cpu ns focus-ignore '-focus=^math/rand\.' '-ignore=Int63$'
