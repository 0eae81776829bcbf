# Rollcall in a container: `docker build -t rollcall .`, then
#   docker run -p 8080:8080 -v rollcall-data:/data rollcall serve --demo
# Settings come from the environment (HOST, PORT, ROLLCALL_*) or `--config` (see the README).

# ---- build: every dependency, the TypeScript compiler, and the tools for better-sqlite3's addon ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 is a native addon: compiled here when no prebuilt binary fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# No install scripts yet (`prepare` builds, and the sources are not here); then the addon alone.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
RUN npm run build && npm prune --omit=dev

# ---- runtime: production dependencies (with the compiled addon), the build, a non-root user ----
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=8080 \
  ROLLCALL_DB=/data/rollcall.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
RUN mkdir -p /data && chown node:node /data
USER node
# The SQLite file (unused with ROLLCALL_DB=postgres://…).
VOLUME ["/data"]
EXPOSE 8080
# No curl in slim images: Node's own fetch asks /healthz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/rollcall.js"]
CMD ["serve"]
