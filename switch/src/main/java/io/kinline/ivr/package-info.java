/**
 * IVR primitives over a per-call event queue: play, collect digits, menus, hangups as exceptions, so a
 * call script reads as straight-line code.
 */
package io.kinline.ivr;
