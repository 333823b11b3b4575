package io.prophecy.sdk.spi;

/** An interactive session on a fabric. Closing it releases the remote context it holds. */
public interface ExecutionSession extends AutoCloseable {
  CodeLanguage language();

  /** Starts running the code and returns at once. */
  Execution submit(CodeUnit code);

  @Override
  void close();
}
