package dev.hotfix.sandbox.api;

/**
 * How to start an {@link ApiServer}.
 *
 * @param port the port on 127.0.0.1; 0 picks a free one
 * @param classpathCrds whether to install every CRD the build generated
 *     ({@code META-INF/fabric8/*-v1.yml} on the classpath)
 */
public record ApiServerOptions(int port, boolean classpathCrds) {

  /** A free port, with the classpath CRDs. */
  public static ApiServerOptions defaults() {
    return new ApiServerOptions(0, true);
  }

  /** The same options on a fixed port. */
  public ApiServerOptions withPort(int newPort) {
    return new ApiServerOptions(newPort, classpathCrds);
  }

  /** The same options without the classpath CRDs (an empty cluster but for the default namespace). */
  public ApiServerOptions withoutClasspathCrds() {
    return new ApiServerOptions(port, false);
  }
}
