package io.wagate.store;

import static io.wagate.store.ColumnFamily.MESSAGES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitWriterTest {
  @TempDir Path dir;
  private Database db;
  private ExecutorService pool;

  @AfterEach
  void tearDown() {
    if (pool != null) {
      pool.shutdownNow();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  @Timeout(60)
  void manyConcurrentCallers_allComplete_areReadable_andAreGrouped() throws Exception {
    db = Database.open(StoreOptions.defaults(dir.resolve("db")));
    int threads = 64;
    int perThread = 200;
    pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long thread = t;
      done.add(pool.submit(() -> {
        start.await();
        for (long i = 0; i < perThread; i++) {
          long id = thread * perThread + i;
          db.writer().write(new WriteSet().put(MESSAGES, Keys.u64(id), Keys.u64(id)));
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(50, TimeUnit.SECONDS);
    }

    long total = (long) threads * perThread;
    assertThat(db.writer().writesCommitted()).isEqualTo(total);
    assertThat(db.writer().groupsCommitted()).isPositive().isLessThan(total);
    List<byte[]> keys = new ArrayList<>();
    for (long id = 0; id < total; id++) {
      keys.add(Keys.u64(id));
    }
    List<byte[]> values = db.multiGet(MESSAGES, keys);
    for (int id = 0; id < total; id++) {
      assertThat(values.get(id)).as("id %d", id).isEqualTo(Keys.u64(id));
    }
  }

  @Test
  void singleCaller_oneGroupPerWrite() {
    db = Database.open(StoreOptions.defaults(dir.resolve("db")));
    for (int i = 0; i < 5; i++) {
      db.writer().write(new WriteSet().put(MESSAGES, Keys.u64(i), Keys.u64(i)));
    }
    assertThat(db.writer().groupsCommitted()).isEqualTo(5);
    assertThat(db.writer().writesCommitted()).isEqualTo(5);
  }

  @Test
  void groups_neverExceedMaxGroupSize() {
    db = Database.open(new StoreOptions(dir.resolve("db"), 0, 4, d -> Long.MAX_VALUE));
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      futures.add(db.writer().submit(new WriteSet().put(MESSAGES, Keys.u64(i), Keys.u64(i))));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    assertThat(db.writer().writesCommitted()).isEqualTo(400);
    assertThat(db.writer().groupsCommitted()).isGreaterThanOrEqualTo(100);
  }

  @Test
  void writerThread_isANamedDaemon() {
    db = Database.open(StoreOptions.defaults(dir.resolve("db")));
    Thread writer = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(GroupCommitWriter.THREAD_NAME))
        .findFirst()
        .orElseThrow();
    assertThat(writer.getName()).isEqualTo("wagate-group-commit");
    assertThat(writer.isDaemon()).isTrue();
  }

  @Test
  @Timeout(30)
  void close_withPendingSubmissions_answersEveryone_andCommittedMeansStored() throws Exception {
    db = Database.open(StoreOptions.defaults(dir.resolve("db")));
    int producers = 4;
    // far more than can be written before close, so close always finds submissions queued
    int perProducer = 200_000;
    pool = Executors.newFixedThreadPool(producers);
    Map<Long, CompletableFuture<Void>> futures = new ConcurrentHashMap<>();
    CountDownLatch started = new CountDownLatch(producers);
    List<Future<?>> done = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      long producer = p;
      done.add(pool.submit(() -> {
        started.countDown();
        for (long i = 0; i < perProducer; i++) {
          long id = producer * perProducer + i;
          CompletableFuture<Void> f = db.writer()
              .submit(new WriteSet().put(MESSAGES, Keys.u64(id), Keys.u64(id)));
          futures.put(id, f);
          if (f.isCompletedExceptionally()) {
            return; // closed: later submissions would only be refused the same way
          }
        }
      }));
    }
    started.await();
    Thread.sleep(5);
    db.close();
    for (Future<?> f : done) {
      f.get(10, TimeUnit.SECONDS);
    }

    List<Long> committed = new ArrayList<>();
    List<Long> refused = new ArrayList<>();
    for (Map.Entry<Long, CompletableFuture<Void>> e : futures.entrySet()) {
      CompletableFuture<Void> future = e.getValue();
      try {
        future.get(10, TimeUnit.SECONDS); // none may hang
        committed.add(e.getKey());
      } catch (java.util.concurrent.ExecutionException failure) {
        assertThat(failure.getCause()).isInstanceOf(StoreClosedException.class);
        refused.add(e.getKey());
      }
    }
    assertThat(committed.size() + refused.size()).isEqualTo(futures.size());
    assertThat(refused).as("close came while submissions were queued").isNotEmpty();

    db = Database.open(StoreOptions.defaults(dir.resolve("db")));
    for (long id : committed) {
      assertThat(db.get(MESSAGES, Keys.u64(id))).as("committed %d", id).isNotNull();
    }
    for (long id : refused) {
      assertThat(db.get(MESSAGES, Keys.u64(id))).as("refused %d", id).isNull();
    }
  }

  @Test
  void submitAfterClose_failsImmediately() {
    db = Database.open(StoreOptions.defaults(dir.resolve("db")));
    db.close();
    CompletableFuture<Void> future =
        db.writer().submit(new WriteSet().put(MESSAGES, Keys.u64(1), Keys.u64(1)));
    assertThat(future).isCompletedExceptionally();
    assertThatThrownBy(future::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(StoreClosedException.class);
  }

  @Test
  @Timeout(30)
  void closeFromACompletionCallback_doesNotDeadlock() throws Exception {
    db = Database.open(StoreOptions.defaults(dir.resolve("db")));
    // A callback runs on the answering thread only if attached before completion (one fsync away);
    // retry in the rare case it was attached too late.
    boolean closedOnWriterThread = false;
    for (int attempt = 0; attempt < 20 && !closedOnWriterThread; attempt++) {
      closedOnWriterThread = db.writer()
          .submit(new WriteSet().put(MESSAGES, Keys.u64(attempt), Keys.u64(attempt)))
          .thenApply(ignored -> {
            if (!Thread.currentThread().getName().equals(GroupCommitWriter.ACK_THREAD_NAME)) {
              return false;
            }
            db.close();
            return true;
          })
          .get(10, TimeUnit.SECONDS);
    }
    assertThat(closedOnWriterThread).isTrue();
    assertThatThrownBy(() -> db.get(MESSAGES, Keys.u64(0)))
        .isInstanceOf(StoreClosedException.class);
    assertThat(db.writer().submit(new WriteSet())).isCompletedExceptionally();
  }
}
