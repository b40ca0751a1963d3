package dev.stevedore.job;

import dev.stevedore.rest.ApiException;

/** No job with this id (for this caller): 404. */
public class JobNotFoundException extends ApiException {

  public JobNotFoundException(JobId id) {
    super(404, "job-not-found", "No such job", "There is no job with id " + id);
  }
}
