/**
 * The configuration file: {@link io.kinline.config.KinlineConfig} is the one place each setting is
 * defined, with its default and its documentation ({@link io.kinline.config.Setting}); docs and the
 * sample YAML are generated from it.
 */
package io.kinline.config;
