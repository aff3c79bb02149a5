package io.kinline.cli;

import io.kinline.KinlineSwitch;
import io.kinline.config.KinlineConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts the switch and runs until stopped (Ctrl-C, SIGTERM). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start the switch. With no options it runs on the embedded default (H2 in ./kinline-data, "
                + "SIP on 127.0.0.1:5060, admin API on 127.0.0.1:8080, demo facility loaded).")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration layered over the defaults")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "database, recordings and admin token (default ./kinline-data)")
    Path dataDir;

    @Option(names = "--sip-port", paramLabel = "N", description = "SIP UDP and TCP port (default 5060)")
    Integer sipPort;

    @Option(names = "--admin-port", paramLabel = "N", description = "admin HTTP API port (default 8080)")
    Integer adminPort;

    @Option(names = "--trunk", paramLabel = "HOST:PORT", description = "carrier trunk that B-legs go to")
    String trunk;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "ivr (default: the inmate call service) or b2bua-passthrough (signalling relay for benchmarks)")
    String mode;

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "text (default) or json: one JSON object per line (overrides logFormat)")
    String logFormat;

    @Override
    public Integer call() throws Exception {
        KinlineConfig cfg;
        try {
            cfg = load(config, dataDir, sipPort, adminPort, trunk);
            if (mode != null) {
                if (!KinlineConfig.MODE_IVR.equals(mode) && !KinlineConfig.MODE_PASSTHROUGH.equals(mode)) {
                    throw new IllegalArgumentException("--mode must be ivr or b2bua-passthrough, not " + mode);
                }
                cfg.mode = mode;
            }
            if (logFormat != null) {
                if (!io.kinline.log.logback.LogFormat.valid(logFormat)) {
                    throw new IllegalArgumentException("--log-format must be text or json, not " + logFormat);
                }
                cfg.logFormat = logFormat;
            }
            io.kinline.log.logback.LogFormat.use(cfg.logFormat);
        } catch (KinlineConfig.ConfigException | IllegalArgumentException e) {
            System.err.println("kinline run: " + e.getMessage());
            return 2;
        }
        KinlineSwitch node;
        try {
            node = new KinlineSwitch(cfg).start();
        } catch (RuntimeException e) {
            System.err.println("kinline run: cannot start: " + rootMessage(e));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "shutdown"));
        printBanner(node);
        stopped.await();
        return 0;
    }

    static KinlineConfig load(Path config, Path dataDir, Integer sipPort, Integer adminPort, String trunk)
            throws KinlineConfig.ConfigException {
        KinlineConfig cfg = KinlineConfig.load(config);
        if (dataDir != null) {
            cfg.store.dataDir = dataDir.toString();
        }
        if (sipPort != null) {
            requirePort("--sip-port", sipPort);
            cfg.sip.port = sipPort;
        }
        if (adminPort != null) {
            requirePort("--admin-port", adminPort);
            cfg.admin.port = adminPort;
        }
        if (trunk != null) {
            try {
                KinlineSwitch.hostPort(trunk, 5060); // validate now, with a clear message
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--trunk must be HOST:PORT, not " + trunk);
            }
            cfg.sip.trunk.address = trunk;
        }
        return cfg;
    }

    private static void requirePort(String option, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + " must be between 0 and 65535, not " + port);
        }
    }

    static void printBanner(KinlineSwitch node) {
        var out = System.out;
        out.println("Kinline is running.");
        if (node.sipUdpAddress() != null) {
            out.println("  SIP (UDP)   " + hostPort(node.sipUdpAddress()));
        }
        if (node.sipTcpAddress() != null) {
            out.println("  SIP (TCP)   " + hostPort(node.sipTcpAddress()));
        }
        if (node.sipTlsAddress() != null) {
            out.println("  SIP (TLS)   " + hostPort(node.sipTlsAddress()));
        }
        if (node.sipWssAddress() != null) {
            out.println("  SIP (WSS)   " + hostPort(node.sipWssAddress()) + "  (wss://" + hostPort(node.sipWssAddress())
                    + "/, subprotocol sip)");
        }
        if (node.sipWsAddress() != null) {
            out.println("  SIP (WS)    " + hostPort(node.sipWsAddress()));
        }
        if (node.sipTlsFingerprint() != null) {
            out.println("  TLS cert    SHA-256 " + node.sipTlsFingerprint());
        }
        out.println("  Admin API   http://" + hostPort(node.adminAddress()) + "/api/health");
        out.println("  Metrics     http://" + hostPort(node.adminAddress()) + "/metrics");
        out.println("  Tablet page http://" + hostPort(node.adminAddress()) + "/tablet  (docs/TABLETS.md)");
        out.println("  Trunk       " + node.config().sip.trunk.address);
        out.println("  Data        " + node.dataDir());
        if (node.adminTokenFile() != null) {
            out.println("  Admin token written to " + node.adminTokenFile() + " (mode 600)");
        }
        out.flush();
    }

    private static String hostPort(java.net.InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
