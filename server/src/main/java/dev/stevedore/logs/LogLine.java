package dev.stevedore.logs;

import java.time.Instant;

/**
 * One stored line of a job's output.
 *
 * @param seq its place in the attempt's log, from 1: the same number in the stored log, the replay
 *     and the live stream
 * @param stream {@code stdout}, {@code stderr}, or {@code stevedore} for lines the server adds
 */
public record LogLine(int attempt, long seq, String stream, Instant time, String text) {}
