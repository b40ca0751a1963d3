package dev.stevedore.job;

import dev.stevedore.core.JobId;
import dev.stevedore.core.NotFoundException;

/** No job with this id (for this caller): 404. */
public class JobNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public JobNotFoundException(JobId id) {
    super("job", "There is no job with id " + id);
  }
}
