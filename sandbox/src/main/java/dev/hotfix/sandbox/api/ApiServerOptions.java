package dev.hotfix.sandbox.api;

/**
 * How to start an {@link ApiServer}.
 *
 * @param port the port on 127.0.0.1; 0 picks a free one
 * @param classpathCrds whether to install every CRD the build generated
 *     ({@code META-INF/fabric8/*-v1.yml} on the classpath)
 * @param watch bookmarks, the watch cache window and watch timeouts
 */
public record ApiServerOptions(int port, boolean classpathCrds, WatchSettings watch) {

  /** A free port, with the classpath CRDs and upstream's watch timing. */
  public static ApiServerOptions defaults() {
    return new ApiServerOptions(0, true, WatchSettings.defaults());
  }

  /** The same options on a fixed port. */
  public ApiServerOptions withPort(int newPort) {
    return new ApiServerOptions(newPort, classpathCrds, watch);
  }

  /** The same options without the classpath CRDs (an empty cluster but for the default namespace). */
  public ApiServerOptions withoutClasspathCrds() {
    return new ApiServerOptions(port, false, watch);
  }

  /** The same options with other watch timing (tests shorten it to see watches expire). */
  public ApiServerOptions withWatch(WatchSettings settings) {
    return new ApiServerOptions(port, classpathCrds, settings);
  }
}
