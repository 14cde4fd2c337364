package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/** Informer event handlers for controllers that only need to know which object changed. */
final class Handlers {

  private Handlers() {}

  /** Calls {@code action} with the object of every add, update and delete. */
  static <T> ResourceEventHandler<T> onAny(Consumer<T> action) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        action.accept(obj);
      }

      @Override
      public void onUpdate(T before, T after) {
        action.accept(after);
      }

      @Override
      public void onDelete(T obj, boolean finalStateUnknown) {
        action.accept(obj);
      }
    };
  }

  /** Calls {@code action} with each deleted object. */
  static <T> ResourceEventHandler<T> onDelete(Consumer<T> action) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {}

      @Override
      public void onUpdate(T before, T after) {}

      @Override
      public void onDelete(T obj, boolean finalStateUnknown) {
        action.accept(obj);
      }
    };
  }
}
