package dev.hotfix.sandbox;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/** Informer event handlers from lambdas, for code that only needs to know which object changed. */
public final class Informers {
  private Informers() {
  }

  /** Calls {@code changed} with each added or updated object (its new version), {@code deleted} with each deleted one. */
  public static <T> ResourceEventHandler<T> handler(Consumer<T> changed, Consumer<T> deleted) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        changed.accept(obj);
      }

      @Override
      public void onUpdate(T before, T after) {
        changed.accept(after);
      }

      @Override
      public void onDelete(T obj, boolean finalStateUnknown) {
        deleted.accept(obj);
      }
    };
  }

  /** Calls {@code changed} with each added or updated object; deletions are ignored. */
  public static <T> ResourceEventHandler<T> onChange(Consumer<T> changed) {
    return handler(changed, obj -> { });
  }

  /** Calls {@code action} with the object of every add, update and delete. */
  public static <T> ResourceEventHandler<T> onAny(Consumer<T> action) {
    return handler(action, action);
  }

  /** Calls {@code deleted} with each deleted object. */
  public static <T> ResourceEventHandler<T> onDelete(Consumer<T> deleted) {
    return handler(obj -> { }, deleted);
  }
}
