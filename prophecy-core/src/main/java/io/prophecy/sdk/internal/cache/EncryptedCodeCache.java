package io.prophecy.sdk.internal.cache;

import com.google.crypto.tink.StreamingAead;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The code cache on disk: one file per entry, named by the 64 hex digits of its {@link CacheKey} and
 * nothing else, holding the entry encrypted with Tink's streaming AEAD (AES-256-GCM-HKDF, 4 KiB
 * segments), its associated data the file's own key, so a file renamed to another key does not decrypt.
 *
 * <ul>
 *   <li>Writes go to a temporary file in the same folder, then an atomic move: a reader sees a whole
 *       entry or none, and a crash leaves at most a temporary file, removed by a later sweep. The content
 *       of a key is a function of the key, so two writers of one key (threads, or processes sharing the
 *       home) write the same entry and either may win: no lock is needed.
 *   <li>A file that does not decrypt (damaged, cut short, renamed, made with another key) is a miss
 *       and is removed, never an error. So is the whole folder missing: it is made again on the next put.
 *   <li>A file's modification time is its last use (set from the SDK's clock on every write, and on a hit
 *       when it is a minute old or more).
 *       An entry unused for longer than the time-to-live is a miss and removed; when the folder grows
 *       over the size cap, the entries used longest ago are removed down to 90% of it.
 * </ul>
 */
public final class EncryptedCodeCache implements CodeCache {
  private static final Logger log = LoggerFactory.getLogger(EncryptedCodeCache.class);
  private static final String AD_PREFIX = "prophecy:code-cache:v1:";
  private static final Duration STALE_TEMP = Duration.ofHours(1);
  private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private final Path dir;
  private final StreamingAead aead;
  private final Clock clock;
  private final long maxBytes;
  private final Duration ttl;
  private final AtomicLong approxBytes = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong puts = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong evicted = new AtomicLong();
  private final Object sweeping = new Object();
  private volatile long lastSweep = Long.MIN_VALUE;

  /**
   * @param dir the folder of the entries, made when missing
   * @param aead the streaming AEAD of the cache's own keyset
   * @param clock the clock of last uses
   * @param maxBytes the size cap of the folder, in bytes of ciphertext
   * @param ttl how long an unused entry is kept
   */
  public EncryptedCodeCache(Path dir, StreamingAead aead, Clock clock, long maxBytes, Duration ttl) {
    this.dir = dir.toAbsolutePath();
    this.aead = Objects.requireNonNull(aead, "aead");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    this.maxBytes = maxBytes;
    this.ttl = ttl;
  }

  /** The folder of the entries. */
  public Path directory() {
    return dir;
  }

  @Override
  public Optional<byte[]> get(CacheKey key) {
    Path file = dir.resolve(key.hex());
    long now = clock.millis();
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      misses.incrementAndGet();
      return Optional.empty();
    } catch (IOException e) {
      log.debug("Code cache: cannot read {}: {}", file, e.toString());
      misses.incrementAndGet();
      return Optional.empty();
    }
    if (!attrs.isRegularFile()) {
      drop(file, attrs, "not a regular file");
      misses.incrementAndGet();
      return Optional.empty();
    }
    if (attrs.lastModifiedTime().toMillis() < now - ttl.toMillis()) {
      drop(file, attrs, "unused for longer than " + ttl);
      misses.incrementAndGet();
      return Optional.empty();
    }
    byte[] plain;
    try (InputStream raw = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        InputStream in = aead.newDecryptingStream(raw, associatedData(key))) {
      plain = in.readAllBytes();
    } catch (NoSuchFileException e) {
      misses.incrementAndGet(); // removed since we looked: another sweep or a user clearing the folder
      return Optional.empty();
    } catch (IOException | GeneralSecurityException e) {
      // Tink's decrypting stream reports a damaged or foreign segment as an IOException
      drop(file, attrs, "it does not decrypt (" + e.getClass().getSimpleName() + ")");
      misses.incrementAndGet();
      return Optional.empty();
    }
    if (now - attrs.lastModifiedTime().toMillis() >= TOUCH_EVERY.toMillis()) {
      touch(file, now); // a minute's precision is enough for a TTL of days and for LRU, and saves a write per hit
    }
    hits.incrementAndGet();
    return Optional.of(plain);
  }

  @Override
  public void put(CacheKey key, byte[] content) {
    Path file = dir.resolve(key.hex());
    Path tmp = dir.resolve("." + key.hex() + "." + UUID.randomUUID() + ".tmp");
    long now = clock.millis();
    try {
      createDirectory();
      try (OutputStream raw = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = aead.newEncryptingStream(raw, associatedData(key))) {
        out.write(content);
      }
      long size = Files.size(tmp);
      if (size > maxBytes) {
        log.debug("Code cache: an entry of {} bytes is over the cap of {} bytes; not kept", size, maxBytes);
        return;
      }
      Files.setLastModifiedTime(tmp, FileTime.fromMillis(now));
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        log.debug("Code cache: {} cannot move files atomically; not kept", dir);
        return;
      }
      puts.incrementAndGet();
      long last = lastSweep;
      if (approxBytes.addAndGet(size) > maxBytes || last == Long.MIN_VALUE || now - last >= SWEEP_EVERY.toMillis()) {
        sweep();
      }
    } catch (IOException | GeneralSecurityException e) {
      log.debug("Code cache: cannot keep an entry in {}: {}", dir, e.toString());
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        log.debug("Code cache: cannot remove {}: {}", tmp, e.toString());
      }
    }
  }

  @Override
  public int clear() {
    int removed = 0;
    for (Entry e : list()) {
      if (delete(e.file, e.attrs)) {
        removed++;
      }
    }
    approxBytes.set(0);
    return removed;
  }

  @Override
  public Stats stats() {
    return new Stats(hits.get(), misses.get(), puts.get(), dropped.get(), evicted.get());
  }

  /**
   * Removes expired entries, stale temporary files and files that are not entries, then the entries used
   * longest ago while the folder is over the cap (down to 90% of it). Returns the bytes left.
   */
  public long sweep() {
    synchronized (sweeping) {
      long now = clock.millis();
      lastSweep = now;
      List<Entry> entries = new ArrayList<>();
      long total = 0;
      for (Entry e : list()) {
        String name = e.file.getFileName().toString();
        long modified = e.attrs.lastModifiedTime().toMillis();
        if (name.startsWith(".") && name.endsWith(".tmp")) {
          if (modified < now - STALE_TEMP.toMillis()) {
            delete(e.file, e.attrs); // left by a writer that died
          } else {
            total += e.attrs.size(); // being written
          }
        } else if (CacheKey.parse(name) == null || !e.attrs.isRegularFile()) {
          drop(e.file, e.attrs, "not a cache entry");
        } else if (modified < now - ttl.toMillis()) {
          drop(e.file, e.attrs, "unused for longer than " + ttl);
        } else {
          entries.add(e);
          total += e.attrs.size();
        }
      }
      if (total > maxBytes) {
        long target = maxBytes - maxBytes / 10;
        entries.sort(Comparator.comparingLong((Entry e) -> e.attrs.lastModifiedTime().toMillis())
            .thenComparing(e -> e.file.getFileName().toString()));
        for (Entry e : entries) {
          if (total <= target) {
            break;
          }
          if (delete(e.file, e.attrs)) {
            evicted.incrementAndGet();
          }
          total -= e.attrs.size();
        }
      }
      approxBytes.set(total);
      return total;
    }
  }

  @Override
  public String toString() {
    return "CodeCache[" + dir + ", max " + maxBytes + " bytes, ttl " + ttl + "]";
  }

  private record Entry(Path file, BasicFileAttributes attrs) {}

  private List<Entry> list() {
    List<Entry> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        try {
          out.add(new Entry(f, Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)));
        } catch (NoSuchFileException gone) {
          // removed meanwhile
        }
      }
    } catch (NoSuchFileException e) {
      return out;
    } catch (IOException e) {
      log.debug("Code cache: cannot list {}: {}", dir, e.toString());
    }
    return out;
  }

  private static byte[] associatedData(CacheKey key) {
    return (AD_PREFIX + key.hex()).getBytes(StandardCharsets.UTF_8);
  }

  private void createDirectory() throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Files.createDirectories(dir.getParent());
    try {
      if (Files.getFileAttributeView(dir.getParent(), PosixFileAttributeView.class) != null) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(dir);
      }
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      // another thread or process made it
    }
  }

  private void touch(Path file, long now) {
    try {
      Files.setLastModifiedTime(file, FileTime.fromMillis(now));
    } catch (IOException e) {
      log.debug("Code cache: cannot mark {} used: {}", file, e.toString());
    }
  }

  private void drop(Path file, BasicFileAttributes seen, String why) {
    if (delete(file, seen)) {
      dropped.incrementAndGet();
      log.debug("Code cache: removed {}: {}", file.getFileName(), why);
    }
  }

  /**
   * Deletes the file we looked at, not one another writer has since moved into its place (which is
   * sound): the file's identity (inode) must still be the one seen.
   */
  private boolean delete(Path file, BasicFileAttributes seen) {
    try {
      Object was = seen.fileKey();
      if (was != null) {
        Object now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        if (!was.equals(now)) {
          return false;
        }
      }
      return Files.deleteIfExists(file);
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      log.debug("Code cache: cannot remove {}: {}", file, e.toString());
      return false;
    }
  }
}
