package dev.hotfix.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A kind of resource the sandbox serves: what discovery lists, what the router accepts and what
 * the OpenAPI documents describe. Built-in kinds come from {@link BuiltInResources}; custom ones
 * are read live from the stored CustomResourceDefinitions.
 *
 * @param group API group, "" for the core group
 * @param version API version
 * @param plural resource name in paths ({@code deployments})
 * @param kind object kind ({@code Deployment})
 * @param namespaced whether objects live in a namespace
 * @param verbs what discovery advertises
 * @param shortNames {@code kubectl} abbreviations ({@code deploy})
 * @param categories groups such as {@code all}
 * @param subresources {@code status}, {@code scale}
 * @param printerColumns the table columns of a custom resource; empty for built-in kinds
 * @param schema the OpenAPI v3 schema of a custom resource version; null means permissive
 */
public record ResourceType(String group, String version, String plural, String kind, boolean namespaced,
    List<String> verbs, List<String> shortNames, List<String> categories, Set<String> subresources,
    List<PrinterColumn> printerColumns, JsonNode schema) {

  /** The verbs of an ordinary stored resource. */
  public static final List<String> CRUD_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** {@code apps/v1}, or {@code v1} for the core group. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The lower-case singular name ({@code deployment}), as upstream derives it from the kind. */
  public String singular() {
    return kind.toLowerCase(Locale.ROOT);
  }

  /** {@code deployments.apps}, or {@code pods} for the core group: how upstream names a resource in messages. */
  public String qualifiedName() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** Whether the type stores objects (review kinds are only ever created and answered). */
  public boolean isStored() {
    return verbs.contains("get");
  }

  /** Whether {@code status} is a subresource: writes to the object keep the stored status. */
  public boolean hasStatusSubresource() {
    return subresources.contains("status");
  }

  /** Whether the type is a custom resource (schema and printer columns from its CRD). */
  public boolean isCustom() {
    return schema != null;
  }
}
