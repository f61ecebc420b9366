#!/usr/bin/env bash
# Installs what the tests need and runs them all. This is the README's test command, and
# .ci/run calls exactly this script, so a missing install step fails in CI, not at a desk.
#
# Needs: Python 3.10+ with venv and pip. The browser and Word tests also need the programs
# chromium, soffice and pdftotext and the Carlito font (Debian packages chromium,
# libreoffice-writer, poppler-utils, fonts-crosextra-carlito): installed here when missing,
# as root or with sudo; otherwise the script says what to install and stops.
# Extra arguments go to pytest, e.g. `bash tests/run-all.sh -x tests/test_cli.py`.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# Calibri's metric twin: page counts of plan.docx as Word would lay them out.
fc-list 2>/dev/null | grep -qi carlito || need+=(fonts-crosextra-carlito)
if [ "${#need[@]}" -gt 0 ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "Voor de tests zijn nodig: ${need[*]} (chromium, soffice, pdftotext, Carlito)." >&2
        echo "Dit systeem heeft geen apt-get: installeer ze met de pakketbeheerder van uw systeem" >&2
        echo "en start dit script opnieuw." >&2
        exit 1
    fi
    if [ "$(id -u)" -eq 0 ]; then
        sudo=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo=(sudo)
    else
        echo "Voor de tests zijn de Debian-pakketten nodig: ${need[*]}." >&2
        echo "Installeer ze als beheerder en start dit script opnieuw:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need[*]}" >&2
        exit 1
    fi
    echo "Debian-pakketten installeren: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e '.[test]'

echo "ruff, mypy en de importregels (import-linter):"
.venv/bin/ruff check wizard tests bench
.venv/bin/mypy wizard
.venv/bin/lint-imports --no-cache
# The committed questionnaire must match what the generator makes of the template now.
.venv/bin/zelfscan generate questionnaires/bron/plan-van-aanpak.txt --check

.venv/bin/python -m pytest "$@"
