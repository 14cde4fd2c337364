package dev.hotfix.operator;

/**
 * Bounds the free text the operator writes into status (message, timeline, conditions): it is
 * built partly from what users wrote (comments, reasons, many HotfixApprovals), and one status
 * must stay small enough for kubectl, etcd and the people reading it.
 */
final class StatusText {
  /** The most characters of one status text: 1 KiB. */
  static final int LIMIT = 1024;
  /** Enough for "... (N more characters)" with any N a String can have. */
  private static final int ROOM_FOR_THE_COUNT = 40;

  private StatusText() {
  }

  /** {@code text} itself when within {@link #LIMIT}, else its start and how much was left out. */
  static String bounded(String text) {
    if (text == null || text.length() <= LIMIT) {
      return text;
    }
    int keep = LIMIT - ROOM_FOR_THE_COUNT;
    // never split a surrogate pair
    if (Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    return text.substring(0, keep) + "... (" + (text.length() - keep) + " more characters)";
  }
}
