package io.logflow.e2e;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 keep-alive connection that sends the same GET again and again, for load phases.
 *
 * <p>The load generator shares the machine's cores with the server it measures, so it must cost
 * little per request: {@code java.net.http.HttpClient} spends far more CPU per request than the
 * server does on a small answer. This client writes a fixed request and reads the status line,
 * the headers it needs ({@code Content-Length} or chunked) and the body into a reused buffer —
 * what wrk or ab do. Not thread-safe: one per client thread. Reconnects after the server closes.
 */
final class KeepAliveGet implements AutoCloseable {
    private final URI uri;
    private final byte[] request;
    private final int timeoutMs;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] skip = new byte[16 * 1024];
    private final StringBuilder line = new StringBuilder();

    KeepAliveGet(URI uri, int timeoutMs) {
        this(uri, timeoutMs, null);
    }

    /** @param authorization the {@code Authorization} header's value, or null for none */
    KeepAliveGet(URI uri, int timeoutMs, String authorization) {
        this.uri = uri;
        this.timeoutMs = timeoutMs;
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        this.request = ("GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                        + "\r\nAccept: application/json\r\nConnection: keep-alive\r\n"
                        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends the request and reads the whole answer; returns its status code. */
    int get() throws IOException {
        if (socket == null) connect();
        try {
            out.write(request);
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), timeoutMs);
        s.setSoTimeout(timeoutMs);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
        out = s.getOutputStream();
    }

    private int readResponse() throws IOException {
        String status = readLine();
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12)
            throw new IOException("bad status line: " + status);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String h = readLine(); !h.isEmpty(); h = readLine()) {
            int colon = h.indexOf(':');
            if (colon < 0) continue;
            String name = h.substring(0, colon).trim();
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("content-length")) length = Long.parseLong(value);
            else if (name.equalsIgnoreCase("transfer-encoding")) chunked = value.equalsIgnoreCase("chunked");
            else if (name.equalsIgnoreCase("connection")) closeAfter = value.equalsIgnoreCase("close");
        }
        if (chunked) {
            for (long size = Long.parseLong(readLine().trim(), 16);
                    size > 0;
                    size = Long.parseLong(readLine().trim(), 16)) {
                discard(size);
                readLine(); // CRLF after the chunk
            }
            while (!readLine().isEmpty()) {
                // trailers
            }
        } else if (length >= 0) {
            discard(length);
        } else {
            closeAfter = true; // body until close: read it all
            while (in.read(skip) >= 0) {
                // discard
            }
        }
        if (closeAfter) close();
        return code;
    }

    private void discard(long n) throws IOException {
        while (n > 0) {
            int r = in.read(skip, 0, (int) Math.min(skip.length, n));
            if (r < 0) throw new EOFException("connection closed inside a body");
            n -= r;
        }
    }

    private String readLine() throws IOException {
        line.setLength(0);
        while (true) {
            int c = in.read();
            if (c < 0) throw new EOFException("connection closed");
            if (c == '\n') break;
            if (c != '\r') line.append((char) c);
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        socket = null;
    }
}
