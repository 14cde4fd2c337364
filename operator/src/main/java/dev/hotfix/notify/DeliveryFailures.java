package dev.hotfix.notify;

import dev.hotfix.api.v1alpha1.Hotfix;

/** Where a failed notification attempt is made visible: the operator records a Warning Event on the Hotfix. */
@FunctionalInterface
public interface DeliveryFailures {
  /** Reason of the Warning Event recorded for a failed attempt. */
  String EVENT_REASON = "NotificationFailed";

  /**
   * @param hotfix the Hotfix the notification was about
   * @param message what failed, which attempt, and whether it will be retried
   */
  void failed(Hotfix hotfix, String message);
}
