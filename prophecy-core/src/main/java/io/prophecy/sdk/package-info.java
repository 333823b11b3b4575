/**
 * The Prophecy SDK: the entry point {@link io.prophecy.sdk.Prophecy}, the per-user
 * {@link io.prophecy.sdk.ProphecySession}, handles to teams, fabrics and projects, and the exception
 * tree rooted at {@link io.prophecy.sdk.ProphecyException}.
 */
package io.prophecy.sdk;
