package dev.latchkey.platform.http;

/**
 * The one reading of "is this path the client API's": the edge filter (which requests go to the upstream proxy),
 * the proxy itself (what follows {@code client_api/} is the upstream path) and the REST token filter (which
 * requests need a client token) ask it here, so that they never disagree about a path.
 *
 * <p>A path is read from a given index (the end of {@code /api/v1} in the full path, or 0 in a path relative to
 * it), past any slashes there (a container reads {@code /api/v1//client_api} as {@code /api/v1/client_api}); its
 * first segment must then be exactly {@code client_api}. Only unescaped paths are read here: a caller holding a
 * path with {@code %} escapes or {@code ;} parameters decodes it first, or refuses it.
 */
public final class ClientApiPaths {

    /** The client API's segment below {@code /api/v1}. */
    public static final String SEGMENT = "client_api";

    private ClientApiPaths() {
    }

    /** Whether the path is {@code client_api} itself (the session) or below it. */
    public static boolean isClientApi(String path, int from) {
        return segmentEnd(path, from) >= 0;
    }

    /**
     * Whether the path is below {@code client_api/} with something more than slashes after it: a path for the
     * upstream proxy. {@code client_api}, {@code client_api/} and {@code client_api///} are the session's.
     */
    public static boolean isBelowClientApi(String path, int from) {
        int rest = restStart(path, from);
        if (rest < 0) {
            return false;
        }
        for (int i = rest; i < path.length(); i++) {
            if (path.charAt(i) != '/') {
                return true;
            }
        }
        return false;
    }

    /**
     * Where the path below {@code client_api/} starts (the index after that slash), or -1 when the path is not
     * {@code client_api/...}.
     */
    public static int restStart(String path, int from) {
        int end = segmentEnd(path, from);
        return end >= 0 && end < path.length() ? end + 1 : -1;
    }

    /** The index after the {@code client_api} segment, or -1 when the first segment is another. */
    private static int segmentEnd(String path, int from) {
        int start = from;
        while (start < path.length() && path.charAt(start) == '/') {
            start++;
        }
        int end = start + SEGMENT.length();
        return path.startsWith(SEGMENT, start) && (end == path.length() || path.charAt(end) == '/') ? end : -1;
    }
}
