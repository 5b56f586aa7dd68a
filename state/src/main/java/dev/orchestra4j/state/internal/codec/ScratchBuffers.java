package dev.orchestra4j.state.internal.codec;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few reusable encoding buffers shared by every session of one codec: an encoding writes into a buffer that
 * already has the room, and only its exact result is allocated. A fresh {@link ByteArrayOutputStream} per journal
 * event or snapshot grew from a guess by doubling (copying) and was garbage after one use — most of what a
 * committed step allocated. When all buffers are taken (more concurrent encodings than slots) a fresh one is used
 * and dropped; a buffer that grew past {@link #KEEP_AT_MOST} is not kept.
 */
final class ScratchBuffers {

    static final int KEEP_AT_MOST = 1 << 20;
    private static final int INITIAL = 8192;

    /** A byte stream whose content is read as an exact copy and which can be reused. */
    static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(INITIAL);
        }

        int capacity() {
            return buf.length;
        }
    }

    private final AtomicReferenceArray<Buffer> slots;

    ScratchBuffers(int slots) {
        this.slots = new AtomicReferenceArray<>(slots);
    }

    /** An empty buffer, kept or fresh; give it back with {@link #release}. */
    Buffer take() {
        for (int i = 0; i < slots.length(); i++) {
            Buffer b = slots.getAndSet(i, null);
            if (b != null) {
                return b;
            }
        }
        return new Buffer();
    }

    void release(Buffer b) {
        if (b.capacity() > KEEP_AT_MOST) {
            return;
        }
        b.reset();
        for (int i = 0; i < slots.length(); i++) {
            if (slots.compareAndSet(i, null, b)) {
                return;
            }
        }
    }
}
