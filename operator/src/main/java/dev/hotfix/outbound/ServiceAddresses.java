package dev.hotfix.outbound;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where an in-cluster Service name and port are reached: the cluster's DNS in production; the
 * sandbox maps every {@code <service>.<namespace>.svc:<port>} to its simulated app's loopback
 * listener instead (there is no cluster DNS on a laptop).
 */
@FunctionalInterface
public interface ServiceAddresses {

  /** The address and port that {@code host:port} is reached at. */
  InetSocketAddress resolve(String host, int port) throws UnknownHostException;

  /** The JVM's resolver (the cluster's DNS inside a pod), the port as given. */
  static ServiceAddresses dns() {
    return (host, port) -> new InetSocketAddress(InetAddress.getByName(host), port);
  }
}
