#!/bin/sh
# Restore a TalentMatch backup into a NEW database; the live one is never touched.
#
#   deploy/backup/restore.sh talentmatch-….dump    postgresql://talentmatch@db/talentmatch_restored
#   deploy/backup/restore.sh talentmatch-….sqlite3 /srv/talentmatch/instance/restored.db
#
# PostgreSQL: TARGET is the URL of an empty database, created first, e.g.
#   createdb -O talentmatch talentmatch_restored
# pg_restore runs in one transaction and stops at the first error, so a failed restore
# leaves the target empty. SQLite: TARGET is a file that must not exist yet; the backup is
# integrity-checked, then copied there.
# Then point TALENTMATCH_DATABASE_URL at the restored database, run
# `flask --app wsgi db upgrade` (a backup from an older release is brought up to date), and
# start the app and the notification workers (README "Backups").
set -eu
if [ $# -ne 2 ]; then
  echo "usage: $0 BACKUP_FILE TARGET (a new database URL or a new SQLite file)" >&2
  exit 2
fi
backup=$1
target=$2
APP_DIR=${APP_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -f "$backup" ] || { echo "no backup file at $backup" >&2; exit 2; }

case "$target" in
  postgres*)
    # libpq's URL: no SQLAlchemy driver suffix (postgresql+psycopg:// -> postgresql://).
    url=$(printf '%s' "$target" | sed 's|^postgresql+[a-z0-9]*://|postgresql://|')
    pg_restore --exit-on-error --single-transaction --no-owner --no-privileges \
      --dbname "$url" "$backup"
    echo "restored $backup into $url"
    ;;
  *)
    if [ -e "$target" ] || [ -e "$target-wal" ]; then
      echo "$target exists: restore into a new file, then move it into place while the app is stopped" >&2
      exit 2
    fi
    "${PYTHON:-$APP_DIR/.venv/bin/python}" - "$backup" <<'PY'
import sqlite3, sys
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
result = con.execute("PRAGMA integrity_check").fetchone()[0]
if result != "ok":
    sys.exit(f"{sys.argv[1]} failed its integrity check: {result}")
PY
    cp -- "$backup" "$target.partial"
    mv -- "$target.partial" "$target"
    echo "restored $backup into $target"
    ;;
esac
