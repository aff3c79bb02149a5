/**
 * The {@code kinline} command line: run, demo, tones.
 */
package io.kinline.cli;
