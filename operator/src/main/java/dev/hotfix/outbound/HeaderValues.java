package dev.hotfix.outbound;

/**
 * Header values taken from Secrets (tokens, passwords) must be one line of visible text: a line
 * break would let a Secret inject headers or a second request. A bad value is refused with a
 * message naming where it came from, never the value itself.
 */
public final class HeaderValues {
  private HeaderValues() {
  }

  /**
   * {@code value}, stripped of surrounding white space, if it holds no control character.
   *
   * @throws IllegalArgumentException naming the Secret and key, not the value
   */
  public static String fromSecret(String value, String secret, String key) {
    String v = value.strip();
    if (!isClean(v)) {
      throw new IllegalArgumentException("Secret " + secret + " key " + key + " holds a line break or another "
          + "control character, which cannot go into an HTTP header: store the value on one line");
    }
    return v;
  }

  /** The last line of defence when writing a request: the value is never repeated. */
  static String checked(String name, String value) {
    if (!isClean(value) || !name.matches("[A-Za-z0-9-]+")) {
      throw new OutboundFailure("header " + (name.matches("[A-Za-z0-9-]+") ? name : "name") + " holds a control "
          + "character");
    }
    return value;
  }

  private static boolean isClean(String value) {
    return value.chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7f);
  }
}
