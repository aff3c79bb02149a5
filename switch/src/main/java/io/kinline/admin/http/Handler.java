package io.kinline.admin.http;

/** An endpoint. Runs on a virtual thread, so it may block on JDBC. Throws {@link ApiException} to fail. */
@FunctionalInterface
public interface Handler {
    ApiResponse handle(ApiRequest request) throws Exception;
}
