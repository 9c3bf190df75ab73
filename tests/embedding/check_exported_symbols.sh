#!/bin/sh
# Every symbol libfascia.so exports is fascia's own (engine/libfascia.map):
# the C API (fascia_*) or namespace fascia, never std:: or boost:: code.
# Usage: check_exported_symbols.sh LIBRARY
set -eu
library=$1
symbols=$(nm -D --defined-only "$library" | awk '{print $3}')
[ -n "$symbols" ] || { echo "no exported symbols in $library"; exit 1; }
foreign=$(printf '%s\n' "$symbols" | c++filt |
  grep -Ev '^(fascia_[a-z_0-9]+|fascia::.*|(typeinfo|typeinfo name|vtable|VTT) for fascia::.*|FASCIA_[0-9.]+)$' || true)
if [ -n "$foreign" ]; then
  echo "libfascia.so exports symbols that are not fascia's:"
  printf '%s\n' "$foreign"
  exit 1
fi
echo "$(printf '%s\n' "$symbols" | wc -l) exported symbols, all fascia's"
