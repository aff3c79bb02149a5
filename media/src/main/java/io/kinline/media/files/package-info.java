/**
 * Files only the switch's user can read: directories 0700, files 0600 created exclusively, 0400 once closed
 * ({@link io.kinline.media.files.PrivateFiles}), shared by recordings, secrets and the database.
 */
package io.kinline.media.files;
