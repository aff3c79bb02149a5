package io.kinline.media;

/** Receives an endpoint's events. Called on a Netty event loop: hand off, never block. */
@FunctionalInterface
public interface MediaListener {
    void onEvent(MediaEndpoint endpoint, MediaEvent event);
}
