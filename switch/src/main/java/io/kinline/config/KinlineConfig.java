package io.kinline.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kinline's configuration file, bound from YAML. The defaults live in {@code config/kinline.yaml}
 * (packed in the jar); a user file given with {@code --config} is layered on top, so it need only
 * name what it changes. Unknown keys are an error: a misspelt setting must not be silently ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public final class KinlineConfig {

    /** The inmate call service. */
    public static final String MODE_IVR = "ivr";
    /** A signalling-only B2BUA relay, for benchmarking the SIP stack. */
    public static final String MODE_PASSTHROUGH = "b2bua-passthrough";

    /** {@value #MODE_IVR} (default) or {@value #MODE_PASSTHROUGH}. */
    public String mode = MODE_IVR;
    public Sip sip = new Sip();
    public Media media = new Media();
    public Admin admin = new Admin();
    public Store store = new Store();
    public Prompts prompts = new Prompts();
    public Cluster cluster = new Cluster();

    public static final class Sip {
        public String bind = "127.0.0.1";
        public String advertise;
        public int port = 5060;
        public List<String> transports = new ArrayList<>(List.of("udp", "tcp"));
        public int t1Millis = 500;
        public int t2Millis = 4000;
        public int t4Millis = 5000;
        public int maxConcurrentCalls = 1000;
        public int maxCallsPerSecond = 200;
        public int retryAfterSeconds = 5;
        public int sessionExpiresSeconds = 1800;
        public int minSessionExpiresSeconds = 90;
        public int idleConnectionSeconds = 300;
        public Gateways gateways = new Gateways();
        public Trunk trunk = new Trunk();
    }

    public static final class Gateways {
        public List<String> allow = new ArrayList<>(List.of("127.0.0.0/8", "::1/128"));
        public String realm = "kinline";
        public Map<String, String> users = new LinkedHashMap<>();
    }

    public static final class Trunk {
        public String address = "127.0.0.1:5080";
        public String username;
        public String password;
        public String callerId = "+15735551000";
    }

    public static final class Media {
        public String bind = "127.0.0.1";
        public String advertise;
        public int portMin = 20000;
        public int portMax = 29999;
        public int ptimeMillis = 20;
        public int mediaTimeoutSeconds = 30;
        public boolean inbandDtmf = true;
        public int recordingThreads = 2;
    }

    public static final class Admin {
        public String bind = "127.0.0.1";
        public int port = 8080;
    }

    public static final class Store {
        public String dataDir = "./kinline-data";
        public String jdbcUrl;
        public String username;
        public String password;
        /** A file whose first line is the password (a Docker or Kubernetes secret); wins over {@code password}. */
        public String passwordFile;
        public int poolSize = 10;
        public boolean loadDemoData = true;
        /**
         * Where call recordings and recorded names go, each node under its own id; null: {@code <dataDir>/recordings}.
         * In a cluster, one directory shared by every node (NFS, a shared volume) at the same path on each.
         */
        public String recordingsDir;
    }

    /** Several nodes on one PostgreSQL behind Kamailio (docs/DEPLOYMENT.md). */
    public static final class Cluster {
        /** This node's id; null: the one made for its data directory on first start ({@code <dataDir>/node-id}). */
        public String nodeId;
        /** Where the other nodes reach this node's admin API; null: {@code http://<admin.bind>:<admin.port>}. */
        public String adminUrl;
        /**
         * The cluster key (32 random bytes as 64 hex digits): the secrets every node shares are kept in the
         * database wrapped by it, and fetched by a node that lacks them. Null: they are provisioned as files.
         */
        public String keyFile;
    }

    public static final class Prompts {
        public String dir;
        public String defaultLanguage = "en";
    }

    /** A configuration file that cannot be used; the message names the file, line and key. */
    public static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static ObjectMapper yaml() {
        return new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** The built-in defaults, then {@code file} on top if given. */
    public static KinlineConfig load(Path file) throws ConfigException {
        KinlineConfig cfg = new KinlineConfig();
        ObjectMapper mapper = yaml();
        try (InputStream in = KinlineConfig.class.getResourceAsStream("/kinline-config/kinline.yaml")) {
            if (in != null) {
                mapper.readerForUpdating(cfg).readValue(in);
            }
        } catch (IOException e) {
            throw new ConfigException("built-in configuration is unreadable: " + e.getMessage(), e);
        }
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("configuration file not found: " + file, null);
            }
            ObjectReader reader = mapper.readerForUpdating(cfg);
            try (InputStream in = Files.newInputStream(file)) {
                reader.readValue(in);
            } catch (JsonMappingException e) {
                throw new ConfigException(file + ": " + describe(e), e);
            } catch (IOException e) {
                throw new ConfigException(file + ": " + e.getMessage(), e);
            }
        }
        return cfg;
    }

    private static String describe(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(r.getFieldName());
            } else {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        String where = e.getLocation() != null ? "line " + e.getLocation().getLineNr() + ": " : "";
        String msg = e.getOriginalMessage();
        int cut = msg.indexOf(" (class ");
        if (cut > 0) {
            msg = msg.substring(0, cut);
        }
        return where + (path.isEmpty() ? "" : "'" + path + "': ") + msg;
    }
}
