package io.kinline.log.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import java.net.URL;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Switches the log between text lines and JSON lines ({@code logFormat}, {@code --log-format}). logback.xml
 * picks its appender by the {@code KINLINE_LOG_FORMAT} property (also read from the environment, so JSON can
 * start with the first line); this reloads the same configuration file with the property set.
 */
public final class LogFormat {

    public static final String TEXT = "text";
    public static final String JSON = "json";
    static final String PROPERTY = "KINLINE_LOG_FORMAT";

    private LogFormat() {
    }

    /** Whether {@code format} is one this class knows. */
    public static boolean valid(String format) {
        return TEXT.equals(format) || JSON.equals(format);
    }

    /**
     * Uses {@code format} from now on; does nothing if the log already uses it, or when logback is not the
     * slf4j binding (an embedding application logs its own way).
     *
     * @throws IllegalArgumentException for a format other than {@code text} or {@code json}
     */
    public static void use(String format) {
        String f = format == null ? TEXT : format.toLowerCase(Locale.ROOT);
        if (!valid(f)) {
            throw new IllegalArgumentException("log format must be text or json, not " + format);
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext ctx) || f.equals(current(ctx))) {
            return;
        }
        URL config = ConfigurationWatchListUtil.getMainWatchURL(ctx);
        if (config == null) {
            config = LogFormat.class.getResource("/logback.xml");
        }
        if (config == null) {
            return;
        }
        ctx.reset();
        ctx.putProperty(PROPERTY, f);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot reload " + config + ": " + e.getMessage(), e);
        }
    }

    private static String current(LoggerContext ctx) {
        String p = ctx.getProperty(PROPERTY);
        if (p == null) {
            p = System.getProperty(PROPERTY, System.getenv(PROPERTY));
        }
        return p == null ? TEXT : p.toLowerCase(Locale.ROOT);
    }
}
