# One image per function: `docker build --build-arg FUNCTION=register .` (skaffold passes FUNCTION per module).
# The runtime image holds that function's bundle, its proto files if any, and only the native modules the
# bundle loads (listed in dist/<function>/package.json by `npm run build`): no sources, no dev dependencies.
# CI, where npm cannot run inside an image build, builds the same runtime stage from the host's dist/ instead
# (dev/image/Dockerfile.prebuilt, on a base made offline by dev/image/base-image.sh): keep the two in step.

FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Shared by every function's build (FUNCTION comes later). No install scripts: the bundler needs none, and
# sqlite3 (the embedded local stack's driver) is never compiled for an image.
RUN npm ci --ignore-scripts --no-audit --no-fund
# The fixes to dependencies (patches/, which package.json's postinstall applies): the bundles carry them.
COPY patches patches
RUN npx patch-package
COPY tsconfig.json ./
COPY dev/*.ts dev/
COPY shared shared
COPY events events
COPY proto proto
COPY functions functions
ARG FUNCTION
RUN test -n "$FUNCTION" || (echo 'build with --build-arg FUNCTION=<function>' >&2 && exit 1)
RUN npm run build -- "$FUNCTION"
WORKDIR /src/dist/$FUNCTION
RUN npm install --omit=dev --no-audit --no-fund --no-package-lock

FROM node:24-bookworm-slim
ARG FUNCTION
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=root:root /src/dist/$FUNCTION ./
# The unprivileged user of the node images (uid 1000); the Knative Services run it with runAsNonRoot.
USER node
EXPOSE 8080
CMD ["node", "index.js"]
