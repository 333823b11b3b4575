package io.prophecy.sdk.internal.cache;

import java.util.Optional;

/**
 * A cache of generated code and run plans, keyed by the hash of the inputs they were made from. It is only
 * ever a shortcut: a miss, a damaged entry or a deleted cache directory means the caller generates again,
 * never an error. Implementations are thread-safe.
 */
public interface CodeCache {
  /** The entry made from these inputs, if the cache holds a sound one; it then counts as used now. */
  Optional<byte[]> get(CacheKey key);

  /** Keeps an entry. Failures (a full disk, a removed directory) are logged and leave the cache without it. */
  void put(CacheKey key, byte[] content);

  /** Removes every entry; returns how many files were removed. */
  int clear();

  /** Counts since this instance was made. */
  Stats stats();

  /**
   * What the cache did.
   *
   * @param hits gets that returned an entry
   * @param misses gets that did not
   * @param puts entries written
   * @param dropped damaged, foreign or expired files removed
   * @param evicted entries removed to stay under the size cap
   */
  record Stats(long hits, long misses, long puts, long dropped, long evicted) {}

  /** A cache that keeps nothing: {@code Prophecy.builder().codeCache(false)}. */
  static CodeCache disabled() {
    return new Disabled();
  }

  /** The cache that keeps nothing. */
  final class Disabled implements CodeCache {
    private final java.util.concurrent.atomic.AtomicLong misses = new java.util.concurrent.atomic.AtomicLong();

    private Disabled() {}

    @Override
    public Optional<byte[]> get(CacheKey key) {
      misses.incrementAndGet();
      return Optional.empty();
    }

    @Override
    public void put(CacheKey key, byte[] content) {}

    @Override
    public int clear() {
      return 0;
    }

    @Override
    public Stats stats() {
      return new Stats(0, misses.get(), 0, 0, 0);
    }

    @Override
    public String toString() {
      return "CodeCache[off]";
    }
  }
}
