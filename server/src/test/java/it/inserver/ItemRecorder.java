package it.inserver;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** What the stand-in processor and writer of the batch job saw, per batch. */
@ApplicationScoped
public class ItemRecorder {

  /** One chunk as the writer got it, with the properties the job gave it. */
  public record Chunk(List<Integer> items, String jobBatchId, String chunkTimeout) {}

  private final Map<String, Queue<Integer>> processed = new ConcurrentHashMap<>();
  private final Map<String, Queue<Chunk>> written = new ConcurrentHashMap<>();

  void processed(String batchId, int item) {
    processed.computeIfAbsent(batchId, b -> new ConcurrentLinkedQueue<>()).add(item);
  }

  void written(String batchId, Chunk chunk) {
    written.computeIfAbsent(batchId, b -> new ConcurrentLinkedQueue<>()).add(chunk);
  }

  public List<Integer> processed(String batchId) {
    return List.copyOf(processed.getOrDefault(batchId, new ConcurrentLinkedQueue<>()));
  }

  public List<Chunk> written(String batchId) {
    return List.copyOf(written.getOrDefault(batchId, new ConcurrentLinkedQueue<>()));
  }
}
