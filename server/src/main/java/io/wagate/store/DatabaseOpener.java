package io.wagate.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * Opens the database the Kafka way (list the existing column families, open them all, create the
 * missing ones) after deciding, without writing anything, whether the directory may be used.
 *
 * <p>Refusals (foreign directory contents, unknown schema version, a foreign RocksDB database)
 * happen before the read-write open, using a read-only open at most, so a refused directory is
 * left exactly as found. Stateless; {@link #open} may be called from any thread.
 */
final class DatabaseOpener {
  static final byte[] SCHEMA_VERSION_KEY = Keys.utf8("schema_version");

  private static final String DEFAULT_CF =
      new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8);

  private DatabaseOpener() {}

  /** Opens or creates the database in {@code directory}; the caller owns the result. */
  static RocksHandles open(Path directory) {
    RocksDB.loadLibrary();
    boolean existing = prepareDirectory(directory);
    List<String> families = List.of();
    boolean writeSchemaVersion = !existing;
    if (existing) {
      families = listColumnFamilies(directory);
      writeSchemaVersion = checkExisting(directory, families);
    }
    Set<String> names = new LinkedHashSet<>();
    names.add(DEFAULT_CF);
    names.addAll(families);
    for (ColumnFamily cf : ColumnFamily.values()) {
      names.add(cf.cfName());
    }
    RocksHandles rocks = openReadWrite(directory, List.copyOf(names));
    if (writeSchemaVersion) {
      try (WriteBatch batch = new WriteBatch()) {
        batch.put(rocks.handle(ColumnFamily.META), SCHEMA_VERSION_KEY,
            encodeVersion(Database.SCHEMA_VERSION));
        rocks.db.write(rocks.synced, batch);
      } catch (RocksDBException e) {
        rocks.close();
        throw RocksErrors.translate("writing the schema version", directory, e);
      }
    }
    return rocks;
  }

  static byte[] encodeVersion(int version) {
    return ByteBuffer.allocate(Integer.BYTES).putInt(version).array();
  }

  /** Returns whether {@code directory} holds a database; creates it when missing. */
  private static boolean prepareDirectory(Path directory) {
    try {
      if (Files.exists(directory) && !Files.isDirectory(directory)) {
        throw new StoreException("data directory " + directory + " exists and is not a directory;"
            + " point store.directory at a directory; nothing was changed", null);
      }
      if (!Files.exists(directory)) {
        Files.createDirectories(directory);
        return false;
      }
      if (Files.exists(directory.resolve("CURRENT"))) {
        return true;
      }
      try (Stream<Path> entries = Files.list(directory)) {
        if (entries.findAny().isPresent()) {
          throw new StoreException("data directory " + directory + " is not empty and holds no"
              + " database; Wagate will not write into it; point store.directory at an empty"
              + " directory or an existing Wagate database; nothing was changed", null);
        }
      }
      return false;
    } catch (IOException e) {
      throw new StoreException("preparing data directory " + directory + " failed", e);
    }
  }

  private static List<String> listColumnFamilies(Path directory) {
    try (Options options = new Options()) {
      List<String> names = new ArrayList<>();
      for (byte[] name : RocksDB.listColumnFamilies(options, directory.toString())) {
        names.add(new String(name, StandardCharsets.UTF_8));
      }
      return names;
    } catch (RocksDBException e) {
      throw RocksErrors.translate("listing the column families", directory, e);
    }
  }

  /**
   * Checks an existing database read-only. Returns whether the schema version still has to be
   * written (only for a database that was created but crashed before its version was written,
   * which is therefore still empty).
   */
  private static boolean checkExisting(Path directory, List<String> families) {
    if (!families.contains(ColumnFamily.META.cfName())) {
      throw new StoreException("data directory " + directory + " holds a RocksDB database that is"
          + " not a Wagate database (no meta column family); point store.directory at a Wagate"
          + " data directory or an empty one; nothing was changed", null);
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (RocksTuning tuning = new RocksTuning()) {
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (String name : families) {
        descriptors.add(new ColumnFamilyDescriptor(
            name.getBytes(StandardCharsets.UTF_8), tuning.columnFamilyOptions(name)));
      }
      // Read-only: takes no lock and writes no file, so a refusal leaves the directory as found.
      RocksDB db = RocksDB.openReadOnly(
          tuning.dbOptions(), directory.toString(), descriptors, handles);
      try {
        return checkSchema(directory, db, handles.get(families.indexOf(ColumnFamily.META.cfName())),
            handles);
      } finally {
        release(handles, db);
      }
    } catch (RocksDBException e) {
      throw RocksErrors.translate("checking the schema version", directory, e);
    }
  }

  private static boolean checkSchema(Path directory, RocksDB db, ColumnFamilyHandle meta,
      List<ColumnFamilyHandle> all) throws RocksDBException {
    byte[] stored = db.get(meta, SCHEMA_VERSION_KEY);
    if (stored != null) {
      int version = decodeVersion(directory, stored);
      if (version != Database.SCHEMA_VERSION) {
        throw new SchemaVersionException(directory.toString(), version, Database.SCHEMA_VERSION);
      }
      return false;
    }
    for (ColumnFamilyHandle handle : all) {
      if (!isEmpty(db, handle)) {
        throw new StoreException("data directory " + directory + " holds data but no schema"
            + " version; it was not written by Wagate or is damaged; restore a backup;"
            + " nothing was changed", null);
      }
    }
    return true;
  }

  private static int decodeVersion(Path directory, byte[] stored) {
    if (stored.length != Integer.BYTES) {
      throw new StoreException("data directory " + directory + " has a malformed schema version"
          + " record (" + stored.length + " bytes); restore a backup; nothing was changed", null);
    }
    return ByteBuffer.wrap(stored).getInt();
  }

  private static boolean isEmpty(RocksDB db, ColumnFamilyHandle handle) {
    try (Slice lower = new Slice(Keys.MIN);
        Slice upper = new Slice(Keys.MAX);
        ReadOptions read = new ReadOptions()
            .setIterateLowerBound(lower)
            .setIterateUpperBound(upper);
        RocksIterator it = db.newIterator(handle, read)) {
      it.seekToFirst();
      return !it.isValid();
    }
  }

  private static RocksHandles openReadWrite(Path directory, List<String> names) {
    RocksTuning tuning = new RocksTuning();
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db = null;
    try {
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (String name : names) {
        descriptors.add(new ColumnFamilyDescriptor(
            name.getBytes(StandardCharsets.UTF_8), tuning.columnFamilyOptions(name)));
      }
      db = RocksDB.open(tuning.dbOptions(), directory.toString(), descriptors, handles);
      Map<ColumnFamily, ColumnFamilyHandle> ours = new EnumMap<>(ColumnFamily.class);
      for (ColumnFamily cf : ColumnFamily.values()) {
        ours.put(cf, handles.get(names.indexOf(cf.cfName())));
      }
      return new RocksHandles(db, handles, ours, tuning);
    } catch (RocksDBException e) {
      release(handles, db);
      tuning.close();
      if (RocksErrors.isLockHeld(e)) {
        throw new StoreLockedException("data directory " + directory + " is in use by another"
            + " Wagate process; stop it first", e);
      }
      throw RocksErrors.translate("opening the database", directory, e);
    } catch (RuntimeException | Error e) {
      release(handles, db);
      tuning.close();
      throw e;
    }
  }

  /** Same order as {@link RocksHandles#close()}: handles before their database. */
  private static void release(List<ColumnFamilyHandle> handles, RocksDB db) {
    for (ColumnFamilyHandle handle : handles) {
      handle.close();
    }
    if (db != null) {
      db.close();
    }
  }
}
