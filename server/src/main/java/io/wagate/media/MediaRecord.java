package io.wagate.media;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the {@code media} column family holds for one object: the public {@link MediaObject} plus
 * the wrapped data key and the segment size its file was written with.
 *
 * <p>Encoding, versioned: u8 version = 1, then the fields in declaration order; strings as
 * {@link DataOutputStream#writeUTF}, an absent filename as an empty string, the Meta uploads as a
 * u16 count of (phone-number id, media id, expiry u64), the wrapped key as u16 length + bytes.
 */
record MediaRecord(MediaObject object, int segmentBytes, byte[] wrappedKey) {
  private static final int VERSION = 1;

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      MediaObject o = object;
      out.writeByte(VERSION);
      out.writeUTF(o.id());
      out.writeUTF(o.mimeType());
      out.writeLong(o.size());
      out.writeUTF(o.sha256());
      out.writeUTF(o.owner());
      out.writeByte(o.kind().ordinal());
      out.writeLong(o.createdAtMillis());
      out.writeUTF(o.filename() == null ? "" : o.filename());
      out.writeShort(o.metaUploads().size());
      for (MetaUpload u : o.metaUploads()) {
        out.writeUTF(u.phoneNumberId());
        out.writeUTF(u.metaMediaId());
        out.writeLong(u.expiresAtMillis());
      }
      out.writeUTF(o.keyId());
      out.writeInt(segmentBytes);
      out.writeShort(wrappedKey.length);
      out.write(wrappedKey);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static MediaRecord decode(byte[] value) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new MediaException("a media record has unknown version " + version);
      }
      String id = in.readUTF();
      String mime = in.readUTF();
      long size = in.readLong();
      String sha = in.readUTF();
      String owner = in.readUTF();
      MediaKind kind = MediaKind.values()[in.readUnsignedByte()];
      long created = in.readLong();
      String filename = in.readUTF();
      int uploads = in.readUnsignedShort();
      List<MetaUpload> metaUploads = new ArrayList<>(uploads);
      for (int i = 0; i < uploads; i++) {
        metaUploads.add(new MetaUpload(in.readUTF(), in.readUTF(), in.readLong()));
      }
      String keyId = in.readUTF();
      int segmentBytes = in.readInt();
      byte[] wrapped = new byte[in.readUnsignedShort()];
      in.readFully(wrapped);
      return new MediaRecord(new MediaObject(id, mime, size, sha, owner, kind, created,
          filename.isEmpty() ? null : filename, metaUploads, keyId), segmentBytes, wrapped);
    } catch (IOException | RuntimeException e) {
      if (e instanceof MediaException me) {
        throw me;
      }
      throw new MediaException("a media record is malformed", e);
    }
  }

  MediaRecord withObject(MediaObject o) {
    return new MediaRecord(o, segmentBytes, wrappedKey);
  }

  MediaRecord rewrapped(String keyId, byte[] wrapped) {
    MediaObject o = object;
    return new MediaRecord(new MediaObject(o.id(), o.mimeType(), o.size(), o.sha256(), o.owner(), o.kind(),
        o.createdAtMillis(), o.filename(), o.metaUploads(), keyId), segmentBytes, wrapped);
  }
}
