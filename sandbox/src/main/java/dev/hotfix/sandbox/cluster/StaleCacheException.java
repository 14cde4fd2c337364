package dev.hotfix.sandbox.cluster;

/**
 * A sync found the API server ahead of its informer cache and must run again once the cache has
 * caught up; the work queue retries it after a short back-off.
 */
final class StaleCacheException extends RuntimeException {

  StaleCacheException(String message) {
    super(message, null, false, false);
  }
}
