package io.logflow.api.web;

import java.io.ByteArrayOutputStream;
import java.util.function.Supplier;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Collects a request body up to a limit; past it, keeps counting (and discarding) so that the client,
 * which is usually still sending, gets to read the 413. Beyond the limit plus {@link #DRAIN_BYTES}
 * it gives up at once (the connection is closed after the 413).
 */
public final class LimitedBody {
    /** How much of an oversized body is still read (and discarded) before giving up. */
    static final long DRAIN_BYTES = 64L * 1024 * 1024;

    private final long max;
    private final Supplier<ApiException> tooLarge;
    private ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    private long total;

    /** @param tooLarge the 413 to answer when the body exceeds {@code max} */
    public LimitedBody(long max, Supplier<ApiException> tooLarge) {
        this.max = max;
        this.tooLarge = tooLarge;
    }

    /** True when a declared Content-Length is so far beyond the limit that the body is not read at all. */
    public static boolean refuseUnread(long declaredLength, long max) {
        return declaredLength > max + DRAIN_BYTES;
    }

    public void add(DataBuffer buffer) {
        try {
            int n = buffer.readableByteCount();
            total += n;
            if (total <= max) {
                byte[] chunk = new byte[n];
                buffer.read(chunk);
                out.writeBytes(chunk);
            } else {
                out = null;
                if (total > max + DRAIN_BYTES) throw tooLarge.get();
            }
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    /** @throws ApiException 413 when the body exceeded the limit */
    public byte[] bytes() {
        if (total > max) throw tooLarge.get();
        return out.toByteArray();
    }
}
