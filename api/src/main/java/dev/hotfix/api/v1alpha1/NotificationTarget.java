package dev.hotfix.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One place to send notifications to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotificationTarget {

  /** slack or webhook. */
  @Required
  @JsonPropertyDescription("slack (a Slack-compatible incoming webhook) or webhook (generic JSON POST).")
  public NotificationType type;

  /** Secret key holding the URL. */
  @Required
  @JsonPropertyDescription("The Secret key holding the webhook URL (URLs carry credentials, so they live in "
      + "Secrets; key defaults to url).")
  public SecretKeyRef urlSecretRef;
}
