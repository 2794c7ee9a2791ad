package io.wagate.bench;

import io.wagate.config.MediaConfig;
import io.wagate.media.EncryptedMediaStore;
import io.wagate.media.MediaObject;
import io.wagate.media.MediaWriter;
import io.wagate.media.NewMedia;
import io.wagate.security.KeyRing;
import io.wagate.security.MasterKey;
import io.wagate.store.Database;
import io.wagate.store.StoreOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code wagate bench media}: throughput and heap growth of the encrypted media store, next to two
 * baselines measured in the same JVM over the same bytes.
 *
 * <p>Baseline A is a plain AES-256-GCM loop (the JDK cipher the store uses) over the bytes in the
 * store's segment size, no I/O: the one loop the targets name, for the write and the read. A-dec,
 * a loop that only decrypts the same bytes (sealed beforehand), is printed next to it as a
 * stricter view of the read. Baseline B writes the bytes unencrypted with a {@link FileChannel}
 * in the same directory, in the same chunk size, then {@code force(true)}: the durability the
 * store's commit pays for. The store write is {@code begin} → {@code write} in 256 KiB chunks (as
 * the gRPC service receives them) → {@code commit}; the store read opens the object and reads it
 * all. Heap growth is the peak of {@link MemoryMXBean} heap used, sampled every 2 ms on a side
 * thread, minus a baseline taken after {@code System.gc()}; the 100 MB source array is allocated
 * before the baseline, so it is not counted. Three untimed rounds of everything come first (JIT).
 */
public final class MediaBench {
    /** Chunk size of the gRPC upload and download (MediaStoreService.CHUNK_BYTES). */
    static final int CHUNK = 256 * 1024;
    private static final long MB = 1_000_000L;
    private static final int WARMUP_ROUNDS = 3;

    private final Path dir;
    private final int sizeMb;
    private final int runs;
    private final PrintStream out;

    public MediaBench(Path dir, int sizeMb, int runs, PrintStream out) {
        if (sizeMb < 1 || sizeMb > 100) {
            throw new IllegalArgumentException("--size-mb must be 1..100 (the inbound cap), got " + sizeMb);
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be >= 1, got " + runs);
        }
        this.dir = dir;
        this.sizeMb = sizeMb;
        this.runs = runs;
        this.out = out;
    }

    /** Runs the benchmark; returns 0 when every target was met, 1 otherwise. */
    public int run() throws Exception {
        Path work = dir.resolve("run-" + System.currentTimeMillis());
        Files.createDirectories(work);
        int size = Math.toIntExact(sizeMb * MB);
        byte[] data = new byte[size];
        new SecureRandom().nextBytes(data);
        MediaConfig config = MediaConfig.defaults();
        int segment = config.segmentBytes();
        out.printf("media bench: %d MB random, segment %d B, write chunk %d B, %d run(s), dir %s, max heap %d MB%n",
                sizeMb, segment, CHUNK, runs, work, Runtime.getRuntime().maxMemory() >> 20);

        double[] gcm = new double[runs];
        double[] gcmDec = new double[runs];
        double[] raw = new double[runs];
        double[] write = new double[runs];
        double[] read = new double[runs];
        double[] commitMs = new double[runs];
        long writeHeap = 0;
        long readHeap = 0;
        MasterKey key = MasterKey.generate("bench");
        try (Database db = Database.open(StoreOptions.defaults(work.resolve("db")));
                EncryptedMediaStore store = EncryptedMediaStore.open(work.resolve("media"), db, config, KeyRing.of(key))) {
            // untimed rounds of each, so the JIT has compiled the GCM intrinsics' callers before the timed runs
            for (int w = 0; w < WARMUP_ROUNDS; w++) {
                gcmLoop(data, segment);
                gcmDecryptLoop(data, segment);
                rawWrite(work, data, segment);
                MediaObject o = storeWrite(store, data, new long[1]);
                readAll(store, o.id());
                store.delete(o.id());
            }
            for (int r = 0; r < runs; r++) {
                gcm[r] = mbps(size, gcmLoop(data, segment));
                gcmDec[r] = mbps(size, gcmDecryptLoop(data, segment));
                raw[r] = mbps(size, rawWrite(work, data, segment));
                HeapSampler ws = HeapSampler.start();
                long t = System.nanoTime();
                long[] commitNanos = new long[1];
                MediaObject o = storeWrite(store, data, commitNanos);
                write[r] = mbps(size, System.nanoTime() - t);
                commitMs[r] = commitNanos[0] / 1e6;
                writeHeap = Math.max(writeHeap, ws.stop());
                HeapSampler rs = HeapSampler.start();
                t = System.nanoTime();
                long n = readAll(store, o.id());
                read[r] = mbps(size, System.nanoTime() - t);
                readHeap = Math.max(readHeap, rs.stop());
                if (n != size) {
                    throw new IllegalStateException("read " + n + " bytes of " + size);
                }
                store.delete(o.id());
                out.printf("run %d: GCM %.0f MB/s, GCM decrypt %.0f MB/s, raw write %.0f MB/s, store write %.0f MB/s"
                        + " (of which commit %.0f ms), store read %.0f MB/s%n", r + 1, gcm[r], gcmDec[r], raw[r], write[r],
                        commitMs[r], read[r]);
            }
        } finally {
            key.destroy();
            deleteTree(work);
        }

        out.printf("%n%-44s %10s %10s%n", "", "best MB/s", "median");
        row("baseline A: AES-256-GCM loop, no I/O", gcm);
        row("baseline A-dec: AES-256-GCM decrypt loop", gcmDec);
        row("baseline B: raw FileChannel write + force", raw);
        row("store write (begin, write, commit)", write);
        row("store read (open, read all)", read);
        out.println();
        boolean ok = ratio("store write / A", median(write) / median(gcm), 0.70);
        ok &= ratio("store write / B", median(write) / median(raw), 0.50);
        ok &= ratio("store read / A", median(read) / median(gcm), 0.70);
        ok &= ratio("store read / B", median(read) / median(raw), 0.50);
        out.printf("%-18s %.2f (stricter: against a loop that only decrypts; not the target's baseline)%n",
                "store read / A-dec", median(read) / median(gcmDec));
        long limit = 32L << 20;
        out.printf("heap growth writing %d MB: %.1f MB (target < 32 MB: %s)%n", sizeMb, writeHeap / 1048576.0,
                writeHeap < limit ? "MET" : "MISSED");
        out.printf("heap growth reading %d MB: %.1f MB (target < 32 MB: %s)%n", sizeMb, readHeap / 1048576.0,
                readHeap < limit ? "MET" : "MISSED");
        ok &= writeHeap < limit && readHeap < limit;
        return ok ? 0 : 1;
    }

    private void row(String name, double[] mbps) {
        out.printf("%-44s %10.0f %10.0f%n", name, Arrays.stream(mbps).max().orElse(0), median(mbps));
    }

    private boolean ratio(String name, double ratio, double target) {
        boolean met = ratio >= target;
        out.printf("%-18s %.2f (median over median; target >= %.2f: %s)%n", name, ratio, target, met ? "MET" : "MISSED");
        return met;
    }

    /** Encrypts every segment with a fresh nonce as the store does, into a reused output array. */
    private static long gcmLoop(byte[] data, int segment) throws GeneralSecurityException {
        byte[] keyBytes = new byte[32];
        new SecureRandom().nextBytes(keyBytes);
        SecretKeySpec key = new SecretKeySpec(keyBytes, "AES");
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] nonce = new byte[12];
        byte[] aad = new byte[41];
        byte[] sealed = new byte[segment + 16];
        long t = System.nanoTime();
        for (int off = 0; off < data.length; off += segment) {
            int n = Math.min(segment, data.length - off);
            ByteBuffer.wrap(nonce).putLong(4, off);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad);
            cipher.doFinal(data, off, n, sealed, 0);
        }
        return System.nanoTime() - t;
    }

    /**
     * Seals every segment as {@link #gcmLoop} does (untimed), then times opening them all: tag
     * checked, plaintext into a reused segment array, as the store's read does minus the file.
     */
    private static long gcmDecryptLoop(byte[] data, int segment) throws GeneralSecurityException {
        byte[] keyBytes = new byte[32];
        new SecureRandom().nextBytes(keyBytes);
        SecretKeySpec key = new SecretKeySpec(keyBytes, "AES");
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] nonce = new byte[12];
        byte[] aad = new byte[41];
        int segments = (data.length + segment - 1) / segment;
        byte[] sealed = new byte[data.length + segments * 16];
        for (int off = 0, at = 0; off < data.length; off += segment) {
            int n = Math.min(segment, data.length - off);
            ByteBuffer.wrap(nonce).putLong(4, off);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad);
            at += cipher.doFinal(data, off, n, sealed, at);
        }
        byte[] plain = new byte[segment];
        long t = System.nanoTime();
        for (int off = 0, at = 0; off < data.length; off += segment) {
            int n = Math.min(segment, data.length - off);
            ByteBuffer.wrap(nonce).putLong(4, off);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad);
            cipher.doFinal(sealed, at, n + 16, plain, 0);
            at += n + 16;
        }
        return System.nanoTime() - t;
    }

    private static long rawWrite(Path work, byte[] data, int chunk) throws IOException {
        Path f = work.resolve("raw.bin");
        long t = System.nanoTime();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (int off = 0; off < data.length; off += chunk) {
                ByteBuffer b = ByteBuffer.wrap(data, off, Math.min(chunk, data.length - off));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            ch.force(true);
        }
        long elapsed = System.nanoTime() - t;
        Files.delete(f);
        return elapsed;
    }

    /** Stores {@code data}; {@code commitNanos[0]} gets the time {@code commit()} took. */
    private static MediaObject storeWrite(EncryptedMediaStore store, byte[] data, long[] commitNanos) {
        try (MediaWriter w = store.begin(NewMedia.inbound("application/octet-stream", data.length, "100000000000001"))) {
            for (int off = 0; off < data.length; off += CHUNK) {
                w.write(data, off, Math.min(CHUNK, data.length - off));
            }
            long t = System.nanoTime();
            MediaObject o = w.commit();
            commitNanos[0] = System.nanoTime() - t;
            return o;
        }
    }

    private static long readAll(EncryptedMediaStore store, String id) throws IOException {
        byte[] buf = new byte[CHUNK];
        long total = 0;
        try (InputStream in = store.open(id)) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
            }
        }
        return total;
    }

    private static double mbps(long bytes, long nanos) {
        return bytes / (double) MB / (nanos / 1e9);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Peak heap used above a post-GC baseline, sampled on a daemon thread. */
    private static final class HeapSampler implements Runnable {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();
        private final long baseline;
        private final Thread thread;
        private volatile boolean running = true;

        private HeapSampler() {
            System.gc();
            baseline = memory.getHeapMemoryUsage().getUsed();
            peak.set(baseline);
            thread = new Thread(this, "media-bench-heap");
            thread.setDaemon(true);
        }

        static HeapSampler start() {
            HeapSampler s = new HeapSampler();
            s.thread.start();
            return s;
        }

        @Override
        public void run() {
            while (running) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Stops sampling; returns peak minus baseline. */
        long stop() throws InterruptedException {
            peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            running = false;
            thread.join();
            return Math.max(0, peak.get() - baseline);
        }
    }
}
