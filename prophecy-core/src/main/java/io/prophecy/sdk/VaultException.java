package io.prophecy.sdk;

/**
 * The vault could not encrypt or decrypt: the key-encryption key is missing or wrong, or a ciphertext
 * does not belong to the user and fabric it was read for.
 */
public class VaultException extends ProphecyException {
  private static final long serialVersionUID = 1L;

  public VaultException(String message, Throwable cause) {
    super(message, cause);
  }

  public VaultException(String message) {
    super(message);
  }
}
