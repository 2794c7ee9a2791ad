package io.wagate.cli.connection;

import java.util.Locale;

/**
 * Where Wagate listens: {@code host:port} ({@code [::1]:7400} for IPv6 literals), or
 * {@code in-process:NAME}, which only a test's {@link ChannelFactory} can open.
 *
 * @param host host name or address, without brackets; null for in-process targets
 * @param port 1..65535; 0 for in-process targets
 * @param inProcessName the in-process server name, or null
 */
public record Target(String host, int port, String inProcessName) {

  /** Prefix of in-process targets. */
  public static final String IN_PROCESS_PREFIX = "in-process:";

  /**
   * Parses a target.
   *
   * @throws IllegalArgumentException if it is neither {@code host:port} nor {@code in-process:NAME}
   */
  public static Target parse(String text) {
    if (text.startsWith(IN_PROCESS_PREFIX)) {
      String name = text.substring(IN_PROCESS_PREFIX.length());
      if (name.isEmpty()) {
        throw new IllegalArgumentException("expected in-process:NAME, got '" + text + "'");
      }
      return new Target(null, 0, name);
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw invalid(text);
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("put IPv6 addresses in brackets, for example [::1]:7400; got '" + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw invalid(text);
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw invalid(text);
    }
    return new Target(host, port, null);
  }

  /** True for {@code in-process:NAME} targets. */
  public boolean isInProcess() {
    return inProcessName != null;
  }

  /**
   * True when the host is a loopback name or address, where plaintext is the default. No DNS
   * lookup: only {@code localhost}, {@code 127.0.0.0/8} and {@code ::1} count.
   */
  public boolean isLoopback() {
    if (isInProcess()) {
      return true;
    }
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
  }

  @Override
  public String toString() {
    if (isInProcess()) {
      return IN_PROCESS_PREFIX + inProcessName;
    }
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("expected HOST:PORT (for example 127.0.0.1:7400), got '" + text + "'");
  }
}
