package io.kinline.admin.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Raw HTTP over a socket, for what an HTTP client will not send, and counting the server's sockets. */
final class RawHttp {

    private RawHttp() {
    }

    static int port(String base) {
        return Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
    }

    /**
     * Sends {@code request} and reads what comes back within {@code millis}: the response so far when the
     * server closes the connection or the time is up (the caller checks what it got).
     */
    static String exchange(int port, String request, int millis) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            return readFor(s, millis);
        }
    }

    /** Reads until the peer closes or {@code millis} pass. */
    static String readFor(Socket s, int millis) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + millis * 1_000_000L;
        InputStream in = s.getInputStream();
        byte[] b = new byte[8192];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            s.setSoTimeout((int) Math.max(1, left));
            try {
                int n = in.read(b);
                if (n < 0) {
                    break;
                }
                buf.write(b, 0, n);
            } catch (SocketTimeoutException e) {
                break;
            } catch (IOException e) {
                break; // reset by the server: what we have is the answer
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /**
     * The number of file descriptors this process holds for TCP sockets whose local port is {@code port}
     * (the server's side of its connections; the listening socket is not counted). Linux only: the
     * sockets' inodes come from /proc/net/tcp{,6} and are matched against /proc/self/fd.
     */
    static int serverConnections(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            try {
                List<String> lines = Files.readAllLines(p);
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.strip().split("\\s+");
                    int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                    if (local == port && !"0A".equals(f[3])) { // 0A = LISTEN
                        inodes.add(f[9]);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                        n++;
                    }
                } catch (IOException e) {
                    // closed while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }
}
