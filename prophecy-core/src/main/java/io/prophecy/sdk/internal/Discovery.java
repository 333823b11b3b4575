package io.prophecy.sdk.internal;

import java.lang.ref.SoftReference;
import java.net.URLClassLoader;
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
 * share a provider object. A lookup that fails is not kept: the next one reads the files again. A lookup
 * is also read again when a {@link URLClassLoader} on the loader's chain has gained jars since (as a
 * notebook kernel's does when a dependency is added to a running kernel). Entries go with their class
 * loader, or when memory runs short.
 */
final class Discovery {
  private static final Map<ClassLoader, Map<Class<?>, SoftReference<Kept>>> LOADERS = new WeakHashMap<>();

  /** A lookup and how many class path entries the loader's chain had when it was made. */
  private record Kept(ServiceLoader<?> services, int entries) {}

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
    Map<Class<?>, SoftReference<Kept>> byService = LOADERS.computeIfAbsent(loader, l -> new HashMap<>());
    SoftReference<Kept> ref = byService.get(service);
    Kept kept = ref == null ? null : ref.get();
    int entries = entries(loader);
    if (kept == null || kept.entries() != entries) {
      kept = new Kept(ServiceLoader.load(service, loader), entries);
      byService.put(service, new SoftReference<>(kept));
    }
    return (ServiceLoader<S>) kept.services();
  }

  /** The class path entries of the URL class loaders from this loader up to the boot loader. */
  private static int entries(ClassLoader loader) {
    int n = 0;
    for (ClassLoader l = loader; l != null; l = l.getParent()) {
      if (l instanceof URLClassLoader u) {
        n += u.getURLs().length;
      }
    }
    return n;
  }

  private static synchronized void forget(Class<?> service, ClassLoader loader) {
    Map<Class<?>, SoftReference<Kept>> byService = LOADERS.get(loader);
    if (byService != null) {
      byService.remove(service);
    }
  }
}
