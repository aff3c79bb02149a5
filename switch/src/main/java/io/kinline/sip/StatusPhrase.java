package io.kinline.sip;

/**
 * The reason phrases Kinline sends with the statuses it uses (RFC 3261 §21), written once. A response
 * that says more than the standard phrase ("Server Internal Error - CSeq out of order") writes its own.
 */
public final class StatusPhrase {

    private StatusPhrase() {
    }

    /** The standard reason phrase of {@code status}, or "Unknown" for one Kinline does not send. */
    public static String of(int status) {
        return switch (status) {
            case 100 -> "Trying";
            case 180 -> "Ringing";
            case 183 -> "Session Progress";
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 405 -> "Method Not Allowed";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 415 -> "Unsupported Media Type";
            case 420 -> "Bad Extension";
            case 422 -> "Session Interval Too Small";
            case 480 -> "Temporarily Unavailable";
            case 481 -> "Call/Transaction Does Not Exist";
            case 482 -> "Loop Detected";
            case 486 -> "Busy Here";
            case 487 -> "Request Terminated";
            case 488 -> "Not Acceptable Here";
            case 491 -> "Request Pending";
            case 500 -> "Server Internal Error";
            case 503 -> "Service Unavailable";
            case 505 -> "Version Not Supported";
            case 513 -> "Message Too Large";
            default -> "Unknown";
        };
    }
}
