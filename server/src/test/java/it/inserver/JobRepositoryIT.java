package it.inserver;

import dev.stevedore.job.JobFixtures;
import dev.stevedore.job.JobRepository;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The job store's contract on the database of the server under test: PostgreSQL in the failsafe
 * execution it-postgresql, the embedded H2 in it-h2.
 */
@ExtendWith(ArquillianExtension.class)
class JobRepositoryIT extends JobRepositoryContract {

  @Deployment
  static WebArchive deployment() {
    return InServerArchive.of(
        "job-repository-it",
        JobRepository.class,
        JobFixtures.class,
        JobRepositoryContract.class,
        JobRepositoryIT.class,
        Transactions.class,
        TestTenants.class);
  }
}
