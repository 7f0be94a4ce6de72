#!/usr/bin/env bash
# Quick start: set up, build the graph from corpus/, and open the app (http://localhost:8501).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
.venv/bin/kg build corpus
exec .venv/bin/kg app "$@"
