import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Fetches Apache Maven's binary distribution from Maven Central, checks it against the SHA-512 published
 * beside it and unpacks it: {@code java FetchMaven.java VERSION DEST}. Used by docker/Dockerfile, so the build
 * image needs only a JDK and tar (no curl, no distribution package of Maven).
 */
public final class FetchMaven {

    private static final String CENTRAL = "https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/";

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].matches("[0-9]+\\.[0-9]+\\.[0-9]+")) {
            System.err.println("usage: java FetchMaven.java VERSION DEST   (e.g. 3.9.16 /opt/maven)");
            System.exit(2);
        }
        String version = args[0];
        Path dest = Path.of(args[1]);
        String url = CENTRAL + version + "/apache-maven-" + version + "-bin.tar.gz";
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
        Path tar = Files.createTempFile("maven", ".tar.gz");
        byte[] digest = download(http, url, tar);
        String expected = new String(download(http, url + ".sha512"), java.nio.charset.StandardCharsets.US_ASCII)
                .trim().split("\\s+")[0].toLowerCase(java.util.Locale.ROOT);
        String actual = HexFormat.of().formatHex(digest);
        if (!actual.equals(expected)) {
            throw new IOException("SHA-512 of " + url + " is " + actual + ", Maven Central says " + expected);
        }
        Files.createDirectories(dest);
        Process p = new ProcessBuilder("tar", "-xzf", tar.toString(), "-C", dest.toString(), "--strip-components=1")
                .inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("tar failed with " + p.exitValue());
        }
        Files.delete(tar);
        System.out.println("Maven " + version + " in " + dest + " (SHA-512 " + actual.substring(0, 16) + "...)");
    }

    private static byte[] download(HttpClient http, String url, Path to) throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new IOException(url + ": HTTP " + r.statusCode());
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-512");
        try (InputStream in = r.body(); var out = Files.newOutputStream(to)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        }
        return sha.digest();
    }

    private static byte[] download(HttpClient http, String url) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(1)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException(url + ": HTTP " + r.statusCode());
        }
        return r.body();
    }
}
