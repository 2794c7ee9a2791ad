package io.wagate.media;

import io.wagate.security.KeyRing;
import io.wagate.security.MasterKey;
import io.wagate.security.MasterKeyException;
import io.wagate.security.MasterKeys;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs master key rotations in the background ({@value #THREAD_NAME}), one at a time: the one an
 * operator asks for, and the one a stop interrupted, resumed at start. Key-file mode only (see
 * {@link MediaKeyRotation}); a key derived from a passphrase cannot be replaced by the appliance.
 */
public final class MasterKeyRotator implements AutoCloseable {
    public static final String THREAD_NAME = "wagate-key-rotation";
    private static final Logger log = LoggerFactory.getLogger(MasterKeyRotator.class);

    private final EncryptedMediaStore store;
    private final Path keyFile;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, THREAD_NAME);
        t.setDaemon(true);
        return t;
    });
    private Future<?> running;

    /** @param keyFile the master key file, or null when the key comes from a passphrase */
    public MasterKeyRotator(EncryptedMediaStore store, Path keyFile) {
        this.store = store;
        this.keyFile = keyFile;
    }

    /** Finishes, in the background, a rotation a stop interrupted ({@code ring} has its target). */
    public synchronized void resumeOnStart(KeyRing ring) {
        if (keyFile == null) {
            return;
        }
        running = thread.submit(() -> run(() -> MediaKeyRotation.resumeOnStart(store, keyFile, ring)));
    }

    /**
     * Starts a rotation (or reports the one running) and returns at once.
     *
     * @throws MasterKeyException when the master key comes from a passphrase
     */
    public synchronized RotationProgress start() {
        if (keyFile == null) {
            throw new MasterKeyException("the master key is derived from a passphrase (media.master_key_passphrase_*);"
                    + " the appliance cannot replace it. Rotate in key-file mode (media.master_key_file)");
        }
        if (running != null && !running.isDone()) {
            return store.rotation().orElseGet(() -> new RotationProgress(store.activeKeyId(), 0, 0, false));
        }
        MasterKey next = MasterKeys.prepareNext(keyFile);
        long total = store.stats().objects();
        running = thread.submit(() -> run(() -> {
            store.rotate(next);
            MasterKeys.promoteNext(keyFile);
        }));
        awaitRecorded(next.id());
        return new RotationProgress(next.id(), 0, total, false);
    }

    /**
     * Waits (briefly) until the rotation is recorded in the store, so that a caller reading the
     * store's state right after this answer sees it running (or finished), not the old key alone.
     */
    private void awaitRecorded(String target) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until && !running.isDone()
                && store.rotation().isEmpty() && !store.activeKeyId().equals(target)) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void run(Runnable rotation) {
        try {
            rotation.run();
        } catch (RuntimeException e) {
            log.error("master key rotation stopped; it goes on at the next start or when asked again: {}",
                    e.getMessage(), e);
        }
    }

    /** Stops waiting for a running rotation; it resumes at the next start. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
