package io.prophecy.sdk.codegen;

import java.util.Locale;
import java.util.regex.Pattern;

/** Which option keys hold secrets, so that generated code never carries them. */
public final class Secrets {
  private static final Pattern SECRET = Pattern.compile(".*(password|passwd|secret|token|credential|private.?key|"
      + "access.?key|api.?key).*");

  private Secrets() {}

  /** Whether a dataset option with this key holds a secret ({@code password}, {@code sfPassword}, {@code token} ...). */
  public static boolean isSecretKey(String key) {
    return SECRET.matcher(key.toLowerCase(Locale.ROOT)).matches();
  }
}
