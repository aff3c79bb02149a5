package io.kinline.admin.console;

import java.time.Duration;
import java.util.Locale;

/**
 * Console sign-in settings ({@code admin.console.*} in the configuration).
 *
 * @param maxFailedSignIns failed sign-ins in a row that lock an account
 * @param lockout          how long a locked account refuses sign-ins (an admin may unlock it sooner)
 * @param idleTimeout      a session unused this long ends
 * @param maxSessionAge    a session ends this long after sign-in, however busy
 * @param secureCookie     when the session cookie carries {@code Secure}
 */
public record ConsoleConfig(int maxFailedSignIns, Duration lockout, Duration idleTimeout, Duration maxSessionAge,
                            SecureCookie secureCookie) {

    public static final ConsoleConfig DEFAULTS = new ConsoleConfig(5, Duration.ofMinutes(15), Duration.ofMinutes(30),
            Duration.ofHours(12), SecureCookie.AUTO);

    public ConsoleConfig {
        if (maxFailedSignIns < 1 || maxFailedSignIns > 100) {
            throw new IllegalArgumentException("admin.console.maxFailedSignIns must be 1-100");
        }
        if (lockout.isNegative() || idleTimeout.isZero() || idleTimeout.isNegative() || maxSessionAge.isZero()
                || maxSessionAge.isNegative()) {
            throw new IllegalArgumentException("console durations must be positive");
        }
    }

    /**
     * {@code AUTO}: {@code Secure} unless the browser reached the server by a loopback name (127.0.0.1, ::1,
     * localhost): there the connection is plain HTTP on the host itself, and a browser would refuse to send a
     * Secure cookie back on some versions; behind a TLS proxy the Host is the public name, so the cookie is
     * Secure. {@code ALWAYS} and {@code NEVER} force it.
     */
    public enum SecureCookie {
        AUTO, ALWAYS, NEVER;

        public static SecureCookie parse(String s) {
            try {
                return valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("admin.console.secureCookie must be auto, always or never, not " + s);
            }
        }
    }
}
