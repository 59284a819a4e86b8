#!/usr/bin/env bash
# buildah as the image scripts and the image test run it: the vfs storage driver, which needs no overlay mounts
# (none inside a container, nor on every filesystem), and one store for all of them (buildah's default, as root).
exec buildah --storage-driver vfs "$@"
