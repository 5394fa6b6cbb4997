#!/bin/sh
# Init step of the silo pods: puts the Chatterbox ONNX bundle BUNDLE_REPO@BUNDLE_REVISION into BUNDLE_DIR on the shared
# bundle volume, unless that revision is already there. Several silos may start at once: each downloads into its own
# folder and renames it into place, so a reader never sees half a bundle and the first complete copy wins.
set -eu

: "${BUNDLE_REPO:?}" "${BUNDLE_REVISION:?}" "${BUNDLE_DIR:?}" "${BUNDLE_INCLUDE:?}" "${HF_HUB_VERSION:?}" "${POD_NAME:?}"
marker="$BUNDLE_DIR/.sawt-revision"

if [ -f "$marker" ] && [ "$(cat "$marker")" = "$BUNDLE_REVISION" ]; then
  echo "bundle $BUNDLE_REPO@$BUNDLE_REVISION already in $BUNDLE_DIR"
  exit 0
fi

work="$BUNDLE_DIR.fetch-$POD_NAME"
rm -rf "$work" /tmp/hf
mkdir -p "$work"
# The pod runs as a non-root user without a home: the client library goes to /tmp, not site-packages.
pip install --quiet --no-cache-dir --disable-pip-version-check --target /tmp/hf "huggingface_hub==$HF_HUB_VERSION"
export PYTHONPATH=/tmp/hf HF_HOME=/tmp/hf-home BUNDLE_WORK="$work"
python - <<'PY'
import os
from huggingface_hub import snapshot_download

snapshot_download(
    repo_id=os.environ["BUNDLE_REPO"],
    revision=os.environ["BUNDLE_REVISION"],
    local_dir=os.environ["BUNDLE_WORK"],
    allow_patterns=os.environ["BUNDLE_INCLUDE"].split(),
    token=os.environ.get("HF_TOKEN") or None,
)
PY
rm -rf "$work/.cache"
echo "$BUNDLE_REVISION" > "$work/.sawt-revision"

# Another revision in place: move it aside first (a running silo keeps its open files).
if [ -d "$BUNDLE_DIR" ] && ! { [ -f "$marker" ] && [ "$(cat "$marker")" = "$BUNDLE_REVISION" ]; }; then
  mv -T "$BUNDLE_DIR" "$BUNDLE_DIR.replaced-$POD_NAME" || true
fi

# rename(2) onto a non-empty folder fails: then another pod finished first, and its copy is used.
if mv -T "$work" "$BUNDLE_DIR" 2>/dev/null; then
  rm -rf "$BUNDLE_DIR.replaced-$POD_NAME"
  echo "bundle $BUNDLE_REPO@$BUNDLE_REVISION fetched into $BUNDLE_DIR"
elif [ -f "$marker" ] && [ "$(cat "$marker")" = "$BUNDLE_REVISION" ]; then
  rm -rf "$work"
  echo "bundle $BUNDLE_REPO@$BUNDLE_REVISION fetched by another pod"
else
  echo "could not move $work to $BUNDLE_DIR" >&2
  exit 1
fi
