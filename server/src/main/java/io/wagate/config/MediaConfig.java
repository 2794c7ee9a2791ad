package io.wagate.config;

import static io.wagate.config.ConfigException.check;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The encrypted media store ({@code data_dir/media}) and where its master key comes from.
 *
 * <p>The master key comes from exactly one of {@code master_key_file},
 * {@code master_key_passphrase_env} and {@code master_key_passphrase_file}; setting two is an error
 * here, setting none is an error in production ({@link #requireKeySource}), while a sandbox
 * generates a key file under its data dir.
 *
 * @param masterKeyFile            32 raw bytes or their base64; mode 0600, owned by the service user
 * @param masterKeyPassphraseEnv   name of an environment variable holding the passphrase
 * @param masterKeyPassphraseFile  a file (mode 0600) holding the passphrase
 * @param segmentBytes             plaintext bytes per encrypted segment of new objects
 * @param quotaBytes               total plaintext bytes the store may hold
 * @param retention                how long objects of each kind are kept
 * @param sweepInterval            how often the retention and orphan sweeper runs
 */
public record MediaConfig(
        Path masterKeyFile,
        String masterKeyPassphraseEnv,
        Path masterKeyPassphraseFile,
        Integer segmentBytes,
        Long quotaBytes,
        Retention retention,
        Duration sweepInterval) {

    public static final int DEFAULT_SEGMENT_BYTES = 64 * 1024;
    public static final int MIN_SEGMENT_BYTES = 4 * 1024;
    public static final int MAX_SEGMENT_BYTES = 4 * 1024 * 1024;
    public static final long DEFAULT_QUOTA_BYTES = 50L * 1024 * 1024 * 1024;
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofHours(1);
    /** The key file a sandbox generates under its data dir when no key source is configured. */
    public static final String SANDBOX_KEY_FILE = "master.key";
    /** The Argon2id salt and costs of passphrase mode, under the data dir. */
    public static final String KDF_PARAMS_FILE = "master-key.kdf";

    public MediaConfig {
        segmentBytes = segmentBytes == null ? DEFAULT_SEGMENT_BYTES : segmentBytes;
        quotaBytes = quotaBytes == null ? DEFAULT_QUOTA_BYTES : quotaBytes;
        retention = retention == null ? Retention.defaults() : retention;
        sweepInterval = sweepInterval == null ? DEFAULT_SWEEP_INTERVAL : sweepInterval;
        int sources = (masterKeyFile != null ? 1 : 0) + (masterKeyPassphraseEnv != null ? 1 : 0)
                + (masterKeyPassphraseFile != null ? 1 : 0);
        check(sources <= 1, "media.master_key_file",
                "and media.master_key_passphrase_env and media.master_key_passphrase_file are exclusive: set one",
                sources + " of them");
        check(masterKeyPassphraseEnv == null || masterKeyPassphraseEnv.matches("[A-Za-z_][A-Za-z0-9_]*"),
                "media.master_key_passphrase_env", "must be an environment variable name",
                "'" + masterKeyPassphraseEnv + "'");
        check(segmentBytes >= MIN_SEGMENT_BYTES && segmentBytes <= MAX_SEGMENT_BYTES, "media.segment_bytes",
                "must be between " + MIN_SEGMENT_BYTES + " and " + MAX_SEGMENT_BYTES, segmentBytes);
        check(quotaBytes > 0, "media.quota_bytes", "must be > 0", quotaBytes);
        check(sweepInterval.compareTo(Duration.ofSeconds(1)) >= 0 && sweepInterval.compareTo(Duration.ofDays(1)) <= 0,
                "media.sweep_interval", "must be between 1s and 1d", Durations.format(sweepInterval));
    }

    public static MediaConfig defaults() {
        return new MediaConfig(null, null, null, null, null, null, null);
    }

    /** How the master key is supplied. */
    public enum KeySource { KEY_FILE, PASSPHRASE_ENV, PASSPHRASE_FILE, NONE }

    /** Which of the three master key settings is set ({@code NONE}: a sandbox generates a key file). */
    public KeySource keySource() {
        if (masterKeyFile != null) {
            return KeySource.KEY_FILE;
        }
        if (masterKeyPassphraseEnv != null) {
            return KeySource.PASSPHRASE_ENV;
        }
        return masterKeyPassphraseFile != null ? KeySource.PASSPHRASE_FILE : KeySource.NONE;
    }

    /**
     * Checks that a production appliance names its master key; a sandbox may name none (it then
     * generates a key file under its data dir).
     *
     * @throws ConfigException naming the keys when production names none
     */
    public void requireKeySource(ApplianceConfig.Mode mode) {
        check(mode == ApplianceConfig.Mode.SANDBOX || keySource() != KeySource.NONE, "media.master_key_file",
                "(or media.master_key_passphrase_env or media.master_key_passphrase_file) is required in production",
                "none");
    }

    /** This config with a master key file (sandbox: the generated one). */
    public MediaConfig withMasterKeyFile(Path keyFile) {
        return new MediaConfig(keyFile, null, null, segmentBytes, quotaBytes, retention, sweepInterval);
    }

    /** This config with another quota (tests). */
    public MediaConfig withQuotaBytes(long quota) {
        return new MediaConfig(masterKeyFile, masterKeyPassphraseEnv, masterKeyPassphraseFile, segmentBytes, quota,
                retention, sweepInterval);
    }

    /** This config with another segment size (tests). */
    public MediaConfig withSegmentBytes(int segment) {
        return new MediaConfig(masterKeyFile, masterKeyPassphraseEnv, masterKeyPassphraseFile, segment, quotaBytes,
                retention, sweepInterval);
    }

    /** This config with other retentions. */
    public MediaConfig withRetention(Retention r) {
        return new MediaConfig(masterKeyFile, masterKeyPassphraseEnv, masterKeyPassphraseFile, segmentBytes, quotaBytes,
                r, sweepInterval);
    }

    /**
     * How long objects are kept after they were stored.
     *
     * @param inbound   media received from users (Meta keeps webhook media ids 7 days)
     * @param outbound  media uploaded by internal clients (Meta keeps uploads 30 days)
     */
    public record Retention(Duration inbound, Duration outbound) {
        public static final Duration DEFAULT_INBOUND = Duration.ofDays(90);
        public static final Duration DEFAULT_OUTBOUND = Duration.ofDays(30);

        public Retention {
            inbound = inbound == null ? DEFAULT_INBOUND : inbound;
            outbound = outbound == null ? DEFAULT_OUTBOUND : outbound;
            check(inbound.compareTo(Duration.ofMinutes(1)) >= 0, "media.retention.inbound", "must be at least 1m",
                    Durations.format(inbound));
            check(outbound.compareTo(Duration.ofMinutes(1)) >= 0, "media.retention.outbound", "must be at least 1m",
                    Durations.format(outbound));
        }

        public static Retention defaults() {
            return new Retention(null, null);
        }
    }
}
