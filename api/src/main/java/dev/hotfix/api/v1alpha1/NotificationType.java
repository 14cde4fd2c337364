package dev.hotfix.api.v1alpha1;

/** Where a notification goes. */
public enum NotificationType {
  /** A Slack-compatible incoming webhook ({"text": ...}). */
  slack,
  /** A generic webhook receiving the Hotfix event as JSON. */
  webhook
}
