/**
 * {@code kinline demo}: built-in SIP phones that place three scripted calls through a switch and print
 * what happened.
 */
package io.kinline.demo;
