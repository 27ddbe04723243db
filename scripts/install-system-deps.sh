#!/usr/bin/env bash
# Debian packages Följa needs at run or test time. Each is installed only where missing, so a
# machine that has them (or a developer without root) is not touched.
set -euo pipefail
PKGS=(
  libpq5            # PostgreSQL client library (psycopg)
  postgresql        # PostgreSQL server binaries (initdb, pg_ctl): the database-restart test
                    # runs a throwaway cluster of its own
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core  # WeasyPrint PDFs
  liblouis-bin liblouis-data   # braille (.brf) with the Swedish tables
  espeak-ng                    # DAISY talking books: Swedish speech synthesis
  sox                          # checking synthesised audio in tests
  chromium                     # real browser for Playwright and axe-core tests
  gettext                      # compiling the English translation
)
# Node.js runs the real OpenID provider of the OIDC tests. A Node installed another way (with
# its own npm) is left alone: Debian's npm package would conflict with it.
command -v node >/dev/null || PKGS+=(nodejs)
command -v npm >/dev/null || PKGS+=(npm)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "Missing Debian packages (${missing[*]}) and no root: install them, then run again." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
