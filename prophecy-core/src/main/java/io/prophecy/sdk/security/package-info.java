/**
 * Keys and the vault: where the key-encryption key comes from ({@link io.prophecy.sdk.security.KeyProvider}),
 * and the host's view of the vault (key rotation, re-encryption).
 */
package io.prophecy.sdk.security;
