#!/bin/sh
# skaffold's build command for a function's image (skaffold.yaml: `custom.buildCommand`): the one Dockerfile with
# FUNCTION=<function>, tagged as skaffold asks ($IMAGE), pushed when it asks ($PUSH_IMAGE). A custom build rather
# than skaffold's docker builder so that the artifact can list exactly its inputs (dev/deploy/image-inputs.ts).
set -eu
function_name=$1
docker build --build-arg "FUNCTION=${function_name}" --tag "$IMAGE" "${BUILD_CONTEXT:-.}"
if [ "${PUSH_IMAGE:-false}" = true ]; then
  docker push "$IMAGE"
fi
