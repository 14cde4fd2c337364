# syntax=docker/dockerfile:1
# The operator's container image: `docker build -t <registry>/hotfix-operator:<version> .`
# (see docs/install.md). Two stages: Maven builds the operator module's executable jar (the api
# and operator modules only: the sandbox module's sources are not even in the context), a JRE-only
# image runs it as a fixed non-root user, so the chart's "restricted" pod security works unchanged.

FROM maven:3.8-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY api ./api
COPY operator ./operator
# the reactor reads every module's pom; -pl below builds only the operator and what it needs
COPY sandbox/pom.xml ./sandbox/pom.xml
# The cache mount keeps ~/.m2 between builds (BuildKit, the default builder since Docker 23).
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -pl operator -am package -Dmaven.test.skip=true

FROM eclipse-temurin:17-jre
# A named user for the fixed UID/GID the chart runs as (runAsUser/runAsGroup 10001).
RUN groupadd --gid 10001 hotfix \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin hotfix
# the image jar: the operator and the kubectl plugin (the operator module and its libraries)
COPY --from=build /src/target/hotfix-operator-image.jar /app/hotfix-operator.jar
USER 10001:10001
# /metrics, /healthz, /readyz; the admission webhook when --webhook-port 9443 is given.
EXPOSE 8080 8081 9443
ENTRYPOINT ["java", "-jar", "/app/hotfix-operator.jar"]
CMD ["run"]
