package it.inserver;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.function.Supplier;

/**
 * Transactions for the in-server tests, as a use case would hold them: the repositories are called
 * inside one, whatever their own methods declare.
 */
@ApplicationScoped
public class Transactions {

  /** Runs {@code work} in the caller's transaction, or in a new one if there is none. */
  @Transactional
  public <T> T inOne(Supplier<T> work) {
    return work.get();
  }

  @Transactional
  public void run(Runnable work) {
    work.run();
  }

  /** Runs {@code work} in a transaction of its own that commits before this returns. */
  @Transactional(TxType.REQUIRES_NEW)
  public <T> T inNew(Supplier<T> work) {
    return work.get();
  }
}
