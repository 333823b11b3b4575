package io.prophecy.sdk.internal.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SHA-256 of everything that determines a cached entry's content. Each input is written with its
 * length, so {@code ("ab", "c")} and {@code ("a", "bc")} give different keys. Two equal keys mean equal
 * inputs, so a changed input can never be served an entry made from the old one.
 */
public final class CacheKey {
  private final byte[] digest;

  private CacheKey(byte[] digest) {
    this.digest = digest;
  }

  /** Starts a key for one kind of entry (such as {@code "run-plan"}), with the format version of its content. */
  public static Builder of(String kind, int formatVersion) {
    return new Builder().add(kind).add(Integer.toString(formatVersion));
  }

  /** A key from its 64 hex digits, as in a cache file's name; null when the text is not one. */
  static CacheKey parse(String hex) {
    if (hex.length() != 64) {
      return null;
    }
    try {
      return new CacheKey(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The 64 lower-case hex digits: the cache file's name. */
  public String hex() {
    return HexFormat.of().formatHex(digest);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CacheKey k && MessageDigest.isEqual(k.digest, digest);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return "CacheKey[" + hex() + "]";
  }

  /** Collects the inputs. Not thread-safe; single use. */
  public static final class Builder {
    private final MessageDigest sha;
    private final byte[] length = new byte[8];

    private Builder() {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime has SHA-256", e);
      }
    }

    public Builder add(byte[] bytes) {
      ByteBuffer.wrap(length).putLong(bytes.length);
      sha.update(length);
      sha.update(bytes);
      return this;
    }

    public Builder add(String text) {
      return add(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A map, in key order, so that two equal maps give the same key whatever their iteration order. */
    public Builder add(Map<String, String> map) {
      add(Integer.toString(map.size()));
      new TreeMap<>(map).forEach((k, v) -> add(k).add(v == null ? "\u0000null" : v));
      return this;
    }

    /** The raw bytes of a long stream of input (such as serialized JSON), framed by the caller's own markers. */
    public java.io.OutputStream stream() {
      return new java.io.OutputStream() {
        @Override
        public void write(int b) {
          sha.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          sha.update(b, off, len);
        }
      };
    }

    public CacheKey build() {
      return new CacheKey(sha.digest());
    }
  }
}
