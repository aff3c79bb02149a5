package io.kinline.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The documentation of one configuration setting, Kamailio-style: what it does, what happens at its
 * limit, and an example. It sits on the field of {@link KinlineConfig} that defines the setting and
 * (by its initialiser) its default, so the name, the type, the default and the words are written in
 * one place. {@code docs/CONFIGURATION.md} and the settings tables in the other docs are generated
 * from these annotations, and {@code SettingsDocTest} fails when any of them drifts.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Setting {

    /** What the setting does, in a sentence or two. */
    String value();

    /** What happens at the limit: when the value is out of range, or when the running switch reaches it. */
    String limit();

    /** An example value as it is written in YAML after the key, e.g. {@code 50} or {@code [udp]}. */
    String example();

    /** The type as a reader should see it, when the Java type says too little (e.g. "IP address"). */
    String type() default "";

    /** What an unset (null) default means, e.g. "the bind address". */
    String unset() default "";
}
