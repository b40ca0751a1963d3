package dev.stevedore.job;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a job listing, newest first. */
@Schema(name = "JobPage")
public record JobPage(
    List<JobView> items,
    @Schema(description = "Pass as ?cursor= for the next page; absent on the last page.")
        String nextCursor) {}
