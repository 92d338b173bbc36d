#!/bin/bash
# Four parallel 20-s solves of the Business Jam from a fresh, read-only copy of the package (no cache, HOME and
# XDG_CACHE_HOME in a temp folder); as root, without the capabilities that override permission bits.
set -u
SRC=$(cd "${1:-$(dirname "$0")/..}" && pwd)
T=$(mktemp -d /tmp/edges-ro.XXXX)
mkdir -p $T/site $T/home $T/cache
cp -r $SRC/tablejam $T/site/ && find $T/site -name __pycache__ -prune -exec rm -rf {} +
chmod -R a-w $T/site
PRIV=""; [ "$(id -u)" = 0 ] && PRIV="setpriv --bounding-set=-dac_override,-dac_read_search,-fowner"
start=$(date +%s.%N)
for k in 1 2 3 4; do
  (cd $T/home && env -u NUMBA_CACHE_DIR HOME=$T/home XDG_CACHE_HOME=$T/cache PYTHONPATH=$T/site PYTHONDONTWRITEBYTECODE=1 \
     nice -n 19 $PRIV python -m tablejam.cli solve $SRC/instances/business-jam.toml --format json --time-limit 20 --seed $k \
     > $T/out$k.json 2> $T/err$k.txt; echo $? > $T/rc$k) &
done
wait
echo "wall $(echo "$(date +%s.%N) - $start" | bc) s"
for k in 1 2 3 4; do
  echo -n "solve $k: exit $(cat $T/rc$k); "
  PYTHONPATH=$SRC python -c "
import json, sys
from tablejam.check import check
from tablejam.files import load_instance
from tablejam.models import Schedule
s = Schedule.model_validate(json.load(open('$T/out$k.json')))
r = check(load_instance('$SRC/instances/business-jam.toml'), s)
print(s.status, 'valid' if r.valid else 'INVALID', 'objective', s.objective, 'engine', s.solver.engine, 'first', s.solver.first_schedule_s)"
done
echo "cache: $(find $T/cache -name '*.nbi' | wc -l) index files, $(find $T/cache -name '*.nbc' | wc -l) compiled; in the package: $(find $T/site -name __pycache__ | wc -l) __pycache__"
chmod -R u+w $T/site; rm -rf $T
