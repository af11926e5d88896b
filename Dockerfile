# syntax=docker/dockerfile:1
# lanes in a small image:
#   docker build -t lanes .
#   docker run --rm -v "$PWD:/repo" lanes lint /repo
#   docker run --rm -v "$PWD:/repo" lanes lint --staged          # WORKDIR is /repo
# Built and pushed by .github/workflows/release.yml on tags v* (not built on the dev machines,
# which have no Docker).

FROM rust:slim AS build
WORKDIR /src
COPY . .
# --locked: exactly the dependency versions of Cargo.lock. zlib is linked statically
# (libz-sys "static" via lanes_git), so the binary needs only libc and libgcc_s.
RUN cargo build --release --locked -p lanes-cli \
 && cp target/release/lanes /lanes \
 && printf '[safe]\n\tdirectory = *\n' > /gitconfig

# distroless/cc: glibc, libgcc_s and CA certificates, no shell, runs as root by default.
FROM gcr.io/distroless/cc-debian12
COPY --from=build /lanes /usr/local/bin/lanes
# The mounted repository belongs to the host user, not the container's: without this, the git
# modes (--staged, --rev, diff) refuse it as git does ("not owned by current user").
COPY --from=build /gitconfig /etc/gitconfig
WORKDIR /repo
ENTRYPOINT ["lanes"]
CMD ["lint", "/repo"]
