package dev.orchestra4j.state;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One entry read from a {@link StorageBackend}: its bytes, its version and when it was last written.
 * The byte array is copied on the way in and on the way out.
 */
public record StoredValue(byte[] value, long version, Instant updatedAt) {

    public StoredValue {
        value = value.clone();
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (version < 1) {
            throw new IllegalArgumentException("version must be positive, was " + version);
        }
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The number of stored bytes, without copying them. */
    public int size() {
        return value.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredValue that
                && version == that.version
                && Arrays.equals(value, that.value)
                && updatedAt.equals(that.updatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(value), version, updatedAt);
    }

    @Override
    public String toString() {
        return "StoredValue[" + value.length + " bytes, version=" + version + ", updatedAt=" + updatedAt + "]";
    }
}
