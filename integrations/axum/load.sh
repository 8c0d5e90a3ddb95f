#!/usr/bin/env bash
# Bounded load test on loopback (24 s of load): wrk against the bills example's GET of one bill,
# with the subject cache warm and with it off, three 4-second runs each. Prints wrk's requests/s
# and p50/p99 latency per run. Not part of CI; numbers go into integrations/axum/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk > /dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build -q --release -p kisum-access-axum --example bills
bin=target/release/examples/bills
addr=127.0.0.1:3901
token=$("$bin" mint)
lscpu | grep 'Model name' | sed 's/  */ /g'
for entries in 10000 0; do
  BILLS_ADDR=$addr BILLS_CACHE_ENTRIES=$entries "$bin" > /dev/null &
  pid=$!
  trap 'kill $pid 2> /dev/null || true' EXIT
  sleep 1
  for run in 1 2 3; do
    out=$(wrk -t1 -c8 -d4s --latency -H "Authorization: Bearer $token" \
      "http://$addr/companies/acme/bills/3")
    rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
    p50=$(awk '$1 == "50%" {print $2}' <<< "$out")
    p99=$(awk '$1 == "99%" {print $2}' <<< "$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<< "$out")
    echo "cache_entries=$entries run=$run rps=$rps p50=$p50 p99=$p99 non2xx=${non2xx:-0}"
  done
  kill $pid
  wait $pid 2> /dev/null || true
done
