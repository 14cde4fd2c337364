package dev.hotfix.api.v1alpha1;

/** Days of the week, as maintenance windows name them. */
public enum Weekday {
  Mon, Tue, Wed, Thu, Fri, Sat, Sun
}
