package io.prophecy.sdk.internal;

import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.WeakHashMap;

/**
 * {@link ServiceLoader} lookups kept per class loader and service, so that opening the SDK again does not
 * read every {@code META-INF/services} file of the class path again. What is kept are the providers'
 * handles; each {@link ServiceLoader.Provider#get()} still makes a new instance, so no two SDK instances
 * share a provider object. A lookup that fails is not kept: the next one reads the files again. Entries go
 * with their class loader, or when memory runs short.
 */
final class Discovery {
  private static final Map<ClassLoader, Map<Class<?>, SoftReference<ServiceLoader<?>>>> LOADERS = new WeakHashMap<>();

  private Discovery() {}

  /**
   * The providers of the service visible from the loader, in {@link ServiceLoader}'s order.
   *
   * @throws ServiceConfigurationError as {@link ServiceLoader} throws it for a provider listed but not loadable
   */
  static <S> List<ServiceLoader.Provider<S>> providers(Class<S> service, ClassLoader loader) {
    ServiceLoader<S> services = loader(service, loader);
    synchronized (services) { // a ServiceLoader is not safe for use by several threads
      try {
        return services.stream().toList();
      } catch (ServiceConfigurationError e) {
        forget(service, loader);
        throw e;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static synchronized <S> ServiceLoader<S> loader(Class<S> service, ClassLoader loader) {
    Map<Class<?>, SoftReference<ServiceLoader<?>>> byService = LOADERS.computeIfAbsent(loader, l -> new HashMap<>());
    SoftReference<ServiceLoader<?>> kept = byService.get(service);
    ServiceLoader<?> found = kept == null ? null : kept.get();
    if (found == null) {
      found = ServiceLoader.load(service, loader);
      byService.put(service, new SoftReference<>(found));
    }
    return (ServiceLoader<S>) found;
  }

  private static synchronized void forget(Class<?> service, ClassLoader loader) {
    Map<Class<?>, SoftReference<ServiceLoader<?>>> byService = LOADERS.get(loader);
    if (byService != null) {
      byService.remove(service);
    }
  }
}
