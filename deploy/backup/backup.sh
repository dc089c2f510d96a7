#!/bin/sh
# Back up TalentMatch's database into BACKUP_DIR and prune old backups (run nightly).
#
#   PostgreSQL: pg_dump's custom format (talentmatch-YYYYmmddTHHMMSSZ.dump)
#   SQLite:     sqlite3's online backup API (talentmatch-YYYYmmddTHHMMSSZ.sqlite3)
#
# Both through `flask --app wsgi db backup FILE`, safe while the app and workers run.
# Environment: TALENTMATCH_DATABASE_URL (as for the app), BACKUP_DIR (default
# /var/backups/talentmatch), KEEP_DAYS (default 14): backups older than this are deleted,
# but the newest KEEP_MIN (default 7) are always kept, so a stopped job never empties the
# directory. Backups hold personal data: the directory is private to the owner (umask 077).
set -eu
umask 077
APP_DIR=${APP_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BACKUP_DIR=${BACKUP_DIR:-/var/backups/talentmatch}
KEEP_DAYS=${KEEP_DAYS:-14}
KEEP_MIN=${KEEP_MIN:-7}

case "${TALENTMATCH_DATABASE_URL:-sqlite}" in
  postgres*) ext=dump ;;
  *) ext=sqlite3 ;;
esac
mkdir -p "$BACKUP_DIR"
file="$BACKUP_DIR/talentmatch-$(date -u +%Y%m%dT%H%M%SZ).$ext"

cd "$APP_DIR"
"${FLASK:-$APP_DIR/.venv/bin/flask}" --app wsgi db backup "$file"

# Retention: names sort by time; keep the newest KEEP_MIN, delete the rest past KEEP_DAYS.
ls -1 "$BACKUP_DIR"/talentmatch-*."$ext" 2>/dev/null | sort -r | tail -n +"$((KEEP_MIN + 1))" |
  while IFS= read -r old; do
    if [ -n "$(find "$old" -maxdepth 0 -mtime +"$KEEP_DAYS")" ]; then
      rm -f -- "$old" && echo "deleted $old (older than $KEEP_DAYS days)"
    fi
  done
# A backup cut short (power loss) leaves only a .partial file: never a backup, remove it.
find "$BACKUP_DIR" -maxdepth 1 -name 'talentmatch-*.partial' -mtime +1 -exec rm -f {} +
