#!/usr/bin/env bash
# Migrations are history: once a migration has landed it is never edited, only followed by a new one.
# This holds every file under Sources/TongdaoStore/Migrations/NNN/ to the digest recorded in
# scripts/migrations.sha256, so an edited, removed or unrecorded migration fails CI.
#
#   scripts/check-migrations.sh            check (CI)
#   scripts/check-migrations.sh --record   append the digests of new migration folders (never rewrites a recorded one)
set -euo pipefail
cd "$(dirname "$0")/.."
recorded=scripts/migrations.sha256
current=$(find Sources/TongdaoStore/Migrations -mindepth 2 -type f -path '*/[0-9][0-9][0-9]/*' | LC_ALL=C sort | xargs sha256sum)

if [ "${1:-}" = "--record" ]; then
  touch "$recorded"
  while read -r digest file; do
    grep -q "  $file\$" "$recorded" || { echo "$digest  $file" >> "$recorded"; echo "recorded $file"; }
  done <<< "$current"
  exit 0
fi

status=0
# Every recorded migration is still there, byte for byte.
if ! sha256sum --check --quiet --strict "$recorded"; then
  echo "A landed migration was edited or removed (above). Migrations are history: revert the edit and add a new migration instead." >&2
  status=1
fi
# Every migration that exists is recorded.
while read -r _ file; do
  if ! grep -q "  $file\$" "$recorded"; then
    echo "$file is not recorded: run scripts/check-migrations.sh --record in the commit that adds it." >&2
    status=1
  fi
done <<< "$current"
[ "$status" = 0 ] && echo "migrations: $(wc -l < "$recorded") files match their recorded digests"
exit "$status"
