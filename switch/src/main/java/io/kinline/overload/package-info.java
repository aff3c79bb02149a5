/**
 * Overload control that watches the media path: {@link io.kinline.overload.MediaOverloadGuard} sheds new calls
 * with 503 while the media event loops run late or the recording writer falls behind, so calls in progress keep
 * their quality instead of every call degrading. See docs/ARCHITECTURE.md, "Overload control".
 */
package io.kinline.overload;
