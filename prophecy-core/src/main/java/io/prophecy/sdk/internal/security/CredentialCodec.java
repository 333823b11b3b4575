package io.prophecy.sdk.internal.security;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prophecy.sdk.VaultException;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.Secret;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns credentials into vault ciphertext and back, bound to their user and fabric. */
public final class CredentialCodec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Map<String, String>>> SHAPE = new TypeReference<>() {};

  private final KeysetVault vault;

  public CredentialCodec(KeysetVault vault) {
    this.vault = vault;
  }

  /** The associated data binding a ciphertext to one user's credentials for one fabric. */
  public static String associatedData(String userId, String fabricId) {
    return "prophecy:credentials:v1:user=" + userId + ":fabric=" + fabricId;
  }

  /** The associated data binding a ciphertext to one user's token for one Git host. */
  public static String gitAssociatedData(String userId, String host) {
    return "prophecy:git-credentials:v1:user=" + userId + ":host=" + host;
  }

  public String encrypt(Credentials credentials, String userId, String fabricId) {
    return encryptBound(credentials, associatedData(userId, fabricId));
  }

  public Credentials decrypt(String ciphertext, String userId, String fabricId, String what) {
    return decryptBound(ciphertext, associatedData(userId, fabricId), what);
  }

  /** Encrypts a user's credentials for a Git host. */
  public String encryptGit(Credentials credentials, String userId, String host) {
    return encryptBound(credentials, gitAssociatedData(userId, host));
  }

  /** Decrypts a user's credentials for a Git host. */
  public Credentials decryptGit(String ciphertext, String userId, String host, String what) {
    return decryptBound(ciphertext, gitAssociatedData(userId, host), what);
  }

  private String encryptBound(Credentials credentials, String associatedData) {
    Map<String, Map<String, String>> doc = new LinkedHashMap<>();
    doc.put("plain", credentials.plainFields());
    Map<String, String> secrets = new LinkedHashMap<>();
    credentials.secretFields().forEach((k, v) -> secrets.put(k, v.reveal()));
    doc.put("secret", secrets);
    byte[] plain;
    try {
      plain = JSON.writeValueAsBytes(doc);
    } catch (IOException e) {
      throw new VaultException("Cannot encode credentials", e);
    }
    try {
      return vault.encryptToText(plain, associatedData);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private Credentials decryptBound(String ciphertext, String associatedData, String what) {
    byte[] plain = vault.decryptText(ciphertext, associatedData, what);
    try {
      Map<String, Map<String, String>> doc = JSON.readValue(plain, SHAPE);
      Credentials.Builder b = Credentials.builder();
      doc.getOrDefault("plain", Map.of()).forEach(b::put);
      doc.getOrDefault("secret", Map.of()).forEach((k, v) -> b.put(k, Secret.of(v)));
      return b.build();
    } catch (IOException e) {
      throw new VaultException("Cannot decode " + what + ": the decrypted record is damaged", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }
}
