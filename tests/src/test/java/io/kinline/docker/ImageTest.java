package io.kinline.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kinline.tests.harness.ScriptRuns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node image (docker/Dockerfile) built and run with podman: {@code tests/docker/run.sh} makes local base
 * images from Debian packages (Docker Hub is out of reach here), builds the image with Maven inside, and runs it
 * on the embedded store and on PostgreSQL with the secrets mounted as docker/compose.yaml mounts them.
 *
 * <p>Opt-in ({@code KINLINE_IMAGE_TEST=1}): it takes about 7 minutes from nothing (debootstrap, two base images,
 * a Maven build with its downloads), 2 once those are cached, too long for every CI run. With the variable set,
 * podman, runc and debootstrap must be installed.
 */
class ImageTest {

    private static final Path RUN_SH = Path.of("docker/run.sh");
    private static final long BOUND_SECONDS = 1200;

    @TempDir
    Path work;

    @Test
    void theImageBuildsRunsHealthyAsNonRootAndOnPostgres() throws Exception {
        assumeTrue("1".equals(System.getenv("KINLINE_IMAGE_TEST")),
                "the image test runs only with KINLINE_IMAGE_TEST=1 (several minutes)");
        for (String tool : new String[] {"podman", "runc", "debootstrap"}) {
            ScriptRuns.requireTool(ScriptRuns.onPath(tool) || Files.isExecutable(Path.of("/usr/sbin", tool)),
                    tool + " not found (Debian package " + tool + ")");
        }
        Path out = work.resolve("run.out");
        Process p = new ProcessBuilder("bash", RUN_SH.toString()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            fail("tests/docker/run.sh did not finish in " + BOUND_SECONDS + " s");
        }
        String log = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("healthy (HEALTHCHECK /api/health = 200)"), log);
        assertTrue(log.contains("pepper wrapped by the cluster key"), log);
        assertTrue(log.contains("PASS (podman image build and run)"), log);
    }
}
