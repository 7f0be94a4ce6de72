#!/usr/bin/env bash
# Set up an isolated environment in .venv with every dependency pinned (requirements.lock).
# Idempotent: a second run with unchanged pyproject.toml/requirements.lock only checks a stamp.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else 1)'; then
  echo "需要 Python 3.11 或更新版本（找到 $("$PY" --version 2>&1)）" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "→ 创建虚拟环境 .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.kg-setup-stamp
want=$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && .venv/bin/python -c 'import kg' 2>/dev/null; then
  exit 0
fi
echo "→ 安装依赖（固定版本，见 requirements.lock）"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
echo "$want" > "$stamp"
